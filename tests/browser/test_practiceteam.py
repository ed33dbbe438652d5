"""A praktijkteam request with a document, followed by the municipality on its tracking
page while staff, in a browser of their own, move it along."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from fpdf import FPDF
from playwright.sync_api import Page, expect

from tests.browser.pages import Audit, System, link_in, log_in

pytestmark = [pytest.mark.browser, pytest.mark.services]


def a_pdf(folder: Path) -> Path:
    """A real, small PDF: the service judges documents by their content, not their name."""
    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", size=12)
    document.cell(text="Notitie wijkaanpak Gouda, september 2012")
    path = folder / "notitie-wijkaanpak.pdf"
    document.output(str(path))
    return path


def test_a_request_with_a_document_followed_while_staff_move_it(
    system: System, open_page: Callable[[str], Page], audit: Audit, tmp_path: Path
) -> None:
    email = f"fatima-{uuid.uuid4().hex[:8]}@example.nl"
    question = f"Hoe voeren wij het gesprek in de wijk na spanningen? ({uuid.uuid4().hex[:6]})"
    municipality = open_page("desktop")
    municipality.goto(system.urls["practiceteam"])
    audit(municipality)
    municipality.get_by_role("combobox", name="Gemeente 1").fill("Gouda")
    municipality.get_by_role("option", name="Gouda", exact=True).click()
    municipality.get_by_label("Naam contactpersoon").fill("Fatima el Idrissi")
    municipality.get_by_label("E-mailadres").fill(email)
    municipality.get_by_label("Telefoonnummer").fill("0182-588000")
    municipality.get_by_label("Functie").fill("beleidsadviseur integratie")
    municipality.get_by_label("Uw vraag").fill(question)
    municipality.get_by_role("checkbox", name="discriminatie").check()
    municipality.get_by_label("Documenten (optioneel)").set_input_files(a_pdf(tmp_path))
    municipality.get_by_role("button", name="Aanvraag versturen").click()
    expect(municipality.get_by_text(question)).to_be_visible()
    audit(municipality)

    tracking = link_in(system.mail_to(email, "Aanvraag praktijkteam ontvangen"), "/aanvraag/")
    municipality.goto(tracking)
    expect(municipality.get_by_role("link", name="notitie-wijkaanpak.pdf")).to_be_visible()
    expect(municipality.get_by_text("ingediend", exact=True)).to_be_visible()
    audit(municipality)

    staff = open_page("desktop")
    log_in(staff, system.urls["practiceteam"], system, audit)
    staff.goto(f"{system.urls['practiceteam']}/beheer")
    audit(staff)
    staff.get_by_role("link", name="Gouda").click()
    expect(staff.get_by_text(question)).to_be_visible()
    audit(staff)
    move_form = staff.locator("form").filter(
        has=staff.get_by_role("button", name="Status wijzigen")
    )
    for move, note, status in (
        ("Intake starten", "Intakegesprek gepland op 3 oktober.", "in intake"),
        ("Toekennen", "Het praktijkteam komt naar Gouda.", "toegekend"),
    ):
        move_form.get_by_role("radio", name=move).check()
        move_form.get_by_label("Toelichting").fill(note)
        move_form.get_by_role("button", name="Status wijzigen").click()
        expect(staff.get_by_role("radio", name=move)).to_have_count(0)
        audit(staff)

        municipality.reload()
        expect(municipality.get_by_text(note)).to_be_visible()
        expect(municipality.get_by_text(status, exact=True)).to_be_visible()
        audit(municipality)
    audit.assert_clean()
