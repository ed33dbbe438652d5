"""Sessions belong to an account version: a new password or role, a removed account or
logging out everywhere ends every session at once, on the real PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from gia.cli import main
from services.registration.app import create_app
from shared.auth.accounts import add_account, end_sessions, remove_account, set_role
from shared.settings import Settings
from shared.web.auth import SESSION_KEY
from tests.factories import serving, signed_in

pytestmark = pytest.mark.services
EMAIL = "medewerker@minbzk.nl"
PASSWORD = "een lang wachtwoord"


@pytest.fixture
def app(real_settings: Settings) -> Iterator[Flask]:
    with serving(create_app, real_settings, "auth", "registration") as app:
        app.config["WTF_CSRF_ENABLED"] = False
        yield app


def logged_in(app: Flask) -> FlaskClient:
    client = app.test_client()
    with app.extensions["gia"].auth_db.transaction() as session:
        add_account(session, EMAIL, "staff", PASSWORD)
    response = client.post("/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/beheer").status_code == 200
    return client


def logged_out(client: FlaskClient) -> bool:
    """The staff page sends the client to the login page, and its session was cleared."""
    response = client.get("/beheer")
    with client.session_transaction() as stored:
        return response.status_code == 302 and SESSION_KEY not in stored


@pytest.mark.parametrize(
    "change",
    [
        lambda session: add_account(session, EMAIL, "staff", "een nieuw wachtwoord"),
        lambda session: set_role(session, EMAIL, "jury"),
        lambda session: remove_account(session, EMAIL),
        lambda session: end_sessions(session, EMAIL),
    ],
    ids=["new password", "new role", "removed", "logged out everywhere"],
)
def test_a_change_to_the_account_ends_its_sessions(
    app: Flask, change: Callable[[Session], object]
) -> None:
    client = logged_in(app)
    with app.extensions["gia"].auth_db.transaction() as session:
        change(session)
    assert logged_out(client)


def test_logging_out_everywhere_ends_the_sessions_on_every_device(app: Flask) -> None:
    laptop, phone = logged_in(app), app.test_client()
    assert phone.post("/login", data={"email": EMAIL, "password": PASSWORD}).status_code == 302
    assert "Overal uitloggen" in laptop.get("/beheer").get_data(as_text=True)
    assert phone.post("/logout/everywhere").status_code == 302
    assert logged_out(phone) and logged_out(laptop)
    again = app.test_client()
    assert again.post("/login", data={"email": EMAIL, "password": PASSWORD}).status_code == 302
    assert again.get("/beheer").status_code == 200


def test_a_session_without_an_account_version_counts_for_nothing(app: Flask) -> None:
    signed_in(app.test_client(), EMAIL)  # the account exists
    client = app.test_client()
    with client.session_transaction() as stored:
        stored[SESSION_KEY] = {"subject": EMAIL, "role": "staff"}
    assert logged_out(client)


def test_staff_commands_list_change_and_remove_accounts(
    app: Flask, real_env: dict[str, str]
) -> None:
    client = logged_in(app)
    run = CliRunner().invoke
    listed = run(main, ["staff", "list"], env=real_env)
    assert listed.exit_code == 0 and listed.output.startswith(f"{EMAIL}\tstaff\t")
    assert "argon2" not in listed.output

    assert run(main, ["staff", "logout-everywhere", EMAIL.upper()], env=real_env).exit_code == 0
    assert logged_out(client)

    client = logged_in(app)
    assert run(main, ["staff", "set-role", EMAIL, "jury"], env=real_env).exit_code == 0
    assert logged_out(client)
    assert "\tjury\t" in run(main, ["staff", "list"], env=real_env).output

    unknown_role = run(main, ["staff", "set-role", EMAIL, "admin"], env=real_env)
    assert unknown_role.exit_code != 0 and "admin" in unknown_role.output

    client = logged_in(app)
    assert run(main, ["staff", "remove", EMAIL], env=real_env).exit_code == 0
    assert logged_out(client)
    assert run(main, ["staff", "list"], env=real_env).output == ""
    for command in ("remove", "logout-everywhere"):
        unknown = run(main, ["staff", command, EMAIL], env=real_env)
        assert unknown.exit_code == 1 and f"no account for {EMAIL}" in unknown.output
