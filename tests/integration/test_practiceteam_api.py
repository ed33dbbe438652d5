"""The praktijkteam API on PostgreSQL and RabbitMQ (some of it on the embedded SQLite default
as well): a request's whole life, who sees what, and clear 4xx answers that leave nothing
half-written."""

from __future__ import annotations

import io
import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from gia import registry
from gia.migrations import upgrade
from services.indicators.consumer import build_consumer
from services.indicators.models import ReceivedEvent
from services.practiceteam import contributions, requests
from services.practiceteam.app import create_app
from services.practiceteam.domain import staff as staff_member
from services.practiceteam.mails import TELLS
from services.practiceteam.models import Outbox
from shared.db import Database
from shared.documents import DocumentStore
from shared.events.catalogue import PRACTICETEAM_EVENTS
from shared.events.relay import Relay
from shared.events.topology import broker_connection
from shared.settings import Settings, load_settings
from tests.factories import (
    PRACTICETEAM_REQUEST,
    delivered_mails,
    path_of,
    serving,
    staff_headers,
    wait_for,
)

pytestmark = pytest.mark.services

CONTACT = PRACTICETEAM_REQUEST["contact"]
PDF = b"%PDF-1.4\n" + b"1 0 obj << >> endobj\n" * 50


@pytest.fixture
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """PostgreSQL and RabbitMQ; the embedded SQLite default where a test asks for it too."""
    if getattr(request, "param", "postgresql") == "sqlite":
        return load_settings({"GIA_VAR_DIR": str(tmp_path), "GIA_SECRET_KEY": "k" * 40})
    return request.getfixturevalue("real_settings")


# The same test on the embedded default as well.
ALSO_ON_SQLITE = pytest.mark.parametrize("settings", ["postgresql", "sqlite"], indirect=True)


@pytest.fixture
def client(settings: Settings) -> Iterator[FlaskClient]:
    with serving(create_app, settings, "auth", "practiceteam") as app:
        yield app.test_client()


@pytest.fixture
def staff(settings: Settings) -> dict[str, str]:
    return staff_headers(settings)


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = Database.for_service(settings, "practiceteam")
    yield database
    database.dispose()


def submit(client: FlaskClient, **changes: Any) -> dict[str, Any]:
    response = client.post("/api/v1/requests", json={**PRACTICETEAM_REQUEST, **changes})
    assert response.status_code == 201, response.json
    return response.json


def token_of(view: dict[str, Any]) -> str:
    return path_of(view["links"]["self"]).split("token=")[1]


def move(client: FlaskClient, staff: dict[str, str], request_id: str, to: str, **data: Any) -> Any:
    return client.post(
        f"/api/v1/requests/{request_id}/transitions", json={"to": to, **data}, headers=staff
    )


def assign(client: FlaskClient, staff: dict[str, str], request_id: str) -> Any:
    member = {"name": "Kees Jansen", "email": "K.Jansen@example.nl", "role": "lead"}
    return client.post(f"/api/v1/requests/{request_id}/assignments", json=member, headers=staff)


def upload(client: FlaskClient, url: str, content: bytes, name: str) -> Any:
    return client.post(
        url, data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data"
    )


def events(db: Database) -> list[Outbox]:
    with db.transaction() as session:
        return list(session.scalars(select(Outbox).order_by(Outbox.created_at)))


LIFECYCLE = [
    "submitted",
    "intake",
    "accepted",
    "planned",
    "in_progress",
    "completed",
    "closed",
]


