"""CSV for staff's own spreadsheets: the ranking, to weigh the jury's work, and the counts
by municipality."""

from __future__ import annotations

from fractions import Fraction

from flask import Response

from services.essay_contest.models import Contest
from services.essay_contest.results import MunicipalityCounts, Ranked
from shared.municipalities import Register
from shared.spreadsheet import csv_text, download


def _number(value: Fraction | float | None) -> str:
    return "" if value is None else f"{float(value):.4f}"


def ranking_csv(contest: Contest, ranked: list[Ranked], register: Register) -> Response:
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
    for row in ranked:
        standing, entry = row.standing, row.entry
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


def municipalities_csv(contest: Contest, counts: list[MunicipalityCounts]) -> Response:
    """The counts by municipality (see ``results.counts_by_municipality``), one row each."""
    columns = {
        "gemeente": "municipality",
        "cbs_code": "municipality_code",
        "aangemeld": "signed_up",
        "bevestigd": "confirmed",
        "essays_ingediend": "submitted",
    }
    rows = [[getattr(row, name) for name in columns.values()] for row in counts]
    return download(csv_text(list(columns), rows), _file_name("gemeenten", contest))


def _file_name(kind: str, contest: Contest) -> str:
    return f"{kind}-{contest.closes_at:%Y-%m-%d}-{contest.id[:8]}.csv"
