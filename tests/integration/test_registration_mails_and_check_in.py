"""Registration's mails on PostgreSQL: a cancellation takes the calendar entry back, a lost
link is mailed again only to the address that registered, and cancelling asks first; and
check-in by QR code: the code in the mail and on the own page holds a signed check-in link,
staff who open it check the person in with one tap, nobody else learns anything from it, and
it opens nothing but the check-in."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import replace
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
import zxingcpp
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar
from PIL import Image
from sqlalchemy import select

from services.registration import MANIFEST, qr
from services.registration.access import check_in_link
from services.registration.app import create_app
from services.registration.models import Outbox, Registration
from shared.events.catalogue import ATTENDANCE_REVOKED, ATTENDED
from shared.settings import Settings
from tests.factories import (
    MEETING,
    PERSON,
    delivered_mails,
    path_of,
    serving,
    signed_in,
    staff_headers,
)

pytestmark = pytest.mark.services

SAME_ANSWER = "Is dit e-mailadres aangemeld voor deze bijeenkomst?"


@pytest.fixture
def app(real_settings: Settings) -> Iterator[Flask]:
    with serving(create_app, real_settings, "auth", "registration") as app:
        app.config["WTF_CSRF_ENABLED"] = False
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def staff(real_settings: Settings) -> dict[str, str]:
    return staff_headers(real_settings)


@pytest.fixture
def door(app: Flask) -> FlaskClient:
    """Staff at the door, logged in on their phone."""
    return signed_in(app.test_client(), "deur@minbzk.nl", "staff")


def meeting(client: FlaskClient, staff: dict[str, str]) -> str:
    made = client.post("/api/v1/meetings", json={**MEETING, "capacity": 5}, headers=staff)
    assert made.status_code == 201, made.json
    return made.json["id"]


def register(client: FlaskClient, meeting_id: str, **person: str) -> dict[str, str]:
    answer = client.post(f"/api/v1/meetings/{meeting_id}/registrations", json={**PERSON, **person})
    assert answer.status_code == 201, answer.json
    return {
        "id": answer.json["id"],
        "meeting_id": meeting_id,
        "own": path_of(answer.json["links"]["self"]),
    }


def entry(mail: EmailMessage) -> tuple[str, Calendar]:
    """The mail's calendar file: its METHOD, and the file."""
    (part,) = [p for p in mail.iter_attachments() if p.get_content_type() == "text/calendar"]
    calendar = Calendar.from_ical(part.get_content())
    return str(calendar["METHOD"]), calendar


def event_of(calendar: Calendar) -> tuple[str, int, str]:
    (event,) = calendar.walk("VEVENT")
    return str(event["UID"]), int(event["SEQUENCE"]), str(event["STATUS"])


