"""The composition root: everything it runs follows from the services' manifests, and the
arrows between the packages hold (import-linter's contracts in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Blueprint

from gia.cli import build_cli
from gia.registry import MANIFESTS, SERVICES, processes
from gia.supervisor import children
from shared.manifest import Job, resolve
from shared.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# A small service that exists only here, on registration's code: an outbox, one periodic job
# and a port of its own, no mail.
LIBRARY = replace(
    MANIFESTS[0],
    name="library",
    port=5099,
    mail=None,
    seed=None,
    jobs=(Job(("shelve", "library"), MANIFESTS[0].jobs[0].run, 60, "{} shelved", "Shelve."),),
)


def test_the_registry_lists_the_five_services_with_their_processes() -> None:
    assert SERVICES == ("registration", "practiceteam", "essay_contest", "indicators", "guide")
    assert [" ".join(process.args) for process in processes()] == [
        "serve registration",
        "serve practiceteam",
        "serve essay_contest",
        "serve indicators",
        "serve guide",
        "relay registration",
        "relay practiceteam",
        "relay essay_contest",
        "relay guide",
        "consume practiceteam",
        "consume indicators",
        "mail registration",
        "mail practiceteam",
        "mail essay_contest",
        "mail indicators",
        "mail guide",
        "remind --every 900",
        "erase practiceteam --every 3600",
        "indicators erase-addresses --every 3600",
        "erase guide --every 3600",
    ]


def test_gia_services_prints_every_service_with_its_processes() -> None:
    shown = CliRunner().invoke(build_cli(), ["services"])
    assert shown.exit_code == 0, shown.output
    for manifest in MANIFESTS:
        assert f"{manifest.name} (port {manifest.port})" in shown.output
    assert "gia consume indicators" in shown.output
    assert "gia erase practiceteam --every 3600" in shown.output


def test_a_manifest_added_to_the_registry_is_run_served_relayed_and_scheduled(
    tmp_path: Path,
) -> None:
    settings = load_settings({"GIA_VAR_DIR": str(tmp_path), "GIA_SECRET_KEY": "k" * 40})
    started = {child.name: child for child in children(settings, (*MANIFESTS, LIBRARY))}
    assert {"web library", "relay library", "shelve library"} <= set(started)
    assert started["web library"].env["GIA_SERVICE"] == "library"
    assert started["web library"].env["GIA_BIND"] == "127.0.0.1:5099"
    assert started["relay library"].command[-4:] == ["-m", "gia", "relay", "library"]
    assert started["shelve library"].command[-4:] == ["shelve", "library", "--every", "60"]
    assert "mail library" not in started and "consumer library" not in started

    cli = build_cli((*MANIFESTS, LIBRARY))
    listed = CliRunner().invoke(cli, ["services"])
    assert "library (port 5099)" in listed.output
    assert "gia shelve library --every 60" in listed.output
    assert "library" in CliRunner().invoke(cli, ["relay", "--help"]).output
    assert "library" in CliRunner().invoke(cli, ["migrate", "--help"]).output


def test_every_manifest_reference_resolves() -> None:
    for manifest in MANIFESTS:
        assert manifest.migrations.joinpath("env.py").is_file()
        assert isinstance(resolve(manifest.api), Blueprint)
        assert isinstance(resolve(manifest.pages), Blueprint)
        factories = [manifest.app, manifest.outbox, manifest.mail, manifest.consumer]
        factories += [manifest.seed, manifest.commands, *(job.run for job in manifest.jobs)]
        for reference in filter(None, factories):
            assert callable(resolve(reference)), reference


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_import_contracts_hold() -> None:
    checked = lint_imports(ROOT)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "2 kept, 0 broken" in checked.stdout


@pytest.mark.parametrize(
    ("module", "imported"),
    [
        ("shared/clock.py", "services.registration.domain"),  # the library reaches up
        ("shared/db.py", "gia.registry"),  # the library reaches the root
        ("services/indicators/rules.py", "services.registration.domain"),  # a service another
    ],
)
def test_a_deliberate_violation_breaks_a_contract(
    tmp_path: Path, module: str, imported: str
) -> None:
    for package in ("gia", "shared", "services"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    with (tmp_path / module).open("a") as source:
        source.write(f"\nimport {imported}  # noqa\n")
    checked = lint_imports(tmp_path)
    importer = module.removesuffix(".py").replace("/", ".")
    assert checked.returncode == 1, checked.stdout
    assert "BROKEN" in checked.stdout and f"{importer} -> {imported}" in checked.stdout
