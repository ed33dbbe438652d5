"""Three RabbitMQ nodes clustered on this machine, for a bench that stops one of them.

Every node has a name (``gia-fault-N@localhost``), AMQP and distribution ports, data, log,
config and plugin files of its own under one scratch directory, and the Erlang cookie in that
directory's HOME, so the machine's own broker (``rabbit@localhost`` on 5672) is never touched;
only epmd is shared, as Erlang means it to be. Everything is stopped and removed on leaving,
also after Ctrl-C or an error.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Debian's /usr/sbin wrappers switch to the rabbitmq user, with its HOME (its cookie) and
# /var/log/rabbitmq; the scripts they wrap take this bench's own environment as it is.
SCRIPTS = Path("/usr/lib/rabbitmq/bin")
FIRST_AMQP_PORT = 5701
FIRST_DIST_PORT = 25701
START_TIMEOUT_SECONDS = 90.0
STOP_TIMEOUT_SECONDS = 60.0


def script(name: str) -> str:
    """``rabbitmq-server`` or ``rabbitmqctl`` itself, not a wrapper that changes user."""
    direct = SCRIPTS / name
    found = str(direct) if direct.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} is not installed (apt-get install rabbitmq-server)")
    return found


def port_free(port: int) -> bool:
    """Free for a listener: a connection of a previous run in TIME_WAIT does not count."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@dataclass(frozen=True)
class Node:
    number: int
    amqp_port: int
    dist_port: int
    base: Path

    @property
    def name(self) -> str:
        return f"gia-fault-{self.number}@localhost"

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.amqp_port}//"


