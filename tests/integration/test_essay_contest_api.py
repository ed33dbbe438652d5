"""The essay contest API on PostgreSQL, with a clock the tests move instead of sleeping."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from gia.migrations import upgrade
from services.essay_contest.app import create_app
from services.essay_contest.domain import jury_handle
from services.essay_contest.models import Contest, Entrant, Entry, Outbox, ScoreSheet, Submission
from services.essay_contest.notices import mail_worker
from shared.clock import utc_text
from shared.db import Database
from shared.events.catalogue import ESSAY_SIGNED_UP, ESSAY_SUBMITTED, ESSAY_WINNERS_ANNOUNCED
from shared.mail import sent_messages
from shared.settings import Settings
from tests.factories import all_at_once, staff_headers

pytestmark = pytest.mark.services

OPENS = datetime(2012, 9, 1, 9, 0, tzinfo=UTC)
CLOSES = datetime(2012, 11, 1, 11, 0, tzinfo=UTC)  # 12:00 Amsterdam time
PUBLISHES = datetime(2012, 12, 1, 11, 0, tzinfo=UTC)
JUROR_ROTTERDAM, JUROR = "jurylid.rotterdam@example.nl", "jurylid@example.nl"
CONTEST = {
    "title": "Raad voor Raad 2012",
    "question": "Hoe ziet lokaal integratiebeleid er over tien jaar uit?",
    "rules": "Eén essay per raadslid, hoogstens drie auteurs.",
    "opens_at": OPENS.isoformat(),
    "closes_at": CLOSES.isoformat(),
    "publishes_at": PUBLISHES.isoformat(),
    "min_words": 5,
    "max_words": 20,
    "min_scores": 2,
    "criteria": [
        {"key": "vision", "label": "Visie", "weight": 3},
        {"key": "style", "label": "Stijl", "weight": 1},
    ],
    "jury": [
        {"email": JUROR_ROTTERDAM, "name": "Jurylid Rotterdam", "municipality_code": "GM0599"},
        {"email": JUROR, "name": "Jurylid Zonder Gemeente"},
    ],
}
ANNA = {
    "name": "Anna Bakker",
    "email": "anna@raad.example.nl",
    "municipality_code": "GM0599",
    "party": "Partij Voor Rotterdam",
}
BRAM = {"name": "Bram Claes", "email": "bram@raad.example.nl", "municipality_code": "GM0363"}
CEES = {
    "name": "Cees Dijkstra",
    "email": "cees@raad.example.nl",
    "municipality_code": "GM0344",
    "party": "Utrechtse Lijst",
}
ESSAY = {"title": "Samen verder", "text": "Integratie begint in de wijk, bij mensen zelf."}  # 9


class Clock:
    def __init__(self) -> None:
        self.now = OPENS + timedelta(days=1)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Contestants:
    client: FlaskClient
    settings: Settings
    clock: Clock
    contest_id: str

    def mails(self) -> list[EmailMessage]:
        worker = mail_worker(self.settings)
        while worker.deliver_pending(self.clock.now):
            pass
        worker.db.dispose()
        return [
            message_from_bytes(path.read_bytes(), policy=policy.default)  # type: ignore[misc]
            for path in sent_messages(self.settings.effective_mail_dir)
        ]

    def link_in_last_mail_to(self, email: str) -> str:
        mail = [m for m in self.mails() if email in m["To"]][-1]
        return re.findall(r"http\S+", mail.get_content())[0]

    def sign_up(self, person: dict[str, Any], **extra: Any) -> tuple[str, str]:
        """(entrant id, token of their own link), after confirming through the e-mailed link."""
        answer = self.client.post(
            f"/api/v1/contests/{self.contest_id}/entrants", json={**person, **extra}
        )
        assert answer.status_code == 202, answer.json
        confirm = self.link_in_last_mail_to(person["email"])
        token = confirm.split("token=")[1]
        confirmed = self.client.post("/api/v1/confirmations", json={"token": token})
        assert confirmed.status_code == 200, confirmed.json
        own = self.link_in_last_mail_to(person["email"])
        assert f"/deelnemer/{answer.json['id']}?token=" in own
        return answer.json["id"], own.split("token=")[1]

    def entry(
        self, entrant: tuple[str, str], action: str = "", method: str = "post", **kw: Any
    ) -> Any:
        entrant_id, token = entrant
        url = f"/api/v1/entrants/{entrant_id}/entry{action}?token={token}"
        return getattr(self.client, method)(url, **kw)

    def outbox(self, kind: str) -> list[dict[str, Any]]:
        db = Database.for_service(self.settings, "essay_contest")
        with db.transaction() as session:
            rows = session.scalars(select(Outbox).where(Outbox.type == kind)).all()
            bodies = [json.loads(row.body) for row in rows]
        db.dispose()
        return bodies

    def count(self, model: type[Any]) -> int:
        db = Database.for_service(self.settings, "essay_contest")
        with db.transaction() as session:
            found = session.scalar(select(func.count()).select_from(model)) or 0
        db.dispose()
        return found


@pytest.fixture
def contest(real_settings: Settings) -> Iterator[Contestants]:
    upgrade(real_settings, ("auth", "essay_contest"))
    clock = Clock()
    app = create_app(real_settings, clock)
    client = app.test_client()
    created = client.post("/api/v1/contests", json=CONTEST, headers=staff_headers(real_settings))
    assert created.status_code == 201, created.json
    yield Contestants(client, real_settings, clock, created.json["id"])
    context = app.extensions["gia"]
    for db in (context.db, context.auth_db):
        db.dispose()


def jury_headers(settings: Settings, email: str) -> dict[str, str]:
    from shared.auth.tokens import mint_token

    token = mint_token(settings.secret_key, "jury", email, timedelta(minutes=10))
    return {"Authorization": f"Bearer {token}"}


def test_the_contest_shows_rules_phase_and_countdown(contest: Contestants) -> None:
    contest.clock.now = CLOSES - timedelta(days=1, hours=2)
    shown = contest.client.get(f"/api/v1/contests/{contest.contest_id}").json
    assert shown["phase"] == "open" and shown["countdown"] == {"days": 1, "hours": 2, "minutes": 0}
    assert shown["rules"] == CONTEST["rules"] and "jury" not in shown
    assert [c["key"] for c in shown["criteria"]] == ["vision", "style"]


def test_submit_revise_withdraw_before_the_deadline_and_409_after_it(
    contest: Contestants,
) -> None:
    anna = contest.sign_up(ANNA)
    assert contest.outbox(ESSAY_SIGNED_UP)[0]["data"] == {
        "contest_id": contest.contest_id,
        "municipality_code": "GM0599",
    }
    assert contest.entry(anna, json=ESSAY).status_code == 201
    submitted = contest.entry(anna, "/submit")
    assert submitted.status_code == 200 and submitted.json["status"] == "submitted"
    digest = hashlib.sha256(ESSAY["text"].encode()).hexdigest()
    assert submitted.json["fingerprint"] == digest
    receipt = [m for m in contest.mails() if "ontvangstbevestiging" in m["Subject"]]
    assert len(receipt) == 1 and digest in receipt[0].get_content()

    revised = contest.entry(
        anna, method="put", json={**ESSAY, "text": ESSAY["text"] + " En in de raad."}
    )
    assert revised.status_code == 200 and revised.json["revision"] == 2
    assert revised.json["status"] == "submitted" and revised.json["fingerprint"] != digest
    assert len([m for m in contest.mails() if "ontvangst" in m["Subject"]]) == 2

    withdrawn = contest.entry(anna, "/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json["status"] == "withdrawn"
    assert contest.entry(anna, "/submit").json["status"] == "submitted"

    events = contest.outbox(ESSAY_SUBMITTED)
    assert len(events) == 3 and all(e["data"]["municipality_codes"] == ["GM0599"] for e in events)
    assert not any(
        secret in json.dumps(events) for secret in (ANNA["name"], ANNA["email"], ESSAY["text"])
    )

    contest.clock.now = CLOSES
    for late in (
        contest.entry(anna, method="put", json=ESSAY),
        contest.entry(anna, "/submit"),
        contest.entry(anna, "/withdraw"),
    ):
        assert late.status_code == 409
        assert "01-11-2012 12:00" in late.json["detail"]
        assert late.json["deadline"] == utc_text(CLOSES)
    assert contest.entry(anna, method="get").status_code == 405  # the entry is read via the entrant


def test_every_receipt_says_until_when_the_essay_can_be_revised_or_withdrawn(
    contest: Contestants,
) -> None:
    anna = contest.sign_up(ANNA)
    contest.entry(anna, json=ESSAY)
    contest.entry(anna, "/submit")
    contest.entry(anna, method="put", json={**ESSAY, "title": "Samen verder, herzien"})
    receipts = [m.get_content() for m in contest.mails() if "ontvangst" in m["Subject"]]
    assert len(receipts) == 2
    said = "Tot de deadline van 01-11-2012 12:00 uur (Nederlandse tijd) kunt u het nog herzien"
    # The deadline is 11:00 UTC: 12:00 in Amsterdam in November.
    assert all(said in " ".join(receipt.split()) for receipt in receipts)


@pytest.mark.parametrize("words", [4, 21])
def test_outside_the_word_limits_is_400_with_the_count(contest: Contestants, words: int) -> None:
    anna = contest.sign_up(ANNA)
    text = " ".join(["woord"] * words)
    assert contest.entry(anna, json={"title": "Kort of lang", "text": text}).status_code == 201
    refused = contest.entry(anna, "/submit")
    assert refused.status_code == 400
    assert refused.json["word_count"] == words and f"{words} words" in refused.json["detail"]
    own = contest.client.get(f"/api/v1/entrants/{anna[0]}?token={anna[1]}").json
    assert own["entry"]["status"] == "draft" and own["entry"]["fingerprint"] is None


def test_one_entry_per_council_member(contest: Contestants) -> None:
    anna, bram = contest.sign_up(ANNA), contest.sign_up(BRAM)
    assert contest.entry(anna, json=ESSAY).status_code == 201
    again = contest.entry(anna, json=ESSAY)
    assert again.status_code == 409 and "one" in again.json["detail"]
    assert contest.entry(bram, json=ESSAY).status_code == 201
    invite = contest.entry(anna, "/co-authors", json={"email": BRAM["email"]})
    assert invite.status_code == 409 and "already an author" in invite.json["detail"]
    assert contest.count(Entry) == 2


def test_an_unconfirmed_co_author_blocks_submission(contest: Contestants) -> None:
    anna, bram = contest.sign_up(ANNA), contest.sign_up(BRAM)
    contest.entry(anna, json=ESSAY)
    invited = contest.entry(anna, "/co-authors", json={"email": BRAM["email"]})
    assert invited.status_code == 201 and len(invited.json["authors"]) == 2
    blocked = contest.entry(anna, "/submit")
    assert blocked.status_code == 409 and BRAM["name"] in blocked.json["detail"]

    answer = contest.client.post(
        f"/api/v1/entrants/{bram[0]}/invitation?token={bram[1]}", json={"accept": True}
    )
    assert answer.status_code == 200 and answer.json["entry"]["title"] == ESSAY["title"]
    assert contest.entry(anna, "/submit").status_code == 200
    receipt = [m for m in contest.mails() if "ontvangst" in m["Subject"]][-1]
    assert ANNA["email"] in receipt["To"] and BRAM["email"] in receipt["To"]
    assert contest.outbox(ESSAY_SUBMITTED)[0]["data"]["municipality_codes"] == [
        "GM0363",
        "GM0599",
    ]


def test_a_confirmation_link_expires_after_48_hours(contest: Contestants) -> None:
    contest.client.post(f"/api/v1/contests/{contest.contest_id}/entrants", json=ANNA)
    token = contest.link_in_last_mail_to(ANNA["email"]).split("token=")[1]
    contest.clock.now += timedelta(hours=49)
    late = contest.client.post("/api/v1/confirmations", json={"token": token})
    assert late.status_code == 410 and "expired" in late.json["detail"]
    forged = contest.client.post("/api/v1/confirmations", json={"token": token[:-2] + "xx"})
    assert forged.status_code == 403
    # Signing up again sends a fresh link that works.
    assert (
        contest.client.post(
            f"/api/v1/contests/{contest.contest_id}/entrants", json=ANNA
        ).status_code
        == 202
    )
    fresh = contest.link_in_last_mail_to(ANNA["email"]).split("token=")[1]
    assert contest.client.post("/api/v1/confirmations", json={"token": fresh}).status_code == 200


def _judged(contest: Contestants) -> dict[str, Any]:
    """Anna (Rotterdam, a party) writes alone; Bram (Amsterdam) with Cees (Utrecht, a party)."""
    anna, bram, cees = contest.sign_up(ANNA), contest.sign_up(BRAM), contest.sign_up(CEES)
    contest.entry(anna, json=ESSAY)
    contest.entry(anna, "/submit")
    contest.entry(bram, json={"title": "Raad en wijk", "text": "Wij luisteren eerst naar de wijk."})
    contest.entry(bram, "/co-authors", json={"email": CEES["email"]})
    contest.client.post(
        f"/api/v1/entrants/{cees[0]}/invitation?token={cees[1]}", json={"accept": True}
    )
    contest.entry(bram, "/submit")
    ids = {}
    for name, entrant in (("anna", anna), ("bram", bram), ("cees", cees)):
        own = contest.client.get(f"/api/v1/entrants/{entrant[0]}?token={entrant[1]}").json
        ids[name] = (entrant[0], own["entry"]["id"], own["entry"]["submitted_at"])
    contest.clock.now = CLOSES + timedelta(hours=1)
    return ids


def test_jury_responses_carry_no_author_detail_whatsoever(contest: Contestants) -> None:
    ids = _judged(contest)
    register = contest.client.application.extensions["gia"].register
    forbidden = {
        value
        for person in (ANNA, BRAM, CEES)
        for value in (
            *person.values(),
            person["name"].split()[0],
            person["name"].split()[1],
            person["email"].split("@")[0],
            register.get(person["municipality_code"]).name,
        )
    }
    for entrant_id, entry_id, submitted_at in ids.values():
        forbidden |= {entrant_id, entry_id, submitted_at, entry_id[:8], submitted_at[:10]}
    responses: list[Any] = []
    seen = {}
    for juror in (JUROR, JUROR_ROTTERDAM):
        headers = jury_headers(contest.settings, juror)
        listed = contest.client.get(
            f"/api/v1/contests/{contest.contest_id}/jury/entries", headers=headers
        )
        assert listed.status_code == 200
        responses.append(listed)
        seen[juror] = len(listed.json)
        for item in listed.json:
            base = f"/api/v1/contests/{contest.contest_id}/jury/entries/{item['handle']}"
            responses.append(contest.client.get(base, headers=headers))
            responses.append(
                contest.client.put(
                    f"{base}/score",
                    json={"scores": {"vision": 7, "style": 6}, "comment": "Helder."},
                    headers=headers,
                )
            )
        responses.append(contest.client.post(f"{base}/conflict", headers=headers))
    # The Rotterdam juror never sees the Rotterdam entry; the other juror sees both.
    assert seen == {JUROR: 2, JUROR_ROTTERDAM: 1}

    for response in responses:
        assert response.status_code == 200, response.json
        body = response.get_data(as_text=True)
        for item in response.json if isinstance(response.json, list) else [response.json]:
            assert set(item) == {
                "handle",
                "title",
                "text",
                "word_count",
                "conflict_declared",
                "scores",
                "comment",
                "final",
            }
            for value in _leaves(item):
                text = str(value)
                assert not any(bad.lower() in text.lower() for bad in forbidden), (text, item)
                assert not re.search(r"\d{4}-\d{2}-\d{2}", text), text
        assert not any(bad in body for bad in forbidden)
        assert not any(name.lower() in ("last-modified", "etag") for name, _ in response.headers)


def _leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _leaves(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _leaves(inner)
    else:
        yield value


def test_a_conflicted_jury_member_cannot_score(contest: Contestants) -> None:
    ids = _judged(contest)
    secret = contest.settings.secret_key
    base = f"/api/v1/contests/{contest.contest_id}/jury/entries"
    # Detected: the Rotterdam juror and Anna's Rotterdam entry.
    handle = jury_handle(secret, JUROR_ROTTERDAM, ids["anna"][1])
    detected = contest.client.put(
        f"{base}/{handle}/score",
        json={"scores": {"vision": 9, "style": 9}},
        headers=jury_headers(contest.settings, JUROR_ROTTERDAM),
    )
    assert detected.status_code == 403 and "conflict of interest" in detected.json["detail"]
    # Declared: the other juror declares one for Bram's entry.
    headers = jury_headers(contest.settings, JUROR)
    handle = jury_handle(secret, JUROR, ids["bram"][1])
    declared = contest.client.post(f"{base}/{handle}/conflict", headers=headers)
    assert declared.status_code == 200 and declared.json["conflict_declared"]
    assert declared.json["text"] is None
    refused = contest.client.put(
        f"{base}/{handle}/score", json={"scores": {"vision": 9, "style": 9}}, headers=headers
    )
    assert refused.status_code == 403


def test_final_scores_stay_and_the_ranking_shows_spread_and_too_few(contest: Contestants) -> None:
    ids = _judged(contest)
    secret = contest.settings.secret_key
    base = f"/api/v1/contests/{contest.contest_id}"
    anna_entry, bram_entry = ids["anna"][1], ids["bram"][1]

    def score(juror: str, entry_id: str, vision: int, style: int, final: bool = True) -> Any:
        handle = jury_handle(secret, juror, entry_id)
        return contest.client.put(
            f"{base}/jury/entries/{handle}/score",
            json={"scores": {"vision": vision, "style": style}, "final": final},
            headers=jury_headers(contest.settings, juror),
        )

    assert score(JUROR, anna_entry, 6, 4).status_code == 200
    again = score(JUROR, anna_entry, 10, 10)
    assert again.status_code == 409 and "final" in again.json["detail"]
    wrong = score(JUROR, bram_entry, 8, 11)
    assert wrong.status_code == 400
    missing = contest.client.put(
        f"{base}/jury/entries/{jury_handle(secret, JUROR, bram_entry)}/score",
        json={"scores": {"vision": 8}},
        headers=jury_headers(contest.settings, JUROR),
    )
    assert missing.status_code == 400 and "scores" in missing.json["errors"]
    assert score(JUROR, bram_entry, 6, 6).status_code == 200
    assert score(JUROR_ROTTERDAM, bram_entry, 9, 5).status_code == 200

    staff = staff_headers(contest.settings)
    ranking = contest.client.get(f"{base}/ranking", headers=staff)
    assert ranking.status_code == 200
    first, second = ranking.json
    # Bram: juror verdicts (6*3+6)/4 = 6 and (9*3+5)/4 = 8, mean 7; Anna: (6*3+4)/4 = 5.5.
    assert first["entry_id"] == bram_entry and first["mean"] == 7 and first["spread"] == 2
    assert second["entry_id"] == anna_entry and second["mean"] == 5.5 and second["jurors"] == 1
    assert second["too_few_scores"] and not first["too_few_scores"]
    assert first["criterion_means"] == {"vision": 7.5, "style": 5.5} and second["rank"] == 2

    early = contest.client.post(f"{base}/publish", headers=staff)
    assert early.status_code == 409
    chosen = contest.client.put(
        f"{base}/results",
        json={"winners": [{"entry_id": bram_entry, "place": 1}], "jury_report": "<b>Sterk</b>"},
        headers=staff,
    )
    assert chosen.status_code == 200
    assert contest.client.get(f"{base}/results").status_code == 404
    too_soon = contest.client.post(f"{base}/publish", headers=staff)
    assert too_soon.status_code == 409 and "01-12-2012 12:00" in too_soon.json["detail"]

    contest.clock.now = PUBLISHES
    assert contest.client.post(f"{base}/publish", headers=staff).status_code == 200
    results = contest.client.get(f"{base}/results").json
    winner = results["winners"][0]
    assert [a["name"] for a in winner["authors"]] == [BRAM["name"], CEES["name"]]
    assert [a["municipality"] for a in winner["authors"]] == ["Amsterdam", "Utrecht"]
    assert winner["text"] is None  # not every author consented
    announced = contest.outbox(ESSAY_WINNERS_ANNOUNCED)
    assert announced[0]["data"]["winners"] == [
        {"entry_id": bram_entry, "place": 1, "municipality_codes": ["GM0344", "GM0363"]}
    ]
    assert any("bekroond" in m["Subject"] for m in contest.mails())

    erased = contest.client.post(f"{base}/erase-personal-data", headers=staff)
    assert erased.status_code == 200 and erased.json == {"erased": 1}  # Anna: no win, no consent
    db = Database.for_service(contest.settings, "essay_contest")
    with db.transaction() as session:
        people = {e.municipality_code: e for e in session.scalars(select(Entrant))}
        assert people["GM0599"].name is None and people["GM0599"].email is None
        assert people["GM0363"].name == BRAM["name"]
        assert session.get(Entry, anna_entry).text is None
    db.dispose()


def test_each_role_is_refused_outside_it(contest: Contestants) -> None:
    anna, bram = contest.sign_up(ANNA), contest.sign_up(BRAM)
    contest.entry(anna, json=ESSAY)
    base = f"/api/v1/contests/{contest.contest_id}"
    staff, jury = staff_headers(contest.settings), jury_headers(contest.settings, JUROR)
    stranger = jury_headers(contest.settings, "geen.jurylid@example.nl")
    for method, path in (
        ("patch", base),
        ("get", f"{base}/settings"),
        ("get", f"{base}/ranking"),
        ("put", f"{base}/results"),
        ("post", f"{base}/publish"),
        ("post", f"{base}/erase-personal-data"),
        ("post", "/api/v1/contests"),
    ):
        assert getattr(contest.client, method)(path, json={}).status_code == 401, path
        assert getattr(contest.client, method)(path, json={}, headers=jury).status_code == 403
    contest.clock.now = CLOSES + timedelta(hours=1)
    for path in (f"{base}/jury/entries", f"{base}/jury/entries/abc"):
        assert contest.client.get(path).status_code == 401
        assert contest.client.get(path, headers=staff).status_code == 403
        assert contest.client.get(path, headers=stranger).status_code == 403
    contest.clock.now = CLOSES - timedelta(hours=1)
    # An entrant never sees another's draft: not without a token, not with their own.
    own = f"/api/v1/entrants/{anna[0]}"
    for token in ("", bram[1], "forged"):
        seen = contest.client.get(f"{own}?token={token}")
        assert seen.status_code == 403 and ESSAY["text"] not in seen.get_data(as_text=True)
    assert contest.client.get(f"{own}?token={anna[1]}").json["entry"]["text"] == ESSAY["text"]
    assert contest.client.get(own, headers=staff).status_code == 403


@pytest.mark.parametrize(
    ("path", "body", "status", "field"),
    [
        ("entrants", "{not json", 400, None),
        ("entrants", {**ANNA, "municipality_code": "GM9999"}, 400, "municipality_code"),
        ("entrants", {**ANNA, "email": "geen adres"}, 400, "email"),
        ("entrants", {"name": "X"}, 400, "email"),
        ("entrants", {**ANNA, "consent_to_publish": "misschien"}, 400, "consent_to_publish"),
    ],
)
def test_bad_sign_ups_are_4xx_and_write_nothing(
    contest: Contestants, path: str, body: Any, status: int, field: str | None
) -> None:
    url = f"/api/v1/contests/{contest.contest_id}/{path}"
    if isinstance(body, str):
        answer = contest.client.post(url, data=body, content_type="application/json")
    else:
        answer = contest.client.post(url, json=body)
    assert answer.status_code == status
    assert answer.content_type == "application/problem+json"
    if field:
        assert field in json.dumps(answer.json)
    assert contest.count(Entrant) == 0


def test_bad_contests_and_entries_are_4xx_and_write_nothing(contest: Contestants) -> None:
    staff = staff_headers(contest.settings)
    wrong_dates = {**CONTEST, "publishes_at": CONTEST["closes_at"]}
    answer = contest.client.post("/api/v1/contests", json=wrong_dates, headers=staff)
    assert answer.status_code == 400 and "publishes_at" in json.dumps(answer.json)
    limits = contest.client.patch(
        f"/api/v1/contests/{contest.contest_id}",
        json={"min_words": 50, "max_words": 10},
        headers=staff,
    )
    assert limits.status_code == 400
    doubled = {**CONTEST, "criteria": [CONTEST["criteria"][0]] * 2}
    assert contest.client.post("/api/v1/contests", json=doubled, headers=staff).status_code == 400
    assert contest.count(Contest) == 1
    shown = contest.client.get(f"/api/v1/contests/{contest.contest_id}").json
    assert (shown["min_words"], shown["max_words"]) == (5, 20)

    anna = contest.sign_up(ANNA)
    assert contest.entry(anna, json={"title": "", "text": "x"}).status_code == 400
    assert contest.entry(anna, json={"text": "x" * 70_000, "title": "Lang"}).status_code == 400
    assert contest.count(Entry) == 0
    unknown = contest.client.get("/api/v1/contests/00000000-0000-0000-0000-000000000000")
    assert unknown.status_code == 404


def test_signing_up_is_only_while_the_contest_is_open(contest: Contestants) -> None:
    contest.clock.now = OPENS - timedelta(minutes=1)
    early = contest.client.post(f"/api/v1/contests/{contest.contest_id}/entrants", json=ANNA)
    assert early.status_code == 409 and "opens at" in early.json["detail"]
    contest.clock.now = CLOSES
    late = contest.client.post(f"/api/v1/contests/{contest.contest_id}/entrants", json=ANNA)
    assert late.status_code == 409 and "01-11-2012 12:00" in late.json["detail"]
    assert contest.count(Entrant) == 0


def test_the_openapi_document_lists_the_contest(contest: Contestants) -> None:
    paths = contest.client.get("/api/v1/openapi.json").json["paths"]
    for path in (
        "/api/v1/contests/{contest_id}/entrants",
        "/api/v1/entrants/{entrant_id}/entry/submit",
        "/api/v1/contests/{contest_id}/jury/entries/{handle}/score",
        "/api/v1/contests/{contest_id}/ranking",
        "/api/v1/contests/{contest_id}/results",
    ):
        assert path in paths


def test_signing_up_again_before_confirming_replaces_the_details(contest: Contestants) -> None:
    """Whoever confirms the address gets the details they gave last, not a stranger's (or a
    typo's) from an earlier sign-up with the same address."""
    url = f"/api/v1/contests/{contest.contest_id}/entrants"
    stranger = {**ANNA, "name": "Iemand Anders", "municipality_code": "GM0363", "party": "X"}
    assert contest.client.post(url, json=stranger).status_code == 202
    contest.clock.now += timedelta(minutes=10)  # past the wait for a new confirmation mail
    anna_id, token = contest.sign_up(ANNA)
    own = contest.client.get(f"/api/v1/entrants/{anna_id}?token={token}").json
    assert (own["name"], own["municipality_code"], own["party"]) == (
        ANNA["name"],
        ANNA["municipality_code"],
        ANNA["party"],
    )
    assert contest.outbox(ESSAY_SIGNED_UP)[0]["data"]["municipality_code"] == "GM0599"
    assert contest.count(Entrant) == 1


