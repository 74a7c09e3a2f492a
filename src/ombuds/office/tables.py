"""The casework tables (cases, people, credentials, the audit trail), in the corpus metadata.

One database, one Alembic history: migration 0003 creates these; this metadata mirrors it.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from ombuds.corpus.schema import metadata

app_user = Table(
    "app_user",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

credential = Table(
    "credential",
    metadata,
    # SHA-256 of the secret: a stolen database does not yield working sessions or tokens.
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(10), nullable=False),  # session | token
    Column("csrf", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True)),
)

login_failure = Table(
    "login_failure",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), nullable=False),
    Column("address", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_login_failure_name_at", "name", "at"),
    Index("ix_login_failure_address_at", "address", "at"),
)

case = Table(
    "case_file",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("reference", String(20), nullable=False, unique=True),
    Column("organisation", String(300), nullable=False),
    Column("status", String(30), nullable=False),
    Column("assignee", String(80)),
    Column("received", Date, nullable=False),
    Column("due", Date, nullable=False),
    Column("version", Integer, nullable=False),
    Column("recommendation", String(40)),
    Column("decision", String(40)),
    Column("decision_reason", Text),
    Column("drafted_by", String(80)),
    Column("submitted_by", String(80)),
    Column("decided_by", String(80)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("document", JSON, nullable=False),
    Column("generated_statement", Text),
    Column("edited_statement", Text),
    Index("ix_case_file_status", "status"),
    Index("ix_case_file_assignee", "assignee"),
    Index("ix_case_file_due", "due"),
)

audit_event = Table(
    "audit_event",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(80), nullable=False),
    Column("action", String(40), nullable=False),
    Column("case_id", Integer, ForeignKey("case_file.id")),
    Column("subject", String(120)),
    Column("before", JSON),
    Column("after", JSON),
    Index("ix_audit_event_case_id", "case_id"),
)
