"""Test data used by more than one test module."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient

from gia import registry
from gia.migrations import upgrade
from gia.registry import manifest
from shared.auth.accounts import Account, add_account
from shared.auth.tokens import mint_token
from shared.events.catalogue import PRODUCERS
from shared.events.publisher import ConfirmedPublisher, Outgoing
from shared.events.topology import broker_connection
from shared.mail import sent_messages
from shared.manifest import resolve
from shared.settings import AUTH_DATABASE, Settings
from shared.web.auth import SESSION_KEY, session_record

T = TypeVar("T")
_DEFAULTS = Settings(var_dir=Path("var"), secret_key="")


def producer_source(event_type: str) -> str:
    """The source the type's producer gives it (default OIN): the only one consumers trust."""
    return _DEFAULTS.event_source(PRODUCERS[event_type])


MEETING = {
    "kind": "gia",
    "title": "Regiobijeenkomst Limburg",
    "region": "Limburg",
    "venue": "Maastricht",
    "starts_at": "2030-10-10T10:00:00+02:00",
    "ends_at": "2030-10-10T13:00:00+02:00",
    "capacity": 1,
    "registration_deadline": "2030-10-09T12:00:00+02:00",
    "themes": ["discrimination"],
}
# Rotterdam: in the target group of the shipped register.
PERSON = {
    "name": "An de Vries",
    "email": "an@example.nl",
    "role": "official",
    "municipality_code": "GM0599",
}

# A praktijkteam request of Rotterdam and Schiedam, both in the target group; Rotterdam leads.
PRACTICETEAM_REQUEST = {
    "municipality_codes": ["GM0599", "GM0606"],
    "lead_municipality_code": "GM0599",
    "contact": {
        "name": "Fatima el Idrissi",
        "email": "f.elidrissi@example.nl",
        "phone": "010-4891234",
        "function": "beleidsadviseur integratie",
    },
    "question": "Hoe voeren wij het gesprek in de wijk na spanningen rond een moskee?",
    "themes": ["social_tensions", "citizenship"],
    "tried": "Wijkgesprekken met sleutelfiguren.",
    "desired_period": "najaar 2012",
}

# An essay contest in the future, with one jury member.
ESSAY_CONTEST = {
    "title": "Raad voor Raad",
    "question": "Hoe ziet lokaal integratiebeleid er over tien jaar uit?",
    "rules": "Eén essay per raadslid.",
    "opens_at": "2030-09-01T09:00:00+00:00",
    "closes_at": "2030-11-01T11:00:00+00:00",
    "publishes_at": "2030-12-01T11:00:00+00:00",
    "jury": [{"email": "jurylid@example.nl", "name": "Jurylid"}],
}


def attendance_data(**overrides: object) -> dict[str, object]:
    """The data of an attended event, fresh ids each time."""
    data: dict[str, object] = {
        "registration_id": str(uuid.uuid4()),
        "meeting_id": str(uuid.uuid4()),
        "municipality_code": "GM0363",
        "role": "official",
        "counts_for_participation": True,
        "guide_presented": False,
    }
    data.update(overrides)
    return data


def staff_headers(settings: Settings, role: str = "staff") -> dict[str, str]:
    """A bearer token's header; every service checks tokens against the auth database's
    revoked ones, so that database is migrated first."""
    upgrade(settings, (AUTH_DATABASE,))
    token = mint_token(settings.secret_key, role, "test", timedelta(minutes=10))
    return {"Authorization": f"Bearer {token}"}


def signed_in(client: FlaskClient, email: str, role: str = "staff") -> FlaskClient:
    """The client with the session a login gives, for an account of ``role`` that is made in
    the app's auth database (migrated first) unless it is there already."""
    context = client.application.extensions["gia"]
    upgrade(context.settings, (AUTH_DATABASE,))
    with context.auth_db.transaction() as session:
        account = session.get(Account, email)
        if account is None or account.role != role:
            account = add_account(session, email, role, "een wachtwoord voor de tests")
    with client.session_transaction() as stored:
        stored[SESSION_KEY] = session_record(account)
    return client


def path_of(url: str) -> str:
    """The part of an absolute link a test client requests."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def delivered_mails(settings: Settings, service: str = "registration") -> list[EmailMessage]:
    """Run the service's mail worker until its queue is empty, as the `gia mail` process
    does, and read every mail written so far, oldest first."""
    worker = resolve(manifest(service).mail or "")(settings)
    while worker.deliver_pending():
        pass
    worker.db.dispose()
    return [
        message_from_bytes(path.read_bytes(), policy=policy.default)  # type: ignore[misc]
        for path in sent_messages(settings.effective_mail_dir)
    ]


@contextmanager
def serving(
    create_app: Callable[[Settings], Flask], settings: Settings, *databases: str
) -> Iterator[Flask]:
    """A service's app on its migrated databases, their connections closed afterwards."""
    upgrade(settings, databases)
    app = create_app(settings)
    yield app
    context = app.extensions["gia"]
    for db in (context.db, context.auth_db):
        db.dispose()


def all_at_once(actions: list[Callable[[], T]]) -> list[T]:
    """Run every action in its own thread, released together; their results in order."""
    start = threading.Barrier(len(actions))
    results: list[T | None] = [None] * len(actions)

    def run(number: int) -> None:
        start.wait()
        results[number] = actions[number]()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results  # type: ignore[return-value]


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    """True as soon as the condition holds; False if it still does not after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def publish_raw(settings: Settings, messages: Iterable[tuple[bytes, str]]) -> None:
    """Put (body, routing key) pairs on the events exchange as any broker client could.

    Confirmed before it returns, so on a loaded broker none of them is still in
    flight when the test starts its consumer.
    """
    topology = registry.topology(settings)
    with broker_connection(settings) as connection:
        topology.declare(connection)
        ConfirmedPublisher(connection, topology.events).publish(
            Outgoing(body, routing_key=key, content_encoding=None) for body, key in messages
        )
