"""The monitor survey asks what the 2008-2011 evaluation asked (its tables 6-11): answers kept
with the survey answer, refused whole when wrong, and counted per band and region beside 2011."""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from flask.testing import FlaskClient
from sqlalchemy import func, select, text

from gia.migrations import migrations_dir
from services.indicators.access import survey_links
from services.indicators.evaluation import evaluation
from services.indicators.models import Base, ReceivedEvent, SurveyAnswer
from shared.db import Database
from shared.settings import Settings, load_settings
from tests.factories import staff_headers
from tests.integration.test_indicators import REGISTER, Indicators, start
from tests.integration.test_indicators_pages import logged_in

pytestmark = pytest.mark.services

# Of the hand-worked register: GM0001-GM0004 at 12.5% or more, GM0005 at 8%, GM0006 at 2%.
APPRECIATED = {
    "knows_guide": True,
    "uses": ["policy"],
    "guide_appreciation": {"readable": "agree", "local_themes": "neutral"},
    "meeting_appreciation": {"new_insights": "disagree"},
    "approach_appreciation": {"narrows_gap": "strongly_agree"},
    "cmo_right_party": "yes_network",
    "desired_participants": {"government_officials": "agree", "experts": "strongly_agree"},
    "wants_to_continue": "yes",
}


@pytest.fixture
def small(real_env: dict[str, str], tmp_path: Path) -> Iterator[Indicators]:
    path = tmp_path / "register.csv"
    path.write_text(REGISTER)
    yield from start(load_settings({**real_env, "GIA_MUNICIPALITIES_FILE": str(path)}))


def answer(live: Indicators, code: str, body: dict[str, Any]) -> Any:
    url = f"/api/v1/municipalities/{code}/survey"
    return live.client.post(url, json=body, headers=staff_headers(live.settings))


def stored(live: Indicators) -> tuple[int, int]:
    """(survey answers, received events): nothing half-written when an answer is refused."""
    with live.consumer.db.transaction() as session:
        answers = session.scalar(select(func.count()).select_from(SurveyAnswer))
        events = session.scalar(select(func.count()).select_from(ReceivedEvent))
    return answers or 0, events or 0


def test_an_answer_keeps_the_evaluations_questions_beside_awareness_and_use(
    small: Indicators,
) -> None:
    created = answer(small, "GM0001", APPRECIATED)
    assert created.status_code == 201, created.json
    for field in ("guide_appreciation", "cmo_right_party", "wants_to_continue"):
        assert created.json[field] == APPRECIATED[field]
    with small.consumer.db.transaction() as session:
        row = session.scalars(select(SurveyAnswer)).one()
        assert row.desired_participants == APPRECIATED["desired_participants"]
        assert row.meeting_appreciation == {"new_insights": "disagree"}
        event = session.get(ReceivedEvent, row.event_id)
        # The event carries what the figures rest on; opinions stay with the answer.
        assert set(event.data) == {
            "answer_id",
            "municipality_code",
            "knows_guide",
            "read_guide",
            "uses",
            "other_use",
            "number",
        }
    figures = small.client.get("/api/v1/indicators").json["indicators"]
    assert {f["indicator"]: f["numerator"] for f in figures} == {
        "awareness": 1,
        "use": 1,
        "participation": 0,
    }
    # A client that knows only awareness and use keeps working; blank statements are left out.
    old = answer(small, "GM0002", {"knows_guide": True, "uses": []})
    assert old.status_code == 201 and old.json["guide_appreciation"] is None
    assert old.json["wants_to_continue"] is None
    blank = answer(small, "GM0003", {"knows_guide": False, "guide_appreciation": {"lucid": None}})
    assert blank.status_code == 201 and blank.json["guide_appreciation"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"guide_appreciation": {"readable": "very"}}, "guide_appreciation"),
        ({"guide_appreciation": {"colourful": "agree"}}, "guide_appreciation"),
        ({"guide_appreciation": "agree"}, "guide_appreciation"),
        ({"meeting_appreciation": ["agree"]}, "meeting_appreciation"),
        ({"cmo_right_party": "yes"}, "cmo_right_party"),
        ({"wants_to_continue": True}, "wants_to_continue"),
        ({"wants_to_continue": "maybe"}, "wants_to_continue"),
        ({"desired_participants": {"experts": 5}}, "desired_participants"),
    ],
)
def test_a_wrong_answer_is_refused_whole(
    small: Indicators, change: dict[str, Any], field: str
) -> None:
    before = stored(small)
    refused = answer(small, "GM0001", {**APPRECIATED, **change})
    assert refused.status_code == 400
    assert refused.mimetype == "application/problem+json"
    assert field in str(refused.json)
    assert stored(small) == before


