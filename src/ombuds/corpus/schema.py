"""The corpus tables, as SQLAlchemy Core metadata.

Alembic migrations (in ``migrations/``) are the source of truth for the live schema; this
metadata mirrors them so queries are typed and ``alembic revision --autogenerate`` can diff.
Small columns come before the large text columns so that facet and filter scans stay on a
row's first page.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)


def _decision_id() -> Column[int]:
    """The key a child table shares: its decision, deleted with it (a Column serves one table)."""
    return Column(
        "decision_id",
        Integer,
        ForeignKey("decision.id", ondelete="CASCADE"),
        primary_key=True,
    )


decision = Table(
    "decision",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("reference_key", String(40), nullable=False, unique=True),
    Column("reference", String(40), nullable=False),
    Column("decision", String(64)),
    Column("category", String(300)),
    Column("category_top", String(200)),
    Column("year", Integer),
    Column("decision_date", Date),
    Column("organisation", String(300)),
    Column("decision_label", String(200)),
    Column("complainant", String(100)),
    Column("content_hash", String(64), nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("url", String(1000)),
    Column("source", String(1000)),
    Column("from_url", JSON, nullable=False),
    Column("points", JSON, nullable=False),
    Column("summary", Text),
    Column("sections", JSON, nullable=False),
    Column("text", Text, nullable=False),
    Column("raw", Text, comment="Original text or HTML, only when it differs from text."),
)
Index("ix_decision_decision", decision.c.decision)
Index("ix_decision_category", decision.c.category)
Index("ix_decision_year", decision.c.year)
Index("ix_decision_decision_date", decision.c.decision_date)
Index("ix_decision_organisation", decision.c.organisation)

decision_test = Table(
    "decision_test",
    metadata,
    _decision_id(),
    Column("test_id", String(80), primary_key=True),
)
Index("ix_decision_test_test_id", decision_test.c.test_id, decision_test.c.decision_id)

citation = Table(
    "citation",
    metadata,
    _decision_id(),
    Column("position", Integer, primary_key=True),
    Column("text", Text, nullable=False),
)

remedy = Table(
    "remedy",
    metadata,
    _decision_id(),
    Column("position", Integer, primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("text", Text, nullable=False),
    Column("amount_gbp", Float),
    Column("deadline", String(200)),
)

corpus_state = Table(
    "corpus_state",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("corpus_id", String(36), nullable=False),
    Column("generation", BigInteger, nullable=False),
    CheckConstraint("id = 1", name="ck_corpus_state_single_row"),
)
