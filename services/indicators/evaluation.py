"""The 2008-2011 figures: the final evaluation's tables, loaded from the project's data file
and checked before anything shows them.

Pure. The file (``data/evaluation_2008_2011.json``, described in ``data/README.md``)
keeps every figure as printed, with its table and page, so each figure shown
beside 2012 can be cited. Loading refuses a file whose sums differ from what
its tables state, unless the file itself declares the difference as printed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from shared.municipalities import BANDS, REGIONS

DATA_FILE = Path(__file__).parent / "data" / "evaluation_2008_2011.json"
# The tables the comparisons and the survey rest on.
TABLES = (1, 3, 4, 5, 6, 7, 8, 9, 10, 11)
TOTAL = "total"
# What one printed table may differ from the sums it states: rounding, never more.
PERCENT_SLACK = 1.0  # a printed share of a count, rounded (or cut) to a whole percent
ROUNDING_PER_SHARE = 0.5  # shares each rounded to a whole percent add up to 100 give or take


class EvaluationError(ValueError):
    """The data file is not what its tables state."""


@dataclass(frozen=True)
class Count:
    """A row of a table of counts: how many of a group's municipalities were counted."""

    key: str
    label: str
    municipalities: int
    counted: int
    percentage: int
    where: str = ""
    note: str = ""

    @property
    def value(self) -> float:
        return self.counted / self.municipalities if self.municipalities else 0.0


@dataclass(frozen=True)
class Option:
    """A possible answer, in the evaluation's words; ``group`` the answer it details (Ja/Nee)."""

    key: str
    label: str
    group: str = ""


@dataclass(frozen=True)
class Share:
    key: str
    label: str
    percentage: int


@dataclass(frozen=True)
class Column:
    """One distribution of a table of shares: a statement, a band or the total."""

    key: str
    label: str
    shares: dict[str, int]


@dataclass(frozen=True)
class Table:
    number: int
    title: str
    section: str
    page: str
    kind: str
    measured: str
    basis: str = ""
    groups: str = ""
    counted: str = ""
    rows: tuple[Count, ...] = ()
    total: Count | None = None
    outside: tuple[Count, ...] = ()
    answers: tuple[Option, ...] = ()
    answer_groups: tuple[Share, ...] = ()
    columns: tuple[Column, ...] = ()
    ways_of: str = ""
    ways_label: str = ""
    ways: tuple[Share, ...] = ()

    def column(self, key: str) -> Column | None:
        return next((column for column in self.columns if column.key == key), None)

    def row(self, key: str) -> Count | None:
        return next((row for row in (*self.rows, *self.outside) if row.key == key), None)


@dataclass(frozen=True)
class AsPrinted:
    """A sum that differs from what its table states, kept as printed and said so."""

    table: int
    where: str
    found: float
    printed: float
    note: str


@dataclass(frozen=True)
class Source:
    title: str
    short: str
    publisher: str
    authors: tuple[str, ...]
    place: str
    published: str
    published_label: str
    reference: str
    commissioned_by: str
    programme: str
    pages: str


@dataclass(frozen=True)
class Evaluation:
    title: str
    version: str
    date: str
    source: Source
    municipalities: int
    note: str
    tables: dict[int, Table]
    as_printed: tuple[AsPrinted, ...]

    def table(self, number: int) -> Table:
        return self.tables[number]

    def cite(self, number: int, where: str = "") -> str:
        """Where a figure is printed: "Eindevaluatie GIA 2008-2011, Twynstra Gudde, 28 maart
        2012, tabel 4, p. 10"; one that also rests on another place names them in ``where``."""
        source = self.source
        place = where or f"tabel {number}, p. {self.tables[number].page}"
        return f"{source.short}, {source.publisher}, {source.published_label}, {place}"


def _count(data: dict[str, Any]) -> Count:
    return Count(
        key=data.get("key", TOTAL),
        label=data["label"],
        municipalities=int(data["municipalities"]),
        counted=int(data["counted"]),
        percentage=int(data["percentage"]),
        where=data.get("where", ""),
        note=data.get("note", ""),
    )


def _share(data: dict[str, Any]) -> Share:
    return Share(data["key"], data["label"], int(data["percentage"]))


def _table(data: dict[str, Any]) -> Table:
    multiple = data.get("multiple") or {}
    return Table(
        number=int(data["number"]),
        title=data["title"],
        section=data["section"],
        page=str(data["page"]),
        kind=data["kind"],
        measured=data["measured"],
        basis=data.get("basis", ""),
        groups=data.get("groups", ""),
        counted=data.get("counted", ""),
        rows=tuple(_count(row) for row in data.get("rows", ())),
        total=_count(data["total"]) if "total" in data else None,
        outside=tuple(_count(row) for row in data.get("outside", ())),
        answers=tuple(
            Option(row["key"], row["label"], row.get("group", ""))
            for row in data.get("answers", ())
        ),
        answer_groups=tuple(_share(row) for row in data.get("answer_groups", ())),
        columns=tuple(
            Column(row["key"], row["label"], {k: int(v) for k, v in row["shares"].items()})
            for row in data.get("columns", ())
        ),
        ways_of=multiple.get("of", ""),
        ways_label=multiple.get("label", ""),
        ways=tuple(_share(row) for row in multiple.get("ways", ())),
    )


