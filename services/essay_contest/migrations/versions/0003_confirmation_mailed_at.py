"""when the last confirmation mail went to an entrant, so the next one waits

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("entrants", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("confirmation_mailed_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("entrants", schema=None) as batch_op:
        batch_op.drop_column("confirmation_mailed_at")
