"""survey invitations and the mail queue

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 20:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_queue",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("about", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("mail_queue", schema=None) as batch_op:
        batch_op.create_index(
            "ix_mail_queue_pending",
            ["created_at"],
            unique=False,
            postgresql_where=sa.text("sent_at IS NULL"),
            sqlite_where=sa.text("sent_at IS NULL"),
        )

    op.create_table(
        "survey_invitations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("reminder", sa.Boolean(), nullable=False),
        sa.Column("sent_by", sa.String(length=254), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("survey_invitations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_invitations_municipality_code"),
            ["municipality_code"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("survey_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_invitations_municipality_code"))

    op.drop_table("survey_invitations")
    with op.batch_alter_table("mail_queue", schema=None) as batch_op:
        batch_op.drop_index("ix_mail_queue_pending")

    op.drop_table("mail_queue")