def parse(data: dict[str, Any]) -> Evaluation:
    """The file's JSON as an evaluation; a missing or mistyped entry is an EvaluationError."""
    try:
        source = data["source"]
        return Evaluation(
            title=data["title"],
            version=str(data["version"]),
            date=data["date"],
            source=Source(**{**source, "authors": tuple(source["authors"])}),
            municipalities=int(data["municipalities"]),
            note=data["note"],
            tables={table.number: table for table in map(_table, data["tables"])},
            as_printed=tuple(
                AsPrinted(d["table"], d["where"], d["found"], d["printed"], d["note"])
                for d in data["as_printed"]
            ),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise EvaluationError(f"the evaluation's data file is incomplete: {error!r}") from error


def _deviations(table: Table) -> dict[str, tuple[float, float]]:
    """Where a table's figures do not add up to what it states: place -> (found, printed)."""
    found: dict[str, tuple[float, float]] = {}

    def differs(where: str, sum_: float, printed: float, slack: float = 0.0) -> None:
        if abs(sum_ - printed) > slack:
            found[where] = (sum_, printed)

    if table.total is not None:
        every = (*table.rows, *table.outside)
        differs("municipalities", sum(r.municipalities for r in every), table.total.municipalities)
        differs("counted", sum(r.counted for r in every), table.total.counted)
        for row in (*table.rows, table.total):
            differs(f"{row.key}.percentage", 100 * row.value, row.percentage, PERCENT_SLACK)
    for column in table.columns:
        slack = ROUNDING_PER_SHARE * len(column.shares)
        differs(column.key, sum(column.shares.values()), 100, slack)
    if table.answer_groups:
        slack = ROUNDING_PER_SHARE * len(table.answer_groups)
        differs("groups", sum(group.percentage for group in table.answer_groups), 100, slack)
        for group in table.answer_groups:
            details = [o.key for o in table.answers if o.group == group.key]
            for column in table.columns:
                detailed = sum(column.shares[key] for key in details)
                slack = ROUNDING_PER_SHARE * (len(details) + 1)
                differs(f"{column.key}.{group.key}", detailed, group.percentage, slack)
    return found


def _shape(table: Table) -> list[str]:
    """What a table must hold for the comparisons: one share per answer, and every band or
    region (and the total, for shares) where it is given per band or region."""
    problems = []
    answers = {option.key for option in table.answers}
    for column in table.columns:
        if set(column.shares) != answers:
            problems.append(f"table {table.number} {column.key}: not one share per answer")
    known = {"band": {band.slug for band in BANDS}, "region": set(REGIONS)}.get(table.groups)
    if known is not None:
        keys = {row.key for row in (*table.rows, *table.outside)} or {
            column.key for column in table.columns
        }
        wanted = known if table.rows else known | {TOTAL}
        if keys != wanted:
            problems.append(f"table {table.number}: not one row per {table.groups}")
    return problems


def check(evaluation: Evaluation) -> list[str]:
    """Every problem with the evaluation's figures; none for a file that adds up as printed.

    A sum that differs from what its table states is a problem unless the file
    declares it under ``as_printed`` with the same figure; a declaration that
    no longer matches the table is one too.
    """
    problems = [f"table {n} is missing" for n in TABLES if n not in evaluation.tables]
    declared = {(d.table, d.where): d.found for d in evaluation.as_printed}
    for number, table in sorted(evaluation.tables.items()):
        problems += _shape(table)
        for where, (found, printed) in _deviations(table).items():
            if declared.pop((number, where), None) != found:
                problems.append(
                    f"table {number} {where}: comes to {found:g}, the table states {printed:g}"
                )
    problems += [f"table {t} {where}: declared as printed, but it adds up" for t, where in declared]
    return problems


def load(path: Path) -> Evaluation:
    """The evaluation in ``path``, checked; EvaluationError names every problem."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise EvaluationError(f"cannot read {path}: {error}") from error
    evaluation = parse(data)
    if problems := check(evaluation):
        raise EvaluationError(f"{path.name}: " + "; ".join(problems))
    return evaluation


@lru_cache(maxsize=1)
def evaluation() -> Evaluation:
    """The project's 2008-2011 figures, read and checked once."""
    return load(DATA_FILE)
