"""The retention rule of praktijkteam requests: which may be erased, and from when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from services.practiceteam.domain import FINAL, Status, erasure_due, why_not_erasable
from shared.settings import load_settings

FINAL_SINCE = datetime(2012, 10, 1, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize("status", list(Status))
def test_only_closed_declined_and_withdrawn_requests_may_be_erased(status: Status) -> None:
    reason = why_not_erasable(status)
    if status in (Status.CLOSED, Status.DECLINED, Status.WITHDRAWN):
        assert reason is None
    else:
        assert reason is not None and f"is {status}" in reason


@pytest.mark.parametrize(
    ("after", "due"),
    [
        (timedelta(days=364, hours=23), False),
        (timedelta(days=365), True),
        (timedelta(days=800), True),
    ],
)
def test_a_final_request_is_due_when_its_retention_period_is_over(
    after: timedelta, due: bool
) -> None:
    for status in FINAL:
        assert erasure_due(status, FINAL_SINCE, FINAL_SINCE + after, 365) is due


def test_an_open_request_is_never_due_however_old() -> None:
    long_after = FINAL_SINCE + timedelta(days=3650)
    for status in set(Status) - FINAL:
        assert not erasure_due(status, FINAL_SINCE, long_after, 365)


def test_the_period_is_a_setting_of_one_year_by_default(tmp_path: Path) -> None:
    base = {"GIA_VAR_DIR": str(tmp_path), "GIA_SECRET_KEY": "k" * 40}
    assert load_settings(base).practiceteam_retention_days == 365
    chosen = load_settings({**base, "GIA_PRACTICETEAM_RETENTION_DAYS": "730"})
    assert chosen.practiceteam_retention_days == 730
