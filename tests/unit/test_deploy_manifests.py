"""docker compose and Kubernetes run the processes the registry derives from the services'
manifests; the erasure runs are hourly CronJobs that run the command once, in a pod like
every other GIA pod."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from gia.registry import MANIFESTS, processes
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
