"""Who may call what: every operation of the five APIs, called by every kind of caller, on
PostgreSQL, with the answer its own OpenAPI document promises.

The cases come from the documents, so a new operation is covered without a test of its own.
What an operation promises follows from its ``security`` and ``x-roles`` (which
``require_role`` writes, and ``require_access`` for a token let in beside a personal link)
alone:

- no ``security``: anyone; no caller is refused (401/403).
- ``[{"bearer": []}]`` with ``x-roles``: no token, a bad one (expired, signed with another
  key, unsigned, revoked, for a role no one has) or only a personal link is 401; a token of
  a role not listed is 403; a listed role is let through.
- a ``{}`` alternative with a ``token`` query parameter: the personal link of the record the
  path names opens it. A link of another record opens nothing: where a bearer alternative is
  declared the caller then needs a token (401 without one, 403 for a role not in ``x-roles``),
  otherwise it is 403 whatever the caller sends.

Whoever is let through may still hear 400 (an empty body), 404 (an unknown id) or 409, never
a server error. Whoever is refused hears problem+json, changes nothing in the service's
database and reads none of the other record's data.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from importlib import import_module
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect, text

from gia.registry import SERVICES
from services.essay_contest.access import confirmation_link, entrant_token
from services.indicators.access import survey_links
from shared.auth.revocations import revoke_token
from shared.auth.tokens import ALGORITHM, mint_token, verify_token
from shared.db import Database
from shared.problems import PROBLEM_JSON
from shared.settings import Settings, load_settings
from shared.web.auth import ROLES_EXTENSION
from tests.factories import ESSAY_CONTEST, PERSON, PRACTICETEAM_REQUEST, serving, staff_headers
from tests.integration.test_api_fuzz import EXISTING
from tests.isolation import isolated_env, remove

pytestmark = pytest.mark.services

BAD_TOKENS = ("expired", "wrong key", "alg none", "revoked", "unknown role")
ROLES = ("jury", "staff")
ANONYMOUS, OTHERS_LINK, OWN_LINK = "anonymous", "other's link", "own link"
CALLERS = (ANONYMOUS, *BAD_TOKENS, *ROLES, OTHERS_LINK, OWN_LINK)
JUROR = ESSAY_CONTEST["jury"][0]["email"]
# The essay contest's clock: the example contest is open for entries.
ESSAY_NOW = datetime(2030, 9, 2, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Operation:
    service: str
    method: str
    path: str
    security: list[dict[str, list[str]]] | None
    roles: tuple[str, ...]  # whose token is let through: ``x-roles``
    path_parameters: dict[str, dict[str, Any]]
    takes_link: bool
    has_body: bool

    @property
    def bearer(self) -> bool:
        return any("bearer" in alternative for alternative in self.security or [])


@dataclass(frozen=True)
class Case:
    operation: Operation
    caller: str

    @property
    def allowed(self) -> bool:
        return self.expected is None

    @property
    def expected(self) -> int | None:
        """The refusal (401 or 403) the document promises this caller, or None: let through."""
        operation, caller = self.operation, self.caller
        if operation.security is None or caller == OWN_LINK:
            return None
        if operation.takes_link and not operation.bearer:
            return 403
        if caller in ROLES:
            return None if caller in operation.roles else 403
        return 401

    def __str__(self) -> str:
        operation = self.operation
        return f"{operation.service} {operation.method} {operation.path} [{self.caller}]"


def _document(name: str) -> dict[str, Any]:
    """The service's OpenAPI document, from an app on a throwaway embedded database."""
    with tempfile.TemporaryDirectory() as var_dir:
        settings = load_settings({"GIA_VAR_DIR": var_dir, "GIA_SECRET_KEY": "k" * 40})
        app = import_module(f"services.{name}.app").create_app(settings)
        document: dict[str, Any] = app.test_client().get("/api/v1/openapi.json").json
        for db in (app.extensions["gia"].db, app.extensions["gia"].auth_db):
            db.dispose()
    return document


def operations(name: str) -> Iterator[Operation]:
    for path, item in _document(name)["paths"].items():
        for method, spec in item.items():
            if method == "parameters":
                continue
            parameters = [*item.get("parameters", []), *spec.get("parameters", [])]
            security = spec.get("security")
            link = any(p["in"] == "query" and p["name"] == "token" for p in parameters)
            yield Operation(
                service=name,
                method=method.upper(),
                path=path,
                security=security,
                roles=tuple(spec.get(ROLES_EXTENSION, ())),
                path_parameters={p["name"]: p["schema"] for p in parameters if p["in"] == "path"},
                takes_link=link and {} in (security or []),
                has_body="requestBody" in spec,
            )


