"""Bearer tokens carry an id (jti) and can be revoked, in every service at once, through the
auth database on the real PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import select

from gia.cli import main
from services.indicators.app import create_app as create_indicators
from services.registration.app import create_app
from shared.auth.revocations import RevokedToken, is_revoked, revoke_token
from shared.auth.tokens import mint_token, verify_token
from shared.clock import utcnow
from shared.settings import Settings
from tests.factories import serving

pytestmark = pytest.mark.services


@pytest.fixture
def app(real_settings: Settings) -> Iterator[Flask]:
    with serving(create_app, real_settings, "auth", "registration") as app:
        yield app


def calls(app: Flask, token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    return app.test_client().get("/api/v1/plans/2030", headers=headers).status_code


def test_a_revoked_token_is_refused_by_every_service(app: Flask, real_settings: Settings) -> None:
    token = mint_token(real_settings.secret_key, "staff", "a@minbzk.nl", timedelta(hours=1))
    kept = mint_token(real_settings.secret_key, "staff", "a@minbzk.nl", timedelta(hours=1))
    principal = verify_token(real_settings.secret_key, token)
    assert principal.token_id and uuid.UUID(principal.token_id)
    assert calls(app, token) == 200
    with app.extensions["gia"].auth_db.transaction() as session:
        revoke_token(session, principal.token_id, principal.expires_at)
    refused = app.test_client().get(
        "/api/v1/plans/2030", headers={"Authorization": f"Bearer {token}"}
    )
    assert refused.status_code == 401 and "revoked" in refused.json["detail"]
    assert calls(app, kept) == 200
    with serving(create_indicators, real_settings, "indicators") as indicators:
        assert (
            indicators.test_client()
            .get("/api/v1/indicators/missing", headers={"Authorization": f"Bearer {token}"})
            .status_code
            == 401
        )


def test_the_command_mints_with_an_id_and_revokes_by_id_or_token(
    app: Flask, real_env: dict[str, str], real_settings: Settings
) -> None:
    run = CliRunner().invoke
    minted = run(main, ["token", "--role", "staff"], env=real_env)
    token = minted.stdout.strip()
    token_id = verify_token(real_settings.secret_key, token).token_id
    assert minted.exit_code == 0 and f"token id (jti): {token_id}" in minted.stderr
    assert calls(app, token) == 200
    assert run(main, ["token", "revoke", str(token_id)], env=real_env).exit_code == 0
    assert calls(app, token) == 401

    other = run(main, ["token", "--role", "jury"], env=real_env).stdout.strip()
    assert run(main, ["token", "revoke", other], env=real_env).exit_code == 0
    with app.extensions["gia"].auth_db.transaction() as session:
        assert is_revoked(session, str(verify_token(real_settings.secret_key, other).token_id))

    assert run(main, ["token", "revoke", "not-a-token-id"], env=real_env).exit_code == 1
    assert run(main, ["token"], env=real_env).exit_code == 2  # minting needs --role


def test_revoked_ids_are_pruned_once_their_tokens_have_expired(app: Flask) -> None:
    gone, kept = str(uuid.uuid4()), str(uuid.uuid4())
    auth = app.extensions["gia"].auth_db
    with auth.transaction() as session:
        revoke_token(session, gone, utcnow() - timedelta(minutes=1))
        revoke_token(session, kept)  # only the id known: kept as long as a token can live
    with auth.transaction() as session:
        revoke_token(session, str(uuid.uuid4()), utcnow() + timedelta(hours=1))
    with auth.transaction() as session:
        ids = set(session.scalars(select(RevokedToken.token_id)))
    assert gone not in ids and kept in ids and len(ids) == 2
