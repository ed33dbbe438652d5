"""the outbox announces each new row to its relay (PostgreSQL NOTIFY)

Revision ID: 0005
Revises: 0004
"""

from shared.migrations import add_outbox_notify, drop_outbox_notify

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_outbox_notify()


def downgrade() -> None:
    drop_outbox_notify()
