"""Prometheus metrics per app, counted in every worker and served on a port of their own.

The public port has no ``/metrics``: what the service handles and how fast is not for
everyone. Under gunicorn each worker writes its counts to PROMETHEUS_MULTIPROC_DIR and the
master serves their sum (``serve_metrics``, from deploy/gunicorn.conf.py).
"""

from __future__ import annotations

import time

from flask import Flask, Response, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram, multiprocess, start_http_server


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


def serve_metrics(host: str, port: int) -> None:
    """Every worker's metrics, added up, at ``http://host:port/metrics`` from a thread of
    this process (gunicorn's master, which outlives its workers)."""
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    start_http_server(port, addr=host, registry=registry)