def test_a_request_goes_from_submitted_to_closed(
    client: FlaskClient, staff: dict[str, str], settings: Settings, db: Database
) -> None:
    created = submit(client)
    request_id, token = created["id"], token_of(created)
    assert created["status"] == "submitted" and "/aanvraag/" in created["links"]["tracking"]
    assert created["next_step"]["step"] == "intake" and created["target_group"] is True

    assert move(client, staff, request_id, "intake", note="Wij bellen u deze week.").json[
        "status"
    ] == ("intake")
    assert move(client, staff, request_id, "accepted").status_code == 200
    member = assign(client, staff, request_id)
    assert member.status_code == 201 and member.json["email"] == "k.jansen@example.nl"
    planned = move(
        client,
        staff,
        request_id,
        "planned",
        dates=[{"date": "2012-11-19"}, {"date": "2012-11-05", "description": "Startgesprek"}],
    )
    assert planned.status_code == 200, planned.json
    assert planned.json["next_step"] == {"step": "start", "expected_on": "2012-11-05"}
    assert move(client, staff, request_id, "in_progress").status_code == 200
    completed = move(
        client,
        staff,
        request_id,
        "completed",
        report="Twee wijkgesprekken gevoerd.",
        agreements="De gemeente zet de sleutelfiguren in.",
    )
    assert completed.status_code == 200 and completed.json["report"]
    closed = client.post(
        f"/api/v1/requests/{request_id}/evaluation?token={token}",
        json={"score": 4, "comment": "Precies wat wij nodig hadden."},
    )
    assert closed.status_code == 200 and closed.json["status"] == "closed"
    assert closed.json["evaluation"]["score"] == 4 and "notes" not in closed.json

    history = client.get(f"/api/v1/requests/{request_id}", headers=staff).json["history"]
    assert [(step["from"], step["to"]) for step in history] == list(
        zip([None, *LIFECYCLE[:-1]], LIFECYCLE, strict=True)
    )
    assert history[1]["by"] == "test" and history[1]["note"] == "Wij bellen u deze week."
    assert history[-1]["actor"] == "municipality"

    # Every step's event, published to RabbitMQ once, is received and kept by indicators.
    relay = Relay(db, Outbox, lambda: broker_connection(settings), registry.topology(settings))
    while relay.publish_pending():
        pass
    relay.close()
    upgrade(settings, ("indicators",))
    consumer = build_consumer(settings)
    stop = threading.Event()
    thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    thread.start()
    try:
        assert wait_for(lambda: len(received(consumer.db)) == len(LIFECYCLE))
        time.sleep(0.5)
        kept = received(consumer.db)
    finally:
        stop.set()
        thread.join(10)
        consumer.db.dispose()
    assert Counter(event.type for event in kept) == {
        PRACTICETEAM_EVENTS[status]: 1 for status in LIFECYCLE
    }
    assert {event.subject for event in kept} == {f"request/{request_id}"}
    planned_event = next(event for event in kept if event.data["status"] == "planned")
    assert planned_event.data["municipality_codes"] == ["GM0599", "GM0606"]
    assert planned_event.data["planned_dates"] == ["2012-11-05", "2012-11-19"]
    for event in kept:
        body = json.dumps(event.data)
        for personal in (*CONTACT.values(), PRACTICETEAM_REQUEST["question"], "Kees"):
            assert personal not in body
    with broker_connection(settings) as connection:
        dead = registry.topology(settings).dead_queues["indicators"]
        assert dead.bind(connection.default_channel).queue_declare(passive=True).message_count == 0

    everything = delivered_mails(settings, "practiceteam")
    mails = [mail for mail in everything if mail["To"] == CONTACT["email"]]
    assert [mail["Subject"] for mail in mails] == [TELLS[status][0] for status in LIFECYCLE]
    assert [mail["To"] for mail in everything if mail not in mails] == ["k.jansen@example.nl"]
    for mail in mails:
        assert f"/aanvraag/{request_id}?token={token}" in mail.get_content()
    planned_mail = mails[LIFECYCLE.index("planned")].get_content()
    assert "Kees Jansen" in planned_mail and "05-11-2012: Startgesprek" in planned_mail
    assert "Rotterdam, Schiedam" in planned_mail


