"""Survey invitations on PostgreSQL: staff mail the personal links in bulk, remind those who
have not answered, and the addresses go once they are no longer needed."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import func, select

from gia.cli import main
from services.indicators import invitations
from services.indicators.access import survey_links
from services.indicators.app import create_app
from services.indicators.models import MailQueue, SurveyInvitation
from services.indicators.retention import address_expired
from shared.settings import Settings
from tests.factories import delivered_mails, path_of, serving, staff_headers
from tests.integration.test_indicators_pages import logged_in

pytestmark = pytest.mark.services
ROTTERDAM, AMSTERDAM = "GM0599", "GM0363"
LIST = "gemeentecode;e-mailadres\nGM0599;a.devries@rotterdam.nl\n\ngm0363 , b.bakker@amsterdam.nl\n"
ANSWER = {"knows_guide": "on", "uses": ["policy"]}


@pytest.fixture
def app(real_settings: Settings) -> Iterator[Flask]:
    with serving(create_app, real_settings, "indicators") as app:
        app.config["WTF_CSRF_ENABLED"] = False
        yield app


def body(mail: EmailMessage) -> str:
    return mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def survey_link(mail: EmailMessage) -> str:
    found = re.search(r"https?://\S+/enquete/\S+", body(mail))
    assert found, body(mail)
    return path_of(found[0])


def queued(app: Flask) -> int:
    with app.extensions["gia"].db.transaction() as session:
        return session.scalar(select(func.count()).select_from(MailQueue)) or 0


def test_a_checked_list_sends_one_mail_per_line_with_the_municipality_link(
    app: Flask, real_settings: Settings
) -> None:
    staff = logged_in(app, "staff")
    checked = staff.post("/uitnodigingen", data={"lines": LIST})
    page = checked.get_data(as_text=True)
    assert checked.status_code == 200 and "Alle 2 regels kloppen" in page
    assert "2 uitnodiging(en) versturen" in page and queued(app) == 0  # checking sends nothing

    sent = staff.post("/uitnodigingen", data={"lines": LIST, "send": "on"})
    assert sent.status_code == 302
    mails = delivered_mails(real_settings, "indicators")
    assert sorted(mail["To"] for mail in mails) == [
        "a.devries@rotterdam.nl",
        "b.bakker@amsterdam.nl",
    ]
    for mail in mails:
        code = ROTTERDAM if "rotterdam" in mail["To"] else AMSTERDAM
        link = survey_link(mail)
        assert link == f"/enquete/{code}?token={survey_links(real_settings.secret_key).token(code)}"
        name = "Rotterdam" if code == ROTTERDAM else "Amsterdam"
        assert f"gemeente {name}" in body(mail) and mail["Subject"].startswith("Monitor")
        opened = app.test_client().get(link)
        assert opened.status_code == 200 and f"Monitor GIA-handreiking: {name}" in opened.get_data(
            as_text=True
        )
        other = AMSTERDAM if code == ROTTERDAM else ROTTERDAM
        assert app.test_client().get(link.replace(code, other)).status_code == 403

    overview = staff.get("/uitnodigingen").get_data(as_text=True)
    assert "2 uitnodiging(en) staan klaar" in overview
    assert "a.devries@rotterdam.nl" in overview and "staff@minbzk.nl" in overview


def test_an_uploaded_file_is_read_like_pasted_lines(app: Flask, real_settings: Settings) -> None:
    upload = (io.BytesIO("\ufeffGM0599,a.devries@rotterdam.nl\n".encode()), "lijst.csv")
    sent = logged_in(app, "staff").post(
        "/uitnodigingen",
        data={"file": upload, "send": "on"},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    assert [mail["To"] for mail in delivered_mails(real_settings, "indicators")] == [
        "a.devries@rotterdam.nl"
    ]


def test_one_wrong_line_refuses_the_whole_list_naming_every_wrong_line(
    app: Flask, real_settings: Settings
) -> None:
    lines = (
        "GM0599;a.devries@rotterdam.nl\n"
        "GM9999;x@example.nl\n"
        "GM0363;geen-adres\n"
        "GM0599;A.deVries@rotterdam.nl\n"
        "GM0606\n"
    )
    refused = logged_in(app, "staff").post("/uitnodigingen", data={"lines": lines, "send": "on"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "4 regel(s) kloppen niet; er is niets verstuurd" in page
    assert "Regel 2: gemeentecode GM9999 staat niet in het register" in page
    assert "Regel 3: dit is geen geldig e-mailadres" in page
    assert "Regel 4: deze gemeente met dit e-mailadres staat al op een eerdere regel" in page
    assert "Regel 5: geef een gemeentecode en een e-mailadres" in page
    assert "Regel 1" not in page
    assert queued(app) == 0 and delivered_mails(real_settings, "indicators") == []

    empty = logged_in(app, "staff").post("/uitnodigingen", data={"lines": "\n"})
    assert empty.status_code == 422 and "Vul dit veld in" in empty.get_data(as_text=True)

    api = app.test_client()
    headers = staff_headers(real_settings)
    bad = [
        {"municipality_code": ROTTERDAM, "email": "a@rotterdam.nl"},
        {"municipality_code": "GM9999", "email": "b@example.nl"},
    ]
    answer = api.post("/api/v1/survey/invitations", json=bad, headers=headers)
    assert answer.status_code == 400 and answer.mimetype == "application/problem+json"
    assert "GM9999" in answer.json["errors"]["1"]["municipality_code"][0]
    assert "0" not in answer.json["errors"] and queued(app) == 0


def test_invitations_are_for_staff_only(app: Flask, real_settings: Settings) -> None:
    anonymous, jury = app.test_client(), logged_in(app, "jury")
    for path in ("/uitnodigingen", "/uitnodigingen/herinneren", "/uitnodigingen/adressen-wissen"):
        method = anonymous.get if path == "/uitnodigingen" else anonymous.post
        moved = method(path)
        assert moved.status_code == 302 and "/login" in moved.headers["Location"]
    assert anonymous.post("/uitnodigingen", data={"lines": LIST, "send": "on"}).status_code == 302
    assert jury.get("/uitnodigingen").status_code == 403
    assert jury.post("/uitnodigingen", data={"lines": LIST, "send": "on"}).status_code == 403
    lines = [{"municipality_code": ROTTERDAM, "email": "a@rotterdam.nl"}]
    for path in ("/api/v1/survey/invitations", "/api/v1/survey/reminders"):
        assert anonymous.post(path, json=lines).status_code == 401
        refused = anonymous.post(path, json=lines, headers=staff_headers(real_settings, "jury"))
        assert refused.status_code == 403
    assert queued(app) == 0


def test_reminders_go_only_to_those_who_have_not_answered(
    app: Flask, real_settings: Settings
) -> None:
    api, headers = app.test_client(), staff_headers(real_settings)
    lines = [
        {"municipality_code": ROTTERDAM, "email": "a@rotterdam.nl"},
        {"municipality_code": ROTTERDAM, "email": "c@rotterdam.nl"},
        {"municipality_code": AMSTERDAM, "email": "b@amsterdam.nl"},
    ]
    sent = api.post("/api/v1/survey/invitations", json=lines, headers=headers)
    assert sent.status_code == 202 and sent.json == {"queued": 3, "skipped": 0}
    amsterdam = next(
        m for m in delivered_mails(real_settings, "indicators") if "amsterdam" in m["To"]
    )
    link = survey_link(amsterdam)
    token = link.split("token=")[1]
    assert api.post(link.split("?")[0], data={"token": token, **ANSWER}).status_code == 302

    staff = logged_in(app, "staff")
    assert "2 e-mailadres(sen) van gemeenten" in staff.get("/uitnodigingen").get_data(as_text=True)
    assert staff.post("/uitnodigingen/herinneren").status_code == 302
    reminders = [
        m for m in delivered_mails(real_settings, "indicators") if m["Subject"].startswith("Herin")
    ]
    assert sorted(m["To"] for m in reminders) == ["a@rotterdam.nl", "c@rotterdam.nl"]
    assert "nog geen antwoord" in body(reminders[0]) and "/enquete/GM0599?" in body(reminders[0])

    # Amsterdam answered, so a second list may leave it out, and its address is gone
    again = api.post(
        "/api/v1/survey/invitations",
        json=lines,
        headers=headers,
        query_string={"only_unanswered": "true"},
    )
    assert again.json == {"queued": 2, "skipped": 1}
    page = staff.get("/uitnodigingen").get_data(as_text=True)
    assert "b@amsterdam.nl" not in page and "gewist" in page
    assert api.post("/api/v1/survey/reminders", headers=headers).json["queued"] == 2


def test_an_answer_before_the_mail_goes_out_stops_it(app: Flask, real_settings: Settings) -> None:
    lines = [{"municipality_code": AMSTERDAM, "email": "b@amsterdam.nl"}]
    headers = staff_headers(real_settings)
    assert app.test_client().post("/api/v1/survey/invitations", json=lines, headers=headers)
    token = survey_links(real_settings.secret_key).token(AMSTERDAM)
    client = app.test_client()
    assert client.post(f"/enquete/{AMSTERDAM}", data={"token": token, **ANSWER}).status_code == 302
    assert delivered_mails(real_settings, "indicators") == []  # nobody left to tell
    with app.extensions["gia"].db.transaction() as session:
        row = session.scalars(select(SurveyInvitation)).one()
        assert row.email is None and row.erased_at is not None and row.sent_by == "test"


def test_addresses_of_a_past_programme_year_are_erased(
    app: Flask, real_settings: Settings, real_env: dict[str, str]
) -> None:
    last_year = datetime(2011, 11, 1, tzinfo=UTC)
    this_year = datetime.now(UTC)
    with app.extensions["gia"].db.transaction() as session:
        invitations.invite(session, [(ROTTERDAM, "old@rotterdam.nl")], "staff", last_year)
        invitations.invite(session, [(AMSTERDAM, "new@amsterdam.nl")], "staff", this_year)
    ran = CliRunner().invoke(main, ["indicators", "erase-addresses"], env=real_env)
    assert ran.exit_code == 0 and "1 address(es) erased" in ran.output
    with app.extensions["gia"].db.transaction() as session:
        query = select(SurveyInvitation.municipality_code, SurveyInvitation.email)
        kept = {code: email for code, email in session.execute(query)}
    assert kept == {ROTTERDAM: None, AMSTERDAM: "new@amsterdam.nl"}

    staff = logged_in(app, "staff")
    assert staff.post("/uitnodigingen/adressen-wissen").status_code == 302
    assert "0 e-mailadres(sen) gewist" in staff.get("/uitnodigingen").get_data(as_text=True)


def test_the_retention_rule() -> None:
    invited = datetime(2012, 9, 1, tzinfo=UTC)
    assert not address_expired(invited, None, datetime(2012, 12, 31, 22, 0, tzinfo=UTC))
    # midnight in Amsterdam is 23:00 UTC in winter: the year is over there
    assert address_expired(invited, None, datetime(2012, 12, 31, 23, 30, tzinfo=UTC))
    assert address_expired(invited, datetime(2012, 9, 2, tzinfo=UTC), invited)
    # an answer from before the invitation does not end it
    assert not address_expired(invited, datetime(2012, 8, 1, tzinfo=UTC), invited)
