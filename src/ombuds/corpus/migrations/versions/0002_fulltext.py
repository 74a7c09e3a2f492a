"""Full-text index: an FTS5 table over the decision text, kept in sync by triggers (SQLite).

On other databases this revision does nothing yet: search there reports that it is not
supported, while ingest and stats work.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-01
"""

from __future__ import annotations

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

# Indexed columns, in the order bm25() weights are given in ombuds.corpus.search.
COLUMNS = "reference, organisation, category, summary, text"
NEW = ", ".join(f"new.{c.strip()}" for c in COLUMNS.split(","))
OLD = ", ".join(f"old.{c.strip()}" for c in COLUMNS.split(","))


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    if not _sqlite():
        return
    op.execute(
        f"CREATE VIRTUAL TABLE decision_fts USING fts5({COLUMNS}, content='decision', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER decision_fts_insert AFTER INSERT ON decision BEGIN "
        f"INSERT INTO decision_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END"
    )
    op.execute(
        "CREATE TRIGGER decision_fts_delete AFTER DELETE ON decision BEGIN "
        f"INSERT INTO decision_fts(decision_fts, rowid, {COLUMNS}) "
        f"VALUES ('delete', old.id, {OLD}); END"
    )
    op.execute(
        f"CREATE TRIGGER decision_fts_update AFTER UPDATE OF {COLUMNS} ON decision BEGIN "
        f"INSERT INTO decision_fts(decision_fts, rowid, {COLUMNS}) "
        f"VALUES ('delete', old.id, {OLD}); "
        f"INSERT INTO decision_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END"
    )
    # Index rows that were stored before this revision.
    op.execute("INSERT INTO decision_fts(decision_fts) VALUES ('rebuild')")


def downgrade() -> None:
    if not _sqlite():
        return
    for trigger in ("decision_fts_update", "decision_fts_delete", "decision_fts_insert"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS decision_fts")