def test_a_team_member_is_mailed_when_assigned_unless_taken_off_before_it_went(
    client: FlaskClient, staff: dict[str, str], settings: Settings, db: Database
) -> None:
    request_id = submit(client)["id"]
    move(client, staff, request_id, "intake")
    move(client, staff, request_id, "accepted")
    assert assign(client, staff, request_id).status_code == 201
    other = {"name": "Els Smit", "email": "els@example.nl", "role": "member"}
    added = client.post(f"/api/v1/requests/{request_id}/assignments", json=other, headers=staff)
    client.delete(f"/api/v1/requests/{request_id}/assignments/{added.json['id']}", headers=staff)

    to_team = [
        mail for mail in delivered_mails(settings, "practiceteam") if mail["To"] != CONTACT["email"]
    ]
    assert [mail["To"] for mail in to_team] == ["k.jansen@example.nl"]  # Els was taken off
    (mail,) = to_team
    assert mail["Subject"] == "Ingedeeld in het praktijkteam: Rotterdam, Schiedam"
    text = mail.get_content()
    assert "Beste Kees Jansen," in text and "als trekker" in text
    assert PRACTICETEAM_REQUEST["question"] in text and CONTACT["email"] in text
    assert f"/beheer/aanvragen/{request_id}" in text and "token=" not in text


def received(indicators: Database) -> list[ReceivedEvent]:
    with indicators.transaction() as session:
        return list(session.scalars(select(ReceivedEvent)))


@ALSO_ON_SQLITE
def test_illegal_moves_are_409_with_the_allowed_ones_and_change_nothing(
    client: FlaskClient, staff: dict[str, str], db: Database
) -> None:
    created = submit(client)
    request_id, token = created["id"], token_of(created)
    early = move(client, staff, request_id, "planned")
    assert early.status_code == 409 and early.json["allowed"] == ["intake", "withdrawn"]

    move(client, staff, request_id, "intake")
    no_reason = move(client, staff, request_id, "declined")
    assert no_reason.status_code == 400 and "reason" in no_reason.json["errors"]
    unused = move(client, staff, request_id, "accepted", report="Te vroeg.")
    assert unused.status_code == 400 and "report" in unused.json["errors"]
    stale = move(client, staff, request_id, "accepted", version=1)
    assert stale.status_code == 409 and "version" in stale.json["detail"]
    accepted = move(client, staff, request_id, "accepted", version=2)
    assert accepted.status_code == 200 and accepted.json["allowed_next"] == ["planned", "withdrawn"]
    teamless = move(client, staff, request_id, "planned", dates=[{"date": "2012-11-05"}])
    assert teamless.status_code == 409 and teamless.json["missing"] == ["team"]
    closing = move(client, staff, request_id, "closed")
    assert closing.status_code == 409 and closing.json["allowed"] == ["planned", "withdrawn"]

    withdrawn = client.post(
        f"/api/v1/requests/{request_id}/withdraw?token={token}", json={"note": "Zelf opgelost."}
    )
    assert withdrawn.status_code == 200 and withdrawn.json["status"] == "withdrawn"
    assert assign(client, staff, request_id).status_code == 409  # the request is final
    planned = move(client, staff, request_id, "planned", dates=[{"date": "2012-11-05"}])
    assert planned.status_code == 409 and planned.mimetype == "application/problem+json"
    assert planned.json["allowed"] == [] and planned.json["current_status"] == "withdrawn"
    again = client.post(f"/api/v1/requests/{request_id}/withdraw?token={token}", json={})
    assert again.status_code == 409

    view = client.get(f"/api/v1/requests/{request_id}", headers=staff).json
    assert [step["to"] for step in view["history"]] == [
        "submitted",
        "intake",
        "accepted",
        "withdrawn",
    ]
    assert view["team"] == [] and view["dates"] == []
    assert [row.type.rsplit(".", 1)[1] for row in events(db)] == [
        "submitted",
        "intake",
        "accepted",
        "withdrawn",
    ]


