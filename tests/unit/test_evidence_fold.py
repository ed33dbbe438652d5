"""Folding events into a piece of evidence: any order ends the same."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta

from services.indicators.evidence import Standing, fold
from services.indicators.rules import Effect
from shared.events.catalogue import ATTENDANCE_REVOKED, ATTENDED, SURVEY_ANSWERED
from shared.events.envelope import Event

START = datetime(2012, 3, 1, 14, tzinfo=UTC)


def event(kind: str, minutes: int) -> Event:
    return Event(str(uuid.uuid4()), kind, "urn:test", "r", START + timedelta(minutes=minutes), {})


def folded(events: list[Event]) -> Standing:
    standing = Standing("GM0599")
    for item in events:
        effect = Effect("participation", "b", "GM0599", item.type == ATTENDED)
        standing = fold(standing, effect, item)
    return standing


def test_every_order_of_the_same_events_ends_in_the_same_standing() -> None:
    history = [event(ATTENDED, 0), event(ATTENDANCE_REVOKED, 5), event(ATTENDED, 10)]
    endings = {folded(list(order)) for order in itertools.permutations(history)}
    assert len(endings) == 1
    assert endings.pop().holds  # checked in again after the revocation


def test_a_revocation_cancels_an_earlier_attendance_even_when_it_arrives_first() -> None:
    attended, revoked = event(ATTENDED, 0), event(ATTENDANCE_REVOKED, 5)
    assert not folded([revoked, attended]).holds
    assert not folded([attended, revoked]).holds
    assert folded([attended]).holds


def test_the_same_event_twice_changes_nothing() -> None:
    attended = event(ATTENDED, 0)
    assert folded([attended, attended]) == folded([attended])


def test_of_two_survey_answers_of_one_time_the_later_numbered_counts_whatever_their_ids() -> None:
    """The first answer has the larger event id, so ordering by id would pick it."""
    low, high = sorted(str(uuid.uuid4()) for _ in range(2))
    for first_gives in (True, False):
        first = (Effect("use", "survey:GM0599", "GM0599", first_gives, 1), high)
        second = (Effect("use", "survey:GM0599", "GM0599", not first_gives, 2), low)
        endings = set()
        for order in ((first, second), (second, first)):
            standing = Standing("GM0599")
            for effect, event_id in order:
                answered = Event(event_id, SURVEY_ANSWERED, "urn:test", "GM0599", START, {})
                standing = fold(standing, effect, answered)
            endings.add(standing)
        (ending,) = endings
        assert ending.holds is not first_gives  # the second answer decides
        assert (ending.withdrawn_by if first_gives else ending.given_by) == low
