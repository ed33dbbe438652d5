"""The download counts as CSV, for staff's own spreadsheets."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.guide.counts import per_guide, per_municipality
from services.guide.guides import list_guides
from shared.municipalities import Register
from shared.spreadsheet import csv_text


def guides_csv(session: Session, register: Register) -> str:
    rows = [
        [
            count.guide.slug,
            count.guide.title,
            count.downloads,
            count.municipalities,
            count.target_group,
            count.toolbox,
            "; ".join(f"{number}: {times}" for number, times in count.editions.items()),
        ]
        for count in per_guide(session, register)
    ]
    header = ["handreiking", "titel", "downloads", "gemeenten", "doelgroepgemeenten"]
    return csv_text([*header, "gereedschapskist", "per_editie"], rows)


def municipalities_csv(session: Session, register: Register) -> str:
    """One row per municipality that downloaded, a column per guide."""
    slugs = [guide.slug for guide in list_guides(session)]
    rows = [
        [
            count.municipality.code,
            count.municipality.name,
            count.municipality.province,
            count.municipality.region,
            "ja" if count.municipality.in_target_group else "nee",
            count.downloads,
            *(count.guides.get(slug, 0) for slug in slugs),
            count.first_at.isoformat(),
            count.last_at.isoformat(),
        ]
        for count in per_municipality(session, register)
    ]
    header = ["gemeentecode", "gemeente", "provincie", "regio", "doelgroep", "downloads"]
    return csv_text([*header, *slugs, "eerste_download", "laatste_download"], rows)
