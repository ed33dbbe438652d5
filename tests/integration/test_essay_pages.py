"""The essay contest's Dutch pages on PostgreSQL, with the clock the tests move."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from services.essay_contest.domain import jury_handle
from services.essay_contest.models import Contest, Entrant, Entry, EntryAuthor, ScoreSheet
from tests.factories import path_of, signed_in, staff_headers
from tests.integration.test_essay_contest_api import (
    ANNA,
    BRAM,
    CLOSES,
    CONTEST,
    JUROR,
    JUROR_ROTTERDAM,
    PUBLISHES,
    Contestants,
    contest,  # noqa: F401  (a fixture)
)
from tests.tables import table_cells, table_rows

pytestmark = pytest.mark.services

SCRIPT, IMAGE, LINK = "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:"
HOSTILE = f"{SCRIPT} {IMAGE} [klik]({LINK}alert(1))"
# The sign-up form as a browser sends it: every field, empty ones as empty strings.
SIGN_UP = {**ANNA, "consent_to_publish": "on"}
WORDS = "Integratie begint in de wijk, bij mensen zelf."  # 8 words; the contest wants 5 to 20
CONTEST_FORM = {
    "title": "Raad voor Raad 2013",
    "question": "Wat kan de raad zelf doen?",
    "rules": "Eén essay per raadslid.",
    "opens_at": "2012-09-01T11:00",
    "closes_at": "2012-11-01T12:00",
    "publishes_at": "2012-12-01T12:00",
    "min_words": "800",
    "max_words": "2000",
    "min_scores": "3",
    "criteria.0.key": "vision",
    "criteria.0.label": "Visie",
    "criteria.0.weight": "3",
    "criteria.1.key": "",
    "criteria.1.label": "",
    "criteria.1.weight": "",
    "jury.0.name": "Jurylid Een",
    "jury.0.email": JUROR,
    "jury.0.municipality_code": "",
}


class Site(Contestants):
    """The contest seen through its pages, with its mails and its database."""

    @property
    def app(self) -> Flask:
        return self.client.application

    def as_role(self, role: str, subject: str) -> FlaskClient:
        client = self.app.test_client()
        signed_in(client, subject, role)
        return client

    def join(self, person: dict[str, Any]) -> str:
        """Signs up and confirms through the pages; the path of the person's own page."""
        form = {"party": "", **person, "consent_to_publish": "on"}
        signed = self.client.post(f"/wedstrijden/{self.contest_id}", data=form)
        assert signed.status_code == 302, page(signed)
        confirm = path_of(self.link_in_last_mail_to(person["email"]))
        assert confirm.startswith("/bevestigen?token=")
        assert "Mijn e-mailadres bevestigen" in page(self.client.get(confirm))
        token = confirm.split("token=")[1]
        confirmed = self.client.post("/bevestigen", data={"token": token})
        assert confirmed.status_code == 302 and confirmed.location.startswith("/deelnemer/")
        return confirmed.location

    def write(self, own: str, action: str = "essay", **form: str) -> Any:
        path, token = own.split("?token=")
        return self.client.post(f"{path}/{action}", data={"token": token, **form})

    def rows(self, model: type[Any]) -> list[Any]:
        with self.app.extensions["gia"].db.transaction() as session:
            found = list(session.scalars(select(model)))
            session.expunge_all()
        return found


def page(response: Any) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def site(contest: Contestants) -> Site:  # noqa: F811  (the imported fixture)
    """The API tests' contest, with forms posted as a browser would but without CSRF tokens
    (one test turns them on)."""
    contest.client.application.config["WTF_CSRF_ENABLED"] = False
    return Site(contest.client, contest.settings, contest.clock, contest.contest_id)


def test_the_contest_page_shows_question_rules_criteria_and_countdown(site: Site) -> None:
    site.clock.now = CLOSES - timedelta(days=3, hours=4, minutes=10)
    shown = page(site.client.get("/"))
    assert '<html lang="nl">' in shown and CONTEST["question"] in shown
    assert "nog 3 dagen en 4 uur" in shown and "01-11-2012 12:00 uur" in shown
    assert "<td>Visie</td><td>3</td>" in shown and "<td>Stijl</td><td>1</td>" in shown
    assert "minimaal 5 en maximaal 20 woorden" in shown
    assert '<label for="municipality_code">Gemeente</label>' in shown
    assert 'list="gemeenten"' in shown
    assert '<option value="Amsterdam"></option>' in shown
    site.clock.now = CLOSES - timedelta(minutes=90)
    assert "nog 1 uur en 30 minuten" in page(site.client.get(f"/wedstrijden/{site.contest_id}"))
    site.clock.now = CLOSES
    closed = page(site.client.get("/"))
    assert "de jury beoordeelt de essays" in closed and 'name="email"' not in closed


