"""Publishing a batch and waiting once for the broker to confirm all of it.

Waiting for each message's confirm (kombu's ``confirm_publish``) costs a round
trip per message; here the confirms of a whole batch come back together. A
batch counts as sent only when every message in it was acknowledged, so a nack,
a timeout or a lost connection leaves the caller's rows pending to try again.
The file broker of the embedded default has no confirms: its writes are done
when ``publish`` returns.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kombu import Connection, Exchange, Producer

from shared.events.envelope import CONTENT_TYPE


class NotConfirmed(ConnectionError):
    """The broker refused a message or did not confirm it in time."""


@dataclass(frozen=True)
class Outgoing:
    body: bytes
    routing_key: str
    message_id: str | None = None
    headers: dict[str, Any] = field(default_factory=dict)
    content_type: str = CONTENT_TYPE
    content_encoding: str | None = "utf-8"


class ConfirmedPublisher:
    def __init__(self, connection: Connection, exchange: Exchange, timeout: float = 15.0) -> None:
        self.connection = connection
        self.timeout = timeout
        channel = connection.channel()
        # The topology is declared at start, as far as this process's broker user may.
        self.producer = Producer(channel, exchange=exchange, auto_declare=False)
        self.confirms = hasattr(channel, "confirm_select")
        self._sequence = 0
        self._unconfirmed: set[int] = set()
        self._refused = 0
        if self.confirms:
            channel.confirm_select()
            channel.events["basic_ack"].add(self._on_ack)
            channel.events["basic_nack"].add(self._on_nack)

    def _settle(self, tag: int, multiple: bool) -> int:
        settled = {t for t in self._unconfirmed if t <= tag} if multiple else {tag}
        settled &= self._unconfirmed
        self._unconfirmed -= settled
        return len(settled)

    def _on_ack(self, tag: int, multiple: bool) -> None:
        self._settle(tag, multiple)

    def _on_nack(self, tag: int, multiple: bool) -> None:
        self._refused += self._settle(tag, multiple)

    def publish(self, messages: Iterable[Outgoing]) -> int:
        """Publish persistently and return how many, once the broker confirmed them all."""
        count = 0
        for message in messages:
            self.producer.publish(
                message.body,
                routing_key=message.routing_key,
                delivery_mode=2,
                content_type=message.content_type,
                content_encoding=message.content_encoding,
                message_id=message.message_id,
                headers=message.headers or None,
            )
            count += 1
            if self.confirms:
                self._sequence += 1
                self._unconfirmed.add(self._sequence)
        self._wait_for_confirms()
        return count

    def _wait_for_confirms(self) -> None:
        deadline = time.monotonic() + self.timeout
        while self._unconfirmed:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise NotConfirmed(f"{len(self._unconfirmed)} message(s) not confirmed in time")
            try:
                self.connection.drain_events(timeout=remaining)
            except TimeoutError:
                continue
        if self._refused:
            refused, self._refused = self._refused, 0
            raise NotConfirmed(f"the broker refused {refused} message(s)")
