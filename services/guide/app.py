"""The guide service's app factory."""

from __future__ import annotations

from flask import Flask

from services.guide import MANIFEST
from shared.clock import Clock, utcnow
from shared.settings import Settings, load_settings
from shared.web.service import create_service_app


def create_app(settings: Settings | None = None, clock: Clock = utcnow) -> Flask:
    return create_service_app(MANIFEST, settings or load_settings(), clock)
