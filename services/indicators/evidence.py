"""Turning events into evidence, and evidence into the set of municipalities it covers."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.indicators.models import Evidence
from services.indicators.rules import basis_of, evidence_from, withdraws
from shared.events.envelope import Event


def record_evidence(session: Session, event: Event) -> None:
    """Apply one event's evidence; commutative, so redelivery order does not matter."""
    for indicator in evidence_from(event.type, event.data):
        key = (indicator, basis_of(event.data))
        evidence = session.get(Evidence, key)
        if evidence is None:
            evidence = Evidence(
                indicator=indicator, basis=key[1], municipality_code=event.data["municipality_code"]
            )
            session.add(evidence)
        if withdraws(event.type):
            if evidence.withdrawn_at is None or evidence.withdrawn_at < event.time:
                evidence.withdrawn_at, evidence.withdrawn_by = event.time, event.id
        elif evidence.given_at is None or evidence.given_at < event.time:
            evidence.given_at, evidence.given_by = event.time, event.id


def covered_municipalities(session: Session, indicator: str) -> set[str]:
    """Codes of the municipalities with at least one piece of evidence that holds."""
    query = (
        select(Evidence.municipality_code)
        .where(Evidence.indicator == indicator, Evidence.holds())
        .distinct()
    )
    return set(session.scalars(query))
