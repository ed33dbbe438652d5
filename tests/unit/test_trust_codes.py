"""Every municipality code in an event, in whatever shape its type carries it, is checked
against the register; every type has a producer."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from shared.events.catalogue import (
    CATALOGUE,
    ESSAY_WINNERS_ANNOUNCED,
    PRACTICETEAM_EVENTS,
    PRODUCERS,
)
from shared.events.envelope import new_event
from shared.events.trust import RefusedEvent, Trust
from shared.municipalities import load_register
from shared.settings import Settings

SETTINGS = Settings(var_dir=Path("var"), secret_key="")
TRUST = Trust(SETTINGS, load_register(None))


def test_every_type_has_its_producer() -> None:
    assert PRODUCERS.keys() == CATALOGUE.keys()


@pytest.mark.parametrize(
    ("event_type", "data"),
    [
        (
            ESSAY_WINNERS_ANNOUNCED,
            {
                "contest_id": str(uuid.uuid4()),
                "entries": 3,
                "winners": [
                    {"entry_id": str(uuid.uuid4()), "place": 1, "municipality_codes": ["GM0599"]},
                    {"entry_id": str(uuid.uuid4()), "place": 2, "municipality_codes": ["GM9998"]},
                ],
            },
        ),
        (
            PRACTICETEAM_EVENTS["submitted"],
            {
                "request_id": str(uuid.uuid4()),
                "status": "submitted",
                "previous_status": None,
                "municipality_codes": ["GM0599"],
                "lead_municipality_code": "GM9998",
                "themes": [],
            },
        ),
    ],
)
def test_a_code_outside_the_register_anywhere_in_the_data_is_refused(
    event_type: str, data: dict[str, object]
) -> None:
    event = new_event(
        event_type, source=SETTINGS.event_source(PRODUCERS[event_type]), subject="s", data=data
    )
    assert TRUST.why_refused(event) == "municipality codes not in the register: GM9998"
    with pytest.raises(RefusedEvent, match="GM9998"):
        TRUST.check_delivery(event, event_type)
