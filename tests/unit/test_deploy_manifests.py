"""docker compose and Kubernetes run the processes the registry derives from the services'
manifests; the erasure runs are hourly CronJobs that run the command once, in a pod like
every other GIA pod."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bench.proxy import render, template_variable
from gia import registry
from gia.registry import MANIFESTS, SERVICES, manifest, processes
from shared.events.catalogue import PRODUCERS
from shared.events.dead_letters import BROKER_ROLE
from shared.manifest import Manifest
from shared.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
HOURLY = re.compile(r"^[0-5]?\d \* \* \* \*$")
COMMANDS = {
    "erase-practiceteam": ["gia", "erase", "practiceteam"],
    "erase-indicators": ["gia", "indicators", "erase-addresses"],
    "erase-guide": ["gia", "erase", "guide"],
}


def documents(name: str) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all((K8S / name).read_text()) if doc]


def by_name(name: str, kind: str = "CronJob") -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in documents(name) if doc["kind"] == kind}


def pod_of_cronjob(cronjob: dict[str, Any]) -> dict[str, Any]:
    return cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_erasure_is_an_hourly_cronjob_that_never_overlaps_and_runs_once(name: str) -> None:
    cronjob = by_name("erasure.yaml")[name]
    assert (cronjob["apiVersion"], cronjob["kind"]) == ("batch/v1", "CronJob")
    spec = cronjob["spec"]
    assert HOURLY.match(spec["schedule"]) and spec["concurrencyPolicy"] == "Forbid"
    pod = pod_of_cronjob(cronjob)
    assert pod["restartPolicy"] in ("OnFailure", "Never")
    (container,) = pod["containers"]
    assert container["name"] == "gia" and container["image"] == "gia-platform"
    assert container["command"] == COMMANDS[name]  # once: no --every loop
    labels = spec["jobTemplate"]["spec"]["template"]["metadata"]["labels"]
    assert labels["app.kubernetes.io/name"] == name


def test_no_erasure_is_left_as_a_looping_deployment() -> None:
    kinds = {
        (doc["kind"], doc["metadata"]["name"])
        for file in K8S.glob("*.yaml")
        for doc in documents(file.name)
        if "metadata" in doc
    }
    assert {("CronJob", name) for name in COMMANDS} <= kinds
    assert not {("Deployment", name) for name in COMMANDS} & kinds


def test_the_practiceteam_erasure_mounts_the_documents_where_the_service_keeps_them() -> None:
    pod = pod_of_cronjob(by_name("erasure.yaml")["erase-practiceteam"])
    web = by_name("practiceteam.yaml", "Deployment")["practiceteam"]["spec"]["template"]["spec"]
    assert pod["volumes"] == web["volumes"]
    assert pod["containers"][0]["volumeMounts"] == web["containers"][0]["volumeMounts"]


def test_cronjob_pods_get_the_same_defaults_as_every_other_pod() -> None:
    (deployment_defaults,) = documents("patches/pod-defaults.yaml")
    (cronjob_defaults,) = documents("patches/cronjob-pod-defaults.yaml")
    assert cronjob_defaults["kind"] == "CronJob"
    assert cronjob_defaults["spec"]["jobTemplate"]["spec"] == deployment_defaults["spec"]
    (kustomization,) = documents("kustomization.yaml")
    assert "erasure.yaml" in kustomization["resources"]
    patches = {patch["path"]: patch["target"]["kind"] for patch in kustomization["patches"]}
    assert patches["patches/cronjob-pod-defaults.yaml"] == "CronJob"


def gia_commands(commands: list[list[str]]) -> list[tuple[str, ...]]:
    """The GIA processes, leaving out the one-off migration and the engines."""
    return sorted(
        tuple(command[1:])
        for command in commands
        if command[:1] == ["gia"] and command[1] != "migrate"
    )


def test_compose_runs_every_process_of_the_registry_and_nothing_else() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    commands = [service["command"] for service in compose.values() if "command" in service]
    assert gia_commands(commands) == sorted(process.args for process in processes())


def test_kubernetes_runs_every_process_of_the_registry_a_job_looping_or_as_a_cronjob() -> None:
    containers = [
        container
        for file in K8S.glob("*.yaml")
        for doc in documents(file.name)
        if doc.get("kind") in ("Deployment", "CronJob")
        for container in (
            pod_of_cronjob(doc) if doc["kind"] == "CronJob" else doc["spec"]["template"]["spec"]
        )["containers"]
    ]
    once = {
        (*job.command, "--every", str(job.every)): job.command for m in MANIFESTS for job in m.jobs
    }
    expected = sorted(process.args for process in processes())
    deployed = sorted(
        next((looping for looping, single in once.items() if single == command), command)
        for command in gia_commands([container["command"] for container in containers])
    )
    assert deployed == expected


def workers() -> dict[tuple[str, ...], list[str]]:
    """The registry's worker processes, by their command after ``gia``: their names' words."""
    return {process.args: process.name.split() for process in processes() if process.web is None}


def test_kubernetes_probes_each_worker_with_gia_alive_naming_its_process() -> None:
    for doc in documents("workers.yaml"):
        (container,) = doc["spec"]["template"]["spec"]["containers"]
        probe = container["livenessProbe"]["exec"]["command"]
        assert probe == ["gia", "alive", *workers()[tuple(container["command"][1:])]]


def test_compose_checks_each_worker_with_gia_alive_naming_its_process() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    checks = {
        tuple(service["command"][1:]): service["healthcheck"]["test"]
        for service in compose.values()
        if tuple(service.get("command", [])[1:]) in workers()
    }
    assert checks == {args: ["CMD", "gia", "alive", *words] for args, words in workers().items()}


@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda found: found.name)
def test_prometheus_scrapes_each_web_service_on_its_metrics_port_not_its_public_one(
    manifest: Manifest,
) -> None:
    name = manifest.name.replace("_", "-")
    pod = by_name(f"{name}.yaml", "Deployment")[name]["spec"]["template"]
    ports = {port["name"]: port["containerPort"] for port in pod["spec"]["containers"][0]["ports"]}
    expected = manifest.metrics_port_in(load_settings({"GIA_SECRET_KEY": "k"}))
    assert ports["metrics"] == expected != ports["http"]
    annotations = pod["metadata"]["annotations"]
    assert annotations["prometheus.io/port"] == str(expected)
    assert annotations["prometheus.io/path"] == "/metrics"


# -- who may send what on RabbitMQ ----------------------------------------------------------

DEFINITIONS = json.loads((ROOT / "deploy" / "rabbitmq" / "definitions.json").read_text())
USERS = {f"gia-{name.replace('_', '-')}": name for name in SERVICES}
# Besides the services' own users, the one that looks after parked messages.
BROKER_USERS = {**USERS, f"gia-{BROKER_ROLE.replace('_', '-')}": BROKER_ROLE}


def permissions_of(user: str) -> dict[str, str]:
    (found,) = (p for p in DEFINITIONS["permissions"] if p["user"] == user)
    return found


def topic_write(user: str) -> str:
    """The routing keys the user may publish on gia.events; none without a topic permission."""
    found = [
        t["write"]
        for t in DEFINITIONS["topic_permissions"]
        if t["user"] == user and t["exchange"] == "gia.events"
    ]
    return found[0] if found else "^$"


def test_every_service_has_a_user_that_configures_nothing() -> None:
    assert USERS.keys() <= {user["name"] for user in DEFINITIONS["users"]}
    for user in USERS:
        assert permissions_of(user)["configure"] == "^$"


@pytest.mark.parametrize("event_type", sorted(PRODUCERS))
def test_only_the_producer_may_publish_a_type_and_only_a_relay_publishes_at_all(
    event_type: str,
) -> None:
    producer = PRODUCERS[event_type]
    may = {
        service
        for user, service in USERS.items()
        if re.search(permissions_of(user)["write"], "gia.events")
        and re.search(topic_write(user), event_type)
    }
    relayed = manifest(producer).outbox is not None
    assert may == ({producer} if relayed else set())


def test_each_consumer_may_read_its_own_queue_alone_and_park_on_the_dead_exchange() -> None:
    queues = [queue["name"] for queue in DEFINITIONS["queues"]]
    for user, service in USERS.items():
        permissions = permissions_of(user)
        readable = {queue for queue in queues if re.search(permissions["read"], queue)}
        consumes = manifest(service).consumer is not None
        assert readable == ({f"{service}.events"} if consumes else set())
        assert bool(re.search(permissions["write"], "gia.dead")) is consumes


def test_the_definitions_declare_the_topology_the_application_declares() -> None:
    topology = registry.topology(
        load_settings({"GIA_BROKER_URL": "amqp://", "GIA_SECRET_KEY": "k"})
    )
    exchanges = {(e["name"], e["type"], e["durable"]) for e in DEFINITIONS["exchanges"]}
    assert exchanges == {(e.name, e.type, e.durable) for e in (topology.events, topology.dead)}
    queues = {q["name"]: q["arguments"] for q in DEFINITIONS["queues"]}
    assert queues == {q.name: q.queue_arguments or {} for q in topology.all_queues()}
    bindings = {(b["source"], b["destination"], b["routing_key"]) for b in DEFINITIONS["bindings"]}
    assert bindings == {
        (b.exchange.name, queue.name, b.routing_key)
        for queue in topology.queues.values()
        for b in queue.bindings
    } | {(topology.dead.name, q.name, q.routing_key) for q in topology.dead_queues.values()}


def test_what_a_consumer_parks_reaches_its_own_dead_queue_alone() -> None:
    topology = registry.topology(
        load_settings({"GIA_BROKER_URL": "amqp://", "GIA_SECRET_KEY": "k"})
    )
    for name, queue in topology.queues.items():
        arguments = queue.queue_arguments or {}
        parked_under = arguments["x-dead-letter-routing-key"]
        assert [d for d in topology.dead_queues.values() if d.routing_key == parked_under] == [
            topology.dead_queues[name]
        ]
        # at-least-once needs reject-publish; RabbitMQ falls back to at-most-once without it
        assert arguments["x-dead-letter-strategy"] == "at-least-once"
        assert arguments["x-overflow"] == "reject-publish"
        assert (topology.dead_queues[name].queue_arguments or {})["x-queue-type"] == "quorum"


def test_the_dead_letters_user_reads_the_dead_queues_alone_and_may_replay_every_type() -> None:
    """Only it may publish every type again; no service's own user reads a dead queue."""
    user = next(user for user, role in BROKER_USERS.items() if role == BROKER_ROLE)
    permissions = permissions_of(user)
    queues = [queue["name"] for queue in DEFINITIONS["queues"]]
    dead = {f"{service}.dead" for service in SERVICES if manifest(service).consumer}
    assert {queue for queue in queues if re.search(permissions["read"], queue)} == dead
    assert permissions["configure"] == "^$"
    assert re.search(permissions["write"], "gia.events")
    assert not re.search(permissions["write"], "gia.dead")
    assert all(re.search(topic_write(user), event_type) for event_type in PRODUCERS)
    for service_user in USERS:
        assert not any(re.search(permissions_of(service_user)["read"], queue) for queue in dead)