def test_the_team_is_kept_while_planned_and_the_municipality_cannot_withdraw_once_started(
    client: FlaskClient, staff: dict[str, str]
) -> None:
    created = submit(client)
    request_id, token = created["id"], token_of(created)
    move(client, staff, request_id, "intake")
    move(client, staff, request_id, "accepted")
    member = assign(client, staff, request_id).json
    assert assign(client, staff, request_id).status_code == 409  # already on the team
    move(client, staff, request_id, "planned", dates=[{"date": "2012-11-05"}])
    last = client.delete(f"/api/v1/requests/{request_id}/assignments/{member['id']}", headers=staff)
    assert last.status_code == 409
    move(client, staff, request_id, "in_progress")
    late = client.post(f"/api/v1/requests/{request_id}/withdraw?token={token}", json={})
    assert late.status_code == 409 and late.json["allowed"] == ["completed"]
    team = client.get(f"/api/v1/requests/{request_id}?token={token}").json["team"]
    assert team == [{"name": "Kees Jansen", "role": "lead"}]  # no addresses for the municipality


def test_a_tracking_link_opens_its_own_request_and_nothing_else(
    client: FlaskClient, staff: dict[str, str], settings: Settings
) -> None:
    mine = submit(client)
    other_question = "Hoe bereiken wij EU-arbeidsmigranten in de kassen?"
    theirs = submit(
        client,
        municipality_codes=["GM0518"],
        lead_municipality_code=None,
        question=other_question,
        contact={**CONTACT, "name": "Jan Smit", "email": "j.smit@example.nl"},
    )
    my_token = token_of(mine)
    own = client.get(f"/api/v1/requests/{mine['id']}?token={my_token}")
    assert own.status_code == 200
    shown = own.get_data(as_text=True)
    assert theirs["id"] not in shown and other_question not in shown and "Jan Smit" not in shown

    url = f"/api/v1/requests/{theirs['id']}"
    attempts = [
        client.get(f"{url}?token={my_token}"),
        client.get(url),
        client.post(f"{url}/withdraw?token={my_token}", json={}),
        client.post(f"{url}/messages?token={my_token}", json={"body": "Hallo"}),
        client.post(f"{url}/evaluation?token={my_token}", json={"score": 1}),
        upload(client, f"{url}/attachments?token={my_token}", PDF, "a.pdf"),
    ]
    for attempt in attempts:
        assert attempt.status_code == 401 and attempt.mimetype == "application/problem+json"

    jury = staff_headers(settings, role="jury")
    staff_only = [
        ("get", "/api/v1/requests", None),
        ("get", url, None),
        ("post", f"{url}/transitions", {"to": "intake"}),
        ("post", f"{url}/notes", {"body": "x"}),
        ("post", f"{url}/assignments", {"name": "Kees", "email": "k@example.nl"}),
        ("post", f"{url}/signals", {"summary": "abc", "body": "x"}),
        ("get", "/api/v1/capacity", None),
    ]
    for method, path, body in staff_only:
        anonymous = getattr(client, method)(path, json=body)
        refused = getattr(client, method)(path, json=body, headers=jury)
        assert (anonymous.status_code, refused.status_code) == (401, 403), path
    assert anonymous.headers["WWW-Authenticate"] == "Bearer"
    untouched = client.get(url, headers=staff).json
    assert untouched["status"] == "submitted" and untouched["messages"] == []
    assert untouched["notes"] == [] and untouched["team"] == []


