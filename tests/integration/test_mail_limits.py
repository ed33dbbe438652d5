"""Public forms that send mail cannot be turned into a mail cannon: every one of them, page
and API, is limited per client address and per target address, counted in the real Redis
that all services share, and a refused POST writes nothing."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect, text

from gia.migrations import upgrade
from services.essay_contest import access
from services.essay_contest.app import create_app as essay_app
from services.guide.app import create_app as guide_app
from services.practiceteam.app import create_app as practiceteam_app
from services.registration.app import create_app as registration_app
from shared.settings import Settings, load_settings
from shared.web.mail_limits import recipient_key
from tests.factories import (
    ESSAY_CONTEST,
    MEETING,
    PERSON,
    PRACTICETEAM_REQUEST,
    all_at_once,
    staff_headers,
)

pytestmark = pytest.mark.services

NOW = datetime(2030, 9, 15, 12, tzinfo=UTC)  # the example contest open, the meeting ahead
PDF = b"%PDF-1.4\n" + b"1 0 obj << >> endobj\n" * 50
COUNCIL_MEMBER = {"name": "Bram Claes", "municipality_code": "GM0363"}
TOLD = {
    "from": "Vanaf uw adres zijn kort na elkaar te veel formulieren verstuurd.",
    "to": "Naar dit e-mailadres is de laatste tijd te veel mail gestuurd.",
}


@dataclass(frozen=True)
class Form:
    """One public form that sends mail, as the API and as the page send it."""

    service: str
    create_app: Callable[..., Flask]
    # What the form needs first (a meeting, a contest, ...), made without limits: its ids.
    prepare: Callable[[FlaskClient, Settings], dict[str, str]]
    api: str  # the endpoint and the page, with those ids in braces
    page: str
    sent: dict[str, Any]  # what the API is sent besides the address
    address_at: str = "email"  # where the address goes; dotted for a nested one, as pages name it
    page_only: dict[str, str] = field(default_factory=dict)  # inputs the API has no field for

    def api_body(self, email: str) -> dict[str, Any]:
        nested, _, name = self.address_at.rpartition(".")
        if nested:
            return {**self.sent, nested: {**self.sent[nested], name: email}}
        return {**self.sent, name: email}

    def page_form(self, email: str) -> dict[str, Any]:
        """The same as a form sends it: a nested schema's inputs named with dots."""
        form: dict[str, Any] = dict(self.page_only)
        for name, value in self.sent.items():
            if isinstance(value, dict):
                form.update({f"{name}.{key}": found for key, found in value.items()})
            else:
                form[name] = value
        return {**form, self.address_at: email}


def _meeting(client: FlaskClient, settings: Settings) -> dict[str, str]:
    made = client.post("/api/v1/meetings", json=MEETING, headers=staff_headers(settings))
    assert made.status_code == 201, made.json
    return {"meeting": made.json["id"]}


def _contest(client: FlaskClient, settings: Settings) -> dict[str, str]:
    made = client.post("/api/v1/contests", json=ESSAY_CONTEST, headers=staff_headers(settings))
    assert made.status_code == 201, made.json
    return {"contest": made.json["id"]}


def _signed_up(
    client: FlaskClient, settings: Settings, contest: str, person: dict[str, str]
) -> str:
    """An entrant who confirmed their address, as the link in the mail does."""
    made = client.post(f"/api/v1/contests/{contest}/entrants", json=person)
    assert made.status_code == 202, made.json
    link = access.confirmation_link(settings, made.json["id"], NOW)
    confirmed = client.post("/api/v1/confirmations", json={"token": link.split("token=")[1]})
    assert confirmed.status_code == 200, confirmed.json
    return made.json["id"]  # type: ignore[no-any-return]


def _author(client: FlaskClient, settings: Settings) -> dict[str, str]:
    """An entrant with an essay begun, and council members to invite as co-authors."""
    contest = _contest(client, settings)["contest"]
    anna = _signed_up(client, settings, contest, {**COUNCIL_MEMBER, "email": "an@example.nl"})
    token = access.entrant_token(settings, anna)
    essay = {"title": "Samen verder", "text": "Integratie begint in de wijk, bij mensen zelf."}
    begun = client.post(f"/api/v1/entrants/{anna}/entry?token={token}", json=essay)
    assert begun.status_code == 201, begun.json
    for email in ("to@example.nl", "other@example.nl"):
        _signed_up(client, settings, contest, {**COUNCIL_MEMBER, "email": email})
    return {"entrant": anna, "token": token}


