"""The buffering proxy of docker compose (deploy/nginx/gia.conf.template), run on this host.

Compose renders the template with the nginx image's envsubst; here the same template is
filled in with ``string.Template`` (``${NAME}`` only: nginx's own ``$name`` variables are
not in the mapping and stay as they are) and nginx runs from a scratch directory of its
own, so the benches and tests measure exactly what compose deploys. Needs the ``nginx``
binary (Debian: ``apt-get install nginx``; ``make slow-clients`` installs it).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from string import Template

from bench.registration_rush import HOST, free_port

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "deploy" / "nginx" / "gia.conf.template"
START_TIMEOUT_SECONDS = 10.0

# What the nginx image's own nginx.conf gives compose around the template; temporary
# files in the scratch directory instead of /var/lib/nginx.
MAIN = """\
daemon off;
worker_processes 1;
pid {scratch}/nginx.pid;
events {{ worker_connections 4096; }}
http {{
    client_body_temp_path {scratch}/body;
    proxy_temp_path {scratch}/proxy;
    fastcgi_temp_path {scratch}/fastcgi;
    uwsgi_temp_path {scratch}/uwsgi;
    scgi_temp_path {scratch}/scgi;
    include {scratch}/gia.conf;
}}
"""


def nginx_binary() -> str | None:
    """Debian puts nginx in /usr/sbin, which is not on every user's PATH."""
    return shutil.which("nginx") or shutil.which("/usr/sbin/nginx")


def template_variable(service: str, part: str) -> str:
    """``GIA_PROXY_<SERVICE>_LISTEN`` or ``_UPSTREAM``, as the template and compose name them."""
    return f"GIA_PROXY_{service.upper()}_{part}"


def render(listen: Mapping[str, str], upstream: Mapping[str, str]) -> str:
    """The template with each service's listen address and upstream ``host:port``."""
    values = {template_variable(name, "LISTEN"): address for name, address in listen.items()}
    values |= {template_variable(name, "UPSTREAM"): address for name, address in upstream.items()}
    text = Template(TEMPLATE.read_text()).safe_substitute(values)
    if "${GIA_PROXY_" in text:
        raise ValueError("the proxy template names a service that was not given")
    return text


@contextmanager
def buffering_proxy(upstreams: Mapping[str, str]) -> Iterator[dict[str, str]]:
    """nginx in front of each service's base URL (``http://host:port``); yields the
    proxy's base URL per service, and stops nginx and removes its files afterwards."""
    nginx = nginx_binary()
    if nginx is None:
        raise RuntimeError("needs nginx (Debian: apt-get install nginx)")
    scratch = Path(tempfile.mkdtemp(prefix="gia-proxy-"))
    # nginx's workers drop root for "nobody", who must reach the temporary folders.
    scratch.chmod(0o755)
    listen = {name: f"{HOST}:{free_port()}" for name in upstreams}
    upstream = {name: url.split("://", 1)[-1].rstrip("/") for name, url in upstreams.items()}
    (scratch / "gia.conf").write_text(render(listen, upstream))
    (scratch / "nginx.conf").write_text(MAIN.format(scratch=scratch))
    command = [nginx, "-p", str(scratch), "-c", str(scratch / "nginx.conf"), "-e", "stderr"]
    log = (scratch / "nginx.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_listening(process, list(listen.values()), scratch / "nginx.log")
        yield {name: f"http://{address}" for name, address in listen.items()}
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(scratch, ignore_errors=True)


def _wait_until_listening(
    process: subprocess.Popen[bytes], addresses: list[str], log: Path
) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    waiting = list(addresses)
    while waiting:
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"nginx did not start:\n{log.read_text(errors='replace')}")
        host, port = waiting[0].rsplit(":", 1)
        try:
            socket.create_connection((host, int(port)), timeout=1).close()
            waiting.pop(0)
        except OSError:
            time.sleep(0.05)
