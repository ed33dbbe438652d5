"""Staff read the figures on the dashboard and print the progress report to PDF, as they
would to send it on: the PDF has pages and carries the figures' table."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.pages import Audit, System, log_in

pytestmark = [pytest.mark.browser, pytest.mark.services]


def squeezed(text: str) -> str:
    """Text without white space: a PDF's text comes back with its own line breaks."""
    return re.sub(r"\s+", "", text)


def test_the_dashboard_and_the_report_printed_to_pdf(
    system: System, open_page: Callable[[str], Page], audit: Audit
) -> None:
    staff = open_page("desktop")
    log_in(staff, system.urls["indicators"], system, audit)
    expect(staff.get_by_role("heading", name="De doelen voor 2012")).to_be_visible()
    target_group = staff.get_by_role("table", name=re.compile("^Doelgroep"))
    expect(target_group.get_by_role("rowheader")).to_have_text(
        ["Bekendheid", "Gebruik", "Deelname"]
    )
    expect(target_group).to_contain_text("85%")

    staff.get_by_role("link", name="Voortgangsrapportage").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Voortgang")
    audit(staff)
    figures = staff.get_by_role("table", name="Doelgroep", exact=True)
    rows = figures.get_by_role("row").all_inner_texts()
    assert len(rows) == 4, rows  # the header and the three figures

    printed = PdfReader(io.BytesIO(staff.pdf(format="A4")))
    assert len(printed.pages) >= 1
    text = squeezed("".join(page.extract_text() for page in printed.pages))
    missing = [row for row in rows if squeezed(row) not in text]
    assert not missing, f"rows of the report's table not in the PDF: {missing}"
    audit.assert_clean()
