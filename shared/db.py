"""Engines and transactions, one database per service.

SQLite is the embedded default: every transaction starts ``BEGIN IMMEDIATE`` so
writers queue up instead of failing half-way, which also makes the read-then-
insert capacity checks safe there. On PostgreSQL the same code takes row locks.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, Index, TypeDecorator, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from shared.settings import Settings

# What SQLAlchemy raises while the database cannot be reached: worth waiting out, unlike
# any other error.
DATABASE_DOWN = (OperationalError, InterfaceError)


def _sqlite_engine(url: str) -> Engine:
    Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # let the "begin" hook below start transactions
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _postgres_engine(url: str, schema: str | None, application_name: str) -> Engine:
    # No server-side prepared statements: a generic plan made while a table was
    # small (a sequential scan) stays in use long after it has grown.
    connect_args: dict[str, object] = {
        "connect_timeout": 5,
        "prepare_threshold": None,
        "application_name": application_name,
    }
    if schema:
        connect_args["options"] = f"-csearch_path={schema}"
    return create_engine(
        url,
        connect_args=connect_args,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
    )


class Database:
    """A service's database: its engine and a transaction helper."""

    def __init__(self, url: str, schema: str | None = None, application_name: str = "gia") -> None:
        """``application_name`` names the connections on PostgreSQL; SQLite has no such thing."""
        self.url = url
        self.schema = schema
        self.is_postgres = url.startswith("postgresql")
        self.engine = (
            _postgres_engine(url, schema, application_name)
            if self.is_postgres
            else _sqlite_engine(url)
        )
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def for_service(cls, settings: Settings, name: str) -> Database:
        return cls(settings.database_url_for(name), settings.schema_for(name), settings.process)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back if it raises."""
        with self._sessions() as session, session.begin():
            yield session

    def ensure_schema(self) -> None:
        if self.schema:
            with self.engine.begin() as connection:
                connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"'))

    def drop_schema(self) -> None:
        if self.schema:
            with self.engine.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))

    def ping(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every engine; SQLite would otherwise hand back naive ones."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: times are stored in UTC and need a time zone")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def dialect_insert(session: Session, table: Any) -> Any:
    """An INSERT with ``on_conflict_do_update``, which PostgreSQL and SQLite both offer."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def pending_index(name: str, sent_at: Any) -> Index:
    """Queues (outbox, mail) are only ever read for unsent rows, oldest first."""
    return Index(
        name, "created_at", postgresql_where=sent_at.is_(None), sqlite_where=sent_at.is_(None)
    )
