"""A zip bomb sent as a praktijkteam attachment, on PostgreSQL: refused with a problem and
nothing kept, while an ordinary office document is taken."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from services.practiceteam.app import create_app
from shared.settings import Settings
from tests.factories import PRACTICETEAM_REQUEST, path_of, serving
from tests.unit.test_documents_limits import bomb, report

pytestmark = pytest.mark.services


@pytest.fixture
def client(real_settings: Settings) -> Iterator[FlaskClient]:
    with serving(create_app, real_settings, "auth", "practiceteam") as app:
        yield app.test_client()


def attach(client: FlaskClient, url: str, content: bytes) -> tuple[int, dict[str, object]]:
    response = client.post(
        url, data={"file": (io.BytesIO(content), "plan.docx")}, content_type="multipart/form-data"
    )
    return response.status_code, response.json


def test_zip_bombs_are_refused_and_a_real_document_taken(
    client: FlaskClient, real_settings: Settings
) -> None:
    created = client.post("/api/v1/requests", json=PRACTICETEAM_REQUEST).json
    token = path_of(created["links"]["self"]).split("token=")[1]
    url = f"/api/v1/requests/{created['id']}/attachments?token={token}"

    status, body = attach(client, url, bomb(1024, level=1))  # 1 GiB of zeros in 4.5 MB
    assert (status, body["title"]) == (413, "Content too large"), body
    assert "unpacks to 1073741832 bytes" in str(body["detail"])
    status, body = attach(client, url, bomb(20))  # 20 MiB in 20 KB
    assert status == 400 and "times its size" in str(body["detail"]), body
    assert not real_settings.effective_attachments_dir.exists()

    status, body = attach(client, url, report())
    assert status == 201, body
    assert body["media_type"].endswith("wordprocessingml.document")