def test_signing_up_again_soon_saves_the_details_but_mails_no_new_link(
    contest: Contestants,
) -> None:
    """A new confirmation mail goes to an address at most once per interval (a setting), by
    what the database says: another process of the service keeps to it as well."""
    url = f"/api/v1/contests/{contest.contest_id}/entrants"
    assert contest.client.post(url, json={**ANNA, "name": "Ana Baker"}).status_code == 202
    contest.clock.now += timedelta(minutes=4)
    again = contest.client.post(url, json=ANNA)
    assert again.status_code == 429 and again.content_type == "application/problem+json"
    assert again.headers["Retry-After"] == "360" and again.json["retry_after"] == 360
    assert "less than 10 minutes ago" in again.json["detail"]
    assert "Check your inbox" in again.json["detail"]

    shorter = replace(contest.settings, essay_confirmation_interval_minutes=5)
    other = create_app(shorter, contest.clock)
    refused = other.test_client().post(url, json=ANNA)
    other.extensions["gia"].db.dispose()
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "60"
    confirmations = [m for m in contest.mails() if "bevestig" in m["Subject"]]
    assert len(confirmations) == 1

    contest.clock.now += timedelta(minutes=6)
    anna_id, token = contest.sign_up(ANNA)  # a new link after the interval
    assert len([m for m in contest.mails() if "bevestig" in m["Subject"]]) == 2
    own = contest.client.get(f"/api/v1/entrants/{anna_id}?token={token}").json
    assert own["name"] == ANNA["name"] and contest.count(Entrant) == 1


