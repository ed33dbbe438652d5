"""Numbers and dates as Dutch readers write them: 12,5% and 1.234, 12 maart 2012.

Pages use these (as the Jinja filters ``number``, ``percentage`` and ``long_date``);
the APIs, feeds and CSV files keep plain numbers for the programs that read them.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
# Python writes 1,234.5; Dutch swaps the two marks: 1.234,5.
_DUTCH_MARKS = str.maketrans(",.", ".,")


def number(value: float | Fraction, decimals: int = 0) -> str:
    """Thousands grouped with a dot and decimals after a comma: 1.234,5. Exact fractions
    (the jury's mean scores) are rounded like floats, since ``format`` knows no grouping
    for them."""
    return f"{float(value):,.{decimals}f}".translate(_DUTCH_MARKS)


def percentage(share: float, decimals: int = 1) -> str:
    """A share (0.125) as a percentage with a decimal comma: 12,5%."""
    return f"{number(share * 100, decimals)}%"


def long_date(day: date) -> str:
    """A day written out, as in a letter: 12 maart 2012."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_month(day: date) -> str:
    """A month in three letters, as an axis has room for: mrt."""
    return "mrt" if day.month == 3 else MONTHS[day.month - 1][:3]
