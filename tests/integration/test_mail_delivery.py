"""Issue 15: queued mail reaches a real SMTP server exactly once, even with two workers
against a slow server, and a repeat after a lost settle carries the same Message-ID."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner
from sqlalchemy import func, make_url, select, update
from sqlalchemy.orm import Session

from gia.cli import main
from gia.migrations import upgrade
from gia.registry import MANIFESTS
from services.registration.domain import Notice
from services.registration.models import MailQueue
from shared import mail_queue
from shared.clock import utcnow
from shared.db import Database
from shared.mail import Mailer, compose
from shared.mail_queue import MAX_ATTEMPTS, MailWorker, queue_mail
from shared.settings import Settings
from tests.integration.tcp_proxy import TcpProxy, free_port

pytestmark = pytest.mark.services


class Recorder:
    """An SMTP handler that takes ``delay`` seconds per message and records its Message-ID,
    or refuses every message."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.refuse = False
        self.message_ids: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(self.delay)
        if self.refuse:
            return "554 Transaction failed"
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.message_ids.append(str(message["Message-ID"]))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Recorder, Controller]]:
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    yield recorder, controller
    if getattr(controller, "_thread", None) is not None:
        controller.stop()


@pytest.fixture
def db(real_settings: Settings) -> Iterator[Database]:
    upgrade(real_settings, ("auth", "registration"))
    database = Database.for_service(real_settings, "registration")
    yield database
    database.dispose()


def worker(settings: Settings, controller: Controller, db: Database) -> MailWorker:
    to_server = replace(settings, smtp_host="127.0.0.1", smtp_port=controller.port)

    def note(session: Session, about: str) -> EmailMessage:
        return compose(to_server, f"{about}@example.nl", "Bericht", "Hallo")

    return MailWorker(db, MailQueue, {"note": note}, Mailer(to_server))


def queue(db: Database, count: int) -> None:
    with db.transaction() as session:
        for number in range(count):
            queue_mail(session, MailQueue, "note", f"person{number}")


def unsent(db: Database) -> int:
    with db.transaction() as session:
        return session.scalar(select(func.count()).where(MailQueue.sent_at.is_(None))) or 0


def test_two_workers_against_a_slow_server_send_each_mail_once(
    real_settings: Settings,
    db: Database,
    smtp: tuple[Recorder, Controller],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recorder, controller = smtp
    recorder.delay = 0.3
    controller.start()
    # A batch of 8 takes about 2.4 s, far past this lease; one message does not.
    monkeypatch.setattr(mail_queue, "LEASE", timedelta(seconds=1.5))
    queue(db, 8)
    stop = threading.Event()
    workers = [worker(real_settings, controller, db) for _ in range(2)]
    threads = [threading.Thread(target=w.run, args=(stop,)) for w in workers]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while unsent(db) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1)  # a worker still sending a copy finishes it
    stop.set()
    for thread in threads:
        thread.join()

    assert unsent(db) == 0
    counts = Counter(recorder.message_ids)
    assert len(counts) == 8 and set(counts.values()) == {1}, counts


def test_mail_refused_while_the_server_is_down_is_sent_once_when_it_is_back(
    real_settings: Settings, db: Database, smtp: tuple[Recorder, Controller]
) -> None:
    recorder, controller = smtp
    queue(db, 3)
    sender = worker(real_settings, controller, db)
    assert sender.deliver_pending() == 3
    assert sender.deliver_pending() == 0  # not due again yet
    assert unsent(db) == 3

    controller.start()
    later = utcnow() + timedelta(hours=1)
    assert sender.deliver_pending(now=later) == 3
    assert sender.deliver_pending(now=later) == 0
    counts = Counter(recorder.message_ids)
    assert len(counts) == 3 and set(counts.values()) == {1}, counts


