"""CSV that people open in their own spreadsheet.

A cell typed by someone else (a name, a title) that starts like a formula
("=HYPERLINK(...)") would run as one; such a cell is written with a leading
apostrophe so the spreadsheet shows it as text. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from flask import Response

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def cell(value: object) -> object:
    """Text that would start a formula, as text; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.fullmatch(value):
        return f"'{value}"
    return value


def csv_text(header: list[str], rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def download(body: str, name: str) -> Response:
    """A CSV file the browser saves under ``name``."""
    return Response(
        body, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