def test_internal_notes_never_reach_the_municipality_or_an_event(
    client: FlaskClient, staff: dict[str, str], settings: Settings, db: Database
) -> None:
    created = submit(client)
    request_id, token = created["id"], token_of(created)
    secret = "INTERN-7f3a: de wethouder ligt onder vuur"
    note = client.post(f"/api/v1/requests/{request_id}/notes", json={"body": secret}, headers=staff)
    assert note.status_code == 201 and note.json["by"] == "test"
    unshared = "NIET-DELEN: de ambtelijke top is verdeeld"
    for summary, body, shareable in (
        ("Spanning in het bestuur", unshared, False),
        ("Wijkgesprekken werken", "Sleutelfiguren eerst spreken.", True),
    ):
        signal = client.post(
            f"/api/v1/requests/{request_id}/signals",
            json={"summary": summary, "body": body, "shareable": shareable},
            headers=staff,
        )
        assert signal.status_code == 201 and signal.json["themes"] == sorted(
            PRACTICETEAM_REQUEST["themes"]
        )
    move(client, staff, request_id, "intake")

    municipality = client.get(f"/api/v1/requests/{request_id}?token={token}")
    text = municipality.get_data(as_text=True)
    assert secret not in text and unshared not in text and "Sleutelfiguren eerst" in text
    assert "notes" not in municipality.json and "by" not in municipality.json["history"][1]
    everything = client.get(f"/api/v1/requests/{request_id}", headers=staff).json
    assert [n["body"] for n in everything["notes"]] == [secret]
    assert len(everything["signals"]) == 2

    shared = client.get("/api/v1/signals?theme=social_tensions").json
    assert [signal["summary"] for signal in shared] == ["Wijkgesprekken werken"]
    assert client.get("/api/v1/signals?theme=sport").json == []

    for row in events(db):
        assert secret.encode() not in row.body and unshared.encode() not in row.body
    for mail in delivered_mails(settings, "practiceteam"):
        assert secret not in mail.get_content()


# Rotterdam and Schiedam lead the request of PRACTICETEAM_REQUEST.
GROUP = PRACTICETEAM_REQUEST


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ("{not json", 400, None),
        ({**GROUP, "municipality_codes": ["GM9999"]}, 400, "municipality_codes"),
        ({**GROUP, "municipality_codes": []}, 400, "municipality_codes"),
        ({**GROUP, "question": ""}, 400, "question"),
        ({**GROUP, "question": "   "}, 400, "question"),
        ({**GROUP, "lead_municipality_code": None}, 400, "lead_municipality_code"),
        ({**GROUP, "lead_municipality_code": "GM0363"}, 400, "lead_municipality_code"),
        ({**GROUP, "themes": ["weather"]}, 400, "themes"),
        ({**GROUP, "themes": []}, 400, "themes"),
        ({**GROUP, "contact": {**CONTACT, "email": "geen adres"}}, 400, "contact"),
        ({**GROUP, "surprise": True}, 400, "surprise"),
        ({**GROUP, "question": "x" * 2 * 1024 * 1024}, 413, None),
    ],
)
def test_bad_requests_are_clear_problems_and_leave_nothing(
    client: FlaskClient,
    staff: dict[str, str],
    db: Database,
    body: Any,
    status: int,
    field: str | None,
) -> None:
    response = (
        client.post("/api/v1/requests", data=body, content_type="application/json")
        if isinstance(body, str)
        else client.post("/api/v1/requests", json=body)
    )
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    if field:
        assert field in response.json["errors"]
    assert client.get("/api/v1/requests", headers=staff).json["total"] == 0
    assert events(db) == []


def test_unknown_ids_are_404(client: FlaskClient, staff: dict[str, str]) -> None:
    unknown = "/api/v1/requests/6f1c0c4e-0000-4000-8000-000000000000"
    for response in (
        client.get(unknown, headers=staff),
        client.post(f"{unknown}/transitions", json={"to": "intake"}, headers=staff),
        client.post(f"{unknown}/notes", json={"body": "x"}, headers=staff),
        client.get("/api/v1/requests/not-a-uuid", headers=staff),
    ):
        assert response.status_code == 404 and response.mimetype == "application/problem+json"
    request_id = submit(client)["id"]
    missing = client.get(
        f"/api/v1/requests/{request_id}/attachments/6f1c0c4e-0000-4000-8000-000000000000",
        headers=staff,
    )
    assert missing.status_code == 404


