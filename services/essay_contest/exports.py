"""The ranking as CSV, for staff to weigh the jury's work in their own spreadsheet."""

from __future__ import annotations

from fractions import Fraction

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
    name = f"ranglijst-{contest.closes_at:%Y-%m-%d}-{contest.id[:8]}.csv"
    return download(csv_text(header, rows), name)
