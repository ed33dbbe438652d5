"""The trend chart in SVG units: a line per indicator, gridlines at every quarter and dates
along the time axis, so a printed chart can be read without its table."""

from __future__ import annotations

from dataclasses import dataclass

from services.indicators.history import Series
from shared.web.chart_axes import date_axis
from shared.web.formats import percentage

WIDTH, HEIGHT = 640, 240
GRID = (0.0, 0.25, 0.5, 0.75, 1.0)


@dataclass(frozen=True)
class Chart:
    """Per indicator its polyline's points, the gridlines (y, label) and the dates (x, label);
    how long a point stands for ("dag", "week", "4 weken") and the table's rows (indexes of
    points a whole number of weeks before the last) with how long each row stands for."""

    lines: dict[str, str]
    grid: list[tuple[float, str]]
    ticks: list[tuple[float, str]]
    per_point: str
    rows: list[int]
    per_row: str
    width: int = WIDTH
    height: int = HEIGHT

    @staticmethod
    def up(share: float) -> float:
        """Where a share (0 to 1) stands: SVG counts down from the top."""
        return round(HEIGHT - share * HEIGHT, 1)


def draw(series: Series) -> Chart:
    """Days along as far apart as they are in time (the first step may be shorter than the
    rest), the share of the target group up."""
    days = [day for day, _ in next(iter(series.values()))]
    first, last = days[0], days[-1]
    scale = WIDTH / max(1, (last - first).days)
    step = (last - days[-2]).days if len(days) > 1 else 1
    return Chart(
        lines={
            indicator: " ".join(
                f"{(day - first).days * scale:.1f},{Chart.up(value)}" for day, value in points
            )
            for indicator, points in series.items()
        },
        grid=[(Chart.up(share), percentage(share, 0)) for share in GRID],
        ticks=date_axis(first, last, WIDTH, scale),
        per_point=period(step),
        rows=[index for index, day in enumerate(days) if (last - day).days % 7 == 0],
        per_row=period(max(7, step)),
    )


def period(days: int) -> str:
    """How long a point or row of the trend stands for, in words: "dag", "week", "4 weken"."""
    return {1: "dag", 7: "week"}.get(days, f"{days // 7} weken")
