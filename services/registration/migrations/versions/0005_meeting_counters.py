"""seats given and people waiting, counted on the meeting

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("confirmed", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("waiting", sa.Integer(), server_default="0", nullable=False))
    op.execute(
        "UPDATE meetings SET "
        "confirmed = (SELECT count(*) FROM registrations r "
        "WHERE r.meeting_id = meetings.id AND r.status = 'confirmed'), "
        "waiting = (SELECT count(*) FROM registrations r "
        "WHERE r.meeting_id = meetings.id AND r.status = 'waitlisted')"
    )


def downgrade() -> None:
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("waiting")
        batch_op.drop_column("confirmed")