def test_kubernetes_makes_the_same_users_permissions_and_topology() -> None:
    made: dict[str, list[dict[str, Any]]] = {}
    for doc in documents("rabbitmq.yaml"):
        made.setdefault(doc["kind"], []).append(doc["spec"])
    assert {user["importCredentialsSecret"]["name"] for user in made["User"]} == {
        user.replace("gia-", "gia-broker-") for user in BROKER_USERS
    }
    assert {
        (p["userReference"]["name"], *p["permissions"].values()) for p in made["Permission"]
    } == {
        (p["user"], p["configure"], p["write"], p["read"])
        for p in DEFINITIONS["permissions"]
        if p["user"] in BROKER_USERS
    }
    assert {
        (p["userReference"]["name"], *p["permissions"].values()) for p in made["TopicPermission"]
    } == {
        (t["user"], t["exchange"], t["write"], t["read"]) for t in DEFINITIONS["topic_permissions"]
    }
    assert {q["name"]: q.get("arguments", {}) for q in made["Queue"]} == {
        q["name"]: {k: v for k, v in q["arguments"].items() if k != "x-queue-type"}
        for q in DEFINITIONS["queues"]
    }
    assert {(b["source"], b["destination"], b["routingKey"]) for b in made["Binding"]} == {
        (b["source"], b["destination"], b["routing_key"]) for b in DEFINITIONS["bindings"]
    }


