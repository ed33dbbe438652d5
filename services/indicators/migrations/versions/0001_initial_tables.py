"""initial tables

Revision ID: 0001
Revises:
Create Date: 2026-11-24 17:45:52.066136
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence",
        sa.Column("indicator", sa.String(length=20), nullable=False),
        sa.Column("basis", sa.String(length=80), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("given_by", sa.String(length=36), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("indicator", "basis"),
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evidence_municipality_code"), ["municipality_code"], unique=False
        )

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


def downgrade() -> None:
    with op.batch_alter_table("received_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_received_events_type"))
        batch_op.drop_index(batch_op.f("ix_received_events_time"))

    op.drop_table("received_events")
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_municipality_code"))

    op.drop_table("evidence")
