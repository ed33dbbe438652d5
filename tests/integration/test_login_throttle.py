"""Failed logins are counted per account and per client address in the real Redis, shared by
every worker; while a key is locked even the right password does not log in."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gia.migrations import upgrade
from services.registration.app import create_app
from shared.auth.accounts import add_account
from shared.settings import Settings, load_settings

pytestmark = pytest.mark.services
PASSWORD = "een lang wachtwoord"


def worker(settings: Settings) -> Flask:
    """One app as a gunicorn worker has it: its own memory, the shared Redis."""
    app = create_app(settings)
    app.config["WTF_CSRF_ENABLED"] = False
    return app


@pytest.fixture
def settings(real_settings: Settings) -> Settings:
    upgrade(real_settings, ("auth", "registration"))
    app = worker(real_settings)
    with app.extensions["gia"].auth_db.transaction() as session:
        for name in ("anna", "bert", "carla"):
            add_account(session, f"{name}@minbzk.nl", "staff", PASSWORD)
    return real_settings


def log_in(client: FlaskClient, email: str, password: str = "niet het wachtwoord") -> int:
    return client.post("/login", data={"email": email, "password": password}).status_code


def test_ten_wrong_passwords_lock_the_account_even_for_the_right_one(settings: Settings) -> None:
    client = worker(settings).test_client()
    tried = [log_in(client, "anna@minbzk.nl") for _ in range(10)]
    assert tried[:5] == [401] * 5 and set(tried[5:]) == {429}
    refused = client.post("/login", data={"email": "Anna@MinBZK.nl", "password": PASSWORD})
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert "Te veel mislukte pogingen. Probeer het over 1 minuut opnieuw." in refused.text
    assert client.get("/beheer").status_code == 302
    assert log_in(client, "bert@minbzk.nl", PASSWORD) == 302  # another account is not locked


def test_workers_share_the_count_through_redis(settings: Settings) -> None:
    first, second = worker(settings).test_client(), worker(settings).test_client()
    assert [log_in(first, "anna@minbzk.nl") for _ in range(3)] == [401] * 3
    assert [log_in(second, "anna@minbzk.nl") for _ in range(2)] == [401] * 2
    assert log_in(first, "anna@minbzk.nl", PASSWORD) == 429
    assert log_in(second, "anna@minbzk.nl", PASSWORD) == 429


def test_one_address_guessing_across_accounts_is_locked_too(real_env: dict[str, str]) -> None:
    env = {**real_env, "GIA_LOGIN_LIMIT_ADDRESS": "4/minute"}
    settings = load_settings(env)
    upgrade(settings, ("auth", "registration"))
    app = worker(settings)
    with app.extensions["gia"].auth_db.transaction() as session:
        add_account(session, "anna@minbzk.nl", "staff", PASSWORD)
    here = app.test_client()
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    names = ["bert", "carla", "dirk", "eva"]
    assert [log_in(here, f"{name}@minbzk.nl") for name in names] == [401] * 4
    assert log_in(here, "frank@minbzk.nl") == 429
    assert log_in(here, "anna@minbzk.nl", PASSWORD) == 429
    assert log_in(elsewhere, "anna@minbzk.nl", PASSWORD) == 302


def test_successful_logins_are_not_counted(settings: Settings) -> None:
    client = worker(settings).test_client()
    assert {log_in(client, "carla@minbzk.nl", PASSWORD) for _ in range(21)} == {302}
