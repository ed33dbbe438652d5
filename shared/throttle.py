"""How often someone may try something: logins, and public forms that send mail.

Attempts are counted per key (an account, a client address, a target e-mail address) in
moving windows. A rule of several windows ("5/minute;10/15 minutes;30/day") makes the wait
grow the longer someone keeps trying. With ``GIA_REDIS_URL`` the counts live in Redis, so
every gunicorn worker and replica shares them; without it (one machine, ``gia run``) they
live in the process's memory.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from shared.problems import TooManyRequests


class Throttle:
    def __init__(self, redis_url: str = "", prefix: str = "gia") -> None:
        if redis_url:
            storage = storage_from_string(redis_url, key_prefix=f"{prefix}throttle")
        else:
            storage = storage_from_string("memory://")
        self._limiter = MovingWindowRateLimiter(storage)

    def wait(self, rule: str, *key: str) -> int:
        """Seconds until ``rule`` allows another attempt for ``key`` (0: now); counts none."""
        return max((self._wait(item, key) for item in _items(rule)), default=0)

    def hit(self, rule: str, *key: str) -> int:
        """Counts an attempt; the seconds to wait when it was one too many (0: allowed)."""
        refused = [item for item in _items(rule) if not self._limiter.hit(item, *key)]
        return max((self._wait(item, key) for item in refused), default=0)

    def check(self, rule: str, *key: str, detail: str) -> None:
        """Raises ``TooManyRequests`` while ``rule`` refuses ``key``; counts nothing."""
        if wait := self.wait(rule, *key):
            raise TooManyRequests(detail, retry_after=wait)

    def spend(self, rule: str, *key: str, detail: str) -> None:
        """Counts an attempt, refused with ``TooManyRequests`` when it is one too many."""
        if wait := self.hit(rule, *key):
            raise TooManyRequests(detail, retry_after=wait)

    def clear(self, rule: str, *key: str) -> None:
        for item in _items(rule):
            self._limiter.clear(item, *key)

    def _wait(self, item: RateLimitItem, key: tuple[str, ...]) -> int:
        if self._limiter.test(item, *key):
            return 0
        reset = self._limiter.get_window_stats(item, *key).reset_time
        return max(1, math.ceil(reset - time.time()))


def _items(rule: str) -> list[RateLimitItem]:
    """A rule in the ``limits`` notation: windows separated by ``;``."""
    return parse_many(rule) if rule.strip() else []
