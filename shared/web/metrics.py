"""Prometheus metrics per app; in gunicorn's multiprocess mode all workers are summed."""

from __future__ import annotations

import os
import time

from flask import Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)


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

    @app.get("/metrics")
    def metrics() -> Response:
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            scrape = CollectorRegistry()
            multiprocess.MultiProcessCollector(scrape)
        else:
            scrape = registry
        return Response(generate_latest(scrape), mimetype=CONTENT_TYPE_LATEST)
