"""waiting list order, cancellation, reminders, erasure

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 18:30:57.630443
"""

import warnings

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("arrivals", sa.Integer(), server_default="0", nullable=False))

    # SQLite rebuilds the table and cannot reflect the expression index (it
    # warns so); the index is put back below.
    with (
        warnings.catch_warnings(),
        op.batch_alter_table("registrations", schema=None) as batch_op,
    ):
        warnings.filterwarnings("ignore", "Skipped unsupported reflection")
        batch_op.add_column(sa.Column("arrival", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("walk_in", sa.Boolean(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column("name", existing_type=sa.VARCHAR(length=200), nullable=True)
        batch_op.alter_column("email", existing_type=sa.VARCHAR(length=254), nullable=True)

    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS uq_registration_active_email "
            "ON registrations (meeting_id, lower(email)) WHERE status <> 'cancelled'"
        )


def downgrade() -> None:
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.alter_column("email", existing_type=sa.VARCHAR(length=254), nullable=False)
        batch_op.alter_column("name", existing_type=sa.VARCHAR(length=200), nullable=False)
        batch_op.drop_column("erased_at")
        batch_op.drop_column("reminded_at")
        batch_op.drop_column("cancelled_at")
        batch_op.drop_column("walk_in")
        batch_op.drop_column("arrival")

    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("arrivals")
