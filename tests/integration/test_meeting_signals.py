"""Signals raised at a meeting, answered: staff record them and the ministry's answer, the
answer is mailed to exactly the people who were there for a municipality, and it reaches the
praktijkteam's public page over RabbitMQ, without names of people."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from gia import registry
from gia.migrations import upgrade
from services.practiceteam.app import create_app as create_practiceteam
from services.practiceteam.models import MeetingSignal as PublishedSignal
from services.practiceteam.models import ReceivedEvent
from services.registration.app import create_app as create_registration
from services.registration.models import MailQueue, MeetingSignal, Outbox
from shared.clock import SetClock
from shared.db import Database
from shared.events.catalogue import SIGNAL_ANSWERED
from shared.events.consumer import EventConsumer
from shared.events.envelope import Event, new_event, parse_event
from shared.events.relay import Relay, wait_until_drained
from shared.events.topology import broker_connection
from shared.manifest import resolve
from shared.settings import Settings
from tests.factories import (
    MEETING,
    PERSON,
    all_at_once,
    delivered_mails,
    publish_raw,
    signed_in,
    staff_headers,
    wait_for,
)

pytestmark = pytest.mark.services

# The factories' meeting starts 2030-10-10 at 10:00 in Amsterdam: 08:00 UTC.
BEFORE = datetime(2030, 9, 1, 9, 0, tzinfo=UTC)
DURING = datetime(2030, 10, 10, 9, 0, tzinfo=UTC)
# Who registered: (name, e-mail, municipality, what they did).
PEOPLE = [
    ("An de Vries", "an@example.nl", "GM0599", "came"),  # Rotterdam
    ("Bart Jansen", "bart@example.nl", "GM0606", "came"),  # Schiedam
    ("Cor Smit", "cor@example.nl", "GM0599", "stayed away"),
    ("Dina Bakker", "dina@example.nl", "GM0363", "cancelled"),  # Amsterdam
    ("Eef Visser", "eef@example.nl", None, "came"),  # a partner organisation
]
SIGNAL = {
    "themes": ["discrimination", "labour_market"],
    "text": "Jongeren met een migratieachtergrond vinden moeilijk een stageplaats.",
    "municipality_codes": ["Rotterdam", "GM0606"],
}
ANSWER = {"answer": "Het ministerie bespreekt dit met SZW en de werkgevers in de regio."}


@dataclass
class Site:
    settings: Settings
    app: Flask
    client: FlaskClient
    clock: SetClock
    staff: dict[str, str]

    @property
    def db(self) -> Database:
        return self.app.extensions["gia"].db


@pytest.fixture
def site(real_settings: Settings) -> Iterator[Site]:
    upgrade(real_settings, ("auth", "registration", "practiceteam"))
    clock = SetClock(BEFORE)
    app = create_registration(real_settings, clock)
    yield Site(real_settings, app, app.test_client(), clock, staff_headers(real_settings))
    context = app.extensions["gia"]
    for db in (context.db, context.auth_db):
        db.dispose()


def held_meeting(site: Site) -> str:
    """A meeting people registered for, now under way: three came, one of them not for a
    municipality, one stayed away, one cancelled, and a walk-in left no address."""
    client, staff = site.client, site.staff
    meeting_id = client.post(
        "/api/v1/meetings", json={**MEETING, "capacity": 20}, headers=staff
    ).json["id"]
    registrations = {}
    for name, email, code, _ in PEOPLE:
        person = {**PERSON, "name": name, "email": email, "municipality_code": code}
        if code is None:
            person["organisation"] = "Art. 1 Rijnmond"
        response = client.post(f"/api/v1/meetings/{meeting_id}/registrations", json=person)
        assert response.status_code == 201, response.json
        registrations[email] = response.json["id"]
    client.post(f"/api/v1/registrations/{registrations['dina@example.nl']}/cancel", headers=staff)
    site.clock.now = DURING
    for _, email, _, did in PEOPLE:
        if did == "came":
            checked = client.post(
                f"/api/v1/registrations/{registrations[email]}/check-in", headers=staff
            )
            assert checked.status_code == 200, checked.json
    walk_in = {"name": "Fleur Dekker", "role": "official", "municipality_code": "GM0518"}
    assert (
        client.post(
            f"/api/v1/meetings/{meeting_id}/walk-ins", json=walk_in, headers=staff
        ).status_code
        == 201
    )
    return meeting_id


def record(site: Site, meeting_id: str, **changes: Any) -> Any:
    return site.client.post(
        f"/api/v1/meetings/{meeting_id}/signals", json={**SIGNAL, **changes}, headers=site.staff
    )


def answer_mails(settings: Settings) -> list[Any]:
    return [
        mail
        for mail in delivered_mails(settings)
        if str(mail["Subject"]).startswith("Antwoord op een signaal")
    ]


def outbox_events(site: Site, event_type: str) -> list[Event]:
    with site.db.transaction() as session:
        bodies = session.scalars(select(Outbox.body).where(Outbox.type == event_type)).all()
    return [parse_event(body) for body in bodies]


def signal_rows(site: Site) -> int:
    with site.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(MeetingSignal)) or 0


# -- recording and answering ---------------------------------------------------------------


def test_the_answer_is_mailed_to_exactly_those_who_came_for_a_municipality(site: Site) -> None:
    meeting_id = held_meeting(site)
    recorded = record(site, meeting_id)
    assert recorded.status_code == 201, recorded.json
    signal = recorded.json
    # Names are resolved to CBS codes, as on every form.
    assert signal["municipality_codes"] == ["GM0599", "GM0606"]
    assert signal["answer"] is None and signal["answered_at"] is None
    listed = site.client.get(f"/api/v1/meetings/{meeting_id}/signals", headers=site.staff)
    assert [found["id"] for found in listed.json] == [signal["id"]]
    assert answer_mails(site.settings) == []  # recording tells nobody yet

    answered = site.client.post(
        f"/api/v1/signals/{signal['id']}/answer", json=ANSWER, headers=site.staff
    )
    assert answered.status_code == 200, answered.json
    assert answered.json["answer"] == ANSWER["answer"]
    assert answered.json["answered_at"].startswith("2030-10-10T09:00")
    # An and Bart came for their municipality. Not Cor (stayed away), Dina (cancelled), Eef
    # (came for an organisation) nor the walk-in, who left no address.
    assert answered.json["mailed_to"] == 2
    mails = answer_mails(site.settings)
    assert sorted(str(mail["To"]) for mail in mails) == ["an@example.nl", "bart@example.nl"]
    text = mails[0].get_body(("plain",)).get_content()
    assert SIGNAL["text"] in text and ANSWER["answer"] in text
    assert "Rotterdam, Schiedam" in text and "discriminatie, arbeidsmarkt" in text
    assert not any(part.get_filename() for part in mails[0].iter_attachments())


def test_the_event_carries_the_published_signal_and_no_personal_data(site: Site) -> None:
    meeting_id = held_meeting(site)
    signal_id = record(site, meeting_id).json["id"]
    site.client.post(f"/api/v1/signals/{signal_id}/answer", json=ANSWER, headers=site.staff)

    (event,) = outbox_events(site, SIGNAL_ANSWERED)
    assert event.subject == f"signal/{signal_id}"
    assert event.source == site.settings.event_source("registration")
    assert event.data == {
        "signal_id": signal_id,
        "meeting_id": meeting_id,
        "kind": "gia",
        "region": "Limburg",
        "held_on": "2030-10-10",
        "themes": ["discrimination", "labour_market"],
        "municipality_codes": ["GM0599", "GM0606"],
        "text": SIGNAL["text"],
        "answer": ANSWER["answer"],
        "answered_at": "2030-10-10T09:00:00+00:00",
    }
    published = json.dumps(event.data)
    for name, email, _, _ in PEOPLE:
        assert name not in published and email not in published
    assert "Fleur" not in published


def test_of_two_answers_at_once_one_is_sent_and_the_other_refused(site: Site) -> None:
    signal_id = record(site, held_meeting(site)).json["id"]
    path = f"/api/v1/signals/{signal_id}/answer"

    def answering(text: str) -> Callable[[], Any]:
        return lambda: site.app.test_client().post(path, json={"answer": text}, headers=site.staff)

    first, second = all_at_once([answering("Het eerste antwoord."), answering("Het tweede.")])
    assert sorted([first.status_code, second.status_code]) == [200, 409]
    refused = first if first.status_code == 409 else second
    assert refused.mimetype == "application/problem+json"
    sent = (second if refused is first else first).json["answer"]
    assert len(answer_mails(site.settings)) == 2  # An and Bart, once each
    (event,) = outbox_events(site, SIGNAL_ANSWERED)
    assert event.data["answer"] == sent
    shown = site.client.get(f"/api/v1/signals/{signal_id}", headers=site.staff).json
    assert shown["answer"] == sent and shown["mailed_to"] == 2


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"themes": []}, "themes"),
        ({"themes": ["weather"]}, "themes"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 5001}, "text"),
        ({"municipality_codes": []}, "municipality_codes"),
        ({"municipality_codes": ["Atlantis"]}, "municipality_codes"),
        ({"municipality_codes": ["GM9999"]}, "municipality_codes"),
        ({"municipality_codes": "GM0599"}, "municipality_codes"),
        ({"text": None}, "text"),
    ],
)
def test_a_wrong_signal_is_400_naming_the_field_and_stores_nothing(
    site: Site, body: dict[str, Any], field: str
) -> None:
    meeting_id = held_meeting(site)
    refused = record(site, meeting_id, **body)
    assert refused.status_code == 400 and refused.mimetype == "application/problem+json"
    assert field in refused.json["errors"]
    assert signal_rows(site) == 0


def test_signals_are_refused_before_the_meeting_at_a_cancelled_one_and_without_staff(
    site: Site,
) -> None:
    client, staff = site.client, site.staff
    meeting_id = client.post("/api/v1/meetings", json=MEETING, headers=staff).json["id"]
    early = record(site, meeting_id)
    assert early.status_code == 409 and "started" in early.json["detail"]
    site.clock.now = DURING
    client.post(f"/api/v1/meetings/{meeting_id}/cancel", headers=staff)
    assert record(site, meeting_id).status_code == 409
    path = f"/api/v1/meetings/{meeting_id}/signals"
    jury = staff_headers(site.settings, role="jury")
    assert client.post(path, json=SIGNAL).status_code == 401
    assert client.post(path, json={"not": "read"}, headers=jury).status_code == 403
    assert client.get(path).status_code == 401
    unknown = "/api/v1/meetings/00000000-0000-4000-8000-000000000000/signals"
    assert client.post(unknown, json=SIGNAL, headers=staff).status_code == 404
    assert (
        client.post(
            path, data="{not json", headers={**staff, "Content-Type": "application/json"}
        ).status_code
        == 400
    )
    assert signal_rows(site) == 0


def test_a_wrong_answer_is_refused_and_leaves_the_signal_unanswered(site: Site) -> None:
    signal_id = record(site, held_meeting(site)).json["id"]
    path = f"/api/v1/signals/{signal_id}/answer"
    for body in ({}, {"answer": "  \n "}, {"answer": "a" * 10_001}, {"answer": 42}):
        refused = site.client.post(path, json=body, headers=site.staff)
        assert refused.status_code == 400 and "answer" in refused.json["errors"]
    assert site.client.post(path, json=ANSWER).status_code == 401
    unknown = "/api/v1/signals/00000000-0000-4000-8000-000000000000/answer"
    assert site.client.post(unknown, json=ANSWER, headers=site.staff).status_code == 404
    shown = site.client.get(f"/api/v1/signals/{signal_id}", headers=site.staff).json
    assert shown["answer"] is None and shown["mailed_to"] == 0
    assert outbox_events(site, SIGNAL_ANSWERED) == []
    with site.db.transaction() as session:
        assert not session.scalars(
            select(MailQueue).where(MailQueue.kind == "signal_answered")
        ).all()


# -- the staff pages -------------------------------------------------------------------------


def as_staff(site: Site) -> FlaskClient:
    signed_in(site.client, "signalen@minbzk.nl", "staff")
    return site.client


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page
    return found[1]


def test_staff_record_and_answer_a_signal_on_their_pages(site: Site) -> None:
    meeting_id = held_meeting(site)
    client = as_staff(site)
    page = client.get(f"/beheer/bijeenkomsten/{meeting_id}/signalen")
    assert page.status_code == 200
    html = page.text
    assert "Schrijf zonder namen van personen" in html
    assert "3 personen uit 3 gemeente(n)" in " ".join(html.split())
    # The municipalities that came can be ticked: Rotterdam, Schiedam and 's-Gravenhage
    # (the walk-in); Amsterdam only cancelled.
    ticks = re.findall(r'name="municipality_codes" value="(GM\d{4})"', html)
    assert ticks == ["GM0518", "GM0599", "GM0606"]
    posted = client.post(
        f"/beheer/bijeenkomsten/{meeting_id}/signalen",
        data={
            "csrf_token": csrf_token(html),
            "themes": ["education"],
            "text": "Scholen vragen om hulp bij gesprekken over spanningen in de klas.",
            "municipality_codes": ["GM0599", "Den Haag", ""],
        },
    )
    assert posted.status_code == 302, posted.text
    listing = client.get(posted.location).text
    assert "Het signaal is vastgelegd" in listing and "Rotterdam, &#39;s-Gravenhage" in listing
    signal_path = re.search(r'href="(/beheer/signalen/[^"]+)">Beantwoorden', listing)[1]

    signal_page = client.get(signal_path).text
    assert "per e-mail naar 2 personen die namens een gemeente" in " ".join(signal_page.split())
    answered = client.post(
        signal_path,
        data={"csrf_token": csrf_token(signal_page), "answer": "Wij starten een pilot."},
    )
    assert answered.status_code == 302
    assert "verstuurd aan 2 aanwezige(n)" in client.get(answered.location).text
    assert "Wij starten een pilot." in client.get(signal_path).text
    assert sorted(str(mail["To"]) for mail in answer_mails(site.settings)) == [
        "an@example.nl",
        "bart@example.nl",
    ]


def test_a_wrong_form_is_shown_again_in_dutch_and_stores_nothing(site: Site) -> None:
    meeting_id = held_meeting(site)
    client = as_staff(site)
    path = f"/beheer/bijeenkomsten/{meeting_id}/signalen"
    token = csrf_token(client.get(path).text)
    refused = client.post(
        path,
        data={"csrf_token": token, "text": "  ", "municipality_codes": ["Atlantis"]},
    )
    assert refused.status_code == 422
    html = refused.text
    assert "<title>Fout: " in html and "Controleer het formulier" in html
    assert "Deze gemeente kennen wij niet" in html and "Vul dit veld in." in html
    assert "Kies minstens één thema." in html
    assert 'value="Atlantis"' in html  # what was typed stays
    assert client.post(path, data={**SIGNAL, "themes": ["education"]}).status_code == 400  # no CSRF
    assert signal_rows(site) == 0

    signal_id = record(site, meeting_id).json["id"]
    signal_path = f"/beheer/signalen/{signal_id}"
    token = csrf_token(client.get(signal_path).text)
    empty = client.post(signal_path, data={"csrf_token": token, "answer": ""})
    assert empty.status_code == 422 and "Vul dit veld in." in empty.text
    assert answer_mails(site.settings) == []


def test_a_meeting_not_yet_started_takes_no_signals_on_its_page(site: Site) -> None:
    meeting_id = site.client.post("/api/v1/meetings", json=MEETING, headers=site.staff).json["id"]
    client = as_staff(site)
    path = f"/beheer/bijeenkomsten/{meeting_id}/signalen"
    page = client.get(path).text
    assert "Signalen legt u vast zodra de bijeenkomst begonnen is." in page
    assert 'action="' + path + '"' not in page
    token = csrf_token(page)  # the logout form's: the same session's token
    refused = client.post(path, data={**SIGNAL, "themes": ["education"], "csrf_token": token})
    assert refused.status_code == 409
    assert "Signalen legt u vast zodra de bijeenkomst begonnen is." in refused.text
    assert signal_rows(site) == 0


def test_the_signal_pages_are_for_staff_only(site: Site) -> None:
    meeting_id = held_meeting(site)
    path = f"/beheer/bijeenkomsten/{meeting_id}/signalen"
    assert site.client.get(path).status_code == 302  # to the login page
    signed_in(site.client, "jurylid@example.nl", "jury")
    assert site.client.get(path).status_code == 403


# -- over RabbitMQ to the praktijkteam's public page -----------------------------------------


def running(target: Callable[[threading.Event], None]) -> tuple[threading.Event, threading.Thread]:
    stop = threading.Event()
    thread = threading.Thread(target=target, args=(stop,), daemon=True)
    thread.start()
    return stop, thread


def published_rows(db: Database) -> int:
    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(PublishedSignal)) or 0


def test_an_answer_travels_to_the_public_page_once_however_often_it_is_delivered(
    site: Site,
) -> None:
    settings = site.settings
    meeting_id = held_meeting(site)
    signal_id = record(site, meeting_id).json["id"]
    site.client.post(f"/api/v1/signals/{signal_id}/answer", json=ANSWER, headers=site.staff)

    consumer: EventConsumer = resolve(registry.manifest("practiceteam").consumer or "")(settings)
    relay = Relay(site.db, Outbox, lambda: broker_connection(settings), registry.topology(settings))
    practiceteam = create_practiceteam(settings)
    public = practiceteam.test_client()
    stops = [running(relay.run), running(consumer.run)]
    try:
        assert wait_until_drained(site.db, Outbox, timeout=10)
        assert wait_for(lambda: published_rows(consumer.db) == 1)
        page = public.get("/signalen")
        assert page.status_code == 200
        html = page.text
        assert SIGNAL["text"] in html and ANSWER["answer"] in html
        assert "Rotterdam, Schiedam" in html and "GIA-bijeenkomst Limburg" in html
        for name, email, _, _ in PEOPLE:
            assert name not in html and email not in html

        # The same event again, twice, then a later answer: once that one is shown, the
        # duplicates before it in the queue were handled, and had no second effect.
        (event,) = outbox_events(site, SIGNAL_ANSWERED)
        publish_raw(settings, [(event.to_json(), SIGNAL_ANSWERED)] * 2)
        later = record(site, meeting_id, text="Een tweede signaal over werk.").json["id"]
        site.client.post(f"/api/v1/signals/{later}/answer", json=ANSWER, headers=site.staff)
        assert wait_for(lambda: published_rows(consumer.db) == 2)
        assert received(consumer.db) == 2
        html = public.get("/signalen").text
        assert html.count(SIGNAL["text"]) == 1 and html.count(ANSWER["answer"]) == 2
    finally:
        for stop, thread in stops:
            stop.set()
            thread.join(5)
        consumer.db.dispose()
        for db in (practiceteam.extensions["gia"].db, practiceteam.extensions["gia"].auth_db):
            db.dispose()


def received(db: Database) -> int:
    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(ReceivedEvent)) or 0


def test_an_answer_from_another_producer_or_an_unknown_municipality_is_parked(
    site: Site,
) -> None:
    settings = site.settings
    consumer: EventConsumer = resolve(registry.manifest("practiceteam").consumer or "")(settings)
    data = {
        "signal_id": "6d0c53f6-3f36-4a40-9a8c-0f5bb8d0a0a1",
        "meeting_id": "1e0f7f43-3b0f-4a44-b2b6-8f3d3b1f7f10",
        "kind": "gia",
        "region": "Limburg",
        "held_on": "2030-10-10",
        "themes": ["discrimination"],
        "municipality_codes": ["GM0599"],
        "text": "Een signaal.",
        "answer": "Een antwoord.",
        "answered_at": (DURING + timedelta(days=30)).isoformat(),
    }
    forged = new_event(
        SIGNAL_ANSWERED, source=settings.event_source("essay_contest"), subject="s", data=data
    )
    unknown = new_event(
        SIGNAL_ANSWERED,
        source=settings.event_source("registration"),
        subject="s",
        data={**data, "municipality_codes": ["GM0001"]},
    )
    trusted = new_event(
        SIGNAL_ANSWERED, source=settings.event_source("registration"), subject="s", data=data
    )
    topology = registry.topology(settings)
    events = (forged, unknown, trusted, trusted)
    publish_raw(settings, [(event.to_json(), SIGNAL_ANSWERED) for event in events])
    stop, thread = running(consumer.run)
    try:
        assert wait_for(lambda: published_rows(consumer.db) == 1)
        with broker_connection(settings) as connection:
            dead = topology.dead_queues["practiceteam"].bind(connection.default_channel)
            assert wait_for(lambda: dead.queue_declare(passive=True).message_count == 2)
            reasons = [dead.get(no_ack=True).headers["x-gia-error"] for _ in range(2)]
        assert "not from " + settings.event_source("essay_contest") in reasons[0]
        assert reasons[1] == "municipality codes not in the register: GM0001"
        assert received(consumer.db) == 1  # only the trusted one, once
    finally:
        stop.set()
        thread.join(5)
        consumer.db.dispose()