def test_staff_see_every_jurors_scores_and_comment_and_jurors_only_their_own(
    contest: Contestants,
) -> None:
    ids = _judged(contest)
    secret, base = contest.settings.secret_key, f"/api/v1/contests/{contest.contest_id}"

    def score(juror: str, entry: str, vision: int, comment: str, final: bool = True) -> str:
        url = f"{base}/jury/entries/{jury_handle(secret, juror, ids[entry][1])}"
        sheet = {"scores": {"vision": vision, "style": 5}, "comment": comment, "final": final}
        headers = jury_headers(contest.settings, juror)
        assert contest.client.put(f"{url}/score", json=sheet, headers=headers).status_code == 200
        return contest.client.get(url, headers=headers).get_data(as_text=True)

    score(JUROR_ROTTERDAM, "bram", 9, "Origineel, maar kort.")
    own_view = score(JUROR, "bram", 6, "Sterk over de wijk.")
    score(JUROR, "anna", 7, "Nog niet zeker.", final=False)
    assert "Sterk over de wijk." in own_view and "Origineel" not in own_view

    staff = staff_headers(contest.settings)
    ranked = {e["entry_id"]: e for e in contest.client.get(f"{base}/ranking", headers=staff).json}
    assert ranked[ids["bram"][1]]["sheets"] == [
        {
            "juror": "Jurylid Rotterdam",
            "juror_email": JUROR_ROTTERDAM,
            "scores": {"vision": 9, "style": 5},
            "comment": "Origineel, maar kort.",
            "counted": True,
        },
        {
            "juror": "Jurylid Zonder Gemeente",
            "juror_email": JUROR,
            "scores": {"vision": 6, "style": 5},
            "comment": "Sterk over de wijk.",
            "counted": True,
        },
    ]
    assert ranked[ids["anna"][1]]["sheets"] == []  # scores not yet final stay the juror's own

    # The Rotterdam member turns out to sit in Utrecht's council, where Cees co-wrote.
    jury = [{**CONTEST["jury"][0], "municipality_code": "GM0344"}, CONTEST["jury"][1]]
    assert contest.client.patch(base, json={"jury": jury}, headers=staff).status_code == 200
    bram = next(
        e
        for e in contest.client.get(f"{base}/ranking", headers=staff).json
        if e["entry_id"] == ids["bram"][1]
    )
    assert [sheet["counted"] for sheet in bram["sheets"]] == [False, True]
    assert bram["jurors"] == 1 and bram["mean"] == (6 * 3 + 5) / 4
    for juror in (JUROR, JUROR_ROTTERDAM):
        refused = contest.client.get(
            f"{base}/ranking", headers=jury_headers(contest.settings, juror)
        )
        assert refused.status_code == 403 and "Origineel" not in refused.get_data(as_text=True)