class Cluster:
    """The nodes, the ``rabbitmq-server`` process of each one that runs, and ``rabbitmqctl``."""

    def __init__(self, scratch: Path, size: int = 3) -> None:
        self.scratch = scratch
        self.home = scratch / "home"
        self.nodes = [
            Node(n, FIRST_AMQP_PORT + n - 1, FIRST_DIST_PORT + n - 1, scratch / f"node{n}")
            for n in range(1, size + 1)
        ]
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    @property
    def broker_url(self) -> str:
        """kombu's fail-over form: every node's URL, separated by ``;``."""
        return ";".join(node.url for node in self.nodes)

    def node(self, name: str) -> Node:
        return next(node for node in self.nodes if node.name == name)

    # -- files and environment --------------------------------------------------------------

    def prepare(self) -> None:
        """The shared cookie (owner-only, or Erlang refuses it) and each node's files."""
        taken = [
            port
            for node in self.nodes
            for port in (node.amqp_port, node.dist_port)
            if not port_free(port)
        ]
        if taken:
            raise SystemExit(f"ports in use, is another fault run going? {taken}")
        self.home.mkdir(parents=True)
        cookie = self.home / ".erlang.cookie"
        cookie.write_text("".join(secrets.choice(string.ascii_uppercase) for _ in range(32)))
        cookie.chmod(0o400)
        (self.scratch / "rabbitmq-env.conf").write_text("")  # not /etc/rabbitmq's NODENAME
        (self.scratch / "enabled_plugins").write_text("[].\n")  # no management listener
        for node in self.nodes:
            node.base.mkdir()
            (node.base / "rabbitmq.conf").write_text(
                f"listeners.tcp.1 = 127.0.0.1:{node.amqp_port}\ndisk_free_limit.absolute = 50MB\n"
            )

    def env(self, node: Node | None = None) -> dict[str, str]:
        """For the server of ``node``, or for ``rabbitmqctl`` (the cookie in HOME is enough)."""
        env = {key: value for key, value in os.environ.items() if not key.startswith("RABBITMQ_")}
        env.update(
            HOME=str(self.home),
            RABBITMQ_CONF_ENV_FILE=str(self.scratch / "rabbitmq-env.conf"),
            ERL_EPMD_ADDRESS="127.0.0.1",
        )
        if node is not None:
            env.update(
                RABBITMQ_NODENAME=node.name,
                RABBITMQ_NODE_IP_ADDRESS="127.0.0.1",
                RABBITMQ_NODE_PORT=str(node.amqp_port),
                RABBITMQ_DIST_PORT=str(node.dist_port),
                RABBITMQ_MNESIA_BASE=str(node.base / "mnesia"),
                RABBITMQ_LOG_BASE=str(node.base / "log"),
                RABBITMQ_CONFIG_FILE=str(node.base / "rabbitmq.conf"),
                RABBITMQ_ENABLED_PLUGINS_FILE=str(self.scratch / "enabled_plugins"),
                RABBITMQ_PID_FILE=str(node.base / "pid"),
                RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}",
            )
        return env

    # -- nodes ---------------------------------------------------------------------------

    def ctl(
        self, node: Node, *args: str, timeout: float = 60.0
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [script("rabbitmqctl"), "-n", node.name, *args],
            env=self.env(),
            cwd=self.scratch,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def launch(self, node: Node) -> None:
        """``rabbitmq-server`` in a session of its own, so Ctrl-C reaches only the bench."""
        with (node.base / "server.log").open("ab") as log:
            self.processes[node.name] = subprocess.Popen(
                [script("rabbitmq-server")],
                env=self.env(node),
                cwd=node.base,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_running(self, node: Node) -> None:
        """Until the node's rabbit application runs; ``await_startup`` fails at once while
        the node has not yet registered with epmd, so it is asked again."""
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        process = self.processes[node.name]
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"{node.name} stopped while starting:\n{self.log_tail(node)}")
            if self.ctl(node, "await_startup", "--timeout", "10", timeout=30).returncode == 0:
                return
            time.sleep(0.5)
        raise SystemExit(f"{node.name} not running after {START_TIMEOUT_SECONDS:.0f} s")

    def start(self, node: Node) -> None:
        self.launch(node)
        self.wait_running(node)

    def stop(self, node: Node) -> None:
        """``rabbitmqctl stop`` halts the node; its server process ends with it."""
        process = self.processes.pop(node.name, None)
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.ctl(node, "stop", timeout=STOP_TIMEOUT_SECONDS)
        try:
            process.wait(STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def form(self) -> None:
        """Start every node, then join the others to the first as an operator would."""
        for node in self.nodes:
            self.launch(node)
        for node in self.nodes:
            self.wait_running(node)
        first = self.nodes[0]
        for node in self.nodes[1:]:
            for step in (("stop_app",), ("join_cluster", first.name), ("start_app",)):
                done = self.ctl(node, *step)
                if done.returncode:
                    raise SystemExit(f"{node.name} {step[0]}: {done.stdout}{done.stderr}")
        running = self.running_nodes()
        if running != {node.name for node in self.nodes}:
            raise SystemExit(f"the cluster runs only {sorted(running)}")

    def running_nodes(self) -> set[str]:
        answer = self.ctl(self.up(), "cluster_status", "--formatter", "json")
        return set(json.loads(answer.stdout)["running_nodes"])

    def up(self) -> Node:
        """A node whose server runs, to ask about the cluster."""
        for node in self.nodes:
            process = self.processes.get(node.name)
            if process is not None and process.poll() is None:
                return node
        raise SystemExit("no node of the cluster runs")

    def queues(self) -> dict[str, dict[str, Any]]:
        """Every queue by name: its type, and for a quorum queue its leader and members, as
        ``rabbitmqctl list_queues`` gives them."""
        answer = self.ctl(
            self.up(), "list_queues", "name", "type", "leader", "members", "--formatter", "json"
        )
        if answer.returncode:
            raise SystemExit(f"list_queues: {answer.stdout}{answer.stderr}")
        return {row["name"]: row for row in json.loads(answer.stdout)}

    def queue(self, name: str) -> tuple[str, list[str]]:
        """The quorum queue's leader and members."""
        found = self.queues().get(name)
        if found is None or found["type"] != "quorum":
            raise SystemExit(f"no quorum queue {name}: {found}")
        return found["leader"], sorted(found["members"])

    def log_tail(self, node: Node, size: int = 3000) -> str:
        path = node.base / "server.log"
        return path.read_text(errors="replace")[-size:] if path.exists() else ""

    def close(self) -> None:
        for node in self.nodes:
            self.stop(node)


@contextmanager
def three_node_cluster(scratch: Path) -> Iterator[Cluster]:
    """The cluster formed for the ``with`` block; stopped and its directory removed after."""
    cluster = Cluster(scratch)
    try:
        cluster.prepare()
        cluster.form()
        yield cluster
    finally:
        cluster.close()
        shutil.rmtree(scratch, ignore_errors=True)
