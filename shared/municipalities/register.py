"""The register of Dutch municipalities that every service shares.

The GIA 2012 figures are shares of a *target group* (municipalities with 12.5% or
more non-western migrants), broken down by region and by band of that share. All
services must agree on who is in which group, so they all read the same CSV file
through this module instead of keeping their own copies. They also find a municipality
by the name people type through the one ``Register.resolve``.
"""

from __future__ import annotations

import csv
import difflib
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

#: The regions of the GIA meetings, in the order reports list them (evaluation
#: 2008-2011, Table 4, plus Zeeland, which took part in no region).
REGIONS: tuple[str, ...] = (
    "Noorden",
    "Oosten",
    "Flevoland-Utrecht",
    "Noord-Brabant",
    "Noord-Holland",
    "Zuid-Holland",
    "Limburg",
    "Zeeland",
)

#: The region each of the twelve provinces belongs to.
PROVINCE_REGION: dict[str, str] = {
    "Groningen": "Noorden",
    "Fryslân": "Noorden",
    "Drenthe": "Noorden",
    "Overijssel": "Oosten",
    "Gelderland": "Oosten",
    "Flevoland": "Flevoland-Utrecht",
    "Utrecht": "Flevoland-Utrecht",
    "Noord-Holland": "Noord-Holland",
    "Zuid-Holland": "Zuid-Holland",
    "Zeeland": "Zeeland",
    "Noord-Brabant": "Noord-Brabant",
    "Limburg": "Limburg",
}

PROVINCES: tuple[str, ...] = tuple(PROVINCE_REGION)

# Older CBS tables and people still write the Dutch name of Fryslân.
_PROVINCE_ALIASES = {"Friesland": "Fryslân"}

#: How people tell apart municipalities of one name by their province, as CBS does in
#: "Bergen (NH.)" and "Bergen (L.)": the province's name or a usual abbreviation.
PROVINCE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "Groningen": ("Gr", "Gn"),
    "Fryslân": ("Friesland", "Fr", "F"),
    "Drenthe": ("Dr", "D"),
    "Overijssel": ("Ov", "O"),
    "Flevoland": ("Fl", "Fld"),
    "Gelderland": ("Gld", "Gl", "G"),
    "Utrecht": ("Ut", "U"),
    "Noord-Holland": ("NH",),
    "Zuid-Holland": ("ZH",),
    "Zeeland": ("Zl", "Zld", "Z"),
    "Noord-Brabant": ("NB", "NBr"),
    "Limburg": ("Lb", "Li", "L"),
}

#: Names people use for a municipality other than the one CBS writes, by CBS code: the
#: usual names of the two cities called after the count's hedge and the duke's wood, the
#: short name of Nuenen and the Dutch names of Frisian municipalities (CBS writes Frisian).
COMMON_NAMES: dict[str, tuple[str, ...]] = {
    "GM0518": ("Den Haag", "The Hague"),
    "GM0796": ("Den Bosch",),
    "GM0820": ("Nuenen",),
    "GM0051": ("Skarsterland",),
    "GM0653": ("Gaasterland-Sloten",),
    "GM0737": ("Tietjerksteradeel",),
    "GM1722": ("Ferwerderadeel",),
    "GM1891": ("Dantumadeel",),
    "GM1900": ("Súdwest Friesland", "Zuidwest-Friesland"),
    "GM1908": ("Menaldumadeel",),
}

TARGET_GROUP_THRESHOLD = 12.5


@dataclass(frozen=True)
class Band:
    """A band of the non-western share: ``low <= pct < high`` (no upper bound if None)."""

    slug: str
    low: float
    high: float | None

    def contains(self, pct: float) -> bool:
        return self.low <= pct and (self.high is None or pct < self.high)


#: The bands of the evaluation (Table 1) and of the GIA guide.
BANDS: tuple[Band, ...] = (
    Band("0-5", 0.0, 5.0),
    Band("5-7.5", 5.0, 7.5),
    Band("7.5-10", 7.5, 10.0),
    Band("10-12.5", 10.0, 12.5),
    Band("12.5+", 12.5, None),
)


def band_for(pct: float) -> str:
    """The slug of the band a share (in percent, 0..100) falls in."""
    if not 0.0 <= pct <= 100.0:
        raise ValueError(f"share {pct!r} is not a percentage between 0 and 100")
    return next(band.slug for band in BANDS if band.contains(pct))