def test_staff_count_entrants_and_entries_by_municipality_also_after_erasure(
    contest: Contestants,
) -> None:
    base, staff = f"/api/v1/contests/{contest.contest_id}", staff_headers(contest.settings)
    dirk = {"name": "Dirk Evers", "email": "dirk@raad.example.nl", "municipality_code": "GM0599"}
    assert contest.client.post(f"{base}/entrants", json=dirk).status_code == 202  # unconfirmed
    ids = _judged(contest)  # Anna (Rotterdam) alone; Bram (Amsterdam) with Cees (Utrecht)
    expected = [
        {
            "municipality": "Amsterdam",
            "municipality_code": "GM0363",
            "signed_up": 1,
            "confirmed": 1,
            "submitted": 1,
        },
        {
            "municipality": "Rotterdam",
            "municipality_code": "GM0599",
            "signed_up": 2,
            "confirmed": 1,
            "submitted": 1,
        },
        {
            "municipality": "Utrecht",
            "municipality_code": "GM0344",
            "signed_up": 1,
            "confirmed": 1,
            "submitted": 1,
        },
    ]
    assert contest.client.get(f"{base}/municipalities", headers=staff).json == expected
    download = contest.client.get(f"{base}/municipalities.csv", headers=staff)
    assert (
        download.mimetype == "text/csv" and "attachment" in download.headers["Content-Disposition"]
    )
    assert list(csv.reader(io.StringIO(download.get_data(as_text=True)))) == [
        ["gemeente", "cbs_code", "aangemeld", "bevestigd", "essays_ingediend"],
        ["Amsterdam", "GM0363", "1", "1", "1"],
        ["Rotterdam", "GM0599", "2", "1", "1"],
        ["Utrecht", "GM0344", "1", "1", "1"],
    ]

    winner = [{"entry_id": ids["bram"][1], "place": 1}]
    contest.client.put(
        f"{base}/results", json={"winners": winner, "jury_report": "Goed."}, headers=staff
    )
    contest.clock.now = PUBLISHES
    assert contest.client.post(f"{base}/publish", headers=staff).status_code == 200
    erased = contest.client.post(f"{base}/erase-personal-data", headers=staff)
    assert erased.json == {"erased": 2}  # Anna and Dirk: neither won nor consented
    assert contest.client.get(f"{base}/municipalities", headers=staff).json == expected
    for path in ("municipalities", "municipalities.csv"):
        assert contest.client.get(f"{base}/{path}").status_code == 401
        jury = jury_headers(contest.settings, JUROR)
        assert contest.client.get(f"{base}/{path}", headers=jury).status_code == 403


