"""Every service's footer, statements and favicon, and the privacy notice on every form that asks
for personal data, on PostgreSQL; and the print rules of the shared stylesheet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gia.registry import MANIFESTS
from services.indicators.access import survey_links
from shared.clock import amsterdam_today
from shared.manifest import Manifest, resolve
from shared.settings import Settings, load_settings
from tests.factories import serving

STATEMENTS = ("/privacy", "/toegankelijkheid", "/contact")
NOTICE = '<p class="privacy-notice">Wij gebruiken uw gegevens om'
ROOT = Path(__file__).resolve().parents[2]
# The forms that ask for personal data, each with the notice before its button.
FORMS = {
    "registration/templates/registration/meeting.html": "Aanmelden",
    "practiceteam/templates/practiceteam/new.html": "Aanvraag versturen",
    "essay_contest/templates/essay_contest/contest.html": "Aanmelden",
    "essay_contest/templates/essay_contest/own.html": "Mede-auteur uitnodigen",
    "guide/templates/guide/guide.html": "Downloaden",
    "indicators/templates/indicators/survey.html": "Antwoord versturen",
}


@pytest.mark.services
@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda found: found.name)
def test_every_service_serves_the_statements_the_favicon_and_a_footer_linking_them(
    manifest: Manifest, real_env: dict[str, str]
) -> None:
    settings = load_settings({**real_env, "GIA_PRIVACY_CONTACT": "fg@minbzk.example"})
    with serving(resolve(manifest.app), settings, "auth", manifest.name) as app:
        client = app.test_client()
        login = client.get("/login").get_data(as_text=True)
        for path in STATEMENTS:
            assert f'<a href="{path}">' in login, path
            page = client.get(path)
            assert page.status_code == 200, path
            assert f'<a href="{path}">' in page.get_data(as_text=True)
        assert 'rel="icon"' in login
        favicon = client.get("/favicon.ico")
        assert favicon.status_code == 200 and favicon.data[:4] == b"\0\0\1\0"  # an ICO file
        assert client.get("/static/gia/favicon.svg").status_code == 200
        privacy = client.get("/privacy").get_data(as_text=True)
        assert "mailto:fg@minbzk.example" in privacy and "Autoriteit Persoonsgegevens" in privacy
        for right in ("inzien", "corrigeren", "verwijderen", "bezwaar"):
            assert right in privacy
        accessibility = client.get("/toegankelijkheid").get_data(as_text=True)
        assert "WCAG 2.1" in accessibility and "axe-core" in accessibility
        assert "mailto:gia@minbzk.nl" in client.get("/contact").get_data(as_text=True)


def seeded(manifest: Manifest, settings: Settings) -> str:
    """The page of a service's example with a form asking for personal data: the first page,
    or the first example it links to."""
    with serving(resolve(manifest.app), settings, "auth", manifest.name) as app:
        resolve(manifest.seed or "")(app.extensions["gia"].db, settings, amsterdam_today())
        client = app.test_client()
        first = client.get("/", follow_redirects=True).get_data(as_text=True)
        link = re.search(r'href="(/(?:bijeenkomsten|handreikingen)/[^"/]+)"', first)
        return client.get(link.group(1)).get_data(as_text=True) if link else first


@pytest.mark.services
def test_every_form_asking_for_personal_data_carries_the_privacy_notice(
    real_settings: Settings,
) -> None:
    pages = [seeded(found, real_settings) for found in MANIFESTS if found.seed]
    by_name = {found.name: found for found in MANIFESTS}
    with serving(
        resolve(by_name["practiceteam"].app), real_settings, "auth", "practiceteam"
    ) as app:
        pages.append(app.test_client().get("/aanvragen").get_data(as_text=True))
    with serving(resolve(by_name["indicators"].app), real_settings, "auth", "indicators") as app:
        token = survey_links(real_settings.secret_key).token("GM0513")
        pages.append(app.test_client().get(f"/enquete/GM0513?token={token}").get_data(as_text=True))
    assert len(pages) == 5
    for page in pages:
        assert NOTICE in page and 'href="/privacy">privacyverklaring</a>' in page
    # The co-author invitation, behind an entrant's own link, too: before each form's button.
    for path, button in FORMS.items():
        text = (ROOT / "services" / path).read_text()
        assert re.search(
            r"form\.privacy_notice\([^\n]*\)\s*\}\}\s*<button[^>]*>[^<]*" + button, text
        ), path


def test_the_stylesheet_prints_with_margins_kept_headings_and_the_tables_shown() -> None:
    css = (ROOT / "shared/web/static/gia.css").read_text()
    assert re.search(r"@page\s*\{\s*margin:\s*2cm", css)
    printed = css[css.index("@media print") :]
    printed = printed[: printed.index("\n}\n")]
    assert re.search(r"h2[^{]*\{[^}]*break-after:\s*avoid", printed)
    assert re.search(r"h2 \+ figure[^{]*\{[^}]*break-inside:\s*avoid", printed)
    assert re.search(r"details::details-content\s*\{[^}]*content-visibility:\s*visible", printed)
    assert re.search(r"(^|[\s,])nav[\s,][^{]*button[^{]*\{\s*display:\s*none", printed)
