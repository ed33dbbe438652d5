"""The praktijkteam service's app factory."""

from __future__ import annotations

from flask import Flask

from services.practiceteam.models import Outbox
from shared.settings import Settings, load_settings
from shared.web.service import create_service_app


def create_app(settings: Settings | None = None) -> Flask:
    app, _ = create_service_app(
        "practiceteam", settings or load_settings(), title="GIA praktijkteam", outbox_model=Outbox
    )
    return app