def test_the_ranking_counts_only_jury_members_without_a_conflict(contest: Contestants) -> None:
    """A jury member found to live in an author's municipality after scoring, or taken off
    the jury, no longer weighs in: not in the mean, not in the number of jurors."""
    ids = _judged(contest)
    secret, base = contest.settings.secret_key, f"/api/v1/contests/{contest.contest_id}"
    for juror, entry in ((JUROR, "anna"), (JUROR, "bram"), (JUROR_ROTTERDAM, "bram")):
        handle = jury_handle(secret, juror, ids[entry][1])
        scored = contest.client.put(
            f"{base}/jury/entries/{handle}/score",
            json={"scores": {"vision": 8, "style": 8}, "final": True},
            headers=jury_headers(contest.settings, juror),
        )
        assert scored.status_code == 200
    staff = staff_headers(contest.settings)
    jurors = {
        e["entry_id"]: e["jurors"]
        for e in contest.client.get(f"{base}/ranking", headers=staff).json
    }
    assert jurors == {ids["anna"][1]: 1, ids["bram"][1]: 2}

    # The jury member turns out to sit in Rotterdam's council; the Rotterdam one leaves.
    jury = [{"email": JUROR, "name": "Jurylid", "municipality_code": "GM0599"}]
    assert contest.client.patch(base, json={"jury": jury}, headers=staff).status_code == 200
    ranked = contest.client.get(f"{base}/ranking", headers=staff).json
    by_entry = {e["entry_id"]: e for e in ranked}
    assert by_entry[ids["anna"][1]]["jurors"] == 0 and by_entry[ids["anna"][1]]["mean"] is None
    assert by_entry[ids["bram"][1]]["jurors"] == 1 and by_entry[ids["bram"][1]]["mean"] == 8


