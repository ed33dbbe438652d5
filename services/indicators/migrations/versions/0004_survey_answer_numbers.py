"""survey answer numbers: of two answers of one time the later counts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Evidence's order within one time, and the answer's number it comes from; 0 for what was before.
COLUMNS = (("evidence", "given_seq"), ("evidence", "withdrawn_seq"), ("survey_answers", "number"))


def upgrade() -> None:
    op.create_table(
        "survey_counts",
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("municipality_code"),
    )
    for table, column in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(column, sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    for table, column in reversed(COLUMNS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
    op.drop_table("survey_counts")