@pytest.mark.parametrize(
    ("change", "field", "dutch"),
    [
        ({"name": ""}, "name", "Vul dit veld in."),
        ({"email": "anna-at-raad.nl"}, "email", "Vul een geldig e-mailadres in"),
        ({"municipality_code": "GM9999"}, "municipality_code", "Deze gemeente kennen wij niet"),
        ({"party": "p" * 101}, "party", "Vul hoogstens 100 tekens in."),
    ],
)
def test_a_wrong_sign_up_says_in_dutch_what_to_fix_and_writes_nothing(
    site: Site, change: dict[str, str], field: str, dutch: str
) -> None:
    refused = site.client.post(f"/wedstrijden/{site.contest_id}", data={**SIGN_UP, **change})
    shown = page(refused)
    assert refused.status_code == 422
    assert f'<span class="field-error" id="{field}-fout">{dutch}' in shown
    assert f'<a href="#{field}">' in shown
    assert site.rows(Entrant) == [] and site.mails() == []


def test_signing_up_twice_and_after_the_deadline_is_refused_in_dutch(site: Site) -> None:
    site.join(ANNA)
    again = site.client.post(f"/wedstrijden/{site.contest_id}", data=SIGN_UP)
    assert again.status_code == 409
    assert f"{ANNA['email']} is al aangemeld voor deze wedstrijd." in page(again)
    site.clock.now = CLOSES
    late = site.client.post(f"/wedstrijden/{site.contest_id}", data={**BRAM, "party": ""})
    assert late.status_code == 409 and "De deadline was 01-11-2012 12:00 uur." in page(late)
    assert len(site.rows(Entrant)) == 1


def test_signing_up_again_soon_says_in_dutch_to_look_in_the_inbox(site: Site) -> None:
    site.client.post(f"/wedstrijden/{site.contest_id}", data={**SIGN_UP, "name": "Ana Baker"})
    site.clock.now += timedelta(minutes=2)
    again = site.client.post(f"/wedstrijden/{site.contest_id}", data=SIGN_UP)
    assert again.status_code == 302
    shown = page(site.client.get(again.location))
    assert f"Wij stuurden kort geleden al een e-mail naar {ANNA['email']}" in shown
    assert "kijk in uw inbox" in shown and "over 8 minuten" in shown
    assert [entrant.name for entrant in site.rows(Entrant)] == [ANNA["name"]]
    assert len(site.mails()) == 1


def test_a_bad_confirmation_link_is_refused_in_dutch(site: Site) -> None:
    forged = site.client.post("/bevestigen", data={"token": "x" * 30})
    assert forged.status_code == 403 and "Deze bevestigingslink is niet geldig." in page(forged)
    site.client.post(f"/wedstrijden/{site.contest_id}", data=SIGN_UP)
    token = site.link_in_last_mail_to(ANNA["email"]).split("token=")[1]
    site.clock.now += timedelta(hours=49)
    late = site.client.post("/bevestigen", data={"token": token})
    assert late.status_code == 410 and "Deze bevestigingslink is verlopen." in page(late)
    assert [entrant.confirmed_at for entrant in site.rows(Entrant)] == [None]


