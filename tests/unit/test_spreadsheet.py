"""CSV cells that a spreadsheet would run as formulas are written as text."""

from __future__ import annotations

import csv
import io

from shared.spreadsheet import cell, csv_text


def test_cells_that_start_like_a_formula_become_text_and_numbers_stay_numbers() -> None:
    assert cell('=HYPERLINK("http://x","klik")') == '\'=HYPERLINK("http://x","klik")'
    assert cell("@SUM(A1)") == "'@SUM(A1)"
    assert cell("+31 10 1234567") == "'+31 10 1234567"
    assert cell("-12.5") == "-12.5"
    assert cell("Anna de Vries") == "Anna de Vries"


def test_every_row_cell_is_guarded_and_the_header_kept() -> None:
    text = csv_text(["naam", "aantal"], [["=1+1", "3"], ["Bea", "-2"]])
    assert list(csv.reader(io.StringIO(text))) == [
        ["naam", "aantal"],
        ["'=1+1", "3"],
        ["Bea", "-2"],
    ]