def test_an_invited_council_member_is_told_to_decline_before_writing_their_own(
    contest: Contestants,
) -> None:
    anna, bram = contest.sign_up(ANNA), contest.sign_up(BRAM)
    contest.entry(anna, json=ESSAY)
    contest.entry(anna, "/co-authors", json={"email": BRAM["email"]})
    blocked = contest.entry(bram, json=ESSAY)
    assert blocked.status_code == 409 and "decline" in blocked.json["detail"]
    declined = contest.client.post(
        f"/api/v1/entrants/{bram[0]}/invitation?token={bram[1]}", json={"accept": False}
    )
    assert declined.status_code == 200 and declined.json["entry"] is None
    assert contest.entry(bram, json=ESSAY).status_code == 201


def test_an_entry_wins_one_place_at_most(contest: Contestants) -> None:
    ids = _judged(contest)
    twice = [{"entry_id": ids["anna"][1], "place": 1}, {"entry_id": ids["anna"][1], "place": 2}]
    chosen = contest.client.put(
        f"/api/v1/contests/{contest.contest_id}/results",
        json={"winners": twice, "jury_report": "Goed."},
        headers=staff_headers(contest.settings),
    )
    assert chosen.status_code == 400 and "winners" in chosen.json["errors"]
    db = Database.for_service(contest.settings, "essay_contest")
    with db.transaction() as session:
        assert session.get(Entry, ids["anna"][1]).place is None
        assert session.get(Contest, contest.contest_id).jury_report is None
    db.dispose()


