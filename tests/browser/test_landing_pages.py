"""Each service's public landing page loads all it asks for: no 404 (a favicon, a style
sheet), no console error (the content security policy reports what it refuses there), and
everything the page links to as its own resources is there."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from gia.registry import SERVICES
from tests.browser.pages import Audit, System

pytestmark = [pytest.mark.browser, pytest.mark.services]

# Headless Chromium asks for no icons, so the page's own references are asked for here,
# with /favicon.ico, which browsers ask for whatever the page says.
RESOURCES = "link[href], script[src], img[src]"


@pytest.mark.parametrize("service", SERVICES)
def test_a_landing_page_has_all_it_asks_for_and_no_console_errors(
    service: str, system: System, open_page: Callable[[str], Page], audit: Audit
) -> None:
    page = audit.listen(open_page("desktop"))
    base = system.urls[service]
    page.goto(base)
    audit(page)
    asked = page.eval_on_selector_all(
        RESOURCES, "found => found.map(element => element.href || element.src)"
    )
    missing = {
        url: status
        for url in {*asked, f"{base}/favicon.ico"}
        if (status := page.request.get(url).status) != 200
    }
    assert not missing, f"resources of {page.url} that are not there: {missing}"
    audit.assert_clean()
