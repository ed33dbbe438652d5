"""Prometheus metrics per app, counted in every worker and served on a port of their own.

The public port has no ``/metrics``: what the service handles and how fast is not for
everyone. Under gunicorn each worker writes its counts to PROMETHEUS_MULTIPROC_DIR and the
master serves their sum (``serve_metrics``, from deploy/gunicorn.conf.py), with the
service's queues beside them (``QueueGauges``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

from flask import Flask, Response, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram, multiprocess, start_http_server
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError

from shared.clock import utcnow
from shared.db import Database
from shared.events.outbox import OutboxMixin, backlog
from shared.mail_queue import MailQueueMixin, count_given_up

log = logging.getLogger(__name__)


def install_metrics(app: Flask, service: str) -> None:
    registry = CollectorRegistry()
    requests = Counter(
        "gia_http_requests_total",
        "HTTP requests answered",
        ["service", "method", "endpoint", "status"],
        registry=registry,
    )
    latency = Histogram(
        "gia_http_request_seconds",
        "Time to answer an HTTP request",
        ["service", "endpoint"],
        registry=registry,
    )

    @app.before_request
    def _start_timer() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def _observe(response: Response) -> Response:
        endpoint = request.endpoint or "unknown"
        requests.labels(service, request.method, endpoint, str(response.status_code)).inc()
        started = g.get("request_started")
        if started is not None:
            latency.labels(service, endpoint).observe(time.perf_counter() - started)
        return response


class QueueGauges(Collector):
    """A service's outbox backlog and given-up mail, read from its database at each scrape.

    Served beside the web service's request metrics rather than by its relay or mail
    worker: a backlog matters most when those are stuck or gone, and then they could not
    tell; it needs no port of its own; and no figure is older than the scrape. Every
    replica reports the same figures, so take ``max by (service)``.
    """

    def __init__(
        self,
        service: str,
        db: Database,
        outbox: type[OutboxMixin] | None,
        mail: type[MailQueueMixin] | None,
    ) -> None:
        self.service = service
        self.db = db
        self.outbox = outbox
        self.mail = mail

    def collect(self) -> Iterator[Metric]:
        try:
            with self.db.transaction() as session:
                pending, oldest = backlog(session, self.outbox) if self.outbox else (0, None)
                given_up = count_given_up(session, self.mail) if self.mail else 0
        except SQLAlchemyError as error:  # the scrape still has the requests; these are absent
            log.warning("queue metrics of %s not read: %s", self.service, error)
            return
        figures = []
        if self.outbox:
            age = (utcnow() - oldest).total_seconds() if oldest else 0.0
            figures += [
                ("gia_outbox_pending", "Events in the outbox not yet published", pending),
                ("gia_outbox_oldest_pending_seconds", "Age of the oldest unpublished event", age),
            ]
        if self.mail:
            figures.append(("gia_mail_given_up", "Queued mail no longer tried", given_up))
        for name, documentation, value in figures:
            gauge = GaugeMetricFamily(name, documentation, labels=["service"])
            gauge.add_metric([self.service], value)
            yield gauge


def serve_metrics(host: str, port: int, *collectors: Collector) -> None:
    """Every worker's metrics, added up, and ``collectors``' at ``http://host:port/metrics``
    from a thread of this process (gunicorn's master, which outlives its workers)."""
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    for collector in collectors:
        registry.register(collector)
    start_http_server(port, addr=host, registry=registry)
