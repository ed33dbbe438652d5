"""Registering for a meeting and cancelling, as people do it: with a mouse on a desktop,
with a thumb on a phone, and with the keyboard alone."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import Audit, System, link_in, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.services]

MEETING = "Voorbeeld: GIA-regiobijeenkomst Zuid-Holland"


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_register_with_a_municipality_name_and_cancel_from_the_mail(
    device: str, system: System, open_page: Callable[[str], Page], audit: Audit
) -> None:
    page = open_page(device)
    email = f"anna-{uuid.uuid4().hex[:8]}@example.nl"
    page.goto(system.urls["registration"])
    audit(page)
    page.get_by_label("Regio").select_option(label="Zuid-Holland")
    page.get_by_role("button", name="Toon bijeenkomsten").click()
    audit(page)
    page.get_by_role("link", name=MEETING).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(MEETING)
    audit(page)

    page.get_by_label("Naam", exact=True).fill("Anna de Vries")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Rol", exact=True).select_option(label="ambtenaar")
    page.get_by_role("combobox", name="Gemeente").fill("Gouda")
    page.get_by_role("option", name="Gouda", exact=True).click()
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", name="Uw aanmelding")).to_be_visible()
    expect(page.get_by_text("U bent aangemeld.")).to_be_visible()
    audit(page)

    page.goto(link_in(system.mail_to(email, "Aanmelding bevestigd"), "/afmelden"))
    audit(page)
    page.get_by_role("button", name=re.compile("afmelden", re.IGNORECASE)).click()
    expect(page.get_by_text("U bent afgemeld voor deze bijeenkomst.")).to_be_visible()
    audit(page)
    audit.assert_clean()


def test_register_with_the_keyboard_alone(
    system: System, open_page: Callable[[str], Page], audit: Audit
) -> None:
    """Tab, typing, the arrow keys, Enter and Space: no mouse from the list to the
    confirmation, the municipality chosen from the picker's suggestions."""
    page = open_page("desktop")
    keys = page.keyboard
    page.goto(system.urls["registration"])
    audit(page)
    tab_to(page, page.get_by_role("link", name=MEETING).first)
    keys.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(MEETING)
    audit(page)

    tab_to(page, page.get_by_label("Naam", exact=True))
    keys.type("Bram Jansen")
    tab_to(page, page.get_by_label("E-mailadres"))
    keys.type(f"bram-{uuid.uuid4().hex[:8]}@example.nl")
    tab_to(page, page.get_by_label("Rol", exact=True))
    keys.press("ArrowDown")
    expect(page.get_by_label("Rol", exact=True)).to_have_value(re.compile(".+"))
    municipality = page.get_by_role("combobox", name="Gemeente")
    tab_to(page, municipality)
    keys.type("Goud")
    keys.press("ArrowDown")
    keys.press("Enter")
    expect(municipality).to_have_value(re.compile("Gouda"))
    tab_to(page, page.get_by_role("button", name="Aanmelden"))
    keys.press("Space")
    expect(page.get_by_role("heading", name="Uw aanmelding")).to_be_visible()
    expect(page.get_by_text("U bent aangemeld.")).to_be_visible()
    audit(page)
    audit.assert_clean()