def _guide(client: FlaskClient, settings: Settings) -> dict[str, str]:
    guide = {"title": "Samen leven bindt verschillen", "available_from": "2012-07-01"}
    made = client.post("/api/v1/guides", json=guide, headers=staff_headers(settings))
    assert made.status_code == 201, made.json
    edition = client.post(
        f"/api/v1/guides/{made.json['id']}/editions",
        data={"file": (io.BytesIO(PDF), "deel-1.pdf"), "published_on": "2012-07-01"},
        headers=staff_headers(settings),
        content_type="multipart/form-data",
    )
    assert edition.status_code == 201, edition.json
    return {"guide": made.json["id"], "slug": made.json["slug"]}


DOWNLOADER = {"municipality_code": "GM0599", "role": "official"}

FORMS = {
    "meeting registration": Form(
        "registration",
        registration_app,
        _meeting,
        api="/api/v1/meetings/{meeting}/registrations",
        page="/bijeenkomsten/{meeting}",
        sent=PERSON,
        page_only={"organisation": ""},
    ),
    "praktijkteam request": Form(
        "practiceteam",
        practiceteam_app,
        lambda client, settings: {},
        api="/api/v1/requests",
        page="/aanvragen",
        sent=PRACTICETEAM_REQUEST,
        address_at="contact.email",
    ),
    "essay contest sign-up": Form(
        "essay_contest",
        essay_app,
        _contest,
        api="/api/v1/contests/{contest}/entrants",
        page="/wedstrijden/{contest}",
        sent=COUNCIL_MEMBER,
    ),
    "co-author invitation": Form(
        "essay_contest",
        essay_app,
        _author,
        api="/api/v1/entrants/{entrant}/entry/co-authors?token={token}",
        page="/deelnemer/{entrant}/mede-auteurs?token={token}",
        sent={},
    ),
    "guide download with an address": Form(
        "guide",
        guide_app,
        _guide,
        api="/api/v1/guides/{guide}/downloads",
        page="/handreikingen/{slug}",
        sent=DOWNLOADER,
        page_only={"document": "edition:1"},
    ),
}


@dataclass
class Served:
    form: Form
    app: Flask
    made: dict[str, str]

    def api(self, email: str, client: str = "192.0.2.1") -> Any:
        path = self.form.api.format(**self.made)
        body = self.form.api_body(email)
        return self.app.test_client().post(path, json=body, environ_base={"REMOTE_ADDR": client})

    def page(self, email: str, client: str = "192.0.2.1") -> Any:
        return self.app.test_client().post(
            self.form.page.format(**self.made),
            data=self.form.page_form(email),
            headers={"Accept": "text/html"},
            environ_base={"REMOTE_ADDR": client},
        )

    def rows(self) -> dict[str, int]:
        """How many rows every table of the service holds: records, events and mail."""
        db = self.app.extensions["gia"].db
        with db.engine.connect() as connection:
            names = inspect(connection).get_table_names(schema=db.schema)
            schema = f'"{db.schema}".' if db.schema else ""
            return {
                name: connection.execute(
                    text(f'SELECT count(*) FROM {schema}"{name}"')
                ).scalar_one()
                for name in names
            }


@contextmanager
def _serve(form: Form, env: dict[str, str], address: str, recipient: str) -> Iterator[Served]:
    """The form's service under the limits given; what it needs made by an app without them."""
    settings = load_settings(
        {
            **env,
            "GIA_MAIL_LIMIT_ADDRESS": address,
            "GIA_MAIL_LIMIT_RECIPIENT": recipient,
            "GIA_ESSAY_CONFIRMATION_INTERVAL_MINUTES": "0",
        }
    )
    upgrade(settings, ("auth", form.service))
    free = form.create_app(
        replace(settings, mail_limit_address="", mail_limit_recipient=""), lambda: NOW
    )
    app = form.create_app(settings, lambda: NOW)
    app.config["WTF_CSRF_ENABLED"] = False
    yield Served(form, app, form.prepare(free.test_client(), settings))
    for each in (free, app):
        for db in (each.extensions["gia"].db, each.extensions["gia"].auth_db):
            db.dispose()