def broker_urls(environment: dict[str, Any]) -> set[str]:
    return {name for name in environment if name.endswith("BROKER_URL")}


def own_broker_url(command: list[str]) -> set[str]:
    """Relays, consumers and the web servers whose readiness asks the broker connect to it,
    each as its service's user, and the web server whose staff replay parked messages as the
    dead-letters user too; nothing else does."""
    verb, service = [*command[1:3], "", ""][:2]
    urls = set()
    if verb in ("relay", "consume") or (verb == "serve" and manifest(service).consumer):
        urls.add(f"GIA_{service.upper()}_BROKER_URL")
    if verb == "serve" and manifest(service).dead_letters:
        urls.add(f"GIA_{BROKER_ROLE.upper()}_BROKER_URL")
    return urls


def role_of(variable: str) -> str:
    """The service (or dead_letters) of GIA_<ROLE>_BROKER_URL."""
    return variable.removeprefix("GIA_").removesuffix("_BROKER_URL").lower()


def test_compose_connects_each_process_as_its_services_user_and_never_as_guest() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    assert "guest" not in text
    for name, service in yaml.safe_load(text)["services"].items():
        environment = service.get("environment") or {}
        own = own_broker_url(service.get("command", []))
        assert broker_urls(environment) == own, name
        for variable in own:
            user = environment[variable].split("//")[1].split(":")[0]
            assert BROKER_USERS[user] == role_of(variable), name


