"""Council members only, verified: the griffie of an entrant's municipality confirms through a
signed link that expires, and answers once; until it confirmed, drafts are saved and nothing
is submitted. On PostgreSQL, with the clock the tests move."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from services.essay_contest.domain import COUNCIL_LINK_VALID
from services.essay_contest.models import Entrant, Griffie, Outbox
from shared.clock import utc_text
from shared.db import Database
from tests.factories import all_at_once, path_of, signed_in, staff_headers
from tests.integration.test_essay_contest_api import (
    ANNA,
    BRAM,
    ESSAY,
    Contestants,
    contest,  # noqa: F401  (a fixture)
)

pytestmark = pytest.mark.services

ROTTERDAM = "griffie@rotterdam.example.nl"
AMSTERDAM = "griffie@amsterdam.example.nl"


@dataclass
class Council(Contestants):
    """The API tests' contest, for council members only, seen by staff, entrants and griffies."""

    def as_staff(self) -> FlaskClient:
        client = self.client.application.test_client()
        signed_in(client, "beheer@minbzk.nl", "staff")
        return client

    def set_griffie(self, municipality: str, email: str) -> Any:
        return self.client.put(
            f"/api/v1/griffies/{municipality}",
            json={"email": email},
            headers=staff_headers(self.settings),
        )

    def mails_to(self, address: str) -> list[EmailMessage]:
        return [mail for mail in self.mails() if address in mail["To"]]

    def griffie_token(self, address: str = ROTTERDAM) -> str:
        return self.link_in_last_mail_to(address).split("token=")[1]

    def answer(self, token: str, answer: str) -> Any:
        return self.client.post(
            "/api/v1/council-confirmations", json={"token": token, "answer": answer}
        )

    def own(self, entrant: tuple[str, str]) -> dict[str, Any]:
        found = self.client.get(f"/api/v1/entrants/{entrant[0]}?token={entrant[1]}")
        assert found.status_code == 200, found.json
        return found.json

    def own_page(self, entrant: tuple[str, str]) -> str:
        return text(self.client.get(f"/deelnemer/{entrant[0]}?token={entrant[1]}"))

    def ask_again(self, entrant: tuple[str, str]) -> Any:
        return self.client.post(
            f"/api/v1/entrants/{entrant[0]}/council-confirmation?token={entrant[1]}"
        )

    def entrant_row(self, entrant: tuple[str, str]) -> Entrant:
        db = Database.for_service(self.settings, "essay_contest")
        with db.transaction() as session:
            row = session.get_one(Entrant, entrant[0])
            session.expunge(row)
        db.dispose()
        return row

    def events(self) -> str:
        db = Database.for_service(self.settings, "essay_contest")
        with db.transaction() as session:
            bodies = [json.loads(row.body) for row in session.scalars(select(Outbox))]
        db.dispose()
        return json.dumps(bodies)


@pytest.fixture
def council(contest: Contestants) -> Council:  # noqa: F811  (the imported fixture)
    """The contest asks the griffie; forms are posted without CSRF tokens (one test checks)."""
    contest.client.application.config["WTF_CSRF_ENABLED"] = False
    required = contest.client.patch(
        f"/api/v1/contests/{contest.contest_id}",
        json={"requires_council_confirmation": True},
        headers=staff_headers(contest.settings),
    )
    assert required.status_code == 200 and required.json["requires_council_confirmation"]
    return Council(contest.client, contest.settings, contest.clock, contest.contest_id)


def text(response: Any) -> str:
    return " ".join(response.get_data(as_text=True).split())