@ALSO_ON_SQLITE
def test_attachments_are_judged_by_content_size_limited_and_kept_outside(
    client: FlaskClient, staff: dict[str, str], settings: Settings, db: Database
) -> None:
    created = submit(client)
    request_id, token = created["id"], token_of(created)
    url = f"/api/v1/requests/{request_id}/attachments?token={token}"
    stored = settings.effective_attachments_dir

    added = upload(client, url, PDF, "../plan van aanpak.pdf")
    assert added.status_code == 201, added.json
    assert added.json["filename"] == "plan van aanpak.pdf"
    assert added.json["media_type"] == "application/pdf" and added.json["size"] == len(PDF)
    # The municipality's view links the document with its own token: it opens as given.
    download = client.get(added.json["href"])
    assert download.status_code == 200 and download.data == PDF
    staff_view = client.get(f"/api/v1/requests/{request_id}", headers=staff).json
    listed = staff_view["attachments"][0]["href"]
    assert "token" not in listed and client.get(listed, headers=staff).data == PDF
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert [path.name for path in stored.iterdir()] == [added.json["id"]]

    executable = b"MZ\x90\x00\x03" + bytes(4000)
    renamed = upload(client, url, executable, "begroting.pdf")
    assert renamed.status_code == 415 and renamed.mimetype == "application/problem+json"
    huge = upload(client, url, b"%PDF-1.4\n" + bytes(30 * 1024 * 1024), "groot.pdf")
    assert huge.status_code == 413 and huge.mimetype == "application/problem+json"
    just_over = b"%PDF-1.4\n" + bytes(settings.attachment_max_bytes)
    assert upload(client, url, just_over, "net te groot.pdf").status_code == 413
    assert upload(client, url, b"", "leeg.pdf").status_code == 400

    # A transaction that fails after the file was written takes the file with it.
    store = DocumentStore.from_settings(settings)
    with pytest.raises(RuntimeError), db.transaction() as session:
        contributions.add_attachment(session, store, request_id, staff_member("t"), "b.pdf", PDF)
        raise RuntimeError("the change failed")

    assert [path.name for path in stored.iterdir()] == [added.json["id"]]
    view = client.get(f"/api/v1/requests/{request_id}", headers=staff).json
    assert [a["id"] for a in view["attachments"]] == [added.json["id"]]
    assert view["attachments"][0]["actor"] == "municipality"


@ALSO_ON_SQLITE
def test_questions_answers_and_information(
    client: FlaskClient, staff: dict[str, str], settings: Settings
) -> None:
    created = submit(client)
    request_id, token = created["id"], token_of(created)
    url = f"/api/v1/requests/{request_id}/messages"
    question = client.post(url, json={"body": "Om welke wijken gaat het?"}, headers=staff)
    assert question.status_code == 201 and question.json["kind"] == "question"
    answer = client.post(
        f"{url}?token={token}",
        json={"body": "Noord en Zuid.", "in_reply_to": question.json["id"]},
    )
    assert answer.status_code == 201 and answer.json["kind"] == "answer"
    information = client.post(f"{url}?token={token}", json={"body": "Ook het centrum."})
    assert information.json["kind"] == "information"
    own_reply = client.post(
        f"{url}?token={token}", json={"body": "x", "in_reply_to": answer.json["id"]}
    )
    assert own_reply.status_code == 400 and "in_reply_to" in own_reply.json["errors"]
    assert client.post(f"{url}?token={token}", json={"body": " "}).status_code == 400

    shown = client.get(f"/api/v1/requests/{request_id}?token={token}").json["messages"]
    assert [(m["actor"], m["kind"]) for m in shown] == [
        ("ministry", "question"),
        ("municipality", "answer"),
        ("municipality", "information"),
    ]
    subjects = [mail["Subject"] for mail in delivered_mails(settings, "practiceteam")]
    assert subjects == [TELLS["submitted"][0], "Vraag over uw aanvraag praktijkteam"]

    client.post(f"/api/v1/requests/{request_id}/withdraw?token={token}", json={})
    closed = client.post(f"{url}?token={token}", json={"body": "Nog iets."})
    assert closed.status_code == 409


