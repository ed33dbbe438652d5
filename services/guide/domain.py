"""The guides' rules, without Flask or SQL: slugs, when a guide can be downloaded, which of
its documents a download is of, and what the service keeps of the people who download."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

# Who downloads (optional): the roles of participants across the programme.
ROLES = ("official", "council_member", "alderman", "other")
# The one notice this service mails: a new edition of a guide someone downloaded.
NEW_EDITION = "new_edition"
# Days a downloader's e-mail address is kept when no new edition comes first
# (GIA_GUIDE_RETENTION_DAYS): the guide is renewed about once a year.
RETENTION_DAYS = 365
# The largest guide file taken (GIA_GUIDE_MAX_BYTES): a designed guide with pictures is
# larger than the documents of a praktijkteam request.
MAX_BYTES = 25 * 1024 * 1024
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def slug_for(title: str) -> str:
    """The guide's name in its address: its title in lower-case letters and digits, with
    hyphens ("Samen leven bindt verschillen" -> "samen-leven-bindt-verschillen")."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded)[:80].strip("-")


def why_not_downloadable(available_from: date, today: date) -> str | None:
    """A guide is announced before it appears (the letter: "downloadable from July 2012")."""
    if today < available_from:
        return f"This guide can be downloaded from {available_from.isoformat()}."
    return None


@dataclass(frozen=True)
class Choice:
    """Which of a guide's documents a download is of: an edition of the guide itself
    (``None``: the newest) or one item of its toolbox."""

    edition: int | None = None
    toolbox_item_id: str | None = None
