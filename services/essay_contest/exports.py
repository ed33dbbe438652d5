"""CSV for staff's own spreadsheets: the ranking, to weigh the jury's work, and the counts
by municipality."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from flask import Response

from services.essay_contest.domain import Standing
from services.essay_contest.models import Contest, Entry
from shared.municipalities import Register
from shared.spreadsheet import csv_text, download


def _number(value: Fraction | float | None) -> str:
    return "" if value is None else f"{float(value):.4f}"


def ranking_csv(
    contest: Contest, ranked: list[tuple[Standing, Entry]], register: Register
) -> Response:
    """One row per submitted entry in ranking order: the weighted mean, the mean of every
    criterion (in the contest's order), the spread between jurors and the chosen place."""
    criteria = contest.criteria
    header = [
        "rang",
        "essay",
        "titel",
        "gemeenten",
        "gewogen_gemiddelde",
        *(f"gemiddelde_{criterion.key}" for criterion in criteria),
        "juryleden",
        "spreiding",
        "standaardafwijking",
        "te_weinig_beoordelingen",
        "gekozen_plaats",
    ]
    rows = []
    for standing, entry in ranked:
        places = (register.get(code) for code in entry.municipality_codes)
        rows.append(
            [
                str(standing.rank),
                entry.id,
                entry.title or "",
                "; ".join(place.name for place in places if place),
                _number(standing.mean),
                *(_number(standing.criterion_means.get(c.key)) for c in criteria),
                str(standing.jurors),
                _number(standing.spread),
                _number(standing.stdev),
                "ja" if standing.too_few_scores else "nee",
                str(entry.place or ""),
            ]
        )
    return download(csv_text(header, rows), _file_name("ranglijst", contest))


def municipalities_csv(contest: Contest, counts: list[dict[str, Any]]) -> Response:
    """The counts by municipality (see ``api.municipality_counts``), one row each."""
    columns = {
        "gemeente": "municipality",
        "cbs_code": "municipality_code",
        "aangemeld": "signed_up",
        "bevestigd": "confirmed",
        "essays_ingediend": "submitted",
    }
    rows = [[row[key] for key in columns.values()] for row in counts]
    return download(csv_text(list(columns), rows), _file_name("gemeenten", contest))


def _file_name(kind: str, contest: Contest) -> str:
    return f"{kind}-{contest.closes_at:%Y-%m-%d}-{contest.id[:8]}.csv"
