"""signals raised at a meeting, the ministry's answers, and who the answers were mailed to

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meeting_signals",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("meeting_id", sa.String(length=36), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("municipality_codes", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("meeting_signals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_signals_meeting_id"), ["meeting_id"], unique=False
        )
    op.create_table(
        "signal_recipients",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("signal_id", sa.String(length=36), nullable=False),
        sa.Column("registration_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["registration_id"], ["registrations.id"]),
        sa.ForeignKeyConstraint(["signal_id"], ["meeting_signals.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("signal_id", "registration_id"),
    )
    with op.batch_alter_table("signal_recipients", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_signal_recipients_signal_id"), ["signal_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("signal_recipients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signal_recipients_signal_id"))
    op.drop_table("signal_recipients")
    with op.batch_alter_table("meeting_signals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_signals_meeting_id"))
    op.drop_table("meeting_signals")
