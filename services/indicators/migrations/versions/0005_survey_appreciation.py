"""survey appreciation: what the 2008-2011 evaluation also asked, kept with each answer

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 19:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The evaluation's tables 6-11; answers given before were not asked them, so they stay NULL.
COLUMNS = (
    ("guide_appreciation", sa.JSON()),
    ("meeting_appreciation", sa.JSON()),
    ("approach_appreciation", sa.JSON()),
    ("cmo_right_party", sa.String(length=20)),
    ("desired_participants", sa.JSON()),
    ("wants_to_continue", sa.String(length=20)),
)


def upgrade() -> None:
    with op.batch_alter_table("survey_answers", schema=None) as batch_op:
        for name, kind in COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("survey_answers", schema=None) as batch_op:
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
