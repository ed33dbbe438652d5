"""The indicators JSON API under /api/v1.

The figures are aggregates over municipalities and hold no personal data, so
they are open to read.
"""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from services.indicators.evidence import covered_municipalities
from services.indicators.figures import figure
from services.indicators.rules import INDICATORS
from services.indicators.schemas import IndicatorsOut
from shared.events.outbox import utcnow
from shared.web.service import service_context

api = Blueprint("indicators_api", __name__, url_prefix="/api/v1", description="The 2012 figures")


@api.get("/indicators")
@api.response(200, IndicatorsOut)
def indicators() -> Any:
    context = service_context()
    target_group = {municipality.code for municipality in context.register.target_group}
    with context.db.transaction() as session:
        figures = [
            figure(name, covered_municipalities(session, name), target_group, target)
            for name, target in INDICATORS.items()
        ]
    return {"as_of": utcnow(), "indicators": figures}