def test_write_save_submit_revise_withdraw_and_frozen_after_the_deadline(site: Site) -> None:
    own = site.join(ANNA)
    start = page(site.client.get(own))
    assert "Uw essay voor Raad voor Raad 2012" in start and 'name="text"' in start

    short = site.write(own, title="Kort", text="Twee woorden", indienen="ja")
    assert short.status_code == 422
    assert (
        '<span class="field-error" id="text-fout">Het essay telt 2 woorden; het moet er '
        "minstens 5 hebben (en hoogstens 20)." in page(short)
    )
    assert "Twee woorden</textarea>" in page(short)  # what was typed is kept
    assert site.rows(Entry) == []  # started and refused in one go: nothing half-written

    saved = site.write(own, title="Samen verder", text=WORDS)
    assert saved.status_code == 302
    draft = page(site.client.get(saved.location))
    assert "Uw concept (8 woorden) is opgeslagen." in draft and "<dd>concept" in draft
    assert '<output data-word-count="text">8</output>' in draft

    submitted = site.write(own, title="Samen verder", text=WORDS, indienen="ja")
    shown = page(site.client.get(submitted.location))
    assert "Uw essay (8 woorden) is ingediend" in shown
    fingerprint = site.rows(Entry)[0].fingerprint
    assert "ingediend, versie 1" in shown and f"<code>{fingerprint}</code>" in shown

    revised = site.write(own, title="Samen verder", text=WORDS + " En in de raad.")
    assert revised.status_code == 302
    shown = page(site.client.get(own))
    assert "versie 2" in shown and shown.count("<code>") == 2
    too_long = site.write(own, title="Samen verder", text=" ".join(["woord"] * 21))
    assert too_long.status_code == 422 and "Het essay telt 21 woorden" in page(too_long)
    assert site.rows(Entry)[0].revision == 2

    site.write(own, "intrekken")
    assert "<dd>ingetrokken" in page(site.client.get(own))

    site.clock.now = CLOSES
    frozen = page(site.client.get(own))
    assert "De deadline was 01-11-2012 12:00 uur." in frozen and 'name="text"' not in frozen
    late = site.write(own, title="Te laat", text=WORDS, indienen="ja")
    assert late.status_code == 409 and "De deadline was 01-11-2012 12:00 uur." in page(late)
    assert site.rows(Entry)[0].title == "Samen verder"


def test_withdrawing_asks_first_and_opening_the_question_withdraws_nothing(site: Site) -> None:
    own = site.join(ANNA)
    site.write(own, title="Samen verder", text=WORDS, indienen="ja")
    path, token = own.split("?token=")
    shown = page(site.client.get(own))
    assert f'<form method="get" action="{path}/intrekken">' in shown

    asked = site.client.get(f"{path}/intrekken?token={token}")
    assert asked.status_code == 200 and "Ja, intrekken" in page(asked)
    assert site.rows(Entry)[0].status == "submitted"
    assert site.client.get(f"{path}/intrekken?token=wrong").status_code == 403

    site.write(own, "intrekken")
    assert site.rows(Entry)[0].status == "withdrawn"


def test_co_authors_are_invited_and_must_confirm_before_submission(site: Site) -> None:
    anna, bram = site.join(ANNA), site.join(BRAM)
    site.write(anna, title="Samen verder", text=WORDS)
    unknown = site.write(anna, "mede-auteurs", email="niemand@example.nl")
    assert unknown.status_code == 422
    assert "niemand@example.nl heeft zich nog niet aangemeld" in page(unknown)

    site.write(anna, "mede-auteurs", email=BRAM["email"])
    assert "Bram Claes (Amsterdam):\n    nog niet bevestigd" in page(site.client.get(anna))
    blocked = site.write(anna, title="Samen verder", text=WORDS, indienen="ja")
    assert blocked.status_code == 409
    assert "Nog niet alle auteurs hebben bevestigd: Bram Claes." in page(blocked)
    assert "uitgenodigd als mede-auteur" in page(site.client.get(bram))

    guest = next(author for author in site.rows(EntryAuthor) if author.position == 2)
    taken_back = site.write(anna, "mede-auteurs/intrekken", author_id=guest.id)
    assert taken_back.status_code == 302
    assert "Bram Claes" not in page(site.client.get(anna))
    assert "uitgenodigd als mede-auteur" not in page(site.client.get(bram))
    site.write(anna, "mede-auteurs", email=BRAM["email"])
    assert "Uitnodiging intrekken" in page(site.client.get(anna))

    site.write(bram, "uitnodiging", accept="ja")
    assert "Uitnodiging intrekken" not in page(site.client.get(anna))
    assert site.write(anna, title="Samen verder", text=WORDS, indienen="ja").status_code == 302
    assert "Bram Claes (Amsterdam):\n    bevestigd" in page(site.client.get(bram))
    assert site.rows(Entry)[0].status == "submitted"


