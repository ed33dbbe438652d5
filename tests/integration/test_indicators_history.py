"""2008-2011 beside 2012: the evaluation's data file adds up as its tables state, and the API,
the dashboard and the report show its figures beside the live ones, each with its source."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from services.indicators.appreciation import QUESTIONS
from services.indicators.evaluation import (
    DATA_FILE,
    EvaluationError,
    check,
    evaluation,
    load,
    parse,
)
from shared.events.catalogue import SURVEY_USES
from shared.municipalities import BANDS, REGIONS, load_register
from shared.settings import load_settings
from tests.integration.test_indicators import (
    MAASTRICHT,
    ROTTERDAM,
    Indicators,
    attended,
    start,
    survey,
)
from tests.integration.test_indicators_pages import logged_in

SOURCE = "Eindevaluatie GIA 2008-2011, Twynstra Gudde, 28 maart 2012"
# Table 4 as printed (evaluation, p. 10): region -> (present at a meeting, municipalities).
TABLE_4 = {
    "Limburg": (20, 33),
    "Noord-Brabant": (28, 67),
    "Noorden": (36, 62),
    "Noord-Holland": (15, 58),
    "Oosten": (34, 81),
    "Flevoland-Utrecht": (16, 32),
    "Zuid-Holland": (40, 72),
}


# -- the data file ------------------------------------------------------------------------------


def test_the_data_file_adds_up_as_its_tables_state() -> None:
    found = evaluation()
    assert check(found) == []
    assert found.version and found.date and found.source.published == "2012-03-28"
    assert found.source.programme == "Gemeenschappelijke Integratieagenda"
    attendance = found.table(4)
    assert {row.key: (row.counted, row.municipalities) for row in attendance.rows} == TABLE_4
    zeeland = attendance.row("Zeeland")
    assert zeeland is not None and (zeeland.counted, zeeland.municipalities) == (0, 13)
    every = (*attendance.rows, *attendance.outside)
    assert sum(row.municipalities for row in every) == attendance.total.municipalities == 418
    assert sum(row.counted for row in every) == attendance.total.counted == 189
    assert attendance.total.percentage == 45 and {row.key for row in every} == set(REGIONS)
    response = found.table(1)
    assert sum(row.municipalities for row in response.rows) == response.total.municipalities
    assert [row.key for row in response.rows] == [band.slug for band in BANDS]
    # Awareness: everyone but "Geen van beide" (table 3), 42% as the summary says.
    assert 100 - found.table(3).column("total").shares["neither"] == 42
    assert found.table(5).column("total").shares == {"yes": 70, "no": 30}
    assert [way.key for way in found.table(5).ways] == [
        "discussed",
        "policy",
        "sector_paragraph",
        "projects",
        "planned",
        "other",
    ]
    assert {way.key for way in found.table(5).ways} == set(SURVEY_USES)
    continuation = found.table(11)
    assert [c.key for c in continuation.columns] == [*(b.slug for b in BANDS), "total"]
    assert continuation.column("12.5+").shares == {"yes": 46, "no": 54}
    for number, table in found.tables.items():
        assert table.page and table.section, number
    assert found.cite(4) == f"{SOURCE}, tabel 4, p. 10"
    assert found.cite(11) == f"{SOURCE}, tabel 11, p. 21"


def _changed(tmp_path: Path, change: Any) -> Path:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "evaluation.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _table(data: dict[str, Any], number: int) -> dict[str, Any]:
    return next(table for table in data["tables"] if table["number"] == number)


def test_a_figure_that_no_longer_adds_up_is_refused(tmp_path: Path) -> None:
    def more_in_limburg(data: dict[str, Any]) -> None:
        _table(data, 4)["rows"][0]["counted"] = 21

    with pytest.raises(EvaluationError, match="table 4 counted: comes to 190"):
        load(_changed(tmp_path, more_in_limburg))

    def undeclared(data: dict[str, Any]) -> None:
        data["as_printed"] = [d for d in data["as_printed"] if d["table"] != 1]

    with pytest.raises(
        EvaluationError, match="table 1 counted: comes to 118, the table states 130"
    ):
        load(_changed(tmp_path, undeclared))

    def corrected(data: dict[str, Any]) -> None:
        _table(data, 3)["columns"][1]["shares"]["neither"] = 20  # 20+20+40+20: adds up now

    with pytest.raises(EvaluationError, match=re.escape("table 3 5-7.5: declared as printed")):
        load(_changed(tmp_path, corrected))

    def a_band_missing(data: dict[str, Any]) -> None:
        del _table(data, 11)["columns"][0]

    with pytest.raises(EvaluationError, match="table 11: not one row per band"):
        load(_changed(tmp_path, a_band_missing))

    with pytest.raises(EvaluationError, match="incomplete"):
        parse({"title": "x"})
    with pytest.raises(EvaluationError, match="cannot read"):
        load(tmp_path / "absent.json")


def test_the_survey_asks_the_evaluations_questions_in_its_words() -> None:
    found = evaluation()
    assert [question.table for question in QUESTIONS] == [6, 7, 8, 9, 10, 11]
    guide = QUESTIONS[0]
    assert [item.label for item in guide.items] == [
        "Prettig leesbaar",
        "Informatief",
        "Duidelijk/helder",
        "Sluit aan bij lokale thema's",
    ]
    assert [o.label for o in guide.options] == [
        "Helemaal oneens",
        "Oneens",
        "Niet eens/niet oneens",
        "Eens",
        "Helemaal eens",
    ]
    assert guide.items[0].earlier == {"total": found.table(6).columns[0].shares}
    continuation = QUESTIONS[-1]
    assert [item.key for item in continuation.items] == ["wants_to_continue"]
    assert continuation.items[0].earlier["12.5+"] == {"yes": 46, "no": 54}
    assert QUESTIONS[3].option_labels["yes_other"] == "Ja, anders"
    # Answers are dicts by statement: a key that is also a dict's method would not serialise.
    assert not [item.key for q in QUESTIONS for item in q.items if hasattr({}, item.key)]


# -- beside 2012: API, dashboard and report -----------------------------------------------------


@pytest.fixture
def compared(real_env: dict[str, str]) -> Iterator[Indicators]:
    """The shipped register; Rotterdam (target group) and Maastricht (outside it) at a
    meeting, and Rotterdam using the guide by its survey answer."""
    for live in start(load_settings(real_env)):
        live.consumer.apply(
            [
                attended(0, ROTTERDAM),
                attended(1, MAASTRICHT),
                survey(2, ROTTERDAM, uses=("policy",)),
            ]
        )
        yield live


def _by_group(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["group"]: row for row in rows}


@pytest.mark.services
def test_the_api_gives_2008_2011_beside_every_municipality_and_the_target_group(
    compared: Indicators,
) -> None:
    register = load_register(compared.settings.municipalities_file)
    per_region = Counter(m.region for m in register)
    targeted = Counter(m.region for m in register.target_group)
    response = compared.client.get("/api/v1/indicators/comparison")
    assert response.status_code == 200, response.json
    body = response.json
    assert body["programme_then"] == "Gemeenschappelijke Integratieagenda"
    assert body["programme_now"] == "Gemeenschappelijke Integrale Aanpak (GIA)"
    assert "alle 418 gemeenten" in body["note"] and str(len(register)) in body["note"]
    assert body["source"] == SOURCE and body["version"] == evaluation().version

    totals = {row["indicator"]: row for row in body["indicators"]}
    participation = totals["participation"]
    assert participation["earlier"]["numerator"] == 189
    assert participation["earlier"]["denominator"] == 418
    assert participation["earlier"]["percentage"] == 45
    assert participation["earlier"]["source"] == f"{SOURCE}, tabel 4, p. 10"
    assert participation["all_municipalities"]["numerator"] == 2
    assert participation["all_municipalities"]["denominator"] == len(register)
    assert participation["target_group"]["numerator"] == 1
    assert participation["target_group"]["denominator"] == len(register.target_group)
    assert totals["awareness"]["earlier"]["percentage"] == 42
    assert totals["awareness"]["earlier"]["source"] == f"{SOURCE}, tabel 3, p. 10"
    assert totals["awareness"]["earlier"]["numerator"] is None
    assert totals["use"]["earlier"]["percentage"] == 70
    assert totals["use"]["earlier"]["source"] == f"{SOURCE}, tabel 5, p. 12"
    assert totals["use"]["target_group"]["numerator"] == 1

    regions = _by_group(body["regions"])
    assert list(regions) == list(REGIONS)
    for region, (present, municipalities) in TABLE_4.items():
        earlier = regions[region]["earlier"]
        assert (earlier["numerator"], earlier["denominator"]) == (present, municipalities)
        assert regions[region]["all_municipalities"]["denominator"] == per_region[region]
        assert regions[region]["target_group"]["denominator"] == targeted[region]
    assert regions["Zeeland"]["earlier"]["numerator"] == 0
    assert regions["Zeeland"]["earlier"]["denominator"] == 13
    assert "voetnoot 5" in regions["Zeeland"]["earlier"]["source"]
    assert regions["Zuid-Holland"]["target_group"]["numerator"] == 1
    assert regions["Limburg"]["all_municipalities"]["numerator"] == 1
    assert regions["Limburg"]["target_group"]["numerator"] == 0

    bands = _by_group(body["bands"])
    assert list(bands) == [band.slug for band in BANDS]
    assert bands["12.5+"]["earlier"]["percentage"] == 81  # 100 - 19 "Geen van beide"
    assert bands["12.5+"]["all_municipalities"]["numerator"] == 1


@pytest.mark.services
def test_the_dashboard_and_the_report_show_2008_2011_with_its_source(
    compared: Indicators,
) -> None:
    app = compared.client.application
    staff: FlaskClient = logged_in(app, "staff")
    dashboard = staff.get("/").get_data(as_text=True)
    assert "2008-2011 naast 2012" in dashboard
    assert "Gemeenschappelijke Integratieagenda (2008-2011)" in dashboard
    assert "Gemeenschappelijke Integrale Aanpak (GIA) (2012)" in dashboard
    assert "20 van 33 (60%)" in dashboard and "189 van 418 (45%)" in dashboard
    assert f"{SOURCE}, tabel 4, p. 10" in dashboard
    assert "alle 418 gemeenten" in dashboard
    report = staff.get("/rapport").get_data(as_text=True)
    assert "189 van 418 (45%)" in report and f"{SOURCE}, tabel 3, p. 10" in report
    assert "Bekendheid per aandeel niet-westerse migranten" in report
    assert "81% van de gemeenten die de webenquête invulden" in report
    assert app.test_client().get("/rapport").status_code == 302  # staff only