def test_erasure_takes_the_erased_essays_titles_from_the_receipts_too(
    contest: Contestants,
) -> None:
    ids = _judged(contest)
    base, staff = f"/api/v1/contests/{contest.contest_id}", staff_headers(contest.settings)
    winner = [{"entry_id": ids["bram"][1], "place": 1}]
    contest.client.put(
        f"{base}/results", json={"winners": winner, "jury_report": "Goed."}, headers=staff
    )
    contest.clock.now = PUBLISHES
    assert contest.client.post(f"{base}/publish", headers=staff).status_code == 200
    assert contest.client.post(f"{base}/erase-personal-data", headers=staff).json == {"erased": 1}
    db = Database.for_service(contest.settings, "essay_contest")
    with db.transaction() as session:
        titles = {s.entry_id: s.title for s in session.scalars(select(Submission))}
        kept = session.scalars(select(Entrant.municipality_code)).all()
    db.dispose()
    assert titles == {ids["anna"][1]: "", ids["bram"][1]: "Raad en wijk"}
    assert sorted(kept) == ["GM0344", "GM0363", "GM0599"]  # the counts by municipality stay


def test_staff_download_the_ranking_as_csv_with_the_mean_of_every_criterion(
    contest: Contestants,
) -> None:
    anna, bram = contest.sign_up(ANNA), contest.sign_up(BRAM)
    hostile = '=HYPERLINK("http://example.com","klik")'
    for entrant, title in ((anna, hostile), (bram, "Raad en wijk")):
        contest.entry(entrant, json={**ESSAY, "title": title})
        contest.entry(entrant, "/submit")
    contest.clock.now = CLOSES + timedelta(hours=1)
    own = contest.client.get(f"/api/v1/entrants/{bram[0]}?token={bram[1]}").json
    bram_entry = own["entry"]["id"]
    base = f"/api/v1/contests/{contest.contest_id}"
    for juror, vision, style in ((JUROR, 8, 5), (JUROR_ROTTERDAM, 6, 9)):
        handle = jury_handle(contest.settings.secret_key, juror, bram_entry)
        contest.client.put(
            f"{base}/jury/entries/{handle}/score",
            json={"scores": {"vision": vision, "style": style}, "final": True},
            headers=jury_headers(contest.settings, juror),
        )
    url = f"{base}/ranking.csv"
    assert contest.client.get(url).status_code == 401
    assert contest.client.get(url, headers=jury_headers(contest.settings, JUROR)).status_code == 403
    answer = contest.client.get(url, headers=staff_headers(contest.settings))
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert "attachment" in answer.headers["Content-Disposition"]
    header, first, second = list(csv.reader(io.StringIO(answer.get_data(as_text=True))))
    assert header[:7] == [
        "rang",
        "essay",
        "titel",
        "gemeenten",
        "gewogen_gemiddelde",
        "gemiddelde_vision",
        "gemiddelde_style",
    ]
    # Bram: verdicts (8*3+5)/4 = 7.25 and (6*3+9)/4 = 6.75; vision 7, style 7, spread 0.5.
    row = dict(zip(header, first, strict=True))
    assert row["essay"] == bram_entry and row["gemeenten"] == "Amsterdam"
    assert (row["gewogen_gemiddelde"], row["gemiddelde_vision"], row["gemiddelde_style"]) == (
        "7.0000",
        "7.0000",
        "7.0000",
    )
    assert (row["juryleden"], row["spreiding"], row["te_weinig_beoordelingen"]) == (
        "2",
        "0.5000",
        "nee",
    )
    # Nobody scored Anna's entry; its title cannot run as a formula in a spreadsheet.
    row = dict(zip(header, second, strict=True))
    assert row["titel"] == "'" + hostile and row["gewogen_gemiddelde"] == ""
    assert row["te_weinig_beoordelingen"] == "ja"


