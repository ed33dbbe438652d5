"""A public form sent empty, on a desktop and on a phone: the refusal says so in the title,
has the focus and is in view at once, and its links lead to the fields to put right."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import Audit, System, seeded_meeting

pytestmark = [pytest.mark.browser, pytest.mark.services]

# Each public form: where it is (found through the system) and the button that sends it.
FORMS: dict[str, tuple[Callable[[System], str], str]] = {
    "registration": (
        lambda system: f"/bijeenkomsten/{seeded_meeting(system, 'Zeeland')['id']}",
        "Aanmelden",
    ),
    "practiceteam": (lambda _system: "/", "Aanvraag versturen"),
}


@pytest.mark.parametrize("device", ["desktop", "phone"])
@pytest.mark.parametrize("service", sorted(FORMS))
def test_an_empty_form_is_refused_with_the_summary_focused_and_in_view(
    service: str, device: str, system: System, open_page: Callable[[str], Page], audit: Audit
) -> None:
    where, button = FORMS[service]
    page = open_page(device)
    page.goto(system.urls[service] + where(system))
    audit(page)
    page.get_by_role("button", name=button).click()

    expect(page).to_have_title(re.compile("^Fout: "))
    summary = page.locator(".error-summary")
    expect(summary.get_by_role("heading")).to_have_text("Controleer het formulier")
    focused = page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
    assert summary.evaluate("summary => summary.contains(document.activeElement)"), focused
    top, screen = summary.evaluate(
        "summary => [summary.getBoundingClientRect().top, window.innerHeight]"
    )
    assert 0 <= top < screen, f"the summary starts {top} px down a {screen} px screen"
    audit(page)

    first = summary.get_by_role("link").first
    field = (first.get_attribute("href") or "").removeprefix("#")
    assert field, "the summary's first link leads to no field"
    first.click()
    # A field, or a group of fields (a fieldset) that takes the focus itself, its legend
    # and error read out, the first of its fields one Tab on.
    target = page.locator(f"[id='{field}']")
    assert target.evaluate("target => target.contains(document.activeElement)"), (
        f"after following the link to #{field} the focus is on "
        + page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
    )
    audit.assert_clean()
