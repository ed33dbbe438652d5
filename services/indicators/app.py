"""The indicators service's app factory."""

from __future__ import annotations

from flask import Flask

from services.indicators.api import api
from services.indicators.pages import pages
from shared.clock import Clock, utcnow
from shared.settings import Settings, load_settings
from shared.web.service import create_service_app, register_api


def create_app(settings: Settings | None = None, clock: Clock = utcnow) -> Flask:
    app, rest = create_service_app(
        "indicators",
        settings or load_settings(),
        title="GIA indicators",
        uses_broker=True,
        clock=clock,
    )
    register_api(app, rest, api)
    app.register_blueprint(pages)
    return app
