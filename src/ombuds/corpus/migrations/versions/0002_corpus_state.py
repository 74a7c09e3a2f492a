"""Corpus state: an identity and a change counter, so a derived search index can tell it is current.

Every ingest transaction that changes decisions adds one to ``generation``; the search index
records the ``corpus_id`` and ``generation`` it was built from. A new ``corpus_id`` is drawn
whenever this table is created, so an index built from another database (or from this one
before a downgrade) is never mistaken for current.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-01
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    state = op.create_table(
        "corpus_state",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("corpus_id", sa.String(36), nullable=False),
        sa.Column("generation", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_corpus_state"),
        sa.CheckConstraint("id = 1", name="ck_corpus_state_single_row"),
    )
    op.bulk_insert(state, [{"id": 1, "corpus_id": str(uuid.uuid4()), "generation": 0}])


def downgrade() -> None:
    op.drop_table("corpus_state")
