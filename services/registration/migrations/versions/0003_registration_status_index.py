"""an index for counting seats and places in line

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_registration_meeting_status_arrival",
        "registrations",
        ["meeting_id", "status", "arrival"],
    )


def downgrade() -> None:
    op.drop_index("ix_registration_meeting_status_arrival", table_name="registrations")
