"""Staff accounts on the embedded SQLite default: argon2 hashes, case-blind e-mail."""

from __future__ import annotations

from pathlib import Path

import pytest

from gia.migrations import upgrade
from shared.auth.accounts import Account, add_account, authenticate
from shared.db import Database
from shared.settings import AUTH_DATABASE, load_settings


def test_account_logs_in_with_its_password_only(tmp_path: Path) -> None:
    settings = load_settings({"GIA_VAR_DIR": str(tmp_path)})
    upgrade(settings, (AUTH_DATABASE,))
    db = Database.for_service(settings, AUTH_DATABASE)
    with db.transaction() as session:
        add_account(session, "Jan@MinBZK.nl", "jury", "een lang wachtwoord")
    with db.transaction() as session:
        stored = session.get(Account, "jan@minbzk.nl")
        assert stored is not None and stored.password_hash.startswith("$argon2")
        principal = authenticate(session, "JAN@minbzk.nl", "een lang wachtwoord")
        assert principal is not None and principal.role == "jury"
        assert authenticate(session, "jan@minbzk.nl", "een ander wachtwoord") is None
        assert authenticate(session, "nobody@minbzk.nl", "een lang wachtwoord") is None
    with db.transaction() as session, pytest.raises(ValueError, match="12 characters"):
        add_account(session, "a@b.nl", "staff", "short")
