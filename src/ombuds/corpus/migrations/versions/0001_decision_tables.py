"""Decision tables: one row per published decision, plus its tests, citations and remedies.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "decision",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference_key", sa.String(40), nullable=False),
        sa.Column("reference", sa.String(40), nullable=False),
        sa.Column("decision", sa.String(64)),
        sa.Column("category", sa.String(300)),
        sa.Column("category_top", sa.String(200)),
        sa.Column("year", sa.Integer),
        sa.Column("decision_date", sa.Date),
        sa.Column("organisation", sa.String(300)),
        sa.Column("decision_label", sa.String(200)),
        sa.Column("complainant", sa.String(100)),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("url", sa.String(1000)),
        sa.Column("source", sa.String(1000)),
        sa.Column("from_url", sa.JSON, nullable=False),
        sa.Column("points", sa.JSON, nullable=False),
        sa.Column("summary", sa.Text),
        sa.Column("sections", sa.JSON, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("raw", sa.Text, comment="Original text or HTML, only when it differs from text."),
        sa.PrimaryKeyConstraint("id", name="pk_decision"),
        sa.UniqueConstraint("reference_key", name="uq_decision_reference_key"),
    )
    for column in ("decision", "category", "year", "decision_date", "organisation"):
        op.create_index(f"ix_decision_{column}", "decision", [column])

    op.create_table(
        "decision_test",
        sa.Column("decision_id", sa.Integer, nullable=False),
        sa.Column("test_id", sa.String(80), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decision.id"],
            name="fk_decision_test_decision_id_decision",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("decision_id", "test_id", name="pk_decision_test"),
    )
    op.create_index("ix_decision_test_test_id", "decision_test", ["test_id", "decision_id"])

    op.create_table(
        "citation",
        sa.Column("decision_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decision.id"],
            name="fk_citation_decision_id_decision",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("decision_id", "position", name="pk_citation"),
    )

    op.create_table(
        "remedy",
        sa.Column("decision_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("amount_gbp", sa.Float),
        sa.Column("deadline", sa.String(200)),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decision.id"],
            name="fk_remedy_decision_id_decision",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("decision_id", "position", name="pk_remedy"),
    )


def downgrade() -> None:
    op.drop_table("remedy")
    op.drop_table("citation")
    op.drop_index("ix_decision_test_test_id", table_name="decision_test")
    op.drop_table("decision_test")
    for column in ("decision", "category", "year", "decision_date", "organisation"):
        op.drop_index(f"ix_decision_{column}", table_name="decision")
    op.drop_table("decision")
