"""Indicator figures from events, on PostgreSQL (and the embedded SQLite default for the basics)."""

from __future__ import annotations

import random
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from gia.cli import main
from gia.migrations import upgrade
from services.indicators.answers import latest_answer
from services.indicators.app import create_app
from services.indicators.consumer import build_consumer
from services.indicators.models import ReceivedEvent, SurveyAnswer, Tally
from services.indicators.rebuild import rebuild, verify
from shared.clock import utc_text
from shared.events import envelope
from shared.events.catalogue import (
    ATTENDANCE_REVOKED,
    ATTENDED,
    PRACTICETEAM_EVENTS,
    REGISTERED,
    SURVEY_ANSWERED,
)
from shared.events.consumer import EventConsumer
from shared.events.envelope import Event, new_event
from shared.municipalities import load_register
from shared.settings import Settings, load_settings
from tests.factories import (
    attendance_data,
    producer_source,
    publish_raw,
    staff_headers,
    wait_for,
)

ROTTERDAM, AMSTERDAM, MAASTRICHT = (
    "GM0599",
    "GM0363",
    "GM0935",
)  # the last is not in the target group
START = datetime(2012, 9, 1, 10, tzinfo=UTC)

# A register worked out by hand: four in the target group, two outside it.
REGISTER = """code,name,province,non_western_pct
GM0001,Aastad,Noord-Holland,20.0
GM0002,Beedorp,Noord-Holland,13.0
GM0003,Ceeveen,Zuid-Holland,30.0
GM0004,Deedam,Utrecht,15.0
GM0005,Eewoude,Utrecht,8.0
GM0006,Efhuizen,Groningen,2.0
"""


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    if request.param == "postgresql":
        return request.getfixturevalue("real_settings")
    return load_settings({"GIA_VAR_DIR": str(tmp_path), "GIA_SECRET_KEY": "k" * 40})


@dataclass
class Indicators:
    settings: Settings
    consumer: EventConsumer
    client: FlaskClient

    def deliver(self, events: list[Event]) -> int:
        """The events over RabbitMQ to the running consumer; how many of them were new.

        A last event that no rule names goes after them: the one consumer takes
        the queue in order, so once that last one is in, all before it are done.
        """
        last = new_event(
            REGISTERED,
            source=producer_source(REGISTERED),
            subject="last",
            data={
                "registration_id": str(uuid.uuid4()),
                "meeting_id": str(uuid.uuid4()),
                "status": "confirmed",
                "role": "official",
                "municipality_code": None,
            },
        )
        before = self._received()
        publish_raw(self.settings, [(event.to_json(), event.type) for event in [*events, last]])
        stop = threading.Event()
        thread = threading.Thread(target=self.consumer.run, args=(stop,), daemon=True)
        thread.start()
        try:
            assert wait_for(lambda: self._has(last.id), timeout=30), "the events did not arrive"
        finally:
            stop.set()
            thread.join(5)
        return self._received() - before - 1

    def _received(self) -> int:
        with self.consumer.db.transaction() as session:
            return session.scalar(select(func.count()).select_from(ReceivedEvent)) or 0

    def _has(self, event_id: str) -> bool:
        with self.consumer.db.transaction() as session:
            return session.get(ReceivedEvent, event_id) is not None


def start(settings: Settings) -> Iterator[Indicators]:
    upgrade(settings, ("indicators",))
    consumer = build_consumer(settings)
    app = create_app(settings)
    yield Indicators(settings, consumer, app.test_client())
    consumer.db.dispose()
    app.extensions["gia"].db.dispose()


@pytest.fixture
def indicators(settings: Settings) -> Iterator[tuple[EventConsumer, FlaskClient]]:
    for running in start(settings):
        yield running.consumer, running.client


@pytest.fixture
def live(real_env: dict[str, str]) -> Iterator[Indicators]:
    """The indicators service on PostgreSQL and RabbitMQ, with the shipped register."""
    yield from start(load_settings(real_env))


@pytest.fixture
def small(real_env: dict[str, str], tmp_path: Path) -> Iterator[Indicators]:
    """The same, with the hand-worked register."""
    path = tmp_path / "register.csv"
    path.write_text(REGISTER)
    yield from start(load_settings({**real_env, "GIA_MUNICIPALITIES_FILE": str(path)}))