def test_an_author_takes_back_an_unanswered_invitation_and_submits(contest: Contestants) -> None:
    """A colleague who never answers cannot hold the entry hostage until the deadline."""
    anna, bram, cees = contest.sign_up(ANNA), contest.sign_up(BRAM), contest.sign_up(CEES)
    contest.entry(anna, json=ESSAY)
    invited = contest.entry(anna, "/co-authors", json={"email": BRAM["email"]}).json
    lead, guest = invited["authors"]
    assert contest.entry(anna, "/submit").status_code == 409
    for who, author in ((cees, guest), (anna, lead)):  # not one's entry; not oneself
        refused = contest.entry(who, f"/co-authors/{author['id']}", method="delete")
        assert refused.status_code == 404
    taken_back = contest.entry(anna, f"/co-authors/{guest['id']}", method="delete")
    assert taken_back.status_code == 200
    assert [a["name"] for a in taken_back.json["authors"]] == [ANNA["name"]]
    assert contest.entry(anna, "/submit").status_code == 200
    assert contest.entry(bram, json=ESSAY).status_code == 201  # free to write his own


def test_a_jurors_first_scores_saved_twice_at_once_are_one_sheet(contest: Contestants) -> None:
    ids = _judged(contest)
    headers = jury_headers(contest.settings, JUROR)
    base = f"/api/v1/contests/{contest.contest_id}/jury/entries"
    for name in ("anna", "bram"):
        url = f"{base}/{jury_handle(contest.settings.secret_key, JUROR, ids[name][1])}/score"
        saves = all_at_once(
            [
                lambda vision=vision, url=url: contest.client.application.test_client().put(
                    url, json={"scores": {"vision": vision, "style": 5}}, headers=headers
                )
                for vision in (6, 8)
            ]
        )
        assert [save.status_code for save in saves] == [200, 200]
    assert contest.count(ScoreSheet) == 2