def test_the_survey_page_asks_in_the_evaluations_words_and_shows_the_last_answer(
    small: Indicators,
) -> None:
    small.client.application.config["WTF_CSRF_ENABLED"] = False
    client: FlaskClient = small.client
    token = survey_links(small.settings.secret_key).token("GM0004")
    url = f"/enquete/GM0004?token={token}"
    page = client.get(url).get_data(as_text=True)
    for words in ("Prettig leesbaar", "Geleid tot nieuwe inzichten", "Niet eens/niet oneens"):
        assert words in page
    assert "Heeft uw gemeente behoefte om de GIA voort te zetten?" in page
    assert "Ja, omdat de CMO&#39;s de juiste netwerken hebben" in page
    form = {
        "token": token,
        "knows_guide": "on",
        "guide_appreciation.readable": "agree",
        "guide_appreciation.lucid": "",  # "Geen antwoord"
        "desired_participants.experts": "strongly_agree",
        "wants_to_continue": "no",
    }
    tampered = client.post("/enquete/GM0004", data={**form, "wants_to_continue": "perhaps"})
    assert tampered.status_code == 422
    shown = tampered.get_data(as_text=True)
    assert "Kies een van de mogelijkheden." in shown
    assert 'href="#wants_to_continue"' in shown and 'id="wants_to_continue-fout"' in shown
    assert stored(small) == (0, 0)
    assert client.post("/enquete/GM0004", data=form).status_code == 302
    with small.consumer.db.transaction() as session:
        row = session.scalars(select(SurveyAnswer)).one()
        assert row.guide_appreciation == {"readable": "agree"}
        assert row.desired_participants == {"experts": "strongly_agree"}
        assert row.wants_to_continue == "no" and row.cmo_right_party is None
    again = client.get(url).get_data(as_text=True)
    checked = set(re.findall(r'name="([^"]+)" value="([^"]*)" checked', again))
    assert {
        ("guide_appreciation.readable", "agree"),
        ("guide_appreciation.lucid", ""),
        ("desired_participants.experts", "strongly_agree"),
        ("wants_to_continue", "no"),
        ("cmo_right_party", ""),
    } <= checked
    assert 'id="knows_guide" name="knows_guide" checked' in again


def _tallies(body: dict[str, Any], field: str, item: str) -> dict[str, dict[str, Any]]:
    question = next(q for q in body["questions"] if q["question"] == field)
    found = next(i for i in question["items"] if i["key"] == item)
    return {tally["group"]: tally for tally in found["groups"]} | {"_earlier": found["earlier"]}


