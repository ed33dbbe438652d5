"""Liveness of the worker processes: each loop touches a file as it goes round, and
``gia alive`` fails once that file has not been touched for too long.

A file rather than a health port: the workers have no port to spare (under ``gia run`` they
share one host), the probe needs nothing in the worker to answer it, and a loop blocked
anywhere (a socket without a timeout, a lock wait) stops touching the file, where a server
thread of its own would go on answering.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from shared.settings import Settings

# The file is touched at most this often, and a waiting loop wakes this often to touch it.
HEARTBEAT_SECONDS = 1.0


def heartbeat_path(var_dir: Path, process: str) -> Path:
    """Where the process named ``process`` (its ``GIA_PROCESS``) leaves its heartbeat."""
    return var_dir / "heartbeats" / process


def heartbeat_age(path: Path) -> float | None:
    """Seconds since the heartbeat at ``path``; None when there has been none."""
    try:
        return time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return None


class Heartbeat:
    def __init__(self, path: Path | None) -> None:
        """``path`` None: a loop run by a test or a command that nobody probes."""
        self.path = path
        self._last = -HEARTBEAT_SECONDS

    @classmethod
    def of_process(cls, settings: Settings) -> Heartbeat:
        return cls(heartbeat_path(settings.var_dir, settings.process))

    def beat(self) -> None:
        """The loop goes round; called as often as it likes."""
        now = time.monotonic()
        if self.path is None or now - self._last < HEARTBEAT_SECONDS:
            return
        self._last = now
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.touch()

    def wait(self, stop: threading.Event, seconds: float) -> bool:
        """``stop.wait(seconds)`` that goes on beating, since waiting is not being stuck."""
        deadline = time.monotonic() + seconds
        while True:
            self.beat()
            left = deadline - time.monotonic()
            if left <= 0:
                return stop.is_set()
            if stop.wait(min(left, HEARTBEAT_SECONDS)):
                return True


NO_HEARTBEAT = Heartbeat(None)