@pytest.fixture(params=list(FORMS), ids=list(FORMS))
def form(request: pytest.FixtureRequest) -> Form:
    return FORMS[request.param]


def test_the_api_refuses_the_next_post_to_one_inbox_and_writes_nothing(
    form: Form, real_env: dict[str, str]
) -> None:
    with _serve(form, real_env, "100/minute", "1/minute") as served:
        assert served.api("to@example.nl").status_code < 300
        before = served.rows()
        # Another client, and the same inbox written otherwise.
        refused = served.api(" To+again@Example.NL ", client="198.51.100.7")
        assert refused.status_code == 429, refused.json
        assert refused.mimetype == "application/problem+json"
        assert 0 < int(refused.headers["Retry-After"]) <= 60
        assert "e-mail address" in refused.json["detail"]
        assert served.rows() == before


def test_a_page_shows_the_form_again_with_the_dutch_message_and_writes_nothing(
    form: Form, real_env: dict[str, str]
) -> None:
    """Per client address, whatever address each POST is aimed at."""
    with _serve(form, real_env, "1/minute", "100/minute") as served:
        assert served.page("to@example.nl").status_code < 400
        before = served.rows()
        refused = served.page("other@example.nl")
        assert refused.status_code == 429
        assert 0 < int(refused.headers["Retry-After"]) <= 60
        page = refused.get_data(as_text=True)
        assert TOLD["from"] in page
        assert 'value="other@example.nl"' in page  # the form again, as it was sent
        assert served.rows() == before
        assert served.page("other@example.nl", client="198.51.100.7").status_code < 400


def test_one_inbox_counts_across_services_and_instances_in_redis(
    real_env: dict[str, str],
) -> None:
    """The target address is one key in the Redis every service and replica shares."""
    limits = ("100/minute", "2/minute")
    with (
        _serve(FORMS["meeting registration"], real_env, *limits) as registration,
        _serve(FORMS["praktijkteam request"], real_env, *limits) as practiceteam,
    ):
        assert registration.api("an@example.nl").status_code == 201
        assert practiceteam.api("an@example.nl", client="198.51.100.7").status_code == 201
        refused = practiceteam.api("AN@example.nl", client="203.0.113.9")
        assert refused.status_code == 429
        refused_page = registration.page("an@example.nl", client="203.0.113.10")
        assert refused_page.status_code == 429
        assert TOLD["to"] in refused_page.get_data(as_text=True)


def test_a_burst_at_one_inbox_sends_no_more_than_the_limit(real_env: dict[str, str]) -> None:
    """Counted before the use case runs, atomically: parallel POSTs cannot all slip through."""
    with _serve(FORMS["praktijkteam request"], real_env, "100/minute", "5/minute") as served:
        answers = all_at_once(
            [lambda n=n: served.api("to@example.nl", client=f"10.0.0.{n}") for n in range(20)]
        )
        assert sorted(answer.status_code for answer in answers) == [201] * 5 + [429] * 15
        assert served.rows()["mail_queue"] == 5


def test_a_download_without_an_address_mails_nobody_and_is_not_counted(
    real_env: dict[str, str],
) -> None:
    guide = FORMS["guide download with an address"]
    with _serve(guide, real_env, "1/minute", "1/minute") as served:
        path = served.form.api.format(**served.made)
        client = served.app.test_client()
        assert [client.post(path, json=DOWNLOADER).status_code for _ in range(3)] == [200] * 3
        assert served.api("to@example.nl").status_code == 200
        assert served.api("other@example.nl").status_code == 429


def test_one_inbox_has_one_key_however_its_address_is_written() -> None:
    assert recipient_key(" An+Nieuwsbrief@Example.NL ") == recipient_key("an@example.nl")
    assert recipient_key("an@example.nl") != recipient_key("an@example.com")
