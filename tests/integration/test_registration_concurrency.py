"""Many people registering at once on PostgreSQL: never more confirmed than there are seats."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from services.registration import service
from services.registration.models import Outbox, Registration
from services.registration.schemas import MeetingIn
from shared.db import Database
from shared.events.outbox import EventRecorder
from shared.migrations import upgrade
from shared.settings import Settings
from tests.factories import MEETING, PERSON

pytestmark = pytest.mark.services

SEATS = 5
PEOPLE = 24


def test_concurrent_registrations_fill_the_seats_exactly_then_wait(
    real_settings: Settings,
) -> None:
    upgrade(real_settings, ("registration",))
    db = Database.for_service(real_settings, "registration")
    recorder = EventRecorder(Outbox, real_settings.event_source("registration"))
    meeting_data = MeetingIn().load({**MEETING, "capacity": SEATS})
    with db.transaction() as session:
        meeting_id = service.create_meeting(session, recorder, meeting_data).id

    start = threading.Barrier(PEOPLE)
    errors: list[BaseException] = []

    def register(number: int) -> None:
        start.wait()
        try:
            with db.transaction() as session:
                person = {**PERSON, "email": f"person{number}@example.nl"}
                service.register(session, recorder, meeting_id, person)
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=register, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    with db.transaction() as session:
        statuses = dict(
            session.execute(
                select(Registration.status, func.count()).group_by(Registration.status)
            ).all()
        )
        events = session.scalar(select(func.count()).select_from(Outbox))
    assert statuses == {"confirmed": SEATS, "waitlisted": PEOPLE - SEATS}
    assert events == 1 + PEOPLE  # the meeting, then one per registration
    db.dispose()