def canonical_province(name: str) -> str | None:
    """The register's spelling of a province, or None if it is not one."""
    name = _PROVINCE_ALIASES.get(name, name)
    return name if name in PROVINCE_REGION else None


def region_for(province: str) -> str:
    """The GIA region of a province (the alias "Friesland" is accepted)."""
    canonical = canonical_province(province)
    if canonical is None:
        raise KeyError(f"unknown province {province!r}")
    return PROVINCE_REGION[canonical]


@dataclass(frozen=True)
class Municipality:
    """One municipality; frozen so the cached register shared by a service cannot drift."""

    code: str
    name: str
    province: str
    non_western_pct: float
    region: str
    population: int | None = None

    @property
    def in_target_group(self) -> bool:
        return self.non_western_pct >= TARGET_GROUP_THRESHOLD

    @property
    def band(self) -> str:
        return band_for(self.non_western_pct)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a register file; ``row`` counts as a spreadsheet does (header = 1)."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [f"row {self.row}"] if self.row is not None else []
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class RegisterError(ValueError):
    """A register file that cannot be loaded; ``problems`` says everything wrong with it."""

    def __init__(self, path: str | Path, problems: list[Problem]) -> None:
        self.path = Path(path)
        self.problems = problems
        listed = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{self.path}: {len(problems)} problem(s) in the register:\n{listed}")


REQUIRED_COLUMNS: tuple[str, ...] = ("code", "name", "province", "non_western_pct")
OPTIONAL_COLUMNS: tuple[str, ...] = ("population", "region")
_CODE = re.compile(r"GM[0-9]{4}")


def _parse(path: str | Path) -> tuple[list[Municipality], list[Problem]]:
    """Read a register file, collecting every problem instead of stopping at the first."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            records = list(csv.reader(handle))
    except UnicodeDecodeError as error:
        return [], [Problem(None, None, f"the file is not UTF-8 text ({error.reason})")]
    except csv.Error as error:
        return [], [Problem(None, None, f"the file is not valid CSV ({error})")]
    if not records:
        expected = ",".join(REQUIRED_COLUMNS)
        return [], [Problem(None, None, f"the file is empty; expected the header {expected}")]

    header = [column.strip() for column in records[0]]
    problems: list[Problem] = []
    for column in REQUIRED_COLUMNS:
        if column not in header:
            problems.append(Problem(1, column, "missing column"))
    for column in dict.fromkeys(header):
        if column not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
            problems.append(Problem(1, column, "unknown column"))
        elif header.count(column) > 1:
            problems.append(Problem(1, column, "column appears more than once"))
    if problems:
        # Without a sound header the rows cannot be read reliably.
        return [], problems

    municipalities: list[Municipality] = []
    first_row_of: dict[str, int] = {}
    for row_number, values in enumerate(records[1:], start=2):
        if not values:
            continue  # a blank line
        if len(values) > len(header):
            problems.append(
                Problem(row_number, None, f"{len(values)} values but only {len(header)} columns")
            )
            continue
        row = {column: value.strip() for column, value in zip(header, values, strict=False)}
        municipality, row_problems = _parse_row(row_number, row, first_row_of)
        problems.extend(row_problems)
        if municipality is not None:
            municipalities.append(municipality)
    return municipalities, problems


def _parse_row(
    row_number: int, row: dict[str, str], first_row_of: dict[str, int]
) -> tuple[Municipality | None, list[Problem]]:
    problems: list[Problem] = []

    def problem(column: str, message: str) -> None:
        problems.append(Problem(row_number, column, message))

    code = row.get("code", "")
    if not _CODE.fullmatch(code):
        problem("code", f"{code!r} is not a CBS code (GM followed by four digits)")
    elif code in first_row_of:
        problem("code", f"duplicate code {code} (first on row {first_row_of[code]})")
    else:
        first_row_of[code] = row_number

    name = row.get("name", "")
    if not name:
        problem("name", "the name is empty")

    province = canonical_province(row.get("province", ""))
    if province is None:
        problem(
            "province",
            f"unknown province {row.get('province', '')!r}; expected one of {', '.join(PROVINCES)}",
        )

    pct: float | None = None
    raw_pct = row.get("non_western_pct", "")
    try:
        pct = float(raw_pct)
    except ValueError:
        problem("non_western_pct", f"{raw_pct!r} is not a number (use a dot for decimals)")
    else:
        if not (math.isfinite(pct) and 0.0 <= pct <= 100.0):
            problem("non_western_pct", f"{raw_pct} is not a percentage between 0 and 100")
            pct = None

    population: int | None = None
    raw_population = row.get("population", "")
    if raw_population:
        if raw_population.isascii() and raw_population.isdigit():
            population = int(raw_population)
        else:
            problem("population", f"{raw_population!r} is not a non-negative whole number")

    region = row.get("region", "")
    if region and region not in REGIONS:
        problem("region", f"unknown region {region!r}; expected one of {', '.join(REGIONS)}")

    if province is None or pct is None or problems:
        return None, problems
    return (
        Municipality(
            code=code,
            name=name,
            province=province,
            non_western_pct=pct,
            region=region or PROVINCE_REGION[province],
            population=population,
        ),
        [],
    )


def check_file(path: str | Path) -> list[Problem]:
    """Everything wrong with a register file (an empty list if it can be loaded)."""
    return _parse(path)[1]


_WORD = re.compile(r"[^\W_]+")
_TYPED_CODE = re.compile(r"gm ?([0-9]{4})")
# Longer than any municipality's name with its province: not worth comparing.
_LONGEST_NAME = 100
# How many names an unknown or ambiguous one suggests.
CANDIDATES = 5


def _fold(text: str) -> str:
    """Lower case without diacritics, so "fryslan" finds "Súdwest-Fryslân"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _key(text: str) -> str:
    """A name as people may type it: folded, every run of punctuation or spaces one space,
    so "'s-Gravenhage", "S Gravenhage" and "s-gravenhage" are one."""
    return " ".join(_WORD.findall(_fold(text)))