OPERATIONS = [operation for name in SERVICES for operation in operations(name)]
CASES = [
    Case(operation, caller)
    for operation in OPERATIONS
    for caller in CALLERS
    if caller != OWN_LINK or operation.takes_link
]


@dataclass
class Link:
    """A personal link (the token of record ``own``) and another record of the same kind."""

    parameter: str
    own: str
    token: str
    other: str


@dataclass
class World:
    """A service's app with records to call operations on."""

    client: FlaskClient
    db: Database
    path: dict[str, str]
    link: Link | None = None
    # A value of the other record that no refused caller may read.
    secret: str | None = None
    tables: list[str] = field(default_factory=list)
    # The fingerprint after the last call, unless a call let through may have changed it.
    known: list[tuple[str, str]] | None = None

    def fingerprint(self) -> list[tuple[str, str]]:
        """Every row of every table of the service, hashed: what a refusal may not change."""
        if not self.tables:
            return []
        query = " UNION ALL ".join(
            f"SELECT '{table}', md5(coalesce(string_agg(md5(r::text), '' "
            f"ORDER BY md5(r::text)), '')) FROM \"{table}\" r"
            for table in self.tables
        )
        with self.db.engine.connect() as connection:
            return [(row[0], row[1]) for row in connection.execute(text(query))]


def _token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["token"][0]


def _registration(client: FlaskClient, settings: Settings, staff: dict[str, str]) -> World:
    path = EXISTING["registration"](client, staff)
    own = client.post(
        f"/api/v1/meetings/{path['meeting_id']}/registrations",
        json={**PERSON, "name": "Bea Jansen", "email": "bea@example.nl"},
    ).json
    token = _token_of(own["links"]["cancel"])
    link = Link("registration_id", own["id"], token, path["registration_id"])
    return World(
        client, Database.for_service(settings, "registration"), path, link, PERSON["email"]
    )


def _practiceteam(client: FlaskClient, settings: Settings, staff: dict[str, str]) -> World:
    path = EXISTING["practiceteam"](client, staff)
    contact = {**PRACTICETEAM_REQUEST["contact"], "email": "eigen@example.nl"}  # type: ignore[dict-item]
    own = client.post("/api/v1/requests", json={**PRACTICETEAM_REQUEST, "contact": contact}).json
    link = Link("request_id", own["id"], _token_of(own["links"]["tracking"]), path["request_id"])
    secret = PRACTICETEAM_REQUEST["contact"]["email"]  # type: ignore[index]
    return World(client, Database.for_service(settings, "practiceteam"), path, link, secret)


def _entrant(client: FlaskClient, settings: Settings, contest_id: str, email: str) -> str:
    """A council member signed up for the contest, with a confirmed address."""
    person = {"name": "Raadslid", "email": email, "municipality_code": "GM0599"}
    entrant = client.post(f"/api/v1/contests/{contest_id}/entrants", json=person).json["id"]
    token = _token_of(confirmation_link(settings, entrant, ESSAY_NOW))
    assert client.post("/api/v1/confirmations", json={"token": token}).status_code == 200
    return str(entrant)


def _essay_contest(client: FlaskClient, settings: Settings, staff: dict[str, str]) -> World:
    path = EXISTING["essay_contest"](client, staff)
    own = _entrant(client, settings, path["contest_id"], "eigen@raad.example.nl")
    other = _entrant(client, settings, path["contest_id"], "ander@raad.example.nl")
    link = Link("entrant_id", own, entrant_token(settings, own), other)
    db = Database.for_service(settings, "essay_contest")
    return World(client, db, {**path, "entrant_id": other}, link, "ander@raad.example.nl")


def _indicators(client: FlaskClient, settings: Settings, staff: dict[str, str]) -> World:
    path = EXISTING["indicators"](client, staff)
    own = "GM0363"
    link = Link("code", own, survey_links(settings.secret_key).token(own), path["code"])
    return World(client, Database.for_service(settings, "indicators"), path, link)


def _guide(client: FlaskClient, settings: Settings, staff: dict[str, str]) -> World:
    return World(client, Database.for_service(settings, "guide"), EXISTING["guide"](client, staff))


WORLDS: dict[str, Callable[[FlaskClient, Settings, dict[str, str]], World]] = {
    "registration": _registration,
    "practiceteam": _practiceteam,
    "essay_contest": _essay_contest,
    "indicators": _indicators,
    "guide": _guide,
}


