"""An indicator figure: the share of the target group with evidence, beside its target."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    indicator: str
    numerator: int
    denominator: int
    target: float

    @property
    def value(self) -> float:
        return self.numerator / self.denominator if self.denominator else 0.0

    @property
    def gap(self) -> float:
        """How far the figure is from its target (0 once it is reached)."""
        return max(0.0, self.target - self.value)


def figure(indicator: str, covered: set[str], target_group: set[str], target: float) -> Figure:
    """Each municipality counts once, and only when it belongs to the target group."""
    return Figure(indicator, len(covered & target_group), len(target_group), target)
