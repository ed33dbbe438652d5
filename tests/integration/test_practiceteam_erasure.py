"""Retention of praktijkteam requests on PostgreSQL: a final request's personal data is
erased after its retention period (by `gia erase practiceteam`) or at once by staff; the
programme's figures stay, the stored documents and unsent mail go."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from gia.cli import main
from services.practiceteam import erasure, requests
from services.practiceteam.app import create_app
from services.practiceteam.domain import ERASED
from services.practiceteam.models import (
    Assignment,
    Attachment,
    MailQueue,
    Message,
    Note,
    Outbox,
    SupportRequest,
    Transition,
)
from shared.db import Database
from shared.documents import DocumentStore
from shared.settings import Settings
from tests.factories import PRACTICETEAM_REQUEST, serving, signed_in, staff_headers
from tests.integration.test_practiceteam_api import (
    CONTACT,
    PDF,
    assign,
    move,
    submit,
    token_of,
    upload,
)

pytestmark = pytest.mark.services

ANSWER = "Bel mij gerust op mijn mobiel, 06-12345678; ik ben er tot de zomer."


@pytest.fixture
def settings(real_settings: Settings) -> Settings:
    return real_settings


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    with serving(create_app, settings, "auth", "practiceteam") as app:
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def staff(settings: Settings) -> dict[str, str]:
    return staff_headers(settings)


@pytest.fixture
def db(app: Flask) -> Database:
    return app.extensions["gia"].db


@pytest.fixture
def store(settings: Settings) -> DocumentStore:
    return DocumentStore.from_settings(settings)


def withdrawn(client: FlaskClient, **changes: Any) -> str:
    """A request the municipality took back, with a reason it gave."""
    created = submit(client, **changes)
    url = f"/api/v1/requests/{created['id']}/withdraw?token={token_of(created)}"
    assert client.post(url, json={"note": "Onze wethouder is ziek."}).status_code == 200
    return created["id"]


def closed(client: FlaskClient, staff: dict[str, str]) -> tuple[str, str]:
    """A request that went all the way, with a conversation and a document on the way:
    its id and the token of its tracking link."""
    created = submit(client)
    request_id, token = created["id"], token_of(created)
    base = f"/api/v1/requests/{request_id}"
    move(client, staff, request_id, "intake")
    asked = client.post(f"{base}/messages", json={"body": "Wie zijn de partners?"}, headers=staff)
    answer = {"body": ANSWER, "in_reply_to": asked.json["id"]}
    assert client.post(f"{base}/messages?token={token}", json=answer).status_code == 201
    assert upload(client, f"{base}/attachments?token={token}", PDF, "cv.pdf").status_code == 201
    note = {"body": "Intern: partners zijn bekend."}
    assert client.post(f"{base}/notes", json=note, headers=staff).status_code == 201
    move(client, staff, request_id, "accepted")
    assign(client, staff, request_id)
    move(client, staff, request_id, "planned", dates=[{"date": "2012-11-05"}])
    move(client, staff, request_id, "in_progress")
    move(client, staff, request_id, "completed", report="Twee gesprekken.", agreements="Vervolg.")
    evaluation = {"score": 4, "comment": "Mevrouw De Vries was erg behulpzaam."}
    assert client.post(f"{base}/evaluation?token={token}", json=evaluation).status_code == 200
    return request_id, token


def erase_now(db: Database, store: DocumentStore, request_id: str) -> None:
    with db.transaction() as session:
        erasure.erase(session, store, request_id, datetime.now(UTC))


def erased_at(db: Database, request_id: str) -> datetime | None:
    with db.transaction() as session:
        return session.scalar(
            select(SupportRequest.erased_at).where(SupportRequest.id == request_id)
        )


def test_erasure_forgets_the_contact_person_and_keeps_what_the_programme_reports(
    client: FlaskClient, staff: dict[str, str], db: Database, store: DocumentStore
) -> None:
    request_id, token = closed(client, staff)
    other = submit(client)["id"]  # its mail waits in the queue and stays there
    with db.transaction() as session:
        document_id = session.scalar(select(Attachment.id))
        events_before = session.scalar(select(func.count()).select_from(Outbox))
        other_mails = session.scalar(
            select(func.count())
            .select_from(MailQueue)
            .join(Transition, Transition.id == MailQueue.about)
            .where(Transition.request_id == other)
        )
    assert store.path(document_id).exists() and other_mails == 1

    erase_now(db, store, request_id)

    with db.transaction() as session:
        found = session.get(SupportRequest, request_id)
        assert found is not None and found.erased_at is not None
        assert found.contact == dict.fromkeys(("name", "email", "phone", "function"), ERASED)
        assert found.evaluation_comment == ERASED and found.evaluation_score == 4
        assert found.question == PRACTICETEAM_REQUEST["question"]
        assert (found.report, found.agreements) == ("Twee gesprekken.", "Vervolg.")
        assert found.municipality_codes == ["GM0599", "GM0606"]
        assert found.themes == sorted(PRACTICETEAM_REQUEST["themes"])
        assert [step.to_status for step in found.history][-1] == "closed"
        assert len(found.history) == 7
        bodies = {row.actor: row.body for row in session.scalars(select(Message))}
        assert bodies == {"ministry": "Wie zijn de partners?", "municipality": ERASED}
        assert session.scalar(select(Note.body)) == "Intern: partners zijn bekend."
        member = session.scalar(select(Assignment))
        assert member is not None and (member.name, member.email) == ("Kees Jansen", None)
        document = session.get(Attachment, document_id)
        assert document is not None and document.erased_at == found.erased_at
        assert document.filename == ERASED and document.size == len(PDF)
        assert session.scalar(select(func.count()).select_from(Outbox)) == events_before
        assert requests.capacity(session) == []
        left = session.scalars(select(MailQueue.about).where(MailQueue.sent_at.is_(None))).all()
    assert not store.path(document_id).exists()
    assert len(left) == other_mails  # only the other request's mail is still to be sent

    view = client.get(f"/api/v1/requests/{request_id}?token={token}").json
    assert view["contact"]["email"] == ERASED and view["erased_at"]
    assert ANSWER not in str(view) and CONTACT["name"] not in str(view)
    download = client.get(f"/api/v1/requests/{request_id}/attachments/{document_id}", headers=staff)
    assert download.status_code == 404 and "erased" in download.json["detail"]


def test_a_rolled_back_erasure_keeps_everything(
    client: FlaskClient, staff: dict[str, str], db: Database, store: DocumentStore
) -> None:
    request_id, _ = closed(client, staff)
    with db.transaction() as session:
        document_id = session.scalar(select(Attachment.id))
    with pytest.raises(RuntimeError), db.transaction() as session:
        erasure.erase(session, store, request_id, datetime.now(UTC))
        raise RuntimeError("the transaction fails after the erasure")
    with db.transaction() as session:
        found = session.get(SupportRequest, request_id)
        assert found is not None and found.erased_at is None
        assert found.contact_email == CONTACT["email"]
    assert store.path(document_id).read_bytes() == PDF


def test_erasure_clears_the_error_text_of_the_request_s_sent_mail(
    client: FlaskClient, staff: dict[str, str], db: Database, store: DocumentStore
) -> None:
    """A mail that failed before it went out keeps its error, which may quote the address."""
    request_id, _ = closed(client, staff)
    other = submit(client)["id"]
    failure = f"550 mailbox {CONTACT['email']} unavailable"
    with db.transaction() as session:
        session.execute(update(MailQueue).values(attempts=1, last_error=failure))
        ours = select(Transition.id).where(Transition.request_id == request_id)
        session.execute(
            update(MailQueue).where(MailQueue.about.in_(ours)).values(sent_at=datetime.now(UTC))
        )
        sent = set(session.scalars(select(MailQueue.id).where(MailQueue.about.in_(ours))))
    assert sent

    erase_now(db, store, request_id)

    with db.transaction() as session:
        errors = dict(session.execute(select(MailQueue.id, MailQueue.last_error)).all())
        theirs = session.scalars(
            select(MailQueue.id)
            .join(Transition, Transition.id == MailQueue.about)
            .where(Transition.request_id == other)
        ).all()
    assert sent <= errors.keys()  # sent mail stays as a record that it went out ...
    assert all(errors[mail_id] is None for mail_id in sent)  # ... without the error text
    assert theirs and all(errors[mail_id] == failure for mail_id in theirs)


def test_only_final_requests_past_their_retention_period_are_erased(
    client: FlaskClient, staff: dict[str, str], db: Database, store: DocumentStore
) -> None:
    gone = withdrawn(client)
    declined = submit(client)["id"]
    move(client, staff, declined, "intake")
    assert (
        move(client, staff, declined, "declined", reason="Buiten de doelgroep.").status_code == 200
    )
    waiting = submit(client)["id"]
    now = datetime.now(UTC)

    assert erasure.erase_due(db, store, now + timedelta(days=364), 365) == 0
    assert erasure.erase_due(db, store, now + timedelta(days=366), 365) == 2
    assert erasure.erase_due(db, store, now + timedelta(days=367), 365) == 0  # nothing left

    with db.transaction() as session:
        erased = dict(session.execute(select(SupportRequest.id, SupportRequest.erased_at)).all())
        note = session.scalar(
            select(Transition.note).where(
                Transition.request_id == gone, Transition.to_status == "withdrawn"
            )
        )
        reason = session.get(SupportRequest, declined)
        assert reason is not None and reason.decline_reason == "Buiten de doelgroep."
    assert erased[waiting] is None and erased[gone] == erased[declined] == now + timedelta(days=366)
    assert note == ERASED  # the municipality's own words when it withdrew


def test_the_command_erases_exactly_the_due_requests_and_prints_the_count(
    client: FlaskClient,
    staff: dict[str, str],
    db: Database,
    real_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    due = withdrawn(client)
    recent = withdrawn(client)
    open_but_old = submit(client)["id"]
    month_ago = datetime.now(UTC) - timedelta(days=31)
    with db.transaction() as session:
        session.execute(
            update(SupportRequest)
            .where(SupportRequest.id.in_([due, open_but_old]))
            .values(status_changed_at=month_ago)
        )
    for name, value in {**real_env, "GIA_PRACTICETEAM_RETENTION_DAYS": "30"}.items():
        monkeypatch.setenv(name, value)

    first = CliRunner().invoke(main, ["erase", "practiceteam"])
    assert first.exit_code == 0, first.output
    assert first.output == "1 request(s) erased\n"
    with db.transaction() as session:
        erased = session.scalars(
            select(SupportRequest.id).where(SupportRequest.erased_at.is_not(None))
        ).all()
    assert erased == [due] and erased_at(db, recent) is None
    assert CliRunner().invoke(main, ["erase", "practiceteam"]).output == "0 request(s) erased\n"


def test_the_api_erases_final_requests_for_staff_only(
    client: FlaskClient, staff: dict[str, str], settings: Settings
) -> None:
    open_request = submit(client)
    request_id = open_request["id"]
    url = f"/api/v1/requests/{request_id}/erasure"

    assert client.post(url).status_code == 401
    assert client.post(url, headers=staff_headers(settings, "jury")).status_code == 403
    assert client.post(f"{url}?token={token_of(open_request)}").status_code == 401
    early = client.post(url, headers=staff)
    assert early.status_code == 409 and early.json["current_status"] == "submitted"
    assert "once it is closed, declined or withdrawn" in early.json["detail"]
    unknown = "/api/v1/requests/00000000-0000-4000-8000-000000000000/erasure"
    assert client.post(unknown, headers=staff).status_code == 404

    final = withdrawn(client)
    erased = client.post(f"/api/v1/requests/{final}/erasure", headers=staff)
    assert erased.status_code == 200 and erased.json["erased_at"]
    assert erased.json["contact"] == dict.fromkeys(("name", "email", "phone", "function"), ERASED)
    assert erased.json["status"] == "withdrawn" and erased.json["municipality_codes"]
    again = client.post(f"/api/v1/requests/{final}/erasure", headers=staff)
    assert again.status_code == 200 and again.json["erased_at"] == erased.json["erased_at"]


def staff_client(app: Flask) -> FlaskClient:
    client = app.test_client()
    signed_in(client, "team@minbzk.nl", "staff")
    return client


def test_staff_erase_a_final_request_from_its_page_with_confirmation(
    app: Flask, client: FlaskClient, staff: dict[str, str], db: Database
) -> None:
    app.config["WTF_CSRF_ENABLED"] = False
    request_id, token = closed(client, staff)
    page = f"/beheer/aanvragen/{request_id}"
    erase = f"{page}/wissen"
    colleague = staff_client(app)
    assert "Persoonsgegevens nu wissen" in colleague.get(page).text
    assert (
        "Persoonsgegevens nu wissen"
        not in colleague.get(f"/beheer/aanvragen/{submit(client)['id']}").text
    )  # not while a request is open

    anonymous = client.post(erase, data={"confirm": "on"})
    assert anonymous.status_code == 302 and anonymous.location.startswith("/login")
    unconfirmed = colleague.post(erase, data={})
    assert unconfirmed.status_code == 422 and "Vink aan" in unconfirmed.text
    assert erased_at(db, request_id) is None

    done = colleague.post(erase, data={"confirm": "on"}, follow_redirects=True)
    assert done.status_code == 200
    assert "De persoonsgegevens van deze aanvraag zijn gewist." in done.text
    assert "zijn gewist op" in done.text and CONTACT["email"] not in done.text
    assert "Persoonsgegevens nu wissen" not in done.text

    tracking = client.get(f"/aanvraag/{request_id}?token={token}").text
    assert "De persoonsgegevens bij deze aanvraag zijn op" in tracking
    assert CONTACT["name"] not in tracking and ANSWER not in tracking
    assert "Document gewist op" in tracking
    queue = colleague.get("/beheer").text
    assert f"/beheer/aanvragen/{request_id}" in queue and "gegevens gewist" in queue


def test_the_erase_button_needs_the_form_token(
    app: Flask, client: FlaskClient, db: Database
) -> None:
    request_id = withdrawn(client)
    refused = staff_client(app).post(
        f"/beheer/aanvragen/{request_id}/wissen", data={"confirm": "on"}
    )
    assert refused.status_code == 400
    assert erased_at(db, request_id) is None