def test_staff_see_the_latest_answers_per_band_and_region_beside_2011(small: Indicators) -> None:
    for code, readable, goes_on in (
        ("GM0001", "agree", "yes"),
        ("GM0002", "strongly_agree", "no"),
        ("GM0005", "agree", "yes"),
        ("GM0006", "disagree", "no"),
        ("GM0006", "agree", "yes"),  # the latest answer counts
    ):
        body = {
            "knows_guide": True,
            "guide_appreciation": {"readable": readable},
            "wants_to_continue": goes_on,
        }
        assert answer(small, code, body).status_code == 201
    assert answer(small, "GM0003", {"knows_guide": False}).status_code == 201

    url, staff = "/api/v1/survey/appreciation", staff_headers(small.settings)
    assert small.client.get(url).status_code == 401
    assert small.client.get(url, headers=staff_headers(small.settings, "jury")).status_code == 403
    assert small.client.get(url, headers=staff, query_string={"group_by": "x"}).status_code == 400
    by_band = small.client.get(url, headers=staff)
    assert by_band.status_code == 200, by_band.json
    body = by_band.json
    assert body["group_by"] == "band" and body["groups"] == ["0-5", "7.5-10", "12.5+", "total"]
    respondents = {group["group"]: group for group in body["respondents"]}
    assert (respondents["12.5+"]["answered"], respondents["12.5+"]["municipalities"]) == (3, 4)
    assert respondents["12.5+"]["earlier"] == {
        "label": "12,5% of meer",
        "municipalities": 53,
        "counted": 26,
        "percentage": 49,
    }
    assert (respondents["total"]["answered"], respondents["total"]["municipalities"]) == (5, 6)
    assert respondents["total"]["earlier"]["counted"] == 130

    readable = _tallies(body, "guide_appreciation", "readable")
    assert readable["12.5+"]["answered"] == 2
    assert readable["12.5+"]["counts"] == {
        "strongly_disagree": 0,
        "disagree": 0,
        "neutral": 0,
        "agree": 1,
        "strongly_agree": 1,
    }
    assert readable["0-5"]["counts"]["agree"] == 1 and readable["0-5"]["counts"]["disagree"] == 0
    assert readable["total"]["answered"] == 4 and readable["total"]["shares"]["agree"] == 0.75
    assert readable["_earlier"] == {"total": evaluation().table(6).column("readable").shares}
    going_on = _tallies(body, "wants_to_continue", "wants_to_continue")
    assert going_on["12.5+"]["counts"] == {"yes": 1, "no": 1}
    assert going_on["total"]["counts"] == {"yes": 3, "no": 1}
    assert going_on["_earlier"]["12.5+"] == {"yes": 46, "no": 54}
    assert going_on["_earlier"]["total"] == {"yes": 26, "no": 74}

    by_region = small.client.get(url, headers=staff, query_string={"group_by": "region"}).json
    assert by_region["groups"] == [
        "Noorden",
        "Flevoland-Utrecht",
        "Noord-Holland",
        "Zuid-Holland",
        "total",
    ]
    readable = _tallies(by_region, "guide_appreciation", "readable")
    assert readable["Noord-Holland"]["answered"] == 2
    assert readable["Flevoland-Utrecht"]["counts"]["agree"] == 1
    assert readable["Zuid-Holland"]["answered"] == 0  # answered, but not this question
    respondents = {group["group"]: group for group in by_region["respondents"]}
    assert respondents["Noord-Holland"]["earlier"] is None
    assert respondents["total"]["earlier"]["percentage"] == 31

    download = small.client.get("/api/v1/survey/appreciation.csv", headers=staff)
    assert download.status_code == 200 and download.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True))))
    going = next(
        row
        for row in rows
        if (row["indeling"], row["groep"], row["vraag"], row["antwoord"])
        == ("band", "12.5+", "wants_to_continue", "yes")
    )
    assert (going["aantal"], going["van"], going["aandeel"], going["aandeel_2011"]) == (
        "1",
        "2",
        "0.5000",
        "0.4600",
    )
    assert going["bron_2011"].endswith("tabel 11, p. 21")
    assert {row["indeling"] for row in rows} == {"band", "region"}
    assert small.client.get("/api/v1/survey/appreciation.csv").status_code == 401


def test_the_staff_page_shows_the_answers_beside_2011(small: Indicators) -> None:
    assert answer(small, "GM0001", APPRECIATED).status_code == 201
    app = small.client.application
    assert app.test_client().get("/waardering").status_code == 302
    assert logged_in(app, "jury").get("/waardering").status_code == 403
    staff = logged_in(app, "staff")
    page = staff.get("/waardering").get_data(as_text=True)
    assert "Waardering GIA-handreiking (tabel 6)" in page
    assert "Behoefte om GIA voort te zetten (tabel 11)" in page
    assert "12,5% of meer, 2011" in page and "Alle gemeenten, 2011" in page
    assert "1 van 4 (25,0%)" in page and "26 van 53 (49%)" in page
    assert "100,0% (1)" in page
    by_region = staff.get("/waardering?group_by=region").get_data(as_text=True)
    assert "Noord-Holland, 2012" in by_region and "Noord-Holland, 2011" not in by_region
    assert staff.get("/waardering?group_by=provincie").status_code == 422
    download = staff.get("/waardering.csv")
    assert download.status_code == 200 and download.mimetype == "text/csv"
    feed = staff.get(f"/feeds/{uuid.uuid4()}/appreciation.csv")
    assert feed.status_code == 200 and b"wants_to_continue" in feed.data


def _alembic(db: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir("indicators")))
    config.attributes["database"] = db
    return config


def test_migration_0005_keeps_earlier_answers_and_matches_the_models(
    real_settings: Settings,
) -> None:
    db = Database.for_service(real_settings, "indicators")
    try:
        db.ensure_schema()
        command.upgrade(_alembic(db), "0004")
        with db.transaction() as session:
            session.execute(
                text(
                    "INSERT INTO survey_answers (id, municipality_code, answered_at, knows_guide,"
                    " read_guide, uses, event_id, number) VALUES (:id, 'GM0599', now(), true,"
                    " false, '[]', :event, 1)"
                ),
                {"id": str(uuid.uuid4()), "event": str(uuid.uuid4())},
            )
        command.upgrade(_alembic(db), "head")
        with db.transaction() as session:
            earlier = session.scalars(select(SurveyAnswer)).one()
            assert earlier.knows_guide and earlier.guide_appreciation is None
            assert earlier.wants_to_continue is None
        with db.engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        command.downgrade(_alembic(db), "0004")
        command.upgrade(_alembic(db), "head")
    finally:
        db.dispose()
