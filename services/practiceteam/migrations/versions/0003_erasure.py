"""erasure of personal data: when a request's and an attachment's went; team e-mail may go

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.alter_column("email", existing_type=sa.VARCHAR(length=254), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.alter_column("email", existing_type=sa.VARCHAR(length=254), nullable=False)
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_column("erased_at")
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_column("erased_at")