def test_kubernetes_gives_each_pod_only_its_own_broker_user() -> None:
    assert "guest" not in "".join(file.read_text() for file in K8S.rglob("*.yaml"))
    assert not broker_urls(documents("secret.example.yaml")[0]["stringData"])
    for file in K8S.glob("*.yaml"):
        for doc in documents(file.name):
            if doc.get("kind") != "Deployment":
                continue
            (container,) = doc["spec"]["template"]["spec"]["containers"]
            secrets = {
                env["name"]: env["valueFrom"]["secretKeyRef"]["name"]
                for env in container.get("env", [])
                if "valueFrom" in env
            }
            assert broker_urls(secrets) == own_broker_url(container["command"]), file.name
            for variable in broker_urls(secrets):
                assert secrets[variable] == f"gia-broker-{role_of(variable).replace('_', '-')}"


def test_redis_and_the_proxy_settings_run_in_compose_and_kubernetes() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert compose["redis"]["image"].startswith("redis:") and compose["redis"]["healthcheck"]
    for service in compose.values():
        if service.get("command", [])[:2] == ["gia", "serve"]:
            environment = service["environment"]
            assert environment["GIA_REDIS_URL"] == "redis://redis:6379/0"
            assert "always" in environment["GIA_SECURE_COOKIES"]
            # the proxy is the one hop in front (test below)
            assert environment["GIA_PROXY_HOPS"] == "${GIA_PROXY_HOPS:-1}"
    (config,) = documents("configmap.yaml")
    assert config["data"]["GIA_REDIS_URL"] == "redis://redis:6379/0"
    assert (config["data"]["GIA_SECURE_COOKIES"], config["data"]["GIA_PROXY_HOPS"]) == (
        "always",
        "1",
    )
    kinds = {(doc["kind"], doc["metadata"]["name"]) for doc in documents("redis.yaml")}
    assert {("StatefulSet", "redis"), ("Service", "redis")} <= kinds
    (kustomization,) = documents("kustomization.yaml")
    assert {"redis.yaml", "rabbitmq.yaml"} <= set(kustomization["resources"])


def test_in_compose_clients_reach_each_service_only_through_the_buffering_proxy() -> None:
    """Published ports belong to the proxy alone: a port of a service's own would let a
    client past the proxy, and forge the X-Forwarded-For the service trusts."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    web = {
        name: service
        for name, service in compose.items()
        if service.get("command", [])[:2] == ["gia", "serve"]
    }
    assert len(web) == len(SERVICES) and not any("ports" in service for service in web.values())
    proxy = compose["proxy"]
    assert proxy["image"].startswith("nginx:")
    assert (
        "./deploy/nginx/gia.conf.template:/etc/nginx/templates/gia.conf.template:ro"
        in (proxy["volumes"])
    )
    published = sorted(port.split(":", 1)[1] for port in proxy["ports"])
    for name, service in web.items():
        served = service["command"][2]
        port = service["environment"]["PORT"]
        assert proxy["environment"][template_variable(served, "UPSTREAM")] == f"{name}:{port}"
        assert proxy["environment"][template_variable(served, "LISTEN")] == port
        assert f"{port}:{port}" in published
        assert proxy["depends_on"][name] == {"condition": "service_healthy"}
    listen = {name: proxy["environment"][template_variable(name, "LISTEN")] for name in SERVICES}
    rendered = render(listen, {name: f"{name}-upstream:80" for name in SERVICES})
    for name in SERVICES:
        assert f"listen {listen[name]};" in rendered
        assert f"proxy_pass http://{name}-upstream:80;" in rendered
