"""signals answered at meetings, taken in from registration's events, and the inbox

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "received_events",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=120), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("received_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_received_events_time"), ["time"], unique=False)
        batch_op.create_index(batch_op.f("ix_received_events_type"), ["type"], unique=False)
    op.create_table(
        "meeting_signals",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("meeting_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("region", sa.String(length=40), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("municipality_codes", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("meeting_signals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_signals_answered_at"), ["answered_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("meeting_signals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_signals_answered_at"))
    op.drop_table("meeting_signals")
    with op.batch_alter_table("received_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_received_events_type"))
        batch_op.drop_index(batch_op.f("ix_received_events_time"))
    op.drop_table("received_events")