@pytest.fixture(scope="module")
def settings(
    service_urls: tuple[str, str], redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """One set of schemas for the whole matrix (``real_settings`` is made per test)."""
    settings = load_settings(
        isolated_env(*service_urls, tmp_path_factory.mktemp("matrix"), redis_url=redis_url)
    )
    yield settings
    remove(settings)


def _reencoded(token: str, key: str | None, algorithm: str, **claims: Any) -> str:
    """A real token's claims, changed and signed again (or not at all)."""
    decoded = jwt.decode(token, options={"verify_signature": False})
    return jwt.encode({**decoded, **claims}, key, algorithm=algorithm)


@pytest.fixture(scope="module")
def headers(settings: Settings) -> dict[str, dict[str, str]]:
    """Each caller's headers; the revoked token is revoked in the auth database."""
    secret = settings.secret_key
    staff = staff_headers(settings)["Authorization"].removeprefix("Bearer ")
    revoked = mint_token(secret, "staff", "test", timedelta(minutes=10))
    principal = verify_token(secret, revoked)
    auth = Database.for_service(settings, "auth")
    with auth.transaction() as session:
        revoke_token(session, str(principal.token_id), principal.expires_at)
    auth.dispose()
    tokens = {
        "expired": mint_token(secret, "staff", "test", timedelta(minutes=-1)),
        "wrong key": mint_token("another secret " * 3, "staff", "test", timedelta(minutes=10)),
        "alg none": _reencoded(staff, None, "none"),
        "revoked": revoked,
        "unknown role": _reencoded(staff, secret, ALGORITHM, role="admin"),
        "jury": mint_token(secret, "jury", JUROR, timedelta(minutes=10)),
        "staff": staff,
    }
    return {caller: {"Authorization": f"Bearer {token}"} for caller, token in tokens.items()}


@pytest.fixture(scope="module")
def worlds(
    settings: Settings, headers: dict[str, dict[str, str]]
) -> Iterator[Callable[[str], World]]:
    """Each service's app with its records, made once, when the first case needs it."""
    made: dict[str, World] = {}
    with ExitStack() as stack:

        def world(name: str) -> World:
            if name not in made:
                create_app: Callable[..., Flask] = import_module(f"services.{name}.app").create_app
                if name == "essay_contest":
                    create_app = partial(create_app, clock=lambda: ESSAY_NOW)
                app = stack.enter_context(serving(create_app, settings, name, "auth"))
                made[name] = found = WORLDS[name](app.test_client(), settings, headers["staff"])
                stack.callback(found.db.dispose)
                found.tables = inspect(found.db.engine).get_table_names(schema=found.db.schema)
            return made[name]

        yield world


def _made_up(schema: dict[str, Any]) -> object:
    """A path parameter naming nothing that exists (a year for integers: plans take one)."""
    if schema.get("format") == "uuid":
        return uuid.uuid4()
    return 2030 if schema.get("type") == "integer" else "GM0599"


def _call(world: World, case: Case, headers: dict[str, dict[str, str]]) -> Any:
    operation, caller, link = case.operation, case.caller, world.link
    values = dict(world.path)
    query: dict[str, str] = {}
    if link and caller in (OWN_LINK, OTHERS_LINK):
        query["token"] = link.token
        values[link.parameter] = link.own if caller == OWN_LINK else link.other
    path = operation.path
    for name, schema in operation.path_parameters.items():
        path = path.replace(f"{{{name}}}", str(values.get(name) or _made_up(schema)))
    return world.client.open(
        path,
        method=operation.method,
        query_string=query,
        headers=headers.get(caller, {}),
        json={} if operation.has_body else None,
    )


@pytest.mark.parametrize("case", CASES, ids=str)
def test_each_caller_gets_what_the_document_promises(
    case: Case, worlds: Callable[[str], World], headers: dict[str, dict[str, str]]
) -> None:
    world = worlds(case.operation.service)
    before = None if case.allowed else world.known or world.fingerprint()
    response = _call(world, case, headers)
    body = response.get_data(as_text=True)
    assert response.status_code < 500, body
    if case.allowed:
        world.known = None
        assert response.status_code not in (401, 403), body
        return
    world.known = world.fingerprint()
    assert world.known == before, "a refused call changed the database"
    assert not world.secret or world.secret not in body
    assert response.mimetype == PROBLEM_JSON
    assert response.status_code == case.expected, body


def test_the_matrix_covers_every_kind_of_operation() -> None:
    """The documents declare what the matrix reads: roles on every operation that takes a
    token (beside a personal link too), and personal links where anonymous callers are let in."""
    needs_token = [o for o in OPERATIONS if o.security == [{"bearer": []}]]
    assert needs_token and all(o.roles for o in OPERATIONS if o.bearer)
    assert {"jury", "staff"} <= {role for o in needs_token for role in o.roles}
    links = {o.service for o in OPERATIONS if o.takes_link}
    assert links == {"registration", "practiceteam", "essay_contest", "indicators"}
    anonymous = [o for o in OPERATIONS if {} in (o.security or [])]
    assert all(o.takes_link for o in anonymous)
