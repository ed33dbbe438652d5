"""Whether slow clients can starve a service: latency of ``gia run`` while connections are held.

Starts the whole system as ``make run`` does (bench/system.py) and the buffering proxy of
docker compose in front of it (deploy/nginx/gia.conf.template, bench/proxy.py); then, one
target service at a time, first on gunicorn's own port and then through the proxy, holds IDLE
connections that send nothing or half a request line, and SLOWLORIS connections that send one
header byte every few seconds (each opened again when it is closed), and meanwhile times
``/health/live`` and the service's landing page, one request after the other on fresh
connections, for SECONDS. Per path: count, p50/p90/p99/max and errors, against the aim of a
p99 under 1 s while the connections are held.

A measurement, not a test: it exits 0 whatever it finds, and 1 only when the system could
not be started. Everything it started and created is stopped and removed afterwards.

Usage: python bench/slow_clients.py [--service indicators --service registration] [--no-direct]
(``make slow-clients`` installs nginx where it is missing, then runs this.)
"""

from __future__ import annotations

import argparse
import http.client
import socket
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.proxy import buffering_proxy
from bench.system import running_system

IDLE = 100
PARTIAL = 50  # of the idle ones: half a request line sent, then nothing
SLOWLORIS = 20
BYTE_EVERY_SECONDS = 3.0
SECONDS = 20.0
AIM_P99_SECONDS = 1.0
# Far beyond the aim already; a longer wait would only stretch the run.
PROBE_TIMEOUT_SECONDS = 10.0
PATHS = ("/health/live", "/")


@dataclass
class Timings:
    seconds: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def line(self, path: str) -> str:
        done = sorted(self.seconds)
        failed = sum(self.errors.values())
        if not done:
            return f"{path:14} 0 answered, {failed} errors {self.errors}"

        def at(share: float) -> float:
            return done[min(len(done) - 1, int(share * len(done)))]

        verdict = "holds" if at(0.99) < AIM_P99_SECONDS and not failed else "FAILS"
        errors = f" {self.errors}" if failed else ""
        return (
            f"{path:14} n={len(done):4} p50={at(0.5):6.3f} p90={at(0.9):6.3f} "
            f"p99={at(0.99):6.3f} max={done[-1]:6.3f} s, errors={failed}{errors}  [{verdict}]"
        )


class Held:
    """The slow clients against one address, a thread each, until ``__exit__``. Each is
    opened again when the service closes it, as an attacker would."""

    def __init__(self, host: str, port: int, idle: int, partial: int, slowloris: int) -> None:
        self.address = (host, port)
        self.stop = threading.Event()
        self.reopened = 0
        kinds = [(b"GET / HT", b"")] * partial + [(b"", b"")] * (idle - partial)
        kinds += [(b"GET / HTTP/1.1\r\nHost: gia\r\nX-Slow: ", b"a")] * slowloris
        self.threads = [
            threading.Thread(target=self.hold, args=kind, daemon=True) for kind in kinds
        ]

    def __enter__(self) -> Held:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(BYTE_EVERY_SECONDS + 5)

    def hold(self, opening: bytes, trickle: bytes) -> None:
        """Sends ``opening``, then ``trickle`` every few seconds (or nothing, only watching
        for the service to close the connection)."""
        while not self.stop.is_set():
            try:
                with socket.create_connection(self.address, timeout=5) as held:
                    held.settimeout(None)  # blocking: closed() peeks without waiting
                    held.sendall(opening)
                    while not self.stop.wait(BYTE_EVERY_SECONDS):
                        if trickle:
                            held.sendall(trickle)
                        elif closed(held):
                            raise ConnectionResetError
            except OSError:
                self.reopened += 1
                self.stop.wait(0.1)


def closed(held: socket.socket) -> bool:
    """Whether the service closed (or answered, then closed) the connection."""
    try:
        return held.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) is not None
    except BlockingIOError:
        return False


def probe(host: str, port: int, path: str, timings: Timings) -> None:
    started = time.monotonic()
    connection = http.client.HTTPConnection(host, port, timeout=PROBE_TIMEOUT_SECONDS)
    try:
        connection.request("GET", path, headers={"Connection": "close"})
        status = connection.getresponse().status
        if status >= 500:
            timings.errors[str(status)] = timings.errors.get(str(status), 0) + 1
        else:
            timings.seconds.append(time.monotonic() - started)
    except OSError as error:
        name = type(error).__name__
        timings.errors[name] = timings.errors.get(name, 0) + 1
    finally:
        connection.close()


def measure(base: str, held: tuple[int, int, int]) -> tuple[dict[str, Timings], Held]:
    """``held``: idle connections, how many of them sent half a request line, slowloris."""
    url = urllib.parse.urlsplit(base)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    timings = {path: Timings() for path in PATHS}
    with Held(host, port, *held) as clients:
        time.sleep(BYTE_EVERY_SECONDS)  # every slow client is in before the first probe
        until = time.monotonic() + SECONDS
        while time.monotonic() < until:
            for path in PATHS:
                probe(host, port, path, timings[path])
    return timings, clients


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--service", action="append", help="indicators and registration")
    parser.add_argument("--idle", type=int, default=IDLE, help="idle connections")
    parser.add_argument("--partial", type=int, default=PARTIAL, help="idle with half a line")
    parser.add_argument("--slowloris", type=int, default=SLOWLORIS, help="slowloris connections")
    parser.add_argument(
        "--no-direct", action="store_true", help="only through the proxy, not on gunicorn's port"
    )
    args = parser.parse_args()
    services = args.service or ["indicators", "registration"]
    held = (args.idle, args.partial, args.slowloris)
    with running_system("slow") as system, buffering_proxy(system.urls) as proxied:
        for service in services:
            print(
                f"\n{service}: {args.idle} idle ({args.partial} with half a request line) + "
                f"{args.slowloris} slowloris connections "
                f"(a byte every {BYTE_EVERY_SECONDS:.0f} s), probed for {SECONDS:.0f} s",
                flush=True,
            )
            routes = {"through the proxy": proxied[service]}
            if not args.no_direct:
                routes = {"on gunicorn's port": system.urls[service], **routes}
            for route, base in routes.items():
                print(f" {route} ({base})", flush=True)
                timings, clients = measure(base, held)
                for path, found in timings.items():
                    print("  " + found.line(path), flush=True)
                print(f"  held connections closed (and opened again): {clients.reopened}")


if __name__ == "__main__":
    main()
