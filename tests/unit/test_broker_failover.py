"""With fail-over URLs a connect tries every broker node before it counts as failed."""

from __future__ import annotations

import pytest
from kombu import Connection

from shared.events.topology import tries_per_node


@pytest.mark.parametrize(
    ("url", "tries"),
    [
        ("amqp://guest:guest@127.0.0.1:5672//", 1),
        ("amqp://a:5701//;amqp://b:5702//;amqp://c:5703//", 3),
    ],
)
def test_a_connect_may_try_each_node_once(url: str, tries: int) -> None:
    assert tries_per_node(Connection(url)) == tries