def test_the_griffie_confirms_and_then_the_entry_is_submitted(council: Council) -> None:
    stored = council.set_griffie("GM0599", ROTTERDAM)
    assert stored.status_code == 200
    assert stored.json | {"updated_at": None} == {
        "municipality_code": "GM0599",
        "municipality": "Rotterdam",
        "email": ROTTERDAM,
        "example": False,
        "updated_at": None,
    }
    anna = council.sign_up(ANNA)
    asked_at = council.clock.now
    pending = council.own(anna)["council"]
    assert pending["status"] == "pending"
    assert pending["valid_until"] == utc_text(asked_at + COUNCIL_LINK_VALID)

    (asked,) = council.mails_to(ROTTERDAM)
    said = " ".join(asked.get_content().split())
    assert ANNA["name"] in asked["Subject"]
    assert "gemeenteraad van Rotterdam" in said and ANNA["party"] in said
    assert "/griffie/bevestigen?token=" in said
    welcome = council.mails_to(ANNA["email"])[-1].get_content()
    assert "griffie" in welcome and "indienen" in welcome

    # Drafts are saved; the submission waits for the griffie.
    assert council.entry(anna, json=ESSAY).status_code == 201
    blocked = council.entry(anna, "/submit")
    assert blocked.status_code == 409 and blocked.json["council_status"] == "pending"
    assert "has not yet confirmed" in blocked.json["detail"]
    assert "De griffie heeft nog niet bevestigd" in text(
        council.client.post(
            f"/deelnemer/{anna[0]}/essay",
            data={"token": anna[1], "indienen": "ja", **ESSAY},
        )
    )

    link = path_of(council.link_in_last_mail_to(ROTTERDAM))
    shown = council.client.get(link)
    assert shown.status_code == 200
    assert "Zit Anna Bakker in de gemeenteraad van Rotterdam?" in text(shown)
    assert 'value="confirmed"' in text(shown) and 'value="denied"' in text(shown)
    assert council.own(anna)["council"]["status"] == "pending"  # looking answered nothing

    council.clock.now += timedelta(days=2)
    answered = council.client.post(
        "/griffie/bevestigen", data={"token": link.split("token=")[1], "answer": "confirmed"}
    )
    assert answered.status_code == 302 and answered.location == "/griffie/beantwoord"
    assert "Dank u wel" in text(council.client.get(answered.location))
    confirmed = council.own(anna)["council"]
    assert confirmed["status"] == "confirmed"
    assert confirmed["answered_at"] == utc_text(council.clock.now)
    told = council.mails_to(ANNA["email"])[-1]
    assert "bevestigd dat u raadslid bent" in told["Subject"]
    assert f"/deelnemer/{anna[0]}?token=" in told.get_content()
    assert "bevestigd dat u in de gemeenteraad zit" in text(
        council.client.get(f"/deelnemer/{anna[0]}?token={anna[1]}")
    )

    submitted = council.entry(anna, "/submit")
    assert submitted.status_code == 200 and submitted.json["status"] == "submitted"
    events = council.events()
    assert "nl.gia.essay.submitted" in events
    for personal in (ANNA["name"], ANNA["email"], ANNA["party"], ROTTERDAM, "griffie"):
        assert personal not in events


def test_an_expired_link_is_gone_and_the_entrant_asks_again(council: Council) -> None:
    council.set_griffie("GM0599", ROTTERDAM)
    anna = council.sign_up(ANNA)
    first = council.griffie_token()
    council.clock.now += COUNCIL_LINK_VALID

    late = council.answer(first, "confirmed")
    assert late.status_code == 410 and late.mimetype == "application/problem+json"
    assert "expired" in late.json["detail"]
    for page in (
        council.client.get(f"/griffie/bevestigen?token={first}"),
        council.client.post("/griffie/bevestigen", data={"token": first, "answer": "confirmed"}),
    ):
        assert page.status_code == 410 and "Deze link is verlopen" in text(page)
    assert council.entrant_row(anna).council_answer is None
    assert council.own(anna)["council"]["status"] == "expired"
    assert "De griffie opnieuw om bevestiging vragen" in council.own_page(anna)

    asked = council.client.post(f"/deelnemer/{anna[0]}/griffie", data={"token": anna[1]})
    assert asked.status_code == 302
    assert council.own(anna)["council"]["status"] == "pending"
    again = council.ask_again(anna)
    assert again.status_code == 409 and "still valid" in again.json["detail"]
    assert len(council.mails_to(ROTTERDAM)) == 2
    second = council.griffie_token()
    assert second != first
    assert council.answer(first, "confirmed").status_code == 410  # the old link stays gone
    assert council.answer(second, "confirmed").status_code == 200
    assert council.entry(anna, json=ESSAY).status_code == 201
    assert council.entry(anna, "/submit").status_code == 200


