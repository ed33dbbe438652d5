"""CSV downloads for staff's own reports: figures, per-group figures, evidence, the survey's
appreciation beside 2011, survey links.

Each reads what it needs in the caller's transaction.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.indicators import MANIFEST
from services.indicators.access import survey_url
from services.indicators.appreciation import GROUPINGS, appreciation
from services.indicators.figures import ALL, DIMENSIONS, TARGET_GROUP, Figure
from services.indicators.models import Evidence
from services.indicators.overviews import overview
from shared.municipalities import Register
from shared.settings import Settings
from shared.spreadsheet import csv_text

FIGURE_COLUMNS = ["indicator", "teller", "noemer", "waarde", "doel", "nieuwste_gebeurtenis"]


def _figure_row(figure: Figure) -> list[str]:
    newest = figure.newest_event_at.isoformat() if figure.newest_event_at else ""
    return [
        figure.indicator,
        str(figure.numerator),
        str(figure.denominator),
        f"{figure.value:.4f}",
        f"{figure.target:.2f}",
        newest,
    ]


def figures_csv(session: Session, register: Register) -> str:
    """The figures of the target group, of every municipality, and of those outside apart."""
    target_group = overview(session, register, TARGET_GROUP, None)
    everyone = overview(session, register, ALL, None)
    parts = (("doelgroep", target_group.figures), ("alle", everyone.figures))
    rows = [[scope, *_figure_row(item)] for scope, found in parts for item in found]
    rows += [["buiten_doelgroep", *_figure_row(item)] for item in target_group.outside]
    return csv_text(["bereik", *FIGURE_COLUMNS], rows)


def groups_csv(session: Session, register: Register) -> str:
    """One row per scope, dimension, group and indicator."""
    overviews = [
        overview(session, register, scope, dimension)
        for scope in (TARGET_GROUP, ALL)
        for dimension in DIMENSIONS
    ]
    rows = [
        [found.scope, found.group_by or "", name, *_figure_row(item)]
        for found in overviews
        for name, figures in found.groups
        for item in figures
    ]
    return csv_text(["bereik", "indeling", "groep", *FIGURE_COLUMNS], rows)


def evidence_csv(session: Session, register: Register) -> str:
    rows = session.scalars(select(Evidence).order_by(Evidence.municipality_code, Evidence.basis))
    return csv_text(
        [
            "gemeentecode",
            "gemeente",
            "indicator",
            "grond",
            "telt",
            "gegeven",
            "door",
            "ingetrokken",
            "door",
        ],
        (
            [
                row.municipality_code,
                found.name if (found := register.get(row.municipality_code)) else "",
                row.indicator,
                row.basis,
                "ja" if row.counts else "nee",
                row.given_at.isoformat() if row.given_at else "",
                row.given_by or "",
                row.withdrawn_at.isoformat() if row.withdrawn_at else "",
                row.withdrawn_by or "",
            ]
            for row in rows
        ),
    )


APPRECIATION_COLUMNS = [
    "indeling",
    "groep",
    "vraag",
    "tabel",
    "onderdeel",
    "antwoord",
    "aantal",
    "van",
    "aandeel",
    "aandeel_2011",
    "bron_2011",
]


def _answers_row(
    where: tuple[str, str, str, int, str, str], count: int, out_of: int, earlier: int | None
) -> list[str]:
    """(grouping, group, question, table, statement, answer), how many of how many, and the
    evaluation's share as printed (whole percents) where it has one."""
    share = f"{count / out_of:.4f}" if out_of else ""
    printed = "" if earlier is None else f"{earlier / 100:.4f}"
    return [*map(str, where), str(count), str(out_of), share, printed]


def appreciation_csv(session: Session, register: Register) -> str:
    """The survey's latest answers by band and by region, one row per group, question,
    statement and answer, beside the evaluation's share where it has one; and first the
    response per group (``vraag`` respons, against table 1)."""
    rows = []
    for grouping in GROUPINGS:
        found = appreciation(session, register, grouping)
        for group in found.respondents:
            earlier = group.earlier.percentage if group.earlier else None
            where = (grouping, group.group, "respons", 1, "", "geantwoord")
            row = _answers_row(where, group.answered, group.municipalities, earlier)
            rows.append([*row, found.response_source if group.earlier else ""])
        for question in found.questions:
            for item in question.items:
                for tally in item.tallies:
                    earlier_shares = item.earlier.get(tally.group, {})
                    source = question.source if earlier_shares else ""
                    for option in question.options:
                        where = (grouping, tally.group, question.field, question.table, item.key)
                        row = _answers_row(
                            (*where, option.key),
                            tally.counts[option.key],
                            tally.answered,
                            earlier_shares.get(option.key),
                        )
                        rows.append([*row, source])
    return csv_text(APPRECIATION_COLUMNS, rows)


def survey_links_csv(register: Register, settings: Settings) -> str:
    base = MANIFEST.public_url(settings)
    return csv_text(
        ["gemeentecode", "gemeente", "provincie", "doelgroep", "link"],
        (
            [
                m.code,
                m.name,
                m.province,
                "ja" if m.in_target_group else "nee",
                survey_url(base, settings.secret_key, m.code),
            ]
            for m in register
        ),
    )