def decoded(png: bytes) -> str:
    (found,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return found.text


def checked_in(app: Flask, registration_id: str) -> bool:
    with app.extensions["gia"].db.transaction() as session:
        registration = session.get(Registration, registration_id)
        return registration is not None and registration.checked_in_at is not None


def status_of(app: Flask, registration_id: str) -> str:
    with app.extensions["gia"].db.transaction() as session:
        return session.scalars(
            select(Registration.status).where(Registration.id == registration_id)
        ).one()


def test_cancelling_asks_first_then_mails_a_cancel_for_the_same_calendar_entry(
    app: Flask, client: FlaskClient, staff: dict[str, str], real_settings: Settings
) -> None:
    meeting_id = meeting(client, staff)
    mine = register(client, meeting_id)
    (confirmation,) = delivered_mails(real_settings)
    method, invitation = entry(confirmation)
    uid, sequence, status = event_of(invitation)
    assert (method, status) == ("PUBLISH", "CONFIRMED")
    text = confirmation.get_body(("plain",)).get_content()
    (ask,) = [line for line in text.splitlines() if "/afmelden?token=" in line]

    asked = client.get(path_of(ask))  # what a mail program's link checker does, too
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Ja, afmelden" in page and 'method="post"' in page
    assert status_of(app, mine["id"]) == "confirmed"
    own_page = client.get(mine["own"]).get_data(as_text=True)
    assert 'method="get" action="/inschrijving/' in own_page  # the page's button asks too

    token = mine["own"].split("token=")[1]
    done = client.post(f"/inschrijving/{mine['id']}/afmelden", data={"token": token})
    assert done.status_code == 302 and status_of(app, mine["id"]) == "cancelled"
    cancelled = delivered_mails(real_settings)[-1]
    assert cancelled["To"] == PERSON["email"] and cancelled["Subject"].startswith("Afgemeld:")
    method, cancel = entry(cancelled)
    assert method == "CANCEL"
    assert event_of(cancel) == (uid, sequence + 1, "CANCELLED")

    client.post(f"/inschrijving/{mine['id']}/afmelden", data={"token": token})
    assert len(delivered_mails(real_settings)) == 2  # cancelling twice tells nothing new


def test_staff_cancelling_mails_the_cancel_and_meeting_changes_count_up(
    client: FlaskClient, staff: dict[str, str], real_settings: Settings
) -> None:
    """Mail is composed when it is sent, so each step's mail goes before the next step."""
    meeting_id = meeting(client, staff)
    first = register(client, meeting_id)
    register(client, meeting_id, email="b@example.nl")
    delivered_mails(real_settings)
    client.patch(f"/api/v1/meetings/{meeting_id}", json={"venue": "Heerlen"}, headers=staff)
    delivered_mails(real_settings)
    cancelled = client.post(f"/api/v1/registrations/{first['id']}/cancel", headers=staff)
    assert cancelled.status_code == 200
    delivered_mails(real_settings)
    client.post(f"/api/v1/meetings/{meeting_id}/cancel", headers=staff)

    told = [
        (mail["To"], mail["Subject"].split(":")[0], *entry(mail))
        for mail in delivered_mails(real_settings)
    ]
    assert [(to, subject, method, event_of(c)[1:]) for to, subject, method, c in told] == [
        ("an@example.nl", "Aanmelding bevestigd", "PUBLISH", (0, "CONFIRMED")),
        ("b@example.nl", "Aanmelding bevestigd", "PUBLISH", (0, "CONFIRMED")),
        ("an@example.nl", "Gewijzigd", "PUBLISH", (1, "CONFIRMED")),
        ("b@example.nl", "Gewijzigd", "PUBLISH", (1, "CONFIRMED")),
        ("an@example.nl", "Afgemeld", "CANCEL", (2, "CANCELLED")),
        ("b@example.nl", "Afgelast", "CANCEL", (2, "CANCELLED")),
    ]
    uids = [event_of(calendar)[0] for *_, calendar in told]
    assert uids[0] == uids[2] == uids[4] and uids[1] == uids[3] == uids[5] != uids[0]


def test_a_lost_link_is_mailed_only_to_the_address_that_registered(
    app: Flask, client: FlaskClient, staff: dict[str, str], real_settings: Settings
) -> None:
    meeting_id = meeting(client, staff)
    mine = register(client, meeting_id)
    again = client.post(f"/api/v1/meetings/{meeting_id}/registrations", json=PERSON)
    assert again.status_code == 409
    before = len(delivered_mails(real_settings))
    shown = client.get(f"/bijeenkomsten/{meeting_id}").get_data(as_text=True)
    assert f'href="/bijeenkomsten/{meeting_id}/link"' in shown

    answers = []
    for email in ("AN@example.nl ", "nobody@example.nl"):
        sent = client.post(f"/bijeenkomsten/{meeting_id}/link", data={"email": email})
        assert sent.status_code == 302
        answers.append(client.get(sent.location).get_data(as_text=True))
    assert SAME_ANSWER in answers[0] and answers[0] == answers[1]
    api = [
        client.post(f"/api/v1/meetings/{meeting_id}/link-requests", json={"email": email})
        for email in (PERSON["email"], "niemand@example.nl")
    ]
    assert [a.status_code for a in api] == [202, 202] and api[0].json == api[1].json

    mails = delivered_mails(real_settings)[before:]
    assert [mail["To"] for mail in mails] == [PERSON["email"], PERSON["email"]]
    assert all(mail["Subject"].startswith("Uw persoonlijke link:") for mail in mails)
    assert mine["own"] in mails[0].get_body(("plain",)).get_content()
    unknown = client.post(
        "/api/v1/meetings/00000000-0000-0000-0000-000000000000/link-requests",
        json={"email": PERSON["email"]},
    )
    assert unknown.status_code == 404


def test_asking_for_the_link_again_is_limited_like_every_form_that_mails(
    real_settings: Settings, staff: dict[str, str]
) -> None:
    limited = replace(real_settings, mail_limit_recipient="4/10 minutes")
    with serving(create_app, limited, "auth", "registration") as app:
        app.config["WTF_CSRF_ENABLED"] = False
        client = app.test_client()
        meeting_id = meeting(client, staff)
        register(client, meeting_id, email="c@example.nl")  # one of the four to this inbox
        url = f"/api/v1/meetings/{meeting_id}/link-requests"
        answers = [client.post(url, json={"email": "C@example.nl"}) for _ in range(4)]
        assert [a.status_code for a in answers] == [202, 202, 202, 429]
        assert answers[-1].headers["Retry-After"]
        page = client.post(f"/bijeenkomsten/{meeting_id}/link", data={"email": "c@example.nl"})
        assert page.status_code == 429 and "te veel mail" in page.get_data(as_text=True)
    sent = [mail for mail in delivered_mails(limited) if mail["To"] == "c@example.nl"]
    assert len(sent) == 1 + 3  # the confirmation and the three links allowed


def test_the_confirmation_mail_and_the_own_page_carry_the_check_in_code(
    app: Flask, client: FlaskClient, staff: dict[str, str], real_settings: Settings
) -> None:
    mine = register(client, meeting(client, staff))
    expected = check_in_link(
        MANIFEST.public_url(real_settings), real_settings.secret_key, mine["id"]
    )

    (mail,) = delivered_mails(real_settings)
    (code,) = [part for part in mail.iter_attachments() if part.get_content_type() == "image/png"]
    assert code.get_filename() == "inchecken.png"
    assert decoded(code.get_content()) == expected
    assert "inchecken.png" in mail.get_body(("plain",)).get_content()

    page = client.get(mine["own"]).get_data(as_text=True)
    (src,) = re.findall(r'<img class="qr" src="([^"]+)"', page)
    image = client.get(src.replace("&amp;", "&"))
    assert image.status_code == 200 and image.mimetype == "image/svg+xml"
    assert image.data == qr.svg(expected)  # the same link, drawn the same
    assert "style" not in image.get_data(as_text=True)
    # only the person's own link shows the code
    assert client.get(src.replace("&amp;", "&").split("token=")[0] + "token=x").status_code == 403


def test_staff_see_who_it_is_and_check_in_and_undo_with_one_tap(
    app: Flask,
    client: FlaskClient,
    door: FlaskClient,
    staff: dict[str, str],
    real_settings: Settings,
) -> None:
    mine = register(client, meeting(client, staff))
    scanned = path_of(decoded(_png_of_last_mail(real_settings)))
    assert urlsplit(scanned).path == f"/beheer/inchecken/{mine['id']}"

    page = door.get(scanned).get_data(as_text=True)
    for shown in ("An de Vries", "Rotterdam", "Regiobijeenkomst Limburg", "aangemeld", "nee"):
        assert shown in page
    assert "Binnen melden" in page

    token = scanned.split("token=")[1]
    tapped = door.post(f"/beheer/inchecken/{mine['id']}", data={"token": token})
    assert tapped.status_code == 302 and path_of(tapped.location) == scanned
    assert checked_in(app, mine["id"])
    after = door.get(scanned).get_data(as_text=True)
    assert "An de Vries is binnen." in after and "Toch niet binnen" in after
    door.post(f"/beheer/inchecken/{mine['id']}", data={"token": token})  # twice is harmless

    undone = door.post(f"/beheer/inchecken/{mine['id']}/ongedaan", data={"token": token})
    assert undone.status_code == 302 and not checked_in(app, mine["id"])
    with app.extensions["gia"].db.transaction() as session:
        kinds = session.scalars(select(Outbox.type).order_by(Outbox.created_at)).all()
    assert [kind for kind in kinds if kind in (ATTENDED, ATTENDANCE_REVOKED)] == [
        ATTENDED,
        ATTENDANCE_REVOKED,
    ]


def test_without_a_staff_session_the_code_reveals_nothing_and_changes_nothing(
    app: Flask, client: FlaskClient, staff: dict[str, str], real_settings: Settings
) -> None:
    mine = register(client, meeting(client, staff))
    scanned = path_of(decoded(_png_of_last_mail(real_settings)))
    token = scanned.split("token=")[1]

    opened = client.get(scanned)
    assert opened.status_code == 302 and urlsplit(opened.location).path == "/login"
    assert "next=" in opened.location and "An de Vries" not in opened.get_data(as_text=True)
    tapped = client.post(f"/beheer/inchecken/{mine['id']}", data={"token": token})
    assert tapped.status_code == 302 and not checked_in(app, mine["id"])

    juror = signed_in(app.test_client(), "jurylid@minbzk.nl", "jury")
    refused = juror.get(scanned)
    assert refused.status_code == 403 and "An de Vries" not in refused.get_data(as_text=True)


def test_a_wrong_or_foreign_token_opens_no_check_in_and_the_links_do_not_swap(
    app: Flask,
    client: FlaskClient,
    door: FlaskClient,
    staff: dict[str, str],
    real_settings: Settings,
) -> None:
    mine = register(client, meeting(client, staff))
    theirs = register(client, mine["meeting_id"], name="Bea Bakker", email="bea@example.nl")
    base, key = MANIFEST.public_url(real_settings), real_settings.secret_key
    their_code = path_of(check_in_link(base, key, theirs["id"])).split("token=")[1]
    my_code = path_of(check_in_link(base, key, mine["id"])).split("token=")[1]

    for token in ("", "nonsense", their_code, mine["own"].split("token=")[1]):
        refused = door.get(f"/beheer/inchecken/{mine['id']}?token={token}")
        assert refused.status_code == 403, token
        assert "An de Vries" not in refused.get_data(as_text=True)
        tapped = door.post(f"/beheer/inchecken/{mine['id']}", data={"token": token})
        assert tapped.status_code == 403 and not checked_in(app, mine["id"])

    # the check-in code is no personal link: it neither opens nor cancels the registration
    assert client.get(f"/inschrijving/{mine['id']}?token={my_code}").status_code == 403
    assert client.get(f"/api/v1/registrations/{mine['id']}?token={my_code}").status_code in (
        401,
        403,
    )
    cancel = client.post(f"/api/v1/registrations/{mine['id']}/cancel?token={my_code}")
    assert cancel.status_code in (401, 403)
    page_cancel = client.post(f"/inschrijving/{mine['id']}/afmelden", data={"token": my_code})
    assert page_cancel.status_code == 403
    with app.extensions["gia"].db.transaction() as session:
        registration = session.get(Registration, mine["id"])
        assert registration is not None and registration.status == "confirmed"


def _png_of_last_mail(settings: Settings) -> bytes:
    mail = delivered_mails(settings)[-1]
    (code,) = [part for part in mail.iter_attachments() if part.get_content_type() == "image/png"]
    return code.get_content()
