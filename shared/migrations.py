"""Alembic migrations, one history per database.

Each database keeps its history in ``migrations/`` beside its models; their
``env.py`` hands the models' metadata to :func:`run_env`. Which databases there are
is the composition root's to say (``gia.migrations``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command, context, op
from alembic.config import Config
from sqlalchemy import MetaData

from shared.db import Database, UtcDateTime
from shared.events.outbox import NOTIFY_CHANNEL
from shared.settings import Settings


def upgrade_database(settings: Settings, name: str, directory: Path) -> None:
    """Bring database ``name`` up to the newest revision of the history in ``directory``."""
    db = Database.for_service(settings, name)
    try:
        db.ensure_schema()
        config = Config()
        config.set_main_option("script_location", str(directory))
        config.attributes["database"] = db
        command.upgrade(config, "head")
    finally:
        db.dispose()


def _render_item(kind: str, item: Any, _autogen_context: Any) -> str | bool:
    """Migrations spell UtcDateTime as the plain column type it stores."""
    if kind == "type" and isinstance(item, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_env(metadata: MetaData) -> None:
    """The body of every ``env.py``: migrate the database the config points at."""
    db: Database = context.config.attributes["database"]
    with db.engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=not db.is_postgres,  # SQLite alters tables by copying them
            compare_type=True,
            render_item=_render_item,
        )
        context.run_migrations()


def add_outbox_notify() -> None:
    """On PostgreSQL, a trigger that announces each committed insert into this database's
    ``outbox`` on NOTIFY_CHANNEL, with the table's schema as payload, so its relay wakes at
    once (``shared.events.relay``); SQLite has no notifications and its relay polls."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"PERFORM pg_notify('{NOTIFY_CHANNEL}', TG_TABLE_SCHEMA); RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER outbox_notify AFTER INSERT ON outbox "
        "FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()"
    )


def drop_outbox_notify() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER outbox_notify ON outbox")
    op.execute("DROP FUNCTION outbox_notify()")
