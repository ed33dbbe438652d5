"""Staff log in through the shared login page and reach staff pages with the session cookie."""

from __future__ import annotations

from pathlib import Path

from gia.migrations import upgrade
from services.registration.app import create_app
from shared.auth.accounts import add_account
from shared.db import Database
from shared.settings import load_settings


def test_a_staff_member_logs_in_and_a_wrong_password_is_refused(tmp_path: Path) -> None:
    settings = load_settings({"GIA_VAR_DIR": str(tmp_path), "GIA_SECRET_KEY": "k" * 40})
    upgrade(settings, ("auth", "registration"))
    auth = Database.for_service(settings, "auth")
    with auth.transaction() as session:
        add_account(session, "medewerker@minbzk.nl", "staff", "een lang wachtwoord")
    auth.dispose()
    app = create_app(settings)
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()

    assert client.get("/beheer").status_code == 302
    empty = client.post("/login", data={"email": "", "password": ""})
    assert empty.status_code == 400
    assert "Vul uw e-mailadres in." in empty.text and "Vul uw wachtwoord in." in empty.text
    assert "This field is required" not in empty.text
    wrong = client.post(
        "/login", data={"email": "medewerker@minbzk.nl", "password": "niet het wachtwoord"}
    )
    assert wrong.status_code == 401
    right = client.post(
        "/login?next=/beheer",
        data={"email": "medewerker@minbzk.nl", "password": "een lang wachtwoord"},
    )
    assert right.status_code == 302 and right.headers["Location"] == "/beheer"
    assert client.get("/beheer").status_code == 200
