"""The door on a phone: staff find who arrives, let them in, undo a slip of the thumb and
add who comes without registering, on one page that keeps its search."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import Audit, System, log_in
from tests.factories import MEETING, PERSON

pytestmark = [pytest.mark.browser, pytest.mark.services]


def test_check_in_undo_and_a_walk_in_at_the_door_on_a_phone(
    system: System, open_page: Callable[[str], Page], audit: Audit
) -> None:
    title = f"Deurtoets {uuid.uuid4().hex[:6]}"
    meeting = system.api("registration", "/meetings", {**MEETING, "title": title, "capacity": 20})
    for name in ("Anna Deurwaarder", "Bert Anders"):
        email = f"{name.split()[0].lower()}-{uuid.uuid4().hex[:6]}@example.nl"
        person = {**PERSON, "name": name, "email": email}
        system.api("registration", f"/meetings/{meeting['id']}/registrations", person)

    page = open_page("phone")
    base = system.urls["registration"]
    log_in(page, base, system, audit)
    page.goto(f"{base}/beheer")
    audit(page)
    row = page.get_by_role("row", name=re.compile(title))
    row.get_by_role("link", name="Deur", exact=True).click()
    expect(page.get_by_role("heading", name="Aan de deur")).to_be_visible()
    audit(page)
    count = page.get_by_text(re.compile(r"aangemelden binnen"))
    expect(count).to_contain_text(re.compile(r"0\s+van 2 aangemelden binnen"))

    page.get_by_label("Zoek op naam, e-mail of gemeente").fill("deurwaarder")
    anna_in = page.get_by_role("button", name="Anna Deurwaarder binnen melden")
    expect(anna_in).to_be_visible()
    expect(page.get_by_role("button", name="Bert Anders binnen melden")).to_be_hidden()
    audit(page)

    anna_in.click()
    undo = page.get_by_role("button", name="Anna Deurwaarder: binnenkomst ongedaan maken")
    expect(undo).to_be_visible()
    expect(count).to_contain_text(re.compile(r"1\s+van 2 aangemelden binnen"))
    expect(page.get_by_label("Zoek op naam, e-mail of gemeente")).to_have_value("deurwaarder")
    audit(page)

    undo.click()
    expect(anna_in).to_be_visible()
    expect(count).to_contain_text(re.compile(r"0\s+van 2 aangemelden binnen"))
    audit(page)

    walk_in = page.locator("form").filter(
        has=page.get_by_role("button", name="Aanmelden en binnen melden")
    )
    walk_in.get_by_label("Naam", exact=True).fill("Chris Loper")
    walk_in.get_by_label("E-mailadres").fill(f"chris-{uuid.uuid4().hex[:6]}@example.nl")
    walk_in.get_by_label("Rol", exact=True).select_option(label="ambtenaar")
    walk_in.get_by_role("combobox", name="Gemeente").fill("Gouda")
    page.get_by_role("option", name="Gouda", exact=True).click()
    walk_in.get_by_role("button", name="Aanmelden en binnen melden").click()
    expect(count).to_contain_text("1 zonder aanmelding")
    chris_undo = page.get_by_role("button", name="Chris Loper: binnenkomst ongedaan maken")
    expect(chris_undo).to_be_visible()
    audit(page)
    audit.assert_clean()