def test_a_link_answers_once_never_a_second_confirmation(council: Council) -> None:
    council.set_griffie("GM0599", ROTTERDAM)
    anna = council.sign_up(ANNA)
    token = council.griffie_token()
    app = council.client.application
    answers = all_at_once(
        [
            lambda given=given: app.test_client().post(
                "/api/v1/council-confirmations", json={"token": token, "answer": given}
            )
            for given in ("denied", "confirmed")
        ]
    )
    assert sorted(answer.status_code for answer in answers) == [200, 409]
    (kept,) = [answer.json["answer"] for answer in answers if answer.status_code == 200]
    assert council.entrant_row(anna).council_answer == kept

    for given in ("confirmed", "denied"):
        reused = council.answer(token, given)
        assert reused.status_code == 409 and reused.json["answer"] == kept
    for page in (
        council.client.get(f"/griffie/bevestigen?token={token}"),
        council.client.post("/griffie/bevestigen", data={"token": token, "answer": "confirmed"}),
    ):
        assert page.status_code == 409 and "De griffie heeft voor dit raadslid al geantwoord" in (
            text(page)
        )
    assert council.entrant_row(anna).council_answer == kept
    assert len([m for m in council.mails_to(ANNA["email"]) if "griffie" in m["Subject"]]) == 1
    assert council.ask_again(anna).status_code == 409


def test_an_entrant_the_griffie_denies_cannot_submit(council: Council) -> None:
    council.set_griffie("GM0599", ROTTERDAM)
    anna = council.sign_up(ANNA)
    assert council.answer(council.griffie_token(), "denied").json["answer"] == "denied"
    council.entry(anna, json=ESSAY)
    refused = council.entry(anna, "/submit")
    assert refused.status_code == 409 and refused.json["council_status"] == "denied"
    assert "does not sit on the municipal council" in refused.json["detail"]
    told = council.mails_to(ANNA["email"])[-1]
    assert "kon niet bevestigen" in told["Subject"]
    assert "geen lid bent van de gemeenteraad" in council.own_page(anna)


def test_without_a_griffie_address_the_entrant_is_told_and_asked_about_once_known(
    council: Council,
) -> None:
    bram = council.sign_up(BRAM)
    assert council.own(bram)["council"]["status"] == "no_griffie"
    assert [m for m in council.mails() if "griffie" in m["To"]] == []
    shown = council.own_page(bram)
    assert "Wij kennen het e-mailadres van de griffie van Amsterdam nog niet" in shown
    council.entry(bram, json=ESSAY)
    refused = council.entry(bram, "/submit")
    assert refused.status_code == 409 and refused.json["council_status"] == "no_griffie"
    assert "No griffie address is known" in refused.json["detail"]
    asked = council.ask_again(bram)
    assert asked.status_code == 409 and "No griffie address is known" in asked.json["detail"]

    staff = council.as_staff()
    waiting = text(staff.get("/beheer/griffies"))
    assert "Raadsleden wachten op een griffie-adres" in waiting
    assert "Amsterdam (GM0363): 1 deelnemer" in waiting
    added = staff.post(
        "/beheer/griffies", data={"municipality_code": "amsterdam", "email": AMSTERDAM}
    )
    assert added.status_code == 302
    assert council.own(bram)["council"]["status"] == "pending"
    assert len(council.mails_to(AMSTERDAM)) == 1
    listed = text(staff.get("/beheer/griffies"))
    assert AMSTERDAM in listed and "Raadsleden wachten" not in listed
    assert council.answer(council.griffie_token(AMSTERDAM), "confirmed").status_code == 200
    assert council.entry(bram, "/submit").status_code == 200


def test_staff_keep_one_address_per_municipality(council: Council) -> None:
    assert council.set_griffie("GM0599", "oud@rotterdam.example.nl").status_code == 200
    assert council.set_griffie("Rotterdam", ROTTERDAM).json["municipality_code"] == "GM0599"
    den_haag = council.set_griffie("Den Haag", "griffie@denhaag.example")
    assert den_haag.json["municipality_code"] == "GM0518" and den_haag.json["example"] is True
    listed = council.client.get("/api/v1/griffies", headers=staff_headers(council.settings))
    assert [(g["municipality"], g["email"]) for g in listed.json] == [
        ("'s-Gravenhage", "griffie@denhaag.example"),  # by name
        ("Rotterdam", ROTTERDAM),
    ]
    removed = council.client.delete(
        "/api/v1/griffies/GM0518", headers=staff_headers(council.settings)
    )
    assert removed.status_code == 204
    staff = council.as_staff()
    assert staff.post("/beheer/griffies/GM0599/verwijderen").status_code == 302
    assert (
        council.client.get("/api/v1/griffies", headers=staff_headers(council.settings)).json == []
    )


