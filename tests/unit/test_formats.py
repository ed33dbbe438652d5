"""Numbers and dates as Dutch pages write them, and the trend chart's axes."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from services.indicators.chart import WIDTH, draw
from services.indicators.history import sampled, trend_days
from shared.web.chart_axes import date_axis, time_ticks
from shared.web.formats import long_date, number, percentage


def test_numbers_group_thousands_with_a_dot_and_write_decimals_after_a_comma() -> None:
    assert number(1234) == "1.234"
    assert number(1234567.891, 2) == "1.234.567,89"
    assert number(0.5, 1) == "0,5"
    assert number(-1234) == "-1.234"
    assert number(Fraction(22, 3), 2) == "7,33"  # a jury's mean score


def test_a_share_is_a_percentage_with_a_decimal_comma() -> None:
    assert percentage(0.125) == "12,5%"
    assert percentage(0.175) == "17,5%"
    assert percentage(0.85, 0) == "85%"
    assert percentage(1) == "100,0%"


def test_a_day_is_written_out() -> None:
    assert long_date(date(2012, 3, 12)) == "12 maart 2012"
    assert long_date(date(2012, 6, 7)) == "7 juni 2012"


def days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(count)]


def ticks(first: date, count: int) -> list[tuple[date, str]]:
    """The dates marked along a span of ``count`` days, eight at most."""
    return time_ticks(first, first + timedelta(days=count - 1), 8)


def test_a_short_span_is_marked_every_week_a_long_one_by_month() -> None:
    weeks = ticks(date(2012, 6, 7), 30)
    assert [label for _, label in weeks] == ["7 jun", "14 jun", "21 jun", "28 jun", "5 jul"]
    months = ticks(date(2012, 6, 7), 240)
    assert [label for _, label in months] == [
        "jul 2012",
        "aug",
        "sep",
        "okt",
        "nov",
        "dec",
        "jan 2013",
        "feb",
    ]
    # Ten months do not fit: every other month, January among them.
    months = ticks(date(2012, 6, 7), 300)
    assert [label for _, label in months] == ["jul 2012", "sep", "nov", "jan 2013", "mrt"]
    # Fourteen years: no more labels than fit, each the first of a month, years named.
    years = ticks(date(2012, 6, 7), 14 * 365)
    assert 2 <= len(years) <= 8
    assert all(day.day == 1 and day.month == 1 and str(day.year) in label for day, label in years)


def test_the_chart_has_a_gridline_every_quarter_and_dates_along_its_time_axis() -> None:
    series = {"awareness": [(day, 0.5) for day in days(date(2012, 6, 7), 61)]}
    chart = draw(series)
    assert chart.grid == [
        (240.0, "0%"),
        (180.0, "25%"),
        (120.0, "50%"),
        (60.0, "75%"),
        (0.0, "100%"),
    ]
    assert chart.ticks[0] == (0.0, "7 jun") and chart.ticks[1] == (round(7 * 640 / 60, 1), "14 jun")
    assert chart.lines["awareness"].startswith("0.0,120.0 ") and chart.lines["awareness"].endswith(
        "640.0,120.0"
    )
    assert chart.per_point == "dag" and chart.per_row == "week"
    assert chart.rows == [4, 11, 18, 25, 32, 39, 46, 53, 60]


def test_a_long_trend_is_drawn_in_weeks_each_point_where_its_date_falls() -> None:
    moved = date(2013, 3, 1)
    shown = trend_days(moved, moved, date(2026, 12, 15))
    chart = draw(sampled([("use", moved, 1)], 2, shown))
    span = (shown[-1] - shown[0]).days
    xs = [float(point.split(",")[0]) for point in chart.lines["use"].split()]
    assert xs == [round((day - shown[0]).days * WIDTH / span, 1) for day in shown]
    assert xs[0] == 0.0 and xs[-1] == WIDTH and xs[1] < xs[2] - xs[1]
    assert chart.per_point == chart.per_row == "week"
    assert chart.rows == list(range(1, len(shown)))
    assert [label for _, label in chart.ticks][:2] == ["jul 2012", "sep"]


def test_a_narrower_axis_marks_fewer_months_each_where_its_day_falls() -> None:
    first, last = date(2012, 6, 7), date(2013, 12, 31)
    wide = date_axis(first, last, 640, 1.0)
    assert [label for _, label in wide] == ["jul 2012", "okt", "jan 2013", "apr", "jul", "okt"]
    narrow = date_axis(first, last, 400, 0.5)
    assert narrow == [(12.0, "jul 2012"), (104.0, "jan 2013"), (194.5, "jul")]
