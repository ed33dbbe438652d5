"""Downloads counted for staff, per guide and per municipality, by the database."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.guide.guides import list_guides
from services.guide.models import Download, Edition, Guide
from shared.municipalities import Municipality, Register

NOT_GIVEN = "not_given"  # the role of downloaders who gave none


@dataclass
class GuideCount:
    guide: Guide
    downloads: int = 0
    municipalities: int = 0
    target_group: int = 0
    editions: dict[str, int] = field(default_factory=dict)  # by edition number
    toolbox: int = 0
    roles: dict[str, int] = field(default_factory=dict)


@dataclass
class MunicipalityCount:
    municipality: Municipality
    first_at: datetime
    last_at: datetime
    downloads: int = 0
    guides: dict[str, int] = field(default_factory=dict)  # by guide slug


def per_guide(session: Session, register: Register) -> list[GuideCount]:
    """Every guide, also one nobody downloaded yet, in the order they appear."""
    counts = {guide.id: GuideCount(guide) for guide in list_guides(session)}
    tallied = session.execute(
        select(Download.guide_id, Edition.number, Download.role, func.count())
        .outerjoin(Edition, Edition.id == Download.edition_id)
        .group_by(Download.guide_id, Edition.number, Download.role)
        .order_by(Edition.number)
    )
    for guide_id, number, role, downloads in tallied:
        count = counts[guide_id]
        count.downloads += downloads
        if number is None:
            count.toolbox += downloads
        else:
            count.editions[str(number)] = count.editions.get(str(number), 0) + downloads
        key = role or NOT_GIVEN
        count.roles[key] = count.roles.get(key, 0) + downloads
    places: dict[str, set[str]] = defaultdict(set)
    for guide_id, code in session.execute(
        select(Download.guide_id, Download.municipality_code).distinct()
    ):
        places[guide_id].add(code)
    for guide_id, codes in places.items():
        counts[guide_id].municipalities = len(codes)
        counts[guide_id].target_group = sum(
            1 for code in codes if (found := register.get(code)) and found.in_target_group
        )
    return list(counts.values())


def per_municipality(session: Session, register: Register) -> list[MunicipalityCount]:
    """The municipalities whose officials downloaded, target group first, then by name."""
    found: dict[str, MunicipalityCount] = {}
    tallied = session.execute(
        select(
            Download.municipality_code,
            Guide.slug,
            func.count(),
            func.min(Download.downloaded_at),
            func.max(Download.downloaded_at),
        )
        .join(Guide, Guide.id == Download.guide_id)
        .group_by(Download.municipality_code, Guide.slug)
    )
    for code, slug, downloads, first_at, last_at in tallied:
        municipality = register.get(code)
        if municipality is None:  # no longer in the register that is read now
            continue
        count = found.setdefault(code, MunicipalityCount(municipality, first_at, last_at))
        count.downloads += downloads
        count.guides[slug] = downloads
        count.first_at, count.last_at = min(count.first_at, first_at), max(count.last_at, last_at)
    return sorted(
        found.values(),
        key=lambda count: (not count.municipality.in_target_group, count.municipality.name),
    )
