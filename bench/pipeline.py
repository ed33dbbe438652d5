"""How fast attendance events get from a service's outbox into the indicators database.

Runs the real path on the local PostgreSQL and RabbitMQ: events are written to
the registration outbox, ``gia relay registration`` and ``gia consume
indicators`` run as their own processes (as in production), and the bench
watches the indicators inbox. It prints:

- how fast one process writes N events to the outbox, and how fast that
  backlog then goes from the outbox to visible in the indicators database;
- publish-to-visible latency (p50, p99) with events written at a steady rate;
- a bare kombu publish-consume-ack loop on the same broker, and our throughput
  as a ratio of it.

Usage: python bench/pipeline.py [--events 20000] [--rate 500] [--seconds 10]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from kombu import Connection, Consumer, Exchange, Producer, Queue
from kombu.message import Message
from sqlalchemy import func, select

# Run as a script from anywhere: the project root holds the test factories too.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gia.migrations import upgrade
from services.indicators.models import ReceivedEvent
from services.registration.models import Outbox
from shared.db import Database
from shared.events.catalogue import ATTENDED
from shared.events.envelope import new_event
from shared.events.outbox import EventRecorder
from shared.settings import Settings, load_settings
from tests.factories import attendance_data
from tests.isolation import isolated_env, remove

DATABASE_URL = os.environ.get("GIA_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
BROKER_URL = os.environ.get("GIA_BENCH_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
WRITE_BATCH = 100


class Watcher(threading.Thread):
    """Notes when each watched event becomes visible in the indicators database."""

    def __init__(self, db: Database) -> None:
        super().__init__(daemon=True)
        self.db = db
        self.pending: dict[str, None] = {}  # insertion-ordered: oldest first
        self.seen: dict[str, float] = {}
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def watch(self, event_id: str) -> None:
        with self.lock:
            self.pending[event_id] = None

    def run(self) -> None:
        while not self.stop.is_set():
            with self.lock:
                oldest = list(self.pending)[:500]
            if oldest:
                with self.db.transaction() as session:
                    found = session.scalars(
                        select(ReceivedEvent.id).where(ReceivedEvent.id.in_(oldest))
                    ).all()
                now = time.time()
                with self.lock:
                    for event_id in found:
                        self.pending.pop(event_id, None)
                        self.seen[event_id] = now
            self.stop.wait(0.005)

    def count(self) -> int:
        with self.db.transaction() as session:
            return session.scalar(select(func.count()).select_from(ReceivedEvent)) or 0

    def wait_for_all(self, last_id: str, total: int, timeout: float) -> float:
        """Wait for the last event written (a cheap look-up), then check none is missing.

        Counting a growing table every few milliseconds would load the database
        more than the pipeline it measures.
        """
        self.watch(last_id)
        self.wait_for_pending(timeout)
        finished = self.seen[last_id]
        deadline = time.monotonic() + timeout
        while (visible := self.count()) < total:
            if time.monotonic() > deadline:
                raise SystemExit(f"{total - visible} events not visible after {timeout:.0f}s")
            time.sleep(0.05)
            finished = time.time()
        return finished

    def wait_for_pending(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.pending:
            if time.monotonic() > deadline:
                raise SystemExit(f"{len(self.pending)} events not visible after {timeout:.0f}s")
            time.sleep(0.01)


def write(db: Database, recorder: EventRecorder, count: int) -> str:
    """Write ``count`` events in transactions of WRITE_BATCH; returns the last one's id."""
    last = ""
    while count > 0:
        batch = min(count, WRITE_BATCH)
        with db.transaction() as session:
            for _ in range(batch):
                last = recorder.record(
                    session, ATTENDED, subject="bench", data=attendance_data()
                ).id
        count -= batch
    return last


def backlog(
    db: Database,
    recorder: EventRecorder,
    watcher: Watcher,
    relay: subprocess.Popen[bytes],
    events: int,
) -> tuple[float, float]:
    """Events/s written to the outbox, and events/s from outbox to visible.

    The relay is paused while the backlog is written, so the second figure is
    the pipeline alone (relay, broker, consumer, database), not the writer.
    """
    relay.send_signal(signal.SIGSTOP)
    total = watcher.count() + events
    started = time.time()
    last = write(db, recorder, events)
    writing = events / (time.time() - started)
    started = time.time()
    relay.send_signal(signal.SIGCONT)
    finished = watcher.wait_for_all(last, total, timeout=300)
    return writing, events / (finished - started)


def steady(
    db: Database, recorder: EventRecorder, watcher: Watcher, rate: int, seconds: float
) -> list[float]:
    """Write one event at a time at ``rate`` per second; latencies in milliseconds."""
    written: dict[str, float] = {}
    interval = 1 / rate
    started = time.monotonic()
    for number in range(int(rate * seconds)):
        pause = started + number * interval - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        with db.transaction() as session:
            event_id = recorder.record(
                session, ATTENDED, subject="bench", data=attendance_data()
            ).id
        written[event_id] = time.time()
        watcher.watch(event_id)
    watcher.wait_for_pending(timeout=60)
    return sorted((watcher.seen[key] - at) * 1000 for key, at in written.items())


def percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(len(values) * share))]


def _bare_consumer(url: str, queue_name: str, count: int, ready: Any) -> None:
    with Connection(url) as connection:
        queue = Queue(queue_name, no_declare=True, channel=connection.default_channel)
        received = 0

        def on_message(message: Message) -> None:
            nonlocal received
            received += 1
            message.ack()

        with Consumer(connection, [queue], on_message=on_message, prefetch_count=400):
            ready.set()
            while received < count:
                connection.drain_events(timeout=30)


def bare_kombu(settings: Settings, events: int, body: bytes) -> float:
    """Persistent publishes to a quorum queue like ours, consumed and acked: kombu alone."""
    name = f"{settings.topology_prefix}bare"
    exchange = Exchange(name, type="topic", durable=True)
    with Connection(BROKER_URL) as connection:
        channel = connection.default_channel
        queue = Queue(
            name,
            exchange,
            routing_key="#",
            durable=True,
            queue_arguments={"x-queue-type": "quorum"},
        )
        queue.bind(channel).declare()
        ready = multiprocessing.Event()
        consumer = multiprocessing.Process(
            target=_bare_consumer, args=(BROKER_URL, name, events, ready)
        )
        consumer.start()
        ready.wait(30)
        producer = Producer(channel, exchange=exchange)
        started = time.time()
        for _ in range(events):
            producer.publish(body, routing_key=ATTENDED, delivery_mode=2)
        consumer.join(300)
        elapsed = time.time() - started
        queue.bind(channel).delete()
        exchange.bind(channel).delete()
    return events / elapsed


def start_processes(env: dict[str, str], consumers: int) -> list[subprocess.Popen[bytes]]:
    """The relay, then the consumers, as the production commands."""
    gia = [sys.executable, "-m", "gia"]
    commands = [[*gia, "relay", "registration"]] + [[*gia, "consume", "indicators"]] * consumers
    environment = {**os.environ, **env, "GIA_LOG_LEVEL": "WARNING"}
    return [subprocess.Popen(command, env=environment) for command in commands]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=20000, help="events in the backlog")
    parser.add_argument("--rate", type=int, default=500, help="events/s in the latency run")
    parser.add_argument("--seconds", type=float, default=10, help="length of the latency run")
    parser.add_argument("--consumers", type=int, default=1, help="consumer processes")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; figures are medians")
    args = parser.parse_args()

    env = isolated_env(DATABASE_URL, BROKER_URL, Path(tempfile.mkdtemp()), prefix="b")
    settings = load_settings(env)
    upgrade(settings, ("registration", "indicators"))
    registration = Database.for_service(settings, "registration")
    indicators = Database.for_service(settings, "indicators")
    recorder = EventRecorder(Outbox, settings.event_source("registration"))
    processes = start_processes(env, args.consumers)
    watcher = Watcher(indicators)
    watcher.start()
    body = new_event(ATTENDED, source=recorder.source, subject="bench", data=attendance_data())
    writes, throughputs, bares = [], [], []
    try:
        backlog(registration, recorder, watcher, processes[0], 200)  # warm up
        for round_number in range(1, args.rounds + 1):
            print(f"round {round_number}: backlog of {args.events} events ...", flush=True)
            writing, throughput = backlog(
                registration, recorder, watcher, processes[0], args.events
            )
            writes.append(writing)
            throughputs.append(throughput)
            print(f"round {round_number}: bare kombu loop, pipeline paused ...", flush=True)
            for process in processes:
                process.send_signal(signal.SIGSTOP)
            bares.append(bare_kombu(settings, args.events, body.to_json()))
            for process in processes:
                process.send_signal(signal.SIGCONT)
        print(f"steady {args.rate} events/s for {args.seconds:.0f} s ...", flush=True)
        latencies = steady(registration, recorder, watcher, args.rate, args.seconds)
    finally:
        watcher.stop.set()
        for process in processes:
            process.send_signal(signal.SIGCONT)
            process.terminate()
        for process in processes:
            process.wait(30)
    watcher.join(2)
    registration.dispose()
    indicators.dispose()
    remove(settings)
    ratios = [ours / bare for ours, bare in zip(throughputs, bares, strict=True)]
    writing, throughput, bare, ratio = (
        statistics.median(values) for values in (writes, throughputs, bares, ratios)
    )

    print()
    print(f"medians of {args.rounds} rounds, {args.consumers} consumer(s):")
    print(f"outbox writes     {writing:8.0f} events/s  (one process, 100 per transaction)")
    print(f"outbox to visible {throughput:8.0f} events/s  (aim >= 2000)")
    print(
        f"latency at {args.rate}/s  p50 {percentile(latencies, 0.5):6.1f} ms   "
        f"p99 {percentile(latencies, 0.99):6.1f} ms   max {latencies[-1]:6.1f} ms  (aim p99 < 500)"
    )
    print(f"bare kombu loop   {bare:8.0f} messages/s")
    print(f"ratio             {ratio:8.2f}  (aim >= 0.5; median of the rounds' ratios)")


if __name__ == "__main__":
    main()