def test_an_entrant_link_never_opens_another_entry(site: Site) -> None:
    anna, bram = site.join(ANNA), site.join(BRAM)
    site.write(bram, title="Geheim concept", text=WORDS)
    anna_token = anna.split("token=")[1]
    bram_page = bram.split("?")[0]
    for attempt in (
        site.client.get(f"{bram_page}?token={anna_token}"),
        site.client.get(bram_page),
        site.client.post(
            f"{bram_page}/essay", data={"token": anna_token, "title": "Overgenomen", "text": WORDS}
        ),
        site.client.post(f"{bram_page}/intrekken", data={"token": anna_token}),
    ):
        assert attempt.status_code == 403
        assert "Deze link is niet geldig." in page(attempt)
        assert "Geheim concept" not in page(attempt)
    assert [entry.title for entry in site.rows(Entry)] == ["Geheim concept"]


def test_forms_without_their_csrf_token_are_refused(site: Site) -> None:
    own = site.join(ANNA)
    site.app.config["WTF_CSRF_ENABLED"] = True
    for refused in (
        site.client.post(f"/wedstrijden/{site.contest_id}", data={**BRAM, "party": ""}),
        site.write(own, title="Samen verder", text=WORDS),
        site.as_role("staff", "beheer@minbzk.nl").post("/beheer/wedstrijden", data=CONTEST_FORM),
    ):
        assert refused.status_code == 400 and "Het formulier is verlopen." in page(refused)
    assert len(site.rows(Entrant)) == 1 and site.rows(Entry) == []
    assert len(site.rows(Contest)) == 1


def _judged(site: Site) -> dict[str, str]:
    """Anna (Rotterdam) and Bram (Amsterdam) submit; the deadline passes."""
    anna, bram = site.join(ANNA), site.join(BRAM)
    site.write(anna, title="Samen verder", text=WORDS, indienen="ja")
    site.write(bram, title="Raad en wijk", text=WORDS + " Wij luisteren.", indienen="ja")
    site.clock.now = CLOSES + timedelta(hours=1)
    return {"anna": anna, "bram": bram}


def _handles(client: FlaskClient, contest_id: str) -> list[str]:
    listed = page(client.get(f"/jury/{contest_id}"))
    return [part.split('"')[0] for part in listed.split(f"/jury/{contest_id}/essays/")[1:]]


def test_jury_pages_show_no_author_detail_and_score_blind(site: Site) -> None:
    _judged(site)
    juror = site.as_role("jury", JUROR)
    assert juror.get("/jury").location == f"/jury/{site.contest_id}"
    handles = _handles(juror, site.contest_id)
    assert len(handles) == 2
    rotterdam = site.as_role("jury", JUROR_ROTTERDAM)
    assert len(_handles(rotterdam, site.contest_id)) == 1  # not the entry from Rotterdam

    details = [
        value
        for person in (ANNA, BRAM)
        for value in (person["name"], person["email"], person["name"].split()[1])
    ] + [ANNA["party"], "Rotterdam", "Amsterdam", *(str(e.id) for e in site.rows(Entry))]
    shown = [page(juror.get(f"/jury/{site.contest_id}"))] + [
        page(juror.get(f"/jury/{site.contest_id}/essays/{handle}")) for handle in handles
    ]
    assert "Samen verder" in "".join(shown) and WORDS in "".join(shown)
    for text in shown:
        assert not [detail for detail in details if detail in text]

    entry = f"/jury/{site.contest_id}/essays/{handles[0]}"
    wrong = juror.post(entry, data={"scores.vision": "11", "scores.style": "6", "comment": ""})
    assert wrong.status_code == 422
    assert (
        '<span class="field-error" id="scores.vision-fout">Vul een getal van 1 tot en met 10 in.'
        in page(wrong)
    )
    missing = juror.post(entry, data={"scores.vision": "7", "scores.style": ""})
    assert missing.status_code == 422 and "Geef voor elk criterium een cijfer." in page(missing)
    assert site.rows(ScoreSheet) == []

    final = juror.post(entry, data={"scores.vision": "7", "scores.style": "6", "final": "on"})
    assert final.status_code == 302
    assert "Uw cijfers zijn ingediend en staan vast." in page(juror.get(entry))
    again = juror.post(entry, data={"scores.vision": "9", "scores.style": "9"})
    assert again.status_code == 409 and "staan vast" in page(again)
    assert [sheet.scores for sheet in site.rows(ScoreSheet)] == [{"vision": 7, "style": 6}]

    other = f"/jury/{site.contest_id}/essays/{handles[1]}"
    assert juror.post(f"{other}/belangenconflict").status_code == 302
    assert "belangenconflict gemeld" in page(juror.get(f"/jury/{site.contest_id}"))
    refused = juror.post(other, data={"scores.vision": "7", "scores.style": "6"})
    assert refused.status_code == 403 and "belangenconflict" in page(refused)


