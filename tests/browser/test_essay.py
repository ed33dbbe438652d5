"""An essay from sign-up to receipt: the council member signs up and confirms their address
from the mail, writes, the griffie confirms from its own mail, and the essay is submitted
and received with the fingerprint of its text."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import Audit, System, link_in

pytestmark = [pytest.mark.browser, pytest.mark.services]

# 850 words, within the rules' 800 to 2000.
ESSAY = " ".join(["Lokaal integratiebeleid begint bij de raad zelf, in elke wijk."] * 85)


def test_an_essay_from_sign_up_to_receipt(
    system: System, open_page: Callable[[str], Page], audit: Audit
) -> None:
    name = f"Sanne Raadslid {uuid.uuid4().hex[:4]}"
    email = f"sanne-{uuid.uuid4().hex[:8]}@example.nl"
    member = open_page("desktop")
    member.goto(system.urls["essay_contest"])
    audit(member)
    member.get_by_label("Naam", exact=True).fill(name)
    member.get_by_label("E-mailadres").fill(email)
    member.get_by_role("combobox", name="Gemeente").fill("Gouda")
    member.get_by_role("option", name="Gouda", exact=True).click()
    member.get_by_role("button", name="Aanmelden").click()
    expect(member.get_by_role("status")).to_contain_text(f"wij stuurden een e-mail naar {email}")
    audit(member)

    member.goto(link_in(system.mail_to(email, "bevestig uw e-mailadres"), "/bevestigen"))
    audit(member)
    member.get_by_role("button", name="Mijn e-mailadres bevestigen").click()
    expect(member.get_by_text("Uw e-mailadres is bevestigd.")).to_be_visible()
    audit(member)

    member.get_by_label("Titel").fill("De raad als gastheer")
    member.get_by_label("Tekst van uw essay").fill(ESSAY)
    expect(member.get_by_text("Aantal woorden:")).to_contain_text("850")
    member.get_by_role("button", name="Concept opslaan").click()
    expect(member.get_by_label("Tekst van uw essay")).to_have_value(ESSAY)
    audit(member)

    griffie = open_page("desktop")
    asked = system.mail_to("griffie@gouda.example", f"zit {name} in de gemeenteraad")
    griffie.goto(link_in(asked, "/griffie/bevestigen"))
    audit(griffie)
    griffie.get_by_role("button", name=f"Ja, {name} zit in onze gemeenteraad").click()
    expect(griffie.get_by_role("heading", name="Antwoord ontvangen")).to_be_visible()
    audit(griffie)

    member.reload()
    audit(member)
    member.get_by_role("button", name="Opslaan en indienen").click()
    fingerprint = hashlib.sha256(ESSAY.encode()).hexdigest()
    expect(member.get_by_role("heading", name="Ontvangstbevestigingen")).to_be_visible()
    expect(member.get_by_role("table").filter(has_text=fingerprint)).to_contain_text("850")
    audit(member)
    receipt = system.mail_to(email, "ontvangstbevestiging").get_body(("plain",))
    assert receipt is not None and fingerprint in receipt.get_content()
    audit.assert_clean()
