"""How the indicators keep up as events grow: the consume rate, and the figures endpoint after.

On the local PostgreSQL, with a synthetic register of 10,000 municipalities, it
feeds a mixed stream (attendance, revocations, survey answers, praktijkteam
requests) through the consumer's own batch path (inbox, evidence, coverage,
tallies: everything but the broker, whose share bench/pipeline.py measures),
then asks ``GET /api/v1/indicators`` for every scope and grouping. It prints:

- events consumed per second (and the median time per batch);
- p50 and p99 of the figures endpoint (the aim is a p99 under 20 ms);
- that ``verify`` finds the tallies equal to a fold of every stored event.

Usage: python bench/indicators.py [--events 1000000] [--municipalities 10000] [--requests 2000]
A smaller run: --events 50000 --municipalities 1000.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

# Run as a script from anywhere.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gia.migrations import upgrade
from services.indicators.app import create_app
from services.indicators.consumer import build_consumer
from services.indicators.rebuild import verify
from shared.events.catalogue import (
    ATTENDANCE_REVOKED,
    ATTENDED,
    PRACTICETEAM_EVENTS,
    SURVEY_ANSWERED,
)
from shared.events.envelope import Event
from shared.municipalities import PROVINCES, load_register
from shared.settings import load_settings
from tests.isolation import isolated_env, remove

DATABASE_URL = os.environ.get("GIA_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
BROKER_URL = os.environ.get("GIA_BENCH_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
BATCH = 500
START = datetime(2012, 6, 7, 9, tzinfo=UTC)


def write_register(path: Path, count: int, chance: random.Random) -> None:
    """A register of ``count`` made-up municipalities, about a third in the target group."""
    lines = ["code,name,province,non_western_pct"]
    for number in range(count):
        share = round(chance.uniform(0, 30), 1)
        lines.append(
            f"GM{number:04d},Gemeente {number},{PROVINCES[number % len(PROVINCES)]},{share}"
        )
    path.write_text("\n".join(lines) + "\n")


class Stream:
    """A mixed stream of events in the catalogue's shapes, built without per-event checks."""

    def __init__(self, codes: list[str], chance: random.Random, sources: dict[str, str]) -> None:
        self.codes = codes
        self.sources = sources  # each type's producer, so verify folds every event
        self.chance = chance
        self.attendances: list[dict[str, Any]] = []
        self.minute = 0

    def _event(self, kind: str, subject: str, data: dict[str, Any]) -> Event:
        self.minute += 1
        return Event(
            str(uuid.uuid4()),
            kind,
            self.sources[kind],
            subject,
            START + timedelta(seconds=self.minute),
            data,
        )

    def next(self) -> Event:
        chance, code = self.chance, self.chance.choice(self.codes)
        pick = chance.random()
        if pick < 0.55 or not self.attendances:
            data = {
                "registration_id": str(uuid.uuid4()),
                "meeting_id": str(uuid.uuid4()),
                "municipality_code": code,
                "role": "official",
                "counts_for_participation": chance.random() < 0.9,
                "guide_presented": chance.random() < 0.5,
            }
            if len(self.attendances) < 50_000:
                self.attendances.append(data)
            return self._event(ATTENDED, "r", data)
        if pick < 0.65:
            return self._event(ATTENDANCE_REVOKED, "r", chance.choice(self.attendances))
        if pick < 0.95:
            uses = chance.sample(
                ["discussed", "policy", "projects", "planned"], chance.randint(0, 2)
            )
            data = {
                "answer_id": str(uuid.uuid4()),
                "municipality_code": code,
                "knows_guide": chance.random() < 0.8,
                "read_guide": chance.random() < 0.5,
                "uses": uses,
                "other_use": None,
            }
            return self._event(SURVEY_ANSWERED, code, data)
        request_id = str(uuid.uuid4())
        data = {
            "request_id": request_id,
            "status": "submitted",
            "previous_status": None,
            "municipality_codes": [code],
            "lead_municipality_code": code,
            "themes": ["discrimination"],
        }
        return self._event(PRACTICETEAM_EVENTS["submitted"], request_id, data)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--municipalities", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=2000, help="figure requests to time")
    parser.add_argument("--seed", type=int, default=2012)
    args = parser.parse_args()
    chance = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        register_path = Path(folder) / "register.csv"
        write_register(register_path, args.municipalities, chance)
        env = isolated_env(DATABASE_URL, BROKER_URL, Path(folder), prefix="bench")
        settings = load_settings({**env, "GIA_MUNICIPALITIES_FILE": str(register_path)})
        upgrade(settings, ("indicators",))
        consumer = build_consumer(settings)
        app = create_app(settings)
        try:
            register = load_register(register_path)
            stream = Stream([m.code for m in register], chance, consumer.trust.sources)
            batch_seconds: list[float] = []
            began = time.perf_counter()
            for done in range(0, args.events, BATCH):
                batch = [stream.next() for _ in range(min(BATCH, args.events - done))]
                at = time.perf_counter()
                consumer.apply(batch)
                batch_seconds.append(time.perf_counter() - at)
                if (done // BATCH) % 200 == 0:
                    print(f"  {done + len(batch):>9,} events", flush=True)
            consume = sum(batch_seconds)
            print(
                f"events:            {args.events:,} over {args.municipalities:,} municipalities "
                f"({len(register.target_group):,} in the target group)"
            )
            print(
                f"consumed:          {args.events / consume:,.0f} events/s "
                f"(median batch of {BATCH}: {statistics.median(batch_seconds) * 1000:.0f} ms; "
                f"{time.perf_counter() - began:.0f} s in all, making events included)"
            )

            client = app.test_client()
            queries = [
                {"scope": scope, **({"group_by": group} if group else {})}
                for scope in ("target_group", "all")
                for group in (None, "region", "province", "band")
            ]
            for query in queries:  # warm up
                client.get("/api/v1/indicators", query_string=query)
            timings: list[float] = []
            for number in range(args.requests):
                at = time.perf_counter()
                response = client.get(
                    "/api/v1/indicators", query_string=queries[number % len(queries)]
                )
                timings.append((time.perf_counter() - at) * 1000)
                assert response.status_code == 200
            print(
                f"GET /api/v1/indicators: p50 {percentile(timings, 0.5):.1f} ms, "
                f"p99 {percentile(timings, 0.99):.1f} ms over {args.requests} requests "
                f"(all scopes and groupings, in-process WSGI)"
            )
            figures = client.get("/api/v1/indicators").json["indicators"]
            print(
                "target group:      "
                + ", ".join(
                    f"{item['indicator']} {item['numerator']}/{item['denominator']}"
                    for item in figures
                )
            )
            at = time.perf_counter()
            differences = verify(consumer.db, consumer.trust)
            print(
                f"verify:            {len(differences)} differences "
                f"({time.perf_counter() - at:.0f} s)"
            )
        finally:
            consumer.db.dispose()
            app.extensions["gia"].db.dispose()
            remove(settings)


if __name__ == "__main__":
    main()
