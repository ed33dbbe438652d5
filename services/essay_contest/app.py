"""The essay contest service's app factory."""

from __future__ import annotations

from flask import Flask

from services.essay_contest.models import Outbox
from shared.settings import Settings, load_settings
from shared.web.service import create_service_app


def create_app(settings: Settings | None = None) -> Flask:
    app, _ = create_service_app(
        "essay_contest",
        settings or load_settings(),
        title="GIA Raad voor Raad essay contest",
        outbox_model=Outbox,
    )
    return app