def test_staff_create_and_change_a_contest_by_form(site: Site) -> None:
    staff = site.as_role("staff", "beheer@minbzk.nl")
    overview = page(staff.get("/beheer"))
    assert "Raad voor Raad 2012" in overview and 'value="local_relevance"' in overview

    wrong = staff.post(
        "/beheer/wedstrijden",
        data={**CONTEST_FORM, "closes_at": "2012-08-01T12:00", "criteria.0.weight": "11"},
    )
    assert wrong.status_code == 422
    assert "Vul een getal van 1 tot en met 10 in." in page(wrong)  # beside the criteria
    assert 'id="criteria"' in page(wrong) and 'value="Raad voor Raad 2013"' in page(wrong)
    backwards = staff.post(
        "/beheer/wedstrijden", data={**CONTEST_FORM, "closes_at": "2012-08-01T12:00"}
    )
    assert backwards.status_code == 422
    assert (
        '<span class="field-error" id="closes_at-fout">De wedstrijd moet sluiten nadat hij opent.'
        in page(backwards)
    )
    assert len(site.rows(Contest)) == 1

    created = staff.post("/beheer/wedstrijden", data=CONTEST_FORM, follow_redirects=True)
    assert "De wedstrijd Raad voor Raad 2013 is aangemaakt." in page(created)
    new = next(c for c in site.rows(Contest) if c.title == "Raad voor Raad 2013")
    assert new.criteria_spec == [{"key": "vision", "label": "Visie", "weight": 3}]
    assert new.closes_at == CLOSES  # 12:00 Amsterdam time in November is 11:00 UTC

    edit = page(staff.get(f"/beheer/wedstrijden/{site.contest_id}"))
    assert 'value="2012-11-01T12:00"' in edit and f'value="{JUROR_ROTTERDAM}"' in edit
    form = {**CONTEST_FORM, "title": "Raad voor Raad 2012, herzien"}
    changed = staff.post(f"/beheer/wedstrijden/{site.contest_id}", data=form)
    assert changed.status_code == 302
    assert {c.title for c in site.rows(Contest)} == {"Raad voor Raad 2012, herzien", new.title}


def test_injected_html_is_inert_on_every_page_that_shows_it(site: Site) -> None:
    staff = site.as_role("staff", "beheer@minbzk.nl")
    hostile = {"title": f"Wedstrijd {SCRIPT}", "question": HOSTILE, "rules": HOSTILE}
    site.client.patch(
        f"/api/v1/contests/{site.contest_id}", json=hostile, headers=staff_headers(site.settings)
    )
    anna = site.join({**ANNA, "name": f"Anna {IMAGE}", "party": SCRIPT})
    written = site.write(anna, title=f"Titel {SCRIPT}", text=HOSTILE, indienen="ja")  # 14 words
    assert written.status_code == 302
    entry = site.rows(Entry)[0]
    site.clock.now = CLOSES + timedelta(hours=1)
    juror = site.as_role("jury", JUROR)
    handle = _handles(juror, site.contest_id)[0]
    juror.post(
        f"/jury/{site.contest_id}/essays/{handle}",
        data={"scores.vision": "8", "scores.style": "7", "comment": HOSTILE, "final": "on"},
    )
    pages = {  # the jury's pages, while they judge
        "jury list": juror.get(f"/jury/{site.contest_id}"),
        "jury entry": juror.get(f"/jury/{site.contest_id}/essays/{handle}"),
    }
    results = {"winners.0.place": "1", "winners.0.entry_id": entry.id, "jury_report": HOSTILE}
    assert (
        staff.post(f"/beheer/wedstrijden/{site.contest_id}/uitslag", data=results).status_code
        == 302
    )
    site.clock.now = PUBLISHES
    assert staff.post(f"/beheer/wedstrijden/{site.contest_id}/publiceren").status_code == 302

    pages |= {
        "contest": site.client.get(f"/wedstrijden/{site.contest_id}"),
        "own": site.client.get(anna),
        "ranking": staff.get(f"/beheer/wedstrijden/{site.contest_id}/ranglijst"),
        "edit": staff.get(f"/beheer/wedstrijden/{site.contest_id}"),
        "overview": staff.get("/beheer"),
        "results": site.client.get(f"/wedstrijden/{site.contest_id}/uitslag"),
    }
    for name, response in pages.items():
        shown = page(response)
        assert response.status_code == 200, name
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown, name
        assert SCRIPT not in shown and IMAGE not in shown and 'href="javascript:' not in shown, name
    assert "&lt;img src=x onerror=alert(1)&gt;" in page(pages["results"])  # the winner's name


