"""The schema comes only from migrations, and they go both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from ombuds.corpus.ingest import ingest
from ombuds.corpus.search import search
from ombuds.corpus.store import (
    create_store_engine,
    current_revision,
    downgrade,
    head_revision,
    open_store,
    upgrade,
)
from ombuds.corpus.url import DatabaseTargetError, database_url

from .builders import Decision

TABLES = {"decision", "decision_test", "citation", "remedy", "decision_fts"}


def test_open_creates_schema_at_head(tmp_path: Path) -> None:
    store = open_store(tmp_path / "new.db")
    assert current_revision(store.engine) == head_revision()
    assert set(inspect(store.engine).get_table_names()) >= TABLES
    store.close()


def test_downgrade_to_base_and_back(tmp_path: Path) -> None:
    engine = create_store_engine(database_url(tmp_path / "m.db"))
    upgrade(engine)
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    assert current_revision(engine) is None
    upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= TABLES
    engine.dispose()


def test_fulltext_revision_indexes_rows_stored_before_it(tmp_path: Path) -> None:
    store = open_store(tmp_path / "m.db")
    ingest(store, [Decision("24 000 001", "The council lost the planning file.").parsed()])
    downgrade(store.engine, "0001")
    assert "decision_fts" not in inspect(store.engine).get_table_names()
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM decision")).scalar_one() == 1
    store.close()

    reopened = open_store(tmp_path / "m.db")  # upgrades to head again
    assert [hit.reference for hit in search(reopened, "planning file").hits] == ["24 000 001"]
    reopened.close()


def test_database_url_accepts_paths_and_urls(tmp_path: Path) -> None:
    assert database_url(tmp_path / "a.db") == f"sqlite:///{tmp_path / 'a.db'}"
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    with pytest.raises(DatabaseTargetError, match="does not exist"):
        database_url(tmp_path / "missing" / "a.db")
    with pytest.raises(DatabaseTargetError, match="is a folder"):
        database_url(tmp_path)
