"""How big the indicators' dashboard and report are, and how long they take to render, years
after the programme.

On the local PostgreSQL (a schema of its own), with the real register, it logs the figure
moves of a season: every target-group municipality gains each indicator it will have on a
day between the programme's start and March 2013, as the consumer logs them (the whole
target group and its region). It then renders ``/`` and ``/rapport`` for staff on a day in
December 2026, once with the moves of that season and once with the same moves recorded in
2026 (as ``gia run`` records the examples' events on the day it runs), and prints per page
its size and the median of a few renders.

A measurement, not a test: it exits 0 whatever it finds.

Usage: python bench/indicators_trend.py [--renders 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

# Run as a script from anywhere: the project root holds the packages and the test factories.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gia.migrations import upgrade
from services.indicators.app import create_app
from services.indicators.figures import TARGET_GROUP, TOTAL, population
from services.indicators.history import PROGRAMME_START
from services.indicators.models import FigureChange
from services.indicators.rules import INDICATORS
from shared.clock import SetClock
from shared.municipalities import Register, load_register
from shared.settings import load_settings
from tests.factories import signed_in
from tests.isolation import isolated_env, remove

DATABASE_URL = os.environ.get("GIA_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
BROKER_URL = os.environ.get("GIA_BENCH_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
VIEWED = datetime(2026, 12, 15, 12, tzinfo=UTC)
SEASON_END = date(2013, 3, 31)
# The share of the target group that gains each indicator in the season.
GAINED = {"awareness": 0.9, "use": 0.4, "participation": 0.6}


def season(register: Register, chance: random.Random, moved_to: date | None) -> list[FigureChange]:
    """The moves of a season, oldest first; all of them on ``moved_to`` when it is given."""
    sizes = population(register)
    gains = sorted(
        (
            PROGRAMME_START + timedelta(days=chance.randrange((SEASON_END - PROGRAMME_START).days)),
            indicator,
            municipality.region,
        )
        for indicator, share in GAINED.items()
        for municipality in register.target_group
        if chance.random() < share
    )
    covered: dict[tuple[str, str], int] = {}
    moves = []
    for day, indicator, region in gains:
        at = datetime.combine(moved_to or day, datetime.min.time(), UTC) + timedelta(hours=12)
        for grouping, dimension in (("", TOTAL), (region, "region")):
            covered[(indicator, grouping)] = covered.get((indicator, grouping), 0) + 1
            moves.append(
                FigureChange(
                    recorded_at=at,
                    indicator=indicator,
                    region=grouping,
                    covered=covered[(indicator, grouping)],
                    denominator=sizes[(TARGET_GROUP, dimension, grouping)],
                )
            )
    assert set(INDICATORS) == set(GAINED)
    return moves


def measure(env: dict[str, str], moved_to: date | None, renders: int) -> None:
    settings = load_settings(env)
    upgrade(settings, ("indicators",))
    app = create_app(settings, SetClock(VIEWED))
    db = app.extensions["gia"].db
    with db.transaction() as session:
        session.query(FigureChange).delete()
        session.add_all(season(load_register(None), random.Random(2012), moved_to))
    staff = signed_in(app.test_client(), "staff@minbzk.nl")
    when = f"recorded {moved_to}" if moved_to else "recorded over the season"
    for path in ("/", "/rapport"):
        times, size = [], 0
        for _ in range(renders):
            began = time.perf_counter()
            response = staff.get(path)
            times.append(time.perf_counter() - began)
            assert response.status_code == 200, path
            size = len(response.data)
        print(
            f"{path:9} moves {when:26} {size / 1000:8.1f} kB  "
            f"median {statistics.median(times) * 1000:7.1f} ms over {renders} renders"
        )
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = isolated_env(DATABASE_URL, BROKER_URL, Path(folder), prefix="bench")
        try:
            print(f"viewed on {VIEWED.date()}")
            measure(env, None, args.renders)
            measure(env, VIEWED.date(), args.renders)
        finally:
            remove(load_settings(env))


if __name__ == "__main__":
    main()