def test_ranking_results_publication_and_erasure_for_staff(site: Site) -> None:
    _judged(site)
    staff = site.as_role("staff", "beheer@minbzk.nl")
    for juror in (JUROR, JUROR_ROTTERDAM):
        client = site.as_role("jury", juror)
        for handle in _handles(client, site.contest_id):
            client.post(
                f"/jury/{site.contest_id}/essays/{handle}",
                data={"scores.vision": "8", "scores.style": "4", "final": "on"},
            )
    ranking = f"/beheer/wedstrijden/{site.contest_id}/ranglijst"
    shown = page(staff.get(ranking))
    # Anna's (Rotterdam) entry has one final score sheet, Bram's two (the contest wants 2).
    assert {"Rotterdam", "7,00", "0,00"} <= table_cells(shown)
    assert "1 <strong>(te weinig beoordelingen)</strong>" in shown
    assert f'href="{ranking}.csv"' in shown
    download = staff.get(f"{ranking}.csv")
    assert download.mimetype == "text/csv" and "gemiddelde_vision" in page(download)
    assert "Raad en wijk,Amsterdam,7.0000,8.0000,4.0000,2,0.0000" in page(download)

    anna_entry = next(e for e in site.rows(Entry) if e.title == "Samen verder")
    early = staff.post(f"/beheer/wedstrijden/{site.contest_id}/publiceren")
    assert early.status_code == 409
    assert "De uitslag kan worden gepubliceerd vanaf 01-12-2012 12:00 uur." in page(early)
    no_report = staff.post(
        f"/beheer/wedstrijden/{site.contest_id}/uitslag",
        data={"winners.0.place": "1", "winners.0.entry_id": anna_entry.id, "jury_report": ""},
    )
    assert no_report.status_code == 422 and "jury_report-fout" in page(no_report)
    assert all(entry.place is None for entry in site.rows(Entry))
    hidden = site.client.get(f"/wedstrijden/{site.contest_id}/uitslag")
    assert hidden.status_code == 404 and "nog niet bekend" in page(hidden)

    staff.post(
        f"/beheer/wedstrijden/{site.contest_id}/uitslag",
        data={"winners.0.place": "1", "winners.0.entry_id": anna_entry.id, "jury_report": "Goed."},
    )
    site.clock.now = PUBLISHES
    staff.post(f"/beheer/wedstrijden/{site.contest_id}/publiceren")
    results = page(site.client.get(f"/wedstrijden/{site.contest_id}/uitslag"))
    assert "1e plaats: Samen verder" in results and "Anna Bakker (Rotterdam)" in results
    assert WORDS in results and "Raad en wijk" not in results  # Anna consented on signing up

    erased = staff.post(f"/beheer/wedstrijden/{site.contest_id}/wissen", follow_redirects=True)
    assert "De persoonsgegevens van 0 deelnemer(s) zijn gewist." in page(erased)


