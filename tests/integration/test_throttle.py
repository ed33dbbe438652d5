"""The throttle counts in the real Redis, shared by every process that names it."""

from __future__ import annotations

import uuid

import pytest
import redis

from shared.problems import TooManyRequests
from shared.throttle import Throttle

pytestmark = pytest.mark.services


def test_two_processes_share_the_count_in_redis(redis_url: str) -> None:
    prefix = f"t{uuid.uuid4().hex[:10]}_"
    one, other = Throttle(redis_url, prefix), Throttle(redis_url, prefix)
    assert [one.hit("3/minute", "login", "a@example.nl") for _ in range(3)] == [0, 0, 0]
    wait = other.hit("3/minute", "login", "a@example.nl")
    assert 0 < wait <= 60
    assert one.wait("3/minute", "login", "a@example.nl") > 0
    assert other.wait("3/minute", "login", "b@example.nl") == 0  # another key counts apart
    one.clear("3/minute", "login", "a@example.nl")
    assert other.wait("3/minute", "login", "a@example.nl") == 0


def test_the_longer_window_makes_the_wait_grow() -> None:
    throttle = Throttle()  # no Redis: this process's memory
    rule = "2/minute;4/hour"
    assert throttle.hit(rule, "k") == 0 and throttle.hit(rule, "k") == 0
    assert 0 < throttle.hit(rule, "k") <= 60  # the minute's window refuses; the hour counts it
    throttle.clear("2/minute", "k")
    assert throttle.hit(rule, "k") == 0  # the fourth of the hour
    assert 60 < throttle.wait(rule, "k") <= 3600  # now the hour's window decides


def test_check_counts_nothing_and_spend_refuses_with_the_wait() -> None:
    throttle = Throttle()
    throttle.check("1/minute", "k", detail="too often")
    throttle.spend("1/minute", "k", detail="too often")
    with pytest.raises(TooManyRequests) as refused:
        throttle.check("1/minute", "k", detail="too often")
    assert refused.value.status == 429 and 0 < refused.value.retry_after <= 60
    assert Throttle().wait("", "k") == 0  # an empty rule never refuses


def test_without_redis_the_throttle_counts_in_memory_instead_of_failing() -> None:
    """A Redis that does not answer (nothing listens on port 1) must not turn a login or a
    form into a server error: the process keeps counting on its own."""
    throttle = Throttle("redis://127.0.0.1:1/0", "down_")
    assert throttle.hit("1/minute", "k") == 0
    assert 0 < throttle.hit("1/minute", "k") <= 60
    with pytest.raises(TooManyRequests):
        throttle.check("1/minute", "k", detail="too often")


def test_redis_keeps_no_address_of_whom_it_counts(redis_url: str) -> None:
    prefix = f"t{uuid.uuid4().hex[:10]}_"
    Throttle(redis_url, prefix).hit("3/minute", "login", "an@example.nl", "192.0.2.7")
    client = redis.Redis.from_url(redis_url)
    try:
        keys = client.keys(f"{prefix}*")
        assert keys and not any(b"example" in key or b"192.0.2" in key for key in keys)
    finally:
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)
