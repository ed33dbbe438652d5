"""How long the relay and the consumers wait before trying the broker or the database again.

The waits double but stop at MAX_BACKOFF_SECONDS, so events written while the broker was
away reach the consumers within seconds of its return; a try costs little (one refused
connection). Each wait is shortened by up to a quarter at random, so the processes that lost
the broker together do not all come back in the same instant.
"""

from __future__ import annotations

import random

MAX_BACKOFF_SECONDS = 2.0


class Backoff:
    def __init__(self, first: float = 0.5) -> None:
        self.first = first
        self._next = first

    def reset(self) -> None:
        """After a success: the next failure waits ``first`` again."""
        self._next = self.first

    def next(self) -> float:
        """The wait after another failure."""
        wait = self._next * random.uniform(0.75, 1.0)
        self._next = min(self._next * 2, MAX_BACKOFF_SECONDS)
        return wait