def _base_name(name: str) -> str:
    """The name without CBS's province in brackets ("Bergen (NH.)" → "Bergen")."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", name)


def _spoken(name: str) -> list[str]:
    """The name and, for "'s-Gravenhage" and "'s-Hertogenbosch", the name without "'s-"."""
    short = re.sub(r"^'s[- ]", "", name)
    return [name, short] if short != name else [name]


def _province_labels(province: str) -> tuple[str, ...]:
    return (province, *PROVINCE_ABBREVIATIONS.get(province, ()))


class UnknownMunicipality(LookupError):
    """Text that names no municipality of the register, or more than one.

    ``candidates`` are the closest names (at most ``CANDIDATES``), for a person to choose from.
    """

    def __init__(self, text: str, candidates: Iterable[Municipality], ambiguous: bool) -> None:
        self.text = text
        self.candidates = tuple(candidates)
        self.ambiguous = ambiguous
        super().__init__(self._message())

    def _message(self) -> str:
        key = _key(self.text)
        if not key:
            return "Give a municipality: its name or its CBS code (like GM0363)."
        if _TYPED_CODE.fullmatch(key):
            return f"Unknown municipality code {self.text.strip()!r}."
        named = (
            f"{self.text.strip()!r} is the name of more than one municipality."
            if self.ambiguous
            else f"Unknown municipality {self.text.strip()!r}."
        )
        if not self.candidates:
            return f"{named} Give its name or its CBS code (like GM0363)."
        return f"{named} Did you mean: {', '.join(m.name for m in self.candidates)}?"


class Register:
    """The municipalities, looked up by CBS code and iterated in code order."""

    def __init__(self, municipalities: Iterable[Municipality]) -> None:
        by_code: dict[str, Municipality] = {}
        for municipality in municipalities:
            if municipality.code in by_code:
                raise ValueError(f"duplicate code {municipality.code}")
            by_code[municipality.code] = municipality
        self._by_code = dict(sorted(by_code.items()))
        self._by_name = self._names()
        shared = Counter(_key(_base_name(municipality.name)) for municipality in self)
        self._labels = {
            municipality.code: f"{_base_name(municipality.name)} ({municipality.province})"
            if shared[_key(_base_name(municipality.name))] > 1
            else municipality.name
            for municipality in self
        }

    def _names(self) -> dict[str, list[Municipality]]:
        """Every way of writing each municipality's name, folded as ``_key`` folds: the name,
        its common names, and its base name followed by its province or the province's
        abbreviation ("Bergen Noord-Holland", "Bergen NH"); a base name shared by two is
        ambiguous on its own."""
        names: dict[str, list[Municipality]] = {}
        for municipality in self:
            base = _base_name(municipality.name)
            written = [
                municipality.name,
                base,
                *COMMON_NAMES.get(municipality.code, ()),
                *(f"{base} {label}" for label in _province_labels(municipality.province)),
            ]
            for name in written:
                for spoken in _spoken(name):
                    found = names.setdefault(_key(spoken), [])
                    if municipality not in found:
                        found.append(municipality)
        return names

    @classmethod
    def load(cls, path: str | Path) -> Register:
        municipalities, problems = _parse(path)
        if problems:
            raise RegisterError(path, problems)
        return cls(municipalities)

    def label(self, municipality: Municipality) -> str:
        """The name people see for it, which ``resolve`` reads back: the CBS name, but with the
        province written out where municipalities share a name ("Bergen (Noord-Holland)"),
        since CBS's "Bergen (NH.)" means little to most."""
        return self._labels.get(municipality.code, municipality.name)

    def get(self, code: str) -> Municipality | None:
        return self._by_code.get(code.strip().upper())

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self.get(code) is not None

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Municipality]:
        return iter(self._by_code.values())

    @property
    def target_group(self) -> list[Municipality]:
        return [municipality for municipality in self if municipality.in_target_group]

    def search(self, text: str, limit: int = 20) -> list[Municipality]:
        """Municipalities for a picker: code matches, then name prefixes, then substrings."""
        query = _fold(text.strip())
        if not query or limit <= 0:
            return []
        ranked: list[tuple[int, str, Municipality]] = []
        for municipality in self:
            name = _fold(municipality.name)
            if municipality.code.casefold().startswith(query):
                rank = 0
            elif name.startswith(query):
                rank = 1
            elif query in name:
                rank = 2
            else:
                continue
            ranked.append((rank, municipality.code if rank == 0 else name, municipality))
        ranked.sort(key=lambda item: (item[0], item[1]))
        return [municipality for _, _, municipality in ranked[:limit]]

    def resolve(self, text: str) -> Municipality:
        """The one municipality ``text`` names: its CBS code, its name or a common name,
        whatever the case, accents, punctuation and spaces; raises ``UnknownMunicipality``
        with the closest names when there is none, or with the namesakes when there are
        several ("Bergen": the one in Noord-Holland or the one in Limburg)."""
        key = _key(text)
        if typed_code := _TYPED_CODE.fullmatch(key):
            found = self.get(f"GM{typed_code[1]}")
            if found is None:
                raise UnknownMunicipality(text, (), ambiguous=False)
            return found
        named = self._by_name.get(key, []) if len(key) <= _LONGEST_NAME else []
        if len(named) == 1:
            return named[0]
        raise UnknownMunicipality(text, self._closest(text, named), ambiguous=bool(named))

    def _closest(self, text: str, namesakes: list[Municipality]) -> list[Municipality]:
        """The namesakes, then names that hold the text, then names that look like it."""
        key = _key(text)
        if not key or len(key) > _LONGEST_NAME:
            return []
        alike = difflib.get_close_matches(key, self._by_name, n=2 * CANDIDATES, cutoff=0.6)
        found = [
            *namesakes,
            *self.search(text, limit=CANDIDATES),
            *(municipality for name in alike for municipality in self._by_name[name]),
        ]
        return list(dict.fromkeys(found))[:CANDIDATES]

    def by_region(self) -> dict[str, list[Municipality]]:
        """Every region (also one without municipalities) with its municipalities."""
        grouped: dict[str, list[Municipality]] = {region: [] for region in REGIONS}
        for municipality in self:
            grouped[municipality.region].append(municipality)
        return grouped


def default_register_path() -> Path:
    """The register shipped with the code: the municipalities of 1 January 2012."""
    return Path(__file__).with_name("municipalities_2012.csv")


@lru_cache(maxsize=1)
def _default_register() -> Register:
    return Register.load(default_register_path())


def load_register(path: str | Path | None = None) -> Register:
    """The register in ``path``, or the shipped one (parsed once per process) if None."""
    if path is None:
        return _default_register()
    return Register.load(path)
