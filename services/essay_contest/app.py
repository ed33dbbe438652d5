"""The essay contest service's app factory."""

from __future__ import annotations

from flask import Flask

from services.essay_contest.api import api
from services.essay_contest.models import Outbox
from services.essay_contest.pages import pages
from shared.clock import Clock, utcnow
from shared.settings import Settings, load_settings
from shared.web.service import create_service_app, register_api


def create_app(settings: Settings | None = None, clock: Clock = utcnow) -> Flask:
    """``clock`` tells the contest the time: tests pass their own to move past the deadline."""
    app, rest = create_service_app(
        "essay_contest",
        settings or load_settings(),
        title="GIA Raad voor Raad essay contest",
        outbox_model=Outbox,
        clock=clock,
    )
    register_api(app, rest, api)
    app.register_blueprint(pages)
    return app
