"""Indicator figures: shares of a group of municipalities with evidence, beside their targets.

Pure: the counts come from the tallies the consumer keeps, the groups and
their sizes from the register.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from services.indicators.rules import INDICATORS
from shared.municipalities import BANDS, PROVINCES, REGIONS, Municipality, Register

TARGET_GROUP, OUTSIDE, ALL = "target_group", "outside", "all"
TOTAL = "total"
DIMENSIONS: dict[str, tuple[str, ...]] = {
    "region": REGIONS,
    "province": PROVINCES,
    "band": tuple(band.slug for band in BANDS),
}
# (scope, dimension, grouping): where a count is kept.
Place = tuple[str, str, str]
# (covered, newest event counted) per (indicator, *Place).
Counts = Mapping[tuple[str, str, str, str], tuple[int, datetime | None]]


@dataclass(frozen=True)
class Figure:
    indicator: str
    numerator: int
    denominator: int
    target: float
    newest_event_at: datetime | None = None

    @property
    def value(self) -> float:
        return self.numerator / self.denominator if self.denominator else 0.0

    @property
    def gap(self) -> float:
        """How far the figure is from its target (0 once it is reached)."""
        return max(0.0, self.target - self.value)

    @property
    def reached(self) -> bool:
        return self.denominator > 0 and self.value >= self.target


def scope_of(municipality: Municipality) -> str:
    return TARGET_GROUP if municipality.in_target_group else OUTSIDE


def places(municipality: Municipality) -> list[Place]:
    """Every count a municipality belongs to: its scope's total and each of its groups."""
    scope = scope_of(municipality)
    groups = {"region": municipality.region, "province": municipality.province}
    groups["band"] = municipality.band
    return [(scope, TOTAL, ""), *((scope, dimension, name) for dimension, name in groups.items())]


@lru_cache(maxsize=4)
def population(register: Register) -> Counter[Place]:
    """How many municipalities each count is out of (the denominators)."""
    return Counter(place for municipality in register for place in places(municipality))


def reached(target: float, before: int, after: int, denominator: int) -> bool:
    """A move that takes a figure from below its target to at or above it."""
    return denominator > 0 and before / denominator < target <= after / denominator


def _scopes(scope: str) -> tuple[str, ...]:
    return (TARGET_GROUP, OUTSIDE) if scope == ALL else (scope,)


def figure(
    indicator: str,
    counts: Counts,
    sizes: Counter[Place],
    scope: str,
    dimension: str = TOTAL,
    grouping: str = "",
) -> Figure:
    """One indicator over a scope (``all`` adds both) and, optionally, one group of it."""
    numerator, denominator, newest = 0, 0, None
    for part in _scopes(scope):
        covered, at = counts.get((indicator, part, dimension, grouping), (0, None))
        numerator += covered
        denominator += sizes[(part, dimension, grouping)]
        if at is not None and (newest is None or at > newest):
            newest = at
    return Figure(indicator, numerator, denominator, INDICATORS.get(indicator, 0.0), newest)


def figures(
    counts: Counts,
    sizes: Counter[Place],
    scope: str,
    dimension: str = TOTAL,
    grouping: str = "",
    indicators: Iterable[str] = INDICATORS,
) -> list[Figure]:
    return [
        figure(indicator, counts, sizes, scope, dimension, grouping) for indicator in indicators
    ]


def groups(sizes: Counter[Place], scope: str, dimension: str) -> list[str]:
    """The groups of a dimension that have municipalities in the scope, in report order."""
    return [
        name
        for name in DIMENSIONS[dimension]
        if any(sizes[(part, dimension, name)] for part in _scopes(scope))
    ]
