"""Stoplight Spectral's own OpenAPI ruleset (``spectral:oas``, .spectral.yaml) over the five
services' documents: no error and no warning.

Spectral runs once over all five (its start costs more than a document), through npx with
the CLI's major version pinned; npx keeps the download in the npm cache (~/.npm), so only a
first run fetches it. Without node and npx the test is skipped, except where
GIA_REQUIRE_SERVICES=1 makes a missing tool a failure; a Spectral that is there but cannot
run (a download that failed, a broken ruleset) always fails it, so no finding hides behind a skip.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from importlib import import_module
from pathlib import Path

import pytest

from gia.registry import SERVICES
from shared.settings import load_settings
from shared.web.service import OPENAPI_PATH
from tests.factories import serving
from tests.isolation import unavailable

ROOT = Path(__file__).resolve().parents[2]
SPECTRAL = "@stoplight/spectral-cli@6"
SEVERITY = {0: "error", 1: "warning"}  # 2 and 3 are information and hints


def written_documents(folder: Path) -> list[Path]:
    """Each service's document, as its app serves it, in a file named after the service."""
    paths = []
    for name in SERVICES:
        settings = load_settings({"GIA_VAR_DIR": str(folder), "GIA_SECRET_KEY": "k" * 40})
        create_app = import_module(f"services.{name}.app").create_app
        with serving(create_app, settings, name, "auth") as app:
            document = app.test_client().get(OPENAPI_PATH).json
        path = folder / f"{name}.json"
        path.write_text(json.dumps(document, indent=1))
        paths.append(path)
    return paths


def test_spectral_finds_no_error_or_warning(tmp_path: Path) -> None:
    npx = shutil.which("npx")
    if npx is None or shutil.which("node") is None:
        unavailable("the Spectral test needs node and npx")
    documents = written_documents(tmp_path)
    ruleset = ROOT / ".spectral.yaml"
    command = [npx, "--yes", SPECTRAL, "lint", "-r", str(ruleset), "-f", "json", "-q"]
    run = subprocess.run(
        [*command, *map(str, documents)], capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    try:
        findings = json.loads(run.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"Spectral did not run (exit {run.returncode}): {run.stderr[-500:]}")
    wrong = [
        f"{Path(found['source']).stem}: {SEVERITY[found['severity']]} {found['code']} at "
        f"{'.'.join(map(str, found['path']))}: {found['message']}"
        for found in findings
        if found["severity"] in SEVERITY
    ]
    assert not wrong, "\n".join(wrong)
