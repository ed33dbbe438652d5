"""A connect with fail-over URLs reaches the one node that is up, even when it is the last."""

from __future__ import annotations

import pytest
from kombu import Connection
from kombu.exceptions import OperationalError

from shared.events.topology import tries_per_node
from tests.integration.tcp_proxy import free_port

pytestmark = pytest.mark.services


def nodes(broker: str) -> str:
    """Two nodes nobody listens on, then the real broker."""
    down = [f"amqp://guest:guest@127.0.0.1:{free_port()}//" for _ in range(2)]
    return ";".join([*down, broker])


def test_two_nodes_down_and_the_third_up(service_urls: tuple[str, str]) -> None:
    broker = service_urls[1]
    with Connection(nodes(broker)) as connection:
        connection.ensure_connection(max_retries=tries_per_node(connection), interval_start=0)
        assert connection.connected
    with Connection(nodes(broker)) as connection, pytest.raises(OperationalError):
        connection.ensure_connection(max_retries=1, interval_start=0)  # as it was
