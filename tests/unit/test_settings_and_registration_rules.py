"""Pure unit tests: settings from the environment and the registration rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

from services.registration.domain import (
    Status,
    status_for_new_registration,
    waitlist_positions,
    why_registration_closed,
    why_role_not_admitted,
)
from shared.settings import load_settings


def test_embedded_default_uses_sqlite_files_and_a_kept_secret(tmp_path: Path) -> None:
    env = {"GIA_VAR_DIR": str(tmp_path)}
    settings = load_settings(env)
    assert settings.database_url_for("registration") == f"sqlite:///{tmp_path}/registration.db"
    assert settings.schema_for("registration") is None
    assert settings.effective_broker_url == "filesystem://"
    assert load_settings(env).secret_key == settings.secret_key  # generated once, then kept
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_postgres_url_gives_each_service_its_own_schema(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "GIA_VAR_DIR": str(tmp_path),
            "GIA_DATABASE_URL": "postgresql://h/gia",
            "GIA_SECRET_KEY": "k",
        }
    )
    assert settings.database_url_for("indicators") == "postgresql+psycopg://h/gia"
    assert settings.schema_for("indicators") == "gia_indicators"
    assert settings.event_source("essay_contest").endswith(":systeem:gia-essay-contest")


def test_seats_go_in_order_then_the_waiting_list() -> None:
    assert status_for_new_registration(confirmed=9, capacity=10) is Status.CONFIRMED
    assert status_for_new_registration(confirmed=10, capacity=10) is Status.WAITLISTED


def test_registration_closes_at_deadline_or_cancellation() -> None:
    deadline = datetime(2012, 10, 1, 12, tzinfo=UTC)
    before = deadline - timedelta(seconds=1)
    assert why_registration_closed(cancelled=False, deadline=deadline, now=before) is None
    assert "closed" in (
        why_registration_closed(cancelled=False, deadline=deadline, now=deadline) or ""
    )
    assert "cancelled" in (
        why_registration_closed(cancelled=True, deadline=deadline, now=before) or ""
    )


def test_raad_voor_raad_is_for_the_council() -> None:
    assert why_role_not_admitted("raad_voor_raad", "council_member") is None
    assert "not for aldermen" in (why_role_not_admitted("raad_voor_raad", "alderman") or "")
    assert why_role_not_admitted("raad_voor_raad", "alderman", admits_aldermen=True) is None
    assert why_role_not_admitted("raad_voor_raad", "official")
    assert why_role_not_admitted("raad_voor_raad", "other", admits_aldermen=True)
    assert why_role_not_admitted("gia", "other") is None
    assert why_role_not_admitted("gia", "alderman") is None


def test_waiting_list_places_follow_arrival_and_skip_everyone_not_waiting() -> None:
    arrivals = [
        SimpleNamespace(id=name, status=status)
        for name, status in [
            ("a", Status.CONFIRMED),
            ("b", Status.WAITLISTED),
            ("c", Status.CANCELLED),
            ("d", Status.WAITLISTED),
        ]
    ]
    assert waitlist_positions(arrivals) == {"b": 1, "d": 2}