@ALSO_ON_SQLITE
def test_the_queue_puts_the_target_group_first_and_filters(
    client: FlaskClient, staff: dict[str, str], db: Database
) -> None:
    maastricht = submit(client, municipality_codes=["GM0935"], lead_municipality_code=None)["id"]
    group = submit(client)["id"]
    the_hague = submit(
        client,
        municipality_codes=["GM0518"],
        lead_municipality_code=None,
        themes=["eu_labour_migrants"],
    )["id"]
    move(client, staff, the_hague, "intake")

    def ids(query: str = "") -> list[str]:
        answer = client.get(f"/api/v1/requests{query}", headers=staff)
        assert answer.status_code == 200, answer.json
        return [item["id"] for item in answer.json["items"]]

    assert ids() == [group, the_hague, maastricht]
    assert ids("?sort=oldest") == [maastricht, group, the_hague]
    assert ids("?target_group=false") == [maastricht]
    assert ids("?target_group=true&sort=newest") == [the_hague, group]
    assert ids("?region=Limburg") == [maastricht]
    assert ids("?theme=eu_labour_migrants") == [the_hague]
    assert ids("?status=intake") == [the_hague]
    assert ids("?older_than_days=1") == []
    assert ids("?per_page=1&page=2") == [the_hague]
    assert client.get("/api/v1/requests?per_page=1", headers=staff).json["total"] == 3
    assert client.get("/api/v1/requests?region=Mars", headers=staff).status_code == 400
    assert all(
        not item["overdue"] for item in client.get("/api/v1/requests", headers=staff).json["items"]
    )

    three_weeks_on = datetime.now(UTC) + timedelta(days=21)
    with db.transaction() as session:
        late = requests.queue(session, three_weeks_on, overdue=True)
        assert [item.id for item in late.items] == [group, maastricht]
        assert all(item.status == "submitted" for item in late.items)


def test_capacity_counts_each_members_requests_per_month(
    client: FlaskClient, staff: dict[str, str]
) -> None:
    planned = submit(client)["id"]
    waiting = submit(client)["id"]
    for request_id in (planned, waiting):
        move(client, staff, request_id, "intake")
        move(client, staff, request_id, "accepted")
        assign(client, staff, request_id)
    move(
        client,
        staff,
        planned,
        "planned",
        dates=[{"date": "2012-11-28"}, {"date": "2013-01-09"}],
    )
    load = client.get("/api/v1/capacity", headers=staff).json
    assert load == [
        {
            "email": "k.jansen@example.nl",
            "name": "Kees Jansen",
            "months": {"2012-11": 1, "2012-12": 1, "2013-01": 1},
            "unplanned": 1,
        }
    ]


def test_an_attachment_larger_than_an_ordinary_body_is_taken_up_to_its_own_limit(
    client: FlaskClient, staff: dict[str, str], settings: Settings
) -> None:
    """GIA_MAX_BODY_BYTES bounds ordinary bodies; a document may be GIA_ATTACHMENT_MAX_BYTES."""
    created = submit(client)
    large = PDF + bytes(settings.max_body_bytes + 1024)
    assert len(large) < settings.attachment_max_bytes
    by_staff = client.post(
        f"/api/v1/requests/{created['id']}/attachments",
        data={"file": (io.BytesIO(large), "kaart.pdf")},
        content_type="multipart/form-data",
        headers=staff,
    )
    assert by_staff.status_code == 201, by_staff.json
    assert by_staff.json["size"] == len(large)
