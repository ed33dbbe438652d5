"""the griffie confirms council membership: griffie addresses, the contest's setting, the answer

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "griffies",
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("municipality_code"),
    )
    with op.batch_alter_table("contests", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "requires_council_confirmation",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )
    with op.batch_alter_table("entrants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("council_asked_at", sa.DateTime(timezone=True)))
        batch_op.add_column(sa.Column("council_answer", sa.String(length=10)))
        batch_op.add_column(sa.Column("council_answered_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("entrants", schema=None) as batch_op:
        batch_op.drop_column("council_answered_at")
        batch_op.drop_column("council_answer")
        batch_op.drop_column("council_asked_at")
    with op.batch_alter_table("contests", schema=None) as batch_op:
        batch_op.drop_column("requires_council_confirmation")
    op.drop_table("griffies")
