"""a meeting's organiser, host municipality and admission of aldermen; the plan per year

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organiser", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("host_municipality_code", sa.String(length=6), nullable=True))
        batch_op.add_column(
            sa.Column("admits_aldermen", sa.Boolean(), server_default="0", nullable=False)
        )
    # Raad voor Raad meetings announced before this setting admitted aldermen; they still do.
    op.execute("UPDATE meetings SET admits_aldermen = true WHERE kind = 'raad_voor_raad'")
    op.create_table(
        "meeting_plans",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("region", sa.String(length=40), nullable=False),
        sa.Column("planned", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", "kind", "region"),
    )


def downgrade() -> None:
    op.drop_table("meeting_plans")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("admits_aldermen")
        batch_op.drop_column("host_municipality_code")
        batch_op.drop_column("organiser")