def at(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


def made(kind: str, minutes: int, data: dict[str, Any], subject: str = "s") -> Event:
    """An event at a chosen time, its data checked against the catalogue."""
    source = producer_source(kind)
    data = new_event(kind, source=source, subject=subject, data=data).data
    return Event(str(uuid.uuid4()), kind, source, subject, at(minutes), data)


def attended(minutes: int, code: str, revoked: bool = False, **data: Any) -> Event:
    return made(
        ATTENDANCE_REVOKED if revoked else ATTENDED,
        minutes,
        attendance_data(municipality_code=code, **data),
    )


def survey(minutes: int, code: str, knows: bool = True, uses: tuple[str, ...] = ()) -> Event:
    data = {
        "answer_id": str(uuid.uuid4()),
        "municipality_code": code,
        "knows_guide": knows,
        "read_guide": False,
        "uses": list(uses),
        "other_use": None,
    }
    return made(SURVEY_ANSWERED, minutes, data, subject=code)


def practiceteam(minutes: int, status: str, request_id: str, *codes: str) -> Event:
    data = {
        "request_id": request_id,
        "status": status,
        "previous_status": None,
        "municipality_codes": list(codes),
        "lead_municipality_code": codes[0],
        "themes": ["discrimination"],
    }
    return made(PRACTICETEAM_EVENTS[status], minutes, data, subject=request_id)


def figures(client: FlaskClient, **query: str) -> dict[str, Any]:
    response = client.get("/api/v1/indicators", query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def shares(items: list[dict[str, Any]]) -> dict[str, str]:
    return {item["indicator"]: f"{item['numerator']}/{item['denominator']}" for item in items}


def standing(client: FlaskClient, settings: Settings, code: str) -> dict[str, bool]:
    response = client.get(f"/api/v1/municipalities/{code}", headers=staff_headers(settings))
    assert response.status_code == 200, response.json
    return response.json["counts_for"]


# -- the basics, also on the embedded default ------------------------------------------------


def participation(client: FlaskClient) -> dict[str, Any]:
    return next(
        item for item in figures(client)["indicators"] if item["indicator"] == "participation"
    )


def test_each_target_group_municipality_counts_once(
    indicators: tuple[EventConsumer, FlaskClient],
) -> None:
    consumer, client = indicators
    first = attended(0, ROTTERDAM)
    consumer.apply([first, attended(1, ROTTERDAM)])
    consumer.apply([first])  # delivered again
    consumer.apply([attended(2, MAASTRICHT)])
    consumer.apply([attended(3, AMSTERDAM, counts_for_participation=False)])
    figure = participation(client)
    assert figure["numerator"] == 1
    target_group = len(load_register(None).target_group)
    assert figure["denominator"] == target_group
    assert figure["value"] == pytest.approx(1 / target_group)
    assert figure["target"] == 0.45
    assert figure["newest_event_at"] == utc_text(at(1))


def test_a_revoked_attendance_no_longer_counts_whatever_the_order(
    indicators: tuple[EventConsumer, FlaskClient],
) -> None:
    consumer, client = indicators
    first = attended(0, ROTTERDAM)
    consumer.apply([first])
    assert participation(client)["numerator"] == 1
    consumer.apply([made(ATTENDANCE_REVOKED, 5, first.data)])
    assert participation(client)["numerator"] == 0

    late = attended(10, AMSTERDAM)
    consumer.apply([made(ATTENDANCE_REVOKED, 15, late.data)])
    consumer.apply([late])  # the attendance arrives after its revocation
    assert participation(client)["numerator"] == 0


# -- every rule of the table, over RabbitMQ to PostgreSQL ----------------------------------------


@pytest.mark.services
def test_every_rule_of_the_table(live: Indicators) -> None:
    apply, client, settings = live.deliver, live.client, live.settings
    apply([attended(0, ROTTERDAM, guide_presented=True)])
    assert standing(client, settings, ROTTERDAM) == {
        "awareness": True,
        "use": False,
        "participation": True,
        "activity": False,
    }
    apply([attended(1, AMSTERDAM, counts_for_participation=False)])  # counts for nothing
    assert not any(standing(client, settings, AMSTERDAM).values())

    apply([survey(2, AMSTERDAM, uses=("policy", "projects"))])
    assert standing(client, settings, AMSTERDAM)["use"] is True
    apply([survey(3, AMSTERDAM, uses=("planned",))])  # a changed answer withdraws use
    assert standing(client, settings, AMSTERDAM) == {
        "awareness": True,
        "use": False,
        "participation": False,
        "activity": False,
    }
    apply([survey(4, AMSTERDAM, knows=False)])
    assert standing(client, settings, AMSTERDAM)["awareness"] is False

    request_id = str(uuid.uuid4())
    utrecht = "GM0344"
    apply([practiceteam(5, "submitted", request_id, utrecht, AMSTERDAM)])
    for code in (utrecht, AMSTERDAM):
        assert standing(client, settings, code)["activity"] is True
    found = client.get(f"/api/v1/municipalities/{utrecht}", headers=staff_headers(settings)).json
    request = next(item for item in found["evidence"] if item["indicator"] == "activity")
    assert request["given_type"] == PRACTICETEAM_EVENTS["submitted"]
    linked = client.get(request["links"]["event"], headers=staff_headers(settings))
    assert linked.status_code == 200 and linked.json["data"]["request_id"] == request_id
    apply([practiceteam(6, "withdrawn", request_id, utrecht, AMSTERDAM)])
    assert standing(client, settings, utrecht)["activity"] is False
    found = client.get(f"/api/v1/municipalities/{utrecht}", headers=staff_headers(settings)).json
    request = next(item for item in found["evidence"] if item["indicator"] == "activity")
    withdrawn = client.get(request["links"]["withdrawn_event"], headers=staff_headers(settings))
    assert withdrawn.json["type"] == PRACTICETEAM_EVENTS["withdrawn"]

    # activity never moves the three figures: only Rotterdam counts, for two of them
    group = len(load_register(None).target_group)
    assert shares(figures(client)["indicators"]) == {
        "awareness": f"1/{group}",
        "use": f"0/{group}",
        "participation": f"1/{group}",
    }
    assert figures(client)["activity"]["numerator"] == 0


@pytest.mark.services
def test_a_late_older_survey_answer_changes_nothing_and_duplicates_count_once(
    live: Indicators,
) -> None:
    apply, client, settings = live.deliver, live.client, live.settings
    newer, older = survey(10, ROTTERDAM, uses=("discussed",)), survey(5, ROTTERDAM, knows=False)
    assert apply([newer, newer]) == 1
    apply([older])  # arrives out of order: the newest answer still counts
    assert apply([newer]) == 0
    assert standing(client, settings, ROTTERDAM)["use"] is True
    assert standing(client, settings, ROTTERDAM)["awareness"] is True


def numbered(answer: Event, number: int, event_id: str) -> Event:
    """The answer as the municipality's n-th, under a chosen event id."""
    return Event(
        event_id,
        answer.type,
        answer.source,
        answer.subject,
        answer.time,
        {**answer.data, "number": number},
    )


@pytest.mark.services
def test_of_two_survey_answers_of_one_time_the_later_numbered_counts(live: Indicators) -> None:
    """Each first answer has the larger event id, and the second arrives first."""
    for code, first_uses, second_uses in (
        (ROTTERDAM, ("policy",), ()),
        (AMSTERDAM, (), ("policy",)),
    ):
        low, high = sorted(str(uuid.uuid4()) for _ in range(2))
        first = numbered(survey(20, code, uses=first_uses), 1, high)
        second = numbered(survey(20, code, uses=second_uses), 2, low)
        live.consumer.apply([second])
        live.consumer.apply([first])
    assert standing(live.client, live.settings, ROTTERDAM)["use"] is False
    assert standing(live.client, live.settings, AMSTERDAM)["use"] is True
    assert verify(live.consumer.db, live.consumer.trust) == []
    rebuild(live.consumer.db, live.consumer.trust, lambda _: None)
    assert verify(live.consumer.db, live.consumer.trust) == []
    assert standing(live.client, live.settings, AMSTERDAM)["use"] is True


@pytest.mark.services
def test_answers_given_in_the_same_instant_are_numbered_and_the_last_given_counts(
    live: Indicators, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clock that does not move between two answers: the second still counts."""
    monkeypatch.setattr(envelope, "utcnow", lambda: datetime(2012, 10, 1, 12, tzinfo=UTC))
    url = f"/api/v1/municipalities/{ROTTERDAM}/survey"
    headers = staff_headers(live.settings)
    for uses in ([], ["policy"]):
        body = {"knows_guide": True, "uses": uses}
        assert live.client.post(url, json=body, headers=headers).status_code == 201
    assert standing(live.client, live.settings, ROTTERDAM)["use"] is True
    with live.consumer.db.transaction() as session:
        answers = session.execute(
            select(SurveyAnswer.number, SurveyAnswer.uses, SurveyAnswer.answered_at)
        ).all()
        latest = latest_answer(session, ROTTERDAM)
    assert sorted((number, uses) for number, uses, _ in answers) == [(1, []), (2, ["policy"])]
    assert len({answered_at for *_, answered_at in answers}) == 1
    assert latest is not None and latest.number == 2
    assert verify(live.consumer.db, live.consumer.trust) == []


@pytest.mark.services
def test_outside_the_target_group_is_shown_apart(live: Indicators) -> None:
    live.deliver([attended(0, MAASTRICHT, guide_presented=True)])
    found = figures(live.client)
    assert shares(found["indicators"])["participation"].startswith("0/")
    outside = {item["indicator"]: item for item in found["outside_target_group"]}
    assert outside["participation"]["numerator"] == 1
    register = load_register(None)
    assert outside["participation"]["denominator"] == len(register) - len(register.target_group)
    everyone = shares(figures(live.client, scope="all")["indicators"])
    assert everyone["participation"] == f"1/{len(register)}"


# -- a register and a stream worked out by hand ----------------------------------------------

HAND_WORKED_STREAM = [
    attended(
        0, "GM0001", guide_presented=True, registration_id="00000000-0000-4000-8000-000000000001"
    ),
    attended(1, "GM0002", registration_id="00000000-0000-4000-8000-000000000002"),
    attended(2, "GM0002", revoked=True, registration_id="00000000-0000-4000-8000-000000000002"),
    survey(3, "GM0003", uses=("policy",)),
    survey(4, "GM0003", uses=("planned",)),
    survey(5, "GM0004", knows=False),
    attended(6, "GM0005", guide_presented=True),
    survey(7, "GM0006", uses=("discussed",)),
    attended(8, "GM0001", counts_for_participation=False),
    practiceteam(9, "submitted", str(uuid.uuid4()), "GM0004"),
]

# awareness, use, participation as numerator/denominator
EXPECTED: dict[tuple[str, str | None], dict[str, tuple[str, str, str]]] = {
    ("target_group", None): {"": ("2/4", "0/4", "1/4")},
    ("all", None): {"": ("4/6", "1/6", "2/6")},
    ("target_group", "region"): {
        "Flevoland-Utrecht": ("0/1", "0/1", "0/1"),
        "Noord-Holland": ("1/2", "0/2", "1/2"),
        "Zuid-Holland": ("1/1", "0/1", "0/1"),
    },
    ("all", "region"): {
        "Noorden": ("1/1", "1/1", "0/1"),
        "Flevoland-Utrecht": ("1/2", "0/2", "1/2"),
        "Noord-Holland": ("1/2", "0/2", "1/2"),
        "Zuid-Holland": ("1/1", "0/1", "0/1"),
    },
    ("target_group", "province"): {
        "Utrecht": ("0/1", "0/1", "0/1"),
        "Noord-Holland": ("1/2", "0/2", "1/2"),
        "Zuid-Holland": ("1/1", "0/1", "0/1"),
    },
    ("all", "province"): {
        "Groningen": ("1/1", "1/1", "0/1"),
        "Utrecht": ("1/2", "0/2", "1/2"),
        "Noord-Holland": ("1/2", "0/2", "1/2"),
        "Zuid-Holland": ("1/1", "0/1", "0/1"),
    },
    ("target_group", "band"): {"12.5+": ("2/4", "0/4", "1/4")},
    ("all", "band"): {
        "0-5": ("1/1", "1/1", "0/1"),
        "7.5-10": ("1/1", "0/1", "1/1"),
        "12.5+": ("2/4", "0/4", "1/4"),
    },
}


def as_triple(items: list[dict[str, Any]]) -> tuple[str, str, str]:
    found = shares(items)
    return found["awareness"], found["use"], found["participation"]


@pytest.mark.services
@pytest.mark.parametrize("in_one_batch", [True, False])
def test_the_hand_worked_stream_gives_every_figure_exactly(
    small: Indicators, in_one_batch: bool
) -> None:
    if in_one_batch:
        small.consumer.apply(HAND_WORKED_STREAM)
    else:
        for event in reversed(HAND_WORKED_STREAM):  # the worst order there is
            small.consumer.apply([event])
    for (scope, group_by), expected in EXPECTED.items():
        query = {"scope": scope, **({"group_by": group_by} if group_by else {})}
        found = figures(small.client, **query)
        if group_by is None:
            assert {"": as_triple(found["indicators"])} == expected, query
        else:
            groups = {group["group"]: as_triple(group["indicators"]) for group in found["groups"]}
            assert groups == expected, query
    outside = as_triple(figures(small.client)["outside_target_group"])
    assert outside == ("2/2", "1/2", "1/2")
    missing = small.client.get("/api/v1/indicators/missing", headers=staff_headers(small.settings))
    assert {
        item["indicator"]: [m["code"] for m in item["municipalities"]] for item in missing.json
    } == {
        "awareness": ["GM0002", "GM0004"],
        "use": ["GM0001", "GM0002", "GM0003", "GM0004"],
        "participation": ["GM0002", "GM0003", "GM0004"],
    }
    assert verify(small.consumer.db, small.consumer.trust) == []


# -- rebuild and verify -------------------------------------------------------------------------


@pytest.mark.services
def test_rebuild_then_verify_after_a_long_mixed_stream(live: Indicators) -> None:
    chance = random.Random(2012)
    codes = [m.code for m in load_register(None)][:80]
    stream: list[Event] = []
    attendances: list[Event] = []
    for minute in range(1500):
        code = chance.choice(codes)
        pick = chance.random()
        if pick < 0.4:
            event = attended(minute, code, guide_presented=chance.random() < 0.5)
            attendances.append(event)
        elif pick < 0.55 and attendances:
            event = made(ATTENDANCE_REVOKED, minute, chance.choice(attendances).data)
        elif pick < 0.85:
            uses = tuple(
                chance.sample(["discussed", "policy", "planned", "projects"], chance.randint(0, 2))
            )
            event = survey(minute, code, knows=chance.random() < 0.7, uses=uses)
        else:
            event = practiceteam(
                minute, chance.choice(["submitted", "declined"]), str(uuid.uuid4()), code
            )
        stream.append(event)
    chance.shuffle(stream)
    for start_at in range(0, len(stream), 97):
        live.consumer.apply(stream[start_at : start_at + 97])
    live.consumer.apply(stream[:50])  # redelivered
    assert verify(live.consumer.db, live.consumer.trust) == []
    before = figures(live.client, scope="all", group_by="province")
    seen: list[int] = []
    rebuild(live.consumer.db, live.consumer.trust, seen.append)
    assert sum(seen) == len(stream)
    assert verify(live.consumer.db, live.consumer.trust) == []
    assert figures(live.client, scope="all", group_by="province")["groups"] == before["groups"]


@pytest.mark.services
def test_verify_reports_a_tampered_tally(live: Indicators) -> None:
    live.consumer.apply([attended(0, ROTTERDAM)])
    with live.consumer.db.transaction() as session:
        session.execute(update(Tally).values(covered=Tally.covered + 1))
    differences = verify(live.consumer.db, live.consumer.trust)
    assert differences and all(line.startswith("tally") for line in differences)


# -- through the broker -------------------------------------------------------------------------


@pytest.mark.services
def test_survey_and_practiceteam_events_arrive_through_the_broker(live: Indicators) -> None:
    request_id = str(uuid.uuid4())
    arrived = live.deliver(
        [
            survey(0, ROTTERDAM, uses=("projects",)),
            practiceteam(1, "submitted", request_id, ROTTERDAM),
        ]
    )
    assert arrived == 2
    assert standing(live.client, live.settings, ROTTERDAM) == {
        "awareness": True,
        "use": True,
        "participation": False,
        "activity": True,
    }


# -- the API refuses what it should ------------------------------------------------------------


@pytest.mark.services
def test_bad_queries_and_unknown_things_get_problems(live: Indicators) -> None:
    client, headers = live.client, staff_headers(live.settings)
    for query in ({"scope": "everyone"}, {"group_by": "street"}):
        response = client.get("/api/v1/indicators", query_string=query)
        assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert client.get("/api/v1/municipalities/GM9999", headers=headers).status_code == 404
    assert client.get(f"/api/v1/events/{uuid.uuid4()}", headers=headers).status_code == 404
    assert client.get("/api/v1/municipalities/GM0599").status_code == 401
    assert (
        client.get(
            "/api/v1/indicators/missing", headers=staff_headers(live.settings, "jury")
        ).status_code
        == 403
    )
    assert client.get("/api/v1/survey/links.csv").status_code == 401


@pytest.mark.services
def test_gia_indicators_verify_fails_on_a_difference_and_rebuild_repairs_it(
    live: Indicators, real_env: dict[str, str]
) -> None:
    live.consumer.apply([attended(0, ROTTERDAM), survey(1, AMSTERDAM, uses=("policy",))])
    runner = CliRunner()
    assert runner.invoke(main, ["indicators", "verify"], env=real_env).exit_code == 0
    with live.consumer.db.transaction() as session:
        session.execute(update(Tally).values(covered=0))
    failed = runner.invoke(main, ["indicators", "verify"], env=real_env)
    assert failed.exit_code == 1 and "tally" in failed.output
    rebuilt = runner.invoke(main, ["indicators", "rebuild"], env=real_env)
    assert rebuilt.exit_code == 0 and "rebuilt from 2 events" in rebuilt.output
    assert runner.invoke(main, ["indicators", "verify"], env=real_env).exit_code == 0
    assert shares(figures(live.client)["indicators"])["use"].startswith("1/")
