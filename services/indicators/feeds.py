"""The figures as a feed: Atom (RFC 4287) and the same entries as JSON Feed 1.1.

An entry whenever a target-group figure moved by at least one municipality,
and a distinct entry when a move reached its target.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from xml.etree import ElementTree as ET

from services.indicators.models import FigureChange
from services.indicators.rules import INDICATORS

ATOM = "http://www.w3.org/2005/Atom"
JSON_FEED = "https://jsonfeed.org/version/1.1"
TITLE = "GIA 2012: voortgang van de indicatoren"
AUTHOR = "Ministerie van BZK"
NAMES = {"awareness": "Bekendheid", "use": "Gebruik", "participation": "Deelname"}


def entries(changes: list[FigureChange]) -> list[dict[str, Any]]:
    """Newest first; a reached target gets its own entry beside the move."""
    found: list[dict[str, Any]] = []
    for change in changes:
        share = change.covered / change.denominator if change.denominator else 0.0
        base = {
            "indicator": change.indicator,
            "numerator": change.covered,
            "denominator": change.denominator,
            "value": share,
            "target": INDICATORS[change.indicator],
            "updated": change.recorded_at,
            "summary": f"{change.covered} van {change.denominator} gemeenten in de doelgroep; "
            f"doel {INDICATORS[change.indicator]:.0%}.",
        }
        name = NAMES[change.indicator]
        if change.target_reached:
            found.append(
                {
                    **base,
                    "id": f"urn:gia:indicators:change:{change.seq}:target",
                    "kind": "target_reached",
                    "title": f"{name}: doel van {base['target']:.0%} gehaald",
                }
            )
        found.append(
            {
                **base,
                "id": f"urn:gia:indicators:change:{change.seq}",
                "kind": "changed",
                "title": f"{name}: {change.covered} van {change.denominator} ({share:.1%})",
            }
        )
    return found


def atom(items: list[dict[str, Any]], self_url: str, page_url: str, now: datetime) -> bytes:
    """The feed; every entry links to ``page_url``, where the figure is shown and explained
    (RFC 4287 4.1.1: an entry without content has an alternate link)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "nl"})

    def text(parent: ET.Element, tag: str, value: str) -> None:
        ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = value

    text(feed, "id", "urn:gia:indicators:feed")
    text(feed, "title", TITLE)
    text(feed, "updated", (items[0]["updated"] if items else now).isoformat())
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    text(author, "name", AUTHOR)
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": self_url})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": page_url})
    for item in items:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        text(entry, "id", item["id"])
        text(entry, "title", item["title"])
        text(entry, "updated", item["updated"].isoformat())
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": page_url})
        ET.SubElement(entry, f"{{{ATOM}}}category", {"term": item["kind"]})
        text(entry, "summary", item["summary"])
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def json_feed(items: list[dict[str, Any]], feed_url: str, page_url: str) -> dict[str, Any]:
    """The Atom feed's entries as JSON Feed 1.1, for readers that take JSON; the figure
    itself rides along in the ``_gia`` extension (JSON Feed's underscore keys)."""
    return {
        "version": JSON_FEED,
        "title": TITLE,
        "home_page_url": page_url,
        "feed_url": feed_url,
        "language": "nl",
        "authors": [{"name": AUTHOR}],
        "items": [
            {
                "id": item["id"],
                "url": page_url,
                "title": item["title"],
                "content_text": item["summary"],
                "date_published": item["updated"].isoformat(),
                "tags": [item["kind"]],
                "_gia": {
                    key: item[key]
                    for key in ("kind", "indicator", "numerator", "denominator", "value", "target")
                },
            }
            for item in items
        ],
    }