def test_a_settle_lost_after_sending_repeats_the_mail_once_with_its_message_id(
    real_settings: Settings,
    db: Database,
    smtp: tuple[Recorder, Controller],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recorder, controller = smtp
    controller.start()
    queue(db, 2)
    sender = worker(real_settings, controller, db)
    settle = MailWorker._settle
    failures = iter([True])

    def settle_failing_once(self: MailWorker, *args: Any) -> None:
        if next(failures, False):
            raise ConnectionError("the database went away")
        settle(self, *args)

    monkeypatch.setattr(MailWorker, "_settle", settle_failing_once)
    with pytest.raises(ConnectionError):
        sender.deliver_pending()
    assert len(recorder.message_ids) == 1 and unsent(db) == 2

    assert sender.deliver_pending() == 1  # the other mail; the first waits out its lease
    assert sender.deliver_pending(now=utcnow() + mail_queue.LEASE + timedelta(seconds=1)) == 1
    assert unsent(db) == 0
    counts = Counter(recorder.message_ids)
    assert len(counts) == 2 and sorted(counts.values()) == [1, 2], counts
    with db.transaction() as session:
        ids = {f"<{row_id}@gia.minbzk.nl>" for row_id in session.scalars(select(MailQueue.id))}
    assert set(counts) == ids


def test_a_database_away_for_a_moment_after_sending_still_gets_the_mail_recorded_once(
    real_settings: Settings, db: Database, smtp: tuple[Recorder, Controller]
) -> None:
    """A real fault: the worker reaches PostgreSQL through a proxy that the SMTP server cuts
    while it takes the first mail, and that comes back a second later. The worker waits for
    the database to record the send, so no mail goes twice."""
    recorder, controller = smtp
    controller.start()
    queue(db, 2)
    url = make_url(real_settings.database_url_for("registration"))
    proxy = TcpProxy(free_port(), (url.host or "127.0.0.1", url.port or 5432))
    proxy.start()
    through_proxy = replace(
        real_settings,
        database_url=url.set(host="127.0.0.1", port=proxy.port).render_as_string(False),
    )
    cut_database = Database.for_service(through_proxy, "registration")
    taken = recorder.handle_DATA
    back = threading.Timer(1.0, proxy.start)

    async def cut_while_sending(server: Any, session: Any, envelope: Any) -> str:
        if not back.is_alive() and not back.finished.is_set():
            proxy.stop()
            back.start()
        return await taken(server, session, envelope)

    recorder.handle_DATA = cut_while_sending  # type: ignore[method-assign]
    try:
        assert worker(real_settings, controller, cut_database).deliver_pending() == 2
    finally:
        back.cancel()
        proxy.stop()
        cut_database.dispose()
    counts = Counter(recorder.message_ids)
    assert unsent(db) == 0 and sorted(counts.values()) == [1, 1], counts


def test_mail_refused_until_given_up_is_listed_and_can_be_queued_again(
    real_settings: Settings, db: Database, smtp: tuple[Recorder, Controller]
) -> None:
    recorder, controller = smtp
    recorder.refuse = True
    controller.start()
    queue(db, 2)
    sender = worker(real_settings, controller, db)
    later = utcnow()
    for _ in range(MAX_ATTEMPTS):
        later += timedelta(hours=2)
        assert sender.deliver_pending(now=later) == 2
    assert sender.deliver_pending(now=later + timedelta(days=1)) == 0  # given up

    given_up = sender.given_up()
    assert sorted(mail.to for mail in given_up) == ["person0@example.nl", "person1@example.nl"]
    assert {(m.subject, m.attempts, m.at) for m in given_up} == {("Bericht", MAX_ATTEMPTS, later)}
    assert all(mail.last_error for mail in given_up)

    recorder.refuse = False
    assert sender.retry([given_up[0].id]) == 1
    assert sender.deliver_pending(now=later) == 1
    assert [mail.id for mail in sender.given_up()] == [given_up[1].id]
    assert sender.retry() == 1
    assert sender.deliver_pending(now=later) == 1
    assert len(set(recorder.message_ids)) == 2 and sender.given_up() == []


def test_gia_mail_failed_lists_given_up_mail_and_retry_queues_it_again(
    real_env: dict[str, str], real_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    upgrade(real_settings, ["auth", *(found.name for found in MANIFESTS if found.mail)])
    db = Database.for_service(real_settings, "registration")
    with db.transaction() as session:
        queue_mail(session, MailQueue, Notice.RECEIVED, "a-registration")
    with db.transaction() as session:
        session.execute(
            update(MailQueue).values(attempts=MAX_ATTEMPTS, last_error="refused", retry_at=utcnow())
        )
        (row_id,) = session.scalars(select(MailQueue.id)).all()
    for name, value in real_env.items():
        monkeypatch.setenv(name, value)

    listed = CliRunner().invoke(main, ["mail", "failed"])
    assert listed.exit_code == 0, listed.output
    (line,) = listed.output.splitlines()
    assert line.split("\t")[:2] == ["registration", row_id]
    assert line.split("\t")[4:6] == [str(MAX_ATTEMPTS), "refused"]
    assert CliRunner().invoke(main, ["mail", "retry"]).exit_code == 2  # neither ids nor --all
    again = CliRunner().invoke(main, ["mail", "retry", row_id])
    assert again.output == "1 mail(s) queued again\n"
    assert CliRunner().invoke(main, ["mail", "failed", "registration"]).output == ""
    assert unsent(db) == 1
    db.dispose()
