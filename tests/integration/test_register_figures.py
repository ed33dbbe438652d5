"""The register behind the figures, on PostgreSQL: the shipped CBS register gives the
denominators of 2012, and another one through ``GIA_MUNICIPALITIES_FILE`` is read at once for
the figures' group sizes and who is missing, while the counts kept per group were made when
the events arrived: ``gia indicators verify`` names them as stale and ``gia indicators
rebuild`` recounts them under the new register."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from gia.cli import main
from shared.settings import load_settings
from tests.factories import staff_headers
from tests.integration.test_indicators import REGISTER, attended, figures, shares, start

pytestmark = pytest.mark.services

# The hand-worked register a year on: Eewoude (GM0005) rose into the target group and
# Beedorp (GM0002) fell out of it.
CHANGED = REGISTER.replace("GM0005,Eewoude,Utrecht,8.0", "GM0005,Eewoude,Utrecht,14.0").replace(
    "GM0002,Beedorp,Noord-Holland,13.0", "GM0002,Beedorp,Noord-Holland,10.0"
)


def participation(found: dict[str, object]) -> tuple[str, str]:
    """Participation in the target group and outside it, as numerator/denominator."""
    return (
        shares(found["indicators"])["participation"],  # type: ignore[arg-type]
        shares(found["outside_target_group"])["participation"],  # type: ignore[arg-type]
    )


def test_the_shipped_register_gives_the_denominators_of_2012(real_env: dict[str, str]) -> None:
    for live in start(load_settings(real_env)):
        found = figures(live.client, group_by="region")
        assert {item["denominator"] for item in found["indicators"]} == {44}
        assert {
            group["group"]: group["indicators"][0]["denominator"] for group in found["groups"]
        } == {
            "Oosten": 6,
            "Flevoland-Utrecht": 6,
            "Noord-Brabant": 4,
            "Noord-Holland": 10,
            "Zuid-Holland": 17,
            "Limburg": 1,
        }
        assert {item["denominator"] for item in found["outside_target_group"]} == {415 - 44}


def test_a_changed_register_is_counted_after_a_rebuild(
    real_env: dict[str, str], tmp_path: Path
) -> None:
    assert CHANGED != REGISTER
    before, after = tmp_path / "2012.csv", tmp_path / "2013.csv"
    before.write_text(REGISTER)
    after.write_text(CHANGED)
    env_before = {**real_env, "GIA_MUNICIPALITIES_FILE": str(before)}
    env_after = {**real_env, "GIA_MUNICIPALITIES_FILE": str(after)}
    runner = CliRunner()
    assert runner.invoke(main, ["municipalities", "check", str(after)]).exit_code == 0

    for old in start(load_settings(env_before)):
        old.consumer.apply([attended(0, "GM0001"), attended(1, "GM0005")])
        assert participation(figures(old.client)) == ("1/4", "1/2")
    assert runner.invoke(main, ["indicators", "verify"], env=env_before).exit_code == 0

    for new in start(load_settings(env_after)):
        # The sizes and who is missing are read from the register as it is now...
        assert participation(figures(new.client)) == ("1/4", "1/2")
        missing = new.client.get("/api/v1/indicators/missing", headers=staff_headers(new.settings))
        by_indicator = {item["indicator"]: item["municipalities"] for item in missing.json}
        assert [m["code"] for m in by_indicator["participation"]] == ["GM0003", "GM0004"]
        # ...the counts per group only once they are recounted.
        stale = runner.invoke(main, ["indicators", "verify"], env=env_after)
        assert stale.exit_code == 1 and "tally ('participation', 'outside', 'total', '')" in (
            stale.output
        )
        rebuilt = runner.invoke(main, ["indicators", "rebuild"], env=env_after)
        assert rebuilt.exit_code == 0 and "rebuilt from 2 events" in rebuilt.output
        assert participation(figures(new.client)) == ("2/4", "0/2")
        regions = figures(new.client, group_by="region")["groups"]
        assert {g["group"]: shares(g["indicators"])["participation"] for g in regions} == {
            "Flevoland-Utrecht": "1/2",
            "Noord-Holland": "1/1",
            "Zuid-Holland": "0/1",
        }
        assert runner.invoke(main, ["indicators", "verify"], env=env_after).exit_code == 0
