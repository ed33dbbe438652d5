"""``gia seed`` and ``gia remind`` on the embedded SQLite default."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from gia.migrations import upgrade
from services.registration.meetings import create_meeting
from services.registration.models import Meeting, Outbox
from services.registration.registrations import register
from services.registration.reminders import queue_reminders
from services.registration.seed import EXAMPLE, seed
from shared.db import Database
from shared.events.outbox import EventRecorder
from shared.settings import Settings, load_settings
from tests.factories import PERSON, delivered_mails


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = load_settings({"GIA_VAR_DIR": str(tmp_path), "GIA_SECRET_KEY": "k" * 40})
    upgrade(settings, ("registration",))
    return settings


def test_seed_adds_the_programme_once_with_registration_open(settings: Settings) -> None:
    db = Database.for_service(settings, "registration")
    recorder = EventRecorder(Outbox, settings.event_source("registration"))
    today = date(2026, 11, 24)
    with db.transaction() as session:
        assert seed(session, recorder, today) == 18
        assert seed(session, recorder, today) == 0
        meetings = list(session.query(Meeting))
    assert Counter(m.kind for m in meetings) == {"gia": 15, "raad_voor_raad": 3}
    assert all(m.title.startswith(EXAMPLE) for m in meetings)
    opening = datetime(2026, 11, 24, tzinfo=UTC)
    assert all(m.registration_deadline > opening for m in meetings)
    assert {m.region for m in meetings if m.kind == "gia"} >= {"Zeeland", "Limburg", "Noorden"}
    db.dispose()


def test_a_reminder_goes_once_to_those_with_a_seat(settings: Settings) -> None:
    db = Database.for_service(settings, "registration")
    recorder = EventRecorder(Outbox, settings.event_source("registration"))
    now = datetime(2030, 10, 9, 12, tzinfo=UTC)
    starts = now + timedelta(hours=20)
    with db.transaction() as session:
        meeting = create_meeting(
            session,
            recorder,
            {
                "kind": "gia",
                "title": "Regiobijeenkomst Limburg",
                "region": "Limburg",
                "venue": "Maastricht",
                "address": None,
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=3),
                "capacity": 1,
                "registration_deadline": now - timedelta(hours=1),
                "themes": [],
            },
        )
        before = now - timedelta(days=1)
        register(session, recorder, meeting.id, PERSON, now=before)
        waiting = {**PERSON, "email": "wait@example.nl"}
        register(session, recorder, meeting.id, waiting, now=before)

    for expected in (1, 0):
        with db.transaction() as session:
            assert queue_reminders(session, now, timedelta(hours=24)) == expected
    db.dispose()
    reminders = [m for m in delivered_mails(settings) if m["Subject"].startswith("Herinnering")]
    assert [mail["To"] for mail in reminders] == ["an@example.nl"]
