"""Casework: people, credentials, login failures, cases and the append-only audit trail.

The audit trail refuses UPDATE and DELETE in the database itself (a trigger on PostgreSQL,
and on SQLite too), so not even a bug in the application, or a person with its database
login, can rewrite history without dropping the trigger first.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

_REFUSAL = "audit events are append-only: UPDATE and DELETE are refused"


def upgrade() -> None:
    stamp = sa.DateTime(timezone=True)
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", stamp, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_app_user"),
        sa.UniqueConstraint("name", name="uq_app_user_name"),
    )
    op.create_table(
        "credential",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("csrf", sa.String(64)),
        sa.Column("created_at", stamp, nullable=False),
        sa.Column("expires_at", stamp),
        sa.PrimaryKeyConstraint("token_hash", name="pk_credential"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name="fk_credential_user_id_app_user", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", stamp, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_failure"),
    )
    op.create_index("ix_login_failure_name_at", "login_failure", ["name", "at"])
    op.create_index("ix_login_failure_address_at", "login_failure", ["address", "at"])
    op.create_table(
        "case_file",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("reference", sa.String(20), nullable=False),
        sa.Column("organisation", sa.String(300), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("assignee", sa.String(80)),
        sa.Column("received", sa.Date, nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("recommendation", sa.String(40)),
        sa.Column("decision", sa.String(40)),
        sa.Column("decision_reason", sa.Text),
        sa.Column("drafted_by", sa.String(80)),
        sa.Column("submitted_by", sa.String(80)),
        sa.Column("decided_by", sa.String(80)),
        sa.Column("created_at", stamp, nullable=False),
        sa.Column("updated_at", stamp, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("generated_statement", sa.Text),
        sa.Column("edited_statement", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_case_file"),
        sa.UniqueConstraint("reference", name="uq_case_file_reference"),
    )
    op.create_index("ix_case_file_status", "case_file", ["status"])
    op.create_index("ix_case_file_assignee", "case_file", ["assignee"])
    op.create_index("ix_case_file_due", "case_file", ["due"])
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("at", stamp, nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("case_id", sa.Integer),
        sa.Column("subject", sa.String(120)),
        sa.Column("before", sa.JSON),
        sa.Column("after", sa.JSON),
        sa.PrimaryKeyConstraint("id", name="pk_audit_event"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name="fk_audit_event_case_id_case_file"
        ),
    )
    op.create_index("ix_audit_event_case_id", "audit_event", ["case_id"])
    _append_only()


def _append_only() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{_REFUSAL}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()"
        )
    elif dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_event_no_{verb.lower()} BEFORE {verb} ON audit_event "
                f"BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE audit_event")
        op.execute("DROP FUNCTION audit_event_append_only()")
    else:
        op.drop_table("audit_event")
    op.drop_table("case_file")
    op.drop_table("login_failure")
    op.drop_table("credential")
    op.drop_table("app_user")