def test_bad_input_gets_a_clear_4xx_and_writes_nothing(council: Council) -> None:
    staff = staff_headers(council.settings)
    unknown = council.set_griffie("GM9999", ROTTERDAM)
    assert unknown.status_code == 404 and unknown.mimetype == "application/problem+json"
    bergen = council.set_griffie("Bergen", ROTTERDAM)
    assert bergen.status_code == 404 and set(bergen.json["candidates"]) >= {"GM0373", "GM0893"}
    wrong = council.set_griffie("GM0599", "geen-adres")
    assert wrong.status_code == 400 and "email" in json.dumps(wrong.json)
    empty = council.client.put("/api/v1/griffies/GM0599", json={}, headers=staff)
    assert empty.status_code == 400
    assert (
        council.client.put("/api/v1/griffies/GM0599", json={"email": ROTTERDAM}).status_code == 401
    )
    assert council.client.get("/api/v1/griffies").status_code == 401
    assert council.client.delete("/api/v1/griffies/GM0344", headers=staff).status_code == 404

    forged = council.answer("x" * 40, "confirmed")
    assert forged.status_code == 403 and forged.mimetype == "application/problem+json"
    assert council.client.post("/api/v1/council-confirmations", json={}).status_code == 400
    staff_page = council.as_staff()
    refused = staff_page.post(
        "/beheer/griffies", data={"municipality_code": "Atlantis", "email": ROTTERDAM}
    )
    assert refused.status_code == 422
    assert 'id="municipality_code-fout"' in text(refused)
    assert "Deze gemeente kennen wij niet." in text(refused)
    assert council.client.get("/api/v1/griffies", headers=staff).json == []

    council.set_griffie("GM0599", ROTTERDAM)
    anna = council.sign_up(ANNA)
    token = council.griffie_token()
    maybe = council.answer(token, "misschien")
    assert maybe.status_code == 400 and "answer" in json.dumps(maybe.json)
    on_the_page = council.client.post("/griffie/bevestigen", data={"token": token, "answer": "?"})
    assert on_the_page.status_code == 422 and "Kies een van de mogelijkheden" in text(on_the_page)
    assert council.client.get("/griffie/bevestigen").status_code == 403
    assert council.client.get("/griffie/bevestigen?token=zomaar").status_code == 403
    not_theirs = council.client.post(f"/api/v1/entrants/{anna[0]}/council-confirmation?token=x")
    assert not_theirs.status_code == 403
    assert council.entrant_row(anna).council_answer is None


def test_the_griffie_form_needs_its_csrf_token(council: Council) -> None:
    council.set_griffie("GM0599", ROTTERDAM)
    anna = council.sign_up(ANNA)
    council.client.application.config["WTF_CSRF_ENABLED"] = True
    refused = council.client.post(
        "/griffie/bevestigen", data={"token": council.griffie_token(), "answer": "confirmed"}
    )
    assert refused.status_code == 400 and "Het formulier is verlopen." in text(refused)
    assert council.entrant_row(anna).council_answer is None


def test_the_setting_is_off_for_api_clients_and_on_for_a_new_contest_on_the_page(
    contest: Contestants,  # noqa: F811  (the imported fixture)
) -> None:
    """A client that does not send the setting gets the contest it always got; staff's form
    proposes it for a new contest. Turned on later, entrants ask their griffie themselves."""
    shown = contest.client.get(f"/api/v1/contests/{contest.contest_id}").json
    assert shown["requires_council_confirmation"] is False
    anna = contest.sign_up(ANNA)
    own = contest.client.get(f"/api/v1/entrants/{anna[0]}?token={anna[1]}").json
    assert own["council"] == {
        "status": "not_required",
        "asked_at": None,
        "valid_until": None,
        "answered_at": None,
    }
    staff = contest.client.application.test_client()
    signed_in(staff, "beheer@minbzk.nl", "staff")
    form = text(staff.get("/beheer"))
    setting = "requires_council_confirmation"
    assert f'type="checkbox" id="{setting}" name="{setting}" checked' in form

    headers = staff_headers(contest.settings)
    contest.client.put("/api/v1/griffies/GM0599", json={"email": ROTTERDAM}, headers=headers)
    contest.client.patch(
        f"/api/v1/contests/{contest.contest_id}",
        json={"requires_council_confirmation": True},
        headers=headers,
    )
    council = Council(contest.client, contest.settings, contest.clock, contest.contest_id)
    assert council.own(anna)["council"]["status"] == "not_asked"
    assert council.ask_again(anna).json["council"]["status"] == "pending"
    assert len(council.mails_to(ROTTERDAM)) == 1
    db = Database.for_service(contest.settings, "essay_contest")
    with db.transaction() as session:
        assert session.scalar(select(Griffie.email)) == ROTTERDAM
    db.dispose()
