"""The contest page before there is any contest, and ``gia seed``'s example contest on the
embedded default: open today, added once."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from gia.cli import main
from services.essay_contest.app import create_app
from services.essay_contest.models import Contest, Griffie
from services.essay_contest.seed import TITLE
from shared.settings import load_settings
from tests.factories import serving


def test_seed_opens_one_example_contest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    environment = {"GIA_VAR_DIR": str(tmp_path), "GIA_SECRET_KEY": "k" * 40}
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with serving(create_app, load_settings(environment), "auth", "essay_contest") as app:
        before = app.test_client().get("/")
        first = CliRunner().invoke(main, ["seed"])
        again = CliRunner().invoke(main, ["seed"])
        page = app.test_client().get("/")
        with app.extensions["gia"].db.transaction() as session:
            contests = session.scalars(select(Contest)).all()
            griffies = dict(session.execute(select(Griffie.municipality_code, Griffie.email)).all())
        register = app.extensions["gia"].register
    assert before.status_code == 200 and "geen wedstrijd open" in before.text
    assert first.exit_code == 0 and "example essay contest added" in first.output
    assert again.exit_code == 0 and "example essay contest already there" in again.output
    assert len(contests) == 1
    assert contests[0].opens_at <= datetime.now(UTC) < contests[0].closes_at
    assert page.status_code == 200 and TITLE in page.text
    # For council members only: every municipality has an example griffie address.
    assert contests[0].requires_council_confirmation
    assert f"{len(register)} example griffie address(es) added" in first.output
    assert "0 example griffie address(es) added" in again.output
    assert len(griffies) == len(register)
    assert griffies["GM0518"] == "griffie@s-gravenhage.example"
    assert griffies["GM1900"] == "griffie@sudwest-fryslan.example"
