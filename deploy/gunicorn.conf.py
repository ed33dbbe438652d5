"""Gunicorn settings for every GIA web service, all read from the environment.

``gia serve SERVICE`` starts gunicorn with this file and the target ``gia.wsgi:app``
(the app of the service in ``GIA_SERVICE``); only the variables below change its behaviour,
so the same image runs in docker compose and on Kubernetes.
"""

from __future__ import annotations

import os
from importlib.util import find_spec
from pathlib import Path


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _cpus() -> int:
    """CPUs this process may really use: its affinity, capped by a cgroup v2 CPU quota."""
    count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()
        if quota != "max":
            count = min(count or 1, max(1, -(-int(quota) // int(period))))
    except (OSError, ValueError):
        pass
    return count or 1


# GIA_BIND wins; otherwise the platform's PORT (``gia serve`` sets the service's
# default port, 5001..5004, when PORT is unset).
bind = [os.environ.get("GIA_BIND") or f"0.0.0.0:{os.environ.get('PORT') or 8000}"]

# The usual 2 * cores + 1, counted from the container's CPU quota rather than the
# host's cores, and capped: every worker holds its own database connection pool,
# and PostgreSQL's max_connections is shared by all services and replicas.
workers = _int("GIA_WEB_WORKERS", min(2 * _cpus() + 1, 8))
# 1 keeps the plain sync worker; more than 1 switches gunicorn to gthread.
threads = _int("GIA_WEB_THREADS", 1)

# A request that runs longer than this is stuck (no page or API call here should
# take seconds): the worker is killed and replaced.
timeout = _int("GIA_WEB_TIMEOUT", 30)
# Time for in-flight requests on SIGTERM; keep it below the orchestrator's grace
# period (Kubernetes: terminationGracePeriodSeconds, compose: stop_grace_period).
graceful_timeout = _int("GIA_WEB_GRACEFUL_TIMEOUT", 25)
# Keep-alive only matters with threads > 1; behind a load balancer it should be
# longer than the balancer's idle timeout, or it closes connections the balancer
# still wants to reuse (sporadic 502s).
keepalive = _int("GIA_WEB_KEEPALIVE", 5)

# Recycle workers now and then so slow leaks never grow; the jitter keeps them
# from all restarting at the same moment.
max_requests = _int("GIA_WEB_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GIA_WEB_MAX_REQUESTS_JITTER", max_requests // 10)

# Workers import the app after the fork, so database engines and broker
# connections are never shared between processes.
preload_app = False

# Gunicorn 25+ opens a control socket under $HOME by default; in a container
# nobody uses it (scale with GIA_WEB_WORKERS and replicas) and the root
# filesystem may be read-only. Older gunicorns ignore the unknown setting.
control_socket_disable = True

# The worker heartbeat file: on a disk-backed /tmp a slow disk can make the master
# think a worker hangs; /dev/shm is memory.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Who the client is and whether it came over HTTPS is read by the app alone, from
# the GIA_PROXY_HOPS proxies in front (werkzeug's ProxyFix, shared/web/headers.py).
# gunicorn would otherwise take X-Forwarded-Proto from any peer in
# forwarded_allow_ips as well, and the two could disagree (with hops 0 the app
# trusts no proxy; with "*" here gunicorn trusts every peer): it reads no scheme
# header. forwarded_allow_ips now only gates gunicorn's other forwarded headers.
secure_scheme_headers: dict[str, str] = {}
forwarded_allow_ips = os.environ.get("GIA_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Tight limits on the request head; bodies are limited by the app (GIA_MAX_BODY_BYTES).
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

# The app writes one JSON access line per request (logger gia.access: request id,
# method, path without its query, status, duration_ms; shared/web/logs.py);
# gunicorn's access log would duplicate them. GIA_WEB_ACCESS_LOG=- turns it on (stdout).
accesslog = os.environ.get("GIA_WEB_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GIA_LOG_LEVEL", "info").lower()
proc_name = "gia-" + os.environ.get("GIA_SERVICE", "web")

# Gunicorn's own lines as JSON too, so log collectors parse one format. (Any
# logconfig_dict makes gunicorn log access lines, so the access logger is muted
# here unless GIA_WEB_ACCESS_LOG asked for it.)
if find_spec("pythonjsonlogger") is not None:
    _json = {"class": "logging.StreamHandler", "formatter": "json"}
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            }
        },
        "handlers": {
            "error": {**_json, "stream": "ext://sys.stderr"},
            "access": {**_json, "stream": "ext://sys.stdout"},
        },
        "root": {"level": loglevel.upper(), "handlers": ["error"]},
        "loggers": {
            "gunicorn.error": {
                "level": loglevel.upper(),
                "handlers": ["error"],
                "propagate": False,
            },
            "gunicorn.access": {
                "level": "INFO" if accesslog else "WARNING",
                "handlers": ["access"] if accesslog else [],
                "propagate": False,
            },
        },
    }


# Metrics are served by the master on a port of their own, GIA_METRICS_PORT, on
# the host the service is bound to; the public port has no /metrics. ``gia serve``
# and ``gia run`` set it (the service's port + 4000 unless GIA_<SERVICE>_METRICS_PORT
# says otherwise) and PROMETHEUS_MULTIPROC_DIR (var/metrics/<service> unless set),
# where every worker writes its metrics for the master to add up
# (MultiProcessCollector); the directory must start empty and dead workers' files
# must be marked, which these hooks do. Without both: no metrics server. The master
# also reads the service's outbox backlog and given-up mail from its database at each
# scrape (gia.metrics).
metrics_port = _int("GIA_METRICS_PORT", 0)


def on_starting(server) -> None:  # type: ignore[no-untyped-def]
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for stale in Path(directory).glob("*.db"):
            stale.unlink(missing_ok=True)


def child_exit(server, worker) -> None:  # type: ignore[no-untyped-def]
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def when_ready(server) -> None:  # type: ignore[no-untyped-def]
    if not (metrics_port and os.environ.get("PROMETHEUS_MULTIPROC_DIR")):
        return
    from gia.metrics import serve_service_metrics

    host = bind[0].rpartition(":")[0].strip("[]")
    try:
        serve_service_metrics(host, metrics_port)
    except OSError as error:  # the service itself still runs; the scrape will notice
        server.log.error("metrics not served on %s:%s: %s", host, metrics_port, error)
