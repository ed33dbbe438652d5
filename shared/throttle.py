"""How often someone may try something: logins, and public forms that send mail.

Attempts are counted per key (an account, a client address, a target e-mail address) in
moving windows. A rule of several windows ("5/minute;10/15 minutes;30/day") makes the wait
grow the longer someone keeps trying. With ``GIA_REDIS_URL`` the counts live in Redis, so
every gunicorn worker and replica shares them; without it (one machine, ``gia run``) they
live in the process's memory, and so do they while Redis cannot be reached: a throttle that
is down must not take the logins and forms down with it.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable
from typing import TypeVar

from limits import RateLimitItem, parse_many
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from shared.problems import TooManyRequests

log = logging.getLogger(__name__)
T = TypeVar("T")
# A throttle asks Redis on every login and form; an answer slower than this counts as down.
REDIS_TIMEOUT_SECONDS = 0.5


class Throttle:
    def __init__(self, redis_url: str = "", prefix: str = "gia") -> None:
        self._local = MovingWindowRateLimiter(storage_from_string("memory://"))
        self._shared: MovingWindowRateLimiter | None = None
        if redis_url:
            storage = storage_from_string(
                redis_url,
                key_prefix=f"{prefix}throttle",
                wrap_exceptions=True,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            )
            self._shared = MovingWindowRateLimiter(storage)

    def wait(self, rule: str, *key: str) -> int:
        """Seconds until ``rule`` allows another attempt for ``key`` (0: now); counts none."""
        key = _hashed(key)
        return self._counted(
            lambda limiter: max((_wait(limiter, item, key) for item in _items(rule)), default=0)
        )

    def hit(self, rule: str, *key: str) -> int:
        """Counts an attempt; the seconds to wait when it was one too many (0: allowed)."""
        key = _hashed(key)

        def hit_each(limiter: MovingWindowRateLimiter) -> int:
            refused = [item for item in _items(rule) if not limiter.hit(item, *key)]
            return max((_wait(limiter, item, key) for item in refused), default=0)

        return self._counted(hit_each)

    def check(self, rule: str, *key: str, detail: str) -> None:
        """Raises ``TooManyRequests`` while ``rule`` refuses ``key``; counts nothing."""
        if wait := self.wait(rule, *key):
            raise TooManyRequests(detail, retry_after=wait)

    def spend(self, rule: str, *key: str, detail: str) -> None:
        """Counts an attempt, refused with ``TooManyRequests`` when it is one too many."""
        if wait := self.hit(rule, *key):
            raise TooManyRequests(detail, retry_after=wait)

    def clear(self, rule: str, *key: str) -> None:
        key = _hashed(key)

        def clear_each(limiter: MovingWindowRateLimiter) -> None:
            for item in _items(rule):
                limiter.clear(item, *key)

        self._counted(clear_each)

    def _counted(self, count: Callable[[MovingWindowRateLimiter], T]) -> T:
        """``count`` in Redis, or in this process's memory while Redis does not answer."""
        if self._shared is not None:
            try:
                return count(self._shared)
            except StorageError as error:
                log.warning("throttle counts in this process only: Redis failed (%s)", error)
        return count(self._local)


def _wait(limiter: MovingWindowRateLimiter, item: RateLimitItem, key: tuple[str, ...]) -> int:
    if limiter.test(item, *key):
        return 0
    reset = limiter.get_window_stats(item, *key).reset_time
    return max(1, math.ceil(reset - time.time()))


def _hashed(key: tuple[str, ...]) -> tuple[str, ...]:
    """Keys name accounts, client addresses and e-mail addresses: Redis keeps only a hash."""
    return (hashlib.sha256("\x1f".join(key).encode()).hexdigest(),)


def _items(rule: str) -> list[RateLimitItem]:
    """A rule in the ``limits`` notation: windows separated by ``;``."""
    return parse_many(rule) if rule.strip() else []
