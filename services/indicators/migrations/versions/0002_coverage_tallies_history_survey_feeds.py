"""coverage tallies history survey feeds

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 20:09:08.150094
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "coverage",
        sa.Column("indicator", sa.String(length=20), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("covered", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("indicator", "municipality_code"),
    )
    op.create_table(
        "feed_tokens",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("subject", sa.String(length=254), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "figure_changes",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("indicator", sa.String(length=20), nullable=False),
        sa.Column("region", sa.String(length=40), nullable=False),
        sa.Column("covered", sa.Integer(), nullable=False),
        sa.Column("denominator", sa.Integer(), nullable=False),
        sa.Column("target_reached", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    with op.batch_alter_table("figure_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_figure_changes_recorded_at"), ["recorded_at"], unique=False
        )

    op.create_table(
        "survey_answers",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("knows_guide", sa.Boolean(), nullable=False),
        sa.Column("read_guide", sa.Boolean(), nullable=False),
        sa.Column("uses", sa.JSON(), nullable=False),
        sa.Column("other_use", sa.String(length=500), nullable=True),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("survey_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_answers_municipality_code"), ["municipality_code"], unique=False
        )

    op.create_table(
        "tallies",
        sa.Column("indicator", sa.String(length=20), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("dimension", sa.String(length=20), nullable=False),
        sa.Column("grouping", sa.String(length=40), nullable=False),
        sa.Column("covered", sa.Integer(), nullable=False),
        sa.Column("newest_event_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("indicator", "scope", "dimension", "grouping"),
    )


def downgrade() -> None:
    op.drop_table("tallies")
    with op.batch_alter_table("survey_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_answers_municipality_code"))

    op.drop_table("survey_answers")
    with op.batch_alter_table("figure_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_figure_changes_recorded_at"))

    op.drop_table("figure_changes")
    op.drop_table("feed_tokens")
    op.drop_table("coverage")