def test_the_ranking_page_shows_each_jurors_scores_and_comment_to_staff_only(site: Site) -> None:
    _judged(site)
    bram = next(entry.id for entry in site.rows(Entry) if entry.title == "Raad en wijk")
    comments = {JUROR: "Helder en lokaal.", JUROR_ROTTERDAM: "Te algemeen."}
    for juror, comment in comments.items():  # both on Bram's entry
        client = site.as_role("jury", juror)
        handle = jury_handle(site.settings.secret_key, juror, bram)
        essay = f"/jury/{site.contest_id}/essays/{handle}"
        form = {"scores.vision": "8", "scores.style": "4", "comment": comment, "final": "on"}
        assert client.post(essay, data=form).status_code == 302
        assert comment in page(client.get(essay))
        other = next(text for who, text in comments.items() if who != juror)
        assert other not in page(client.get(essay))
    shown = page(
        site.as_role("staff", "beheer@minbzk.nl").get(
            f"/beheer/wedstrijden/{site.contest_id}/ranglijst"
        )
    )
    assert "<h2>Oordelen van de juryleden</h2>" in shown
    assert '<th scope="col">Visie</th><th scope="col">Stijl</th>' in shown
    jurors = {CONTEST["jury"][0]["name"], CONTEST["jury"][1]["name"]}
    assert jurors | {"Helder en lokaal.", "Te algemeen."} <= table_cells(shown)
    assert "telt niet mee" not in shown


def test_staff_see_the_counts_by_municipality_on_a_page_and_as_csv(site: Site) -> None:
    _judged(site)
    staff = site.as_role("staff", "beheer@minbzk.nl")
    counts = f"/beheer/wedstrijden/{site.contest_id}/gemeenten"
    assert f'href="{counts}"' in page(staff.get("/beheer"))
    shown = page(staff.get(counts))
    rows = table_rows(shown)
    assert ["Amsterdam", "1", "1", "1"] in rows
    assert [row[0] for row in rows].index("Amsterdam") < [row[0] for row in rows].index("Rotterdam")
    assert f'href="{counts}.csv"' in shown
    download = staff.get(f"{counts}.csv")
    assert download.mimetype == "text/csv"
    assert page(download).splitlines()[1:] == [
        "Amsterdam,GM0363,1,1,1",
        "Rotterdam,GM0599,1,1,1",
    ]


STAFF_PAGES = [
    ("get", "/beheer"),
    ("get", "/beheer/wedstrijden/{id}/gemeenten"),
    ("get", "/beheer/wedstrijden/{id}/gemeenten.csv"),
    ("post", "/beheer/wedstrijden"),
    ("get", "/beheer/wedstrijden/{id}"),
    ("post", "/beheer/wedstrijden/{id}"),
    ("get", "/beheer/wedstrijden/{id}/ranglijst"),
    ("get", "/beheer/wedstrijden/{id}/ranglijst.csv"),
    ("post", "/beheer/wedstrijden/{id}/uitslag"),
    ("post", "/beheer/wedstrijden/{id}/publiceren"),
    ("post", "/beheer/wedstrijden/{id}/wissen"),
]
JURY_PAGES = [
    ("get", "/jury"),
    ("get", "/jury/{id}"),
    ("get", "/jury/{id}/essays/abc"),
    ("post", "/jury/{id}/essays/abc"),
    ("post", "/jury/{id}/essays/abc/belangenconflict"),
]


@pytest.mark.parametrize(
    ("method", "path", "other"),
    [(*found, "jury") for found in STAFF_PAGES] + [(*found, "staff") for found in JURY_PAGES],
)
def test_staff_and_jury_pages_refuse_everyone_else(
    site: Site, method: str, path: str, other: str
) -> None:
    url = path.format(id=site.contest_id)
    anonymous = getattr(site.client, method)(url)
    assert anonymous.status_code == 302 and anonymous.location.startswith("/login?next=")
    refused = getattr(site.as_role(other, "iemand@minbzk.nl"), method)(url)
    assert refused.status_code == 403
    assert "U heeft geen toegang tot deze pagina." in page(refused)
    assert [c.title for c in site.rows(Contest)] == [CONTEST["title"]]


def test_a_juror_not_on_this_jury_is_refused(site: Site) -> None:
    _judged(site)
    stranger = site.as_role("jury", "buitenstaander@example.nl")
    refused = stranger.get(f"/jury/{site.contest_id}")
    assert refused.status_code == 403 and "U zit niet in de jury" in page(refused)
