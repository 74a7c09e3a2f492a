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
from ombuds.corpus.url import DatabaseTargetError, database_url, index_location

from .builders import Decision

TABLES = {"decision", "decision_test", "citation", "remedy", "corpus_state"}


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


def test_recreated_corpus_state_makes_the_index_rebuild(tmp_path: Path) -> None:
    store = open_store(tmp_path / "m.db")
    ingest(store, [Decision("24 000 001", "The council lost the planning file.").parsed()])
    with store.engine.connect() as conn:
        first_id = conn.execute(text("SELECT corpus_id FROM corpus_state")).scalar_one()
    downgrade(store.engine, "0001")
    assert "corpus_state" not in inspect(store.engine).get_table_names()
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM decision")).scalar_one() == 1
    store.close()

    reopened = open_store(tmp_path / "m.db")  # upgrades to head again: a new corpus id
    with reopened.engine.connect() as conn:
        assert conn.execute(text("SELECT corpus_id FROM corpus_state")).scalar_one() != first_id
    result = search(reopened, "planning file")
    assert [hit.reference for hit in result.hits] == ["24 000 001"]
    assert result.rebuilt is not None and result.rebuilt.reason == "another corpus"
    reopened.close()


def test_index_folder_defaults_beside_the_database_and_can_be_chosen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OMBUDS_INDEX", raising=False)
    url = database_url(tmp_path / "a.db")
    assert index_location(url) == tmp_path / "a.db.index"
    assert index_location(url, tmp_path / "elsewhere") == tmp_path / "elsewhere"
    monkeypatch.setenv("OMBUDS_INDEX", str(tmp_path / "from_env"))
    assert index_location(url) == tmp_path / "from_env"
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OMBUDS_INDEX")
    assert index_location("postgresql+psycopg://u@h/cases") == tmp_path / "cases.index"
    with pytest.raises(DatabaseTargetError, match="does not exist"):
        index_location(url, tmp_path / "missing" / "index")
    (tmp_path / "file").write_text("x")
    with pytest.raises(DatabaseTargetError, match="is a file"):
        index_location(url, tmp_path / "file")


def test_database_url_accepts_paths_and_urls(tmp_path: Path) -> None:
    assert database_url(tmp_path / "a.db") == f"sqlite:///{tmp_path / 'a.db'}"
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    with pytest.raises(DatabaseTargetError, match="does not exist"):
        database_url(tmp_path / "missing" / "a.db")
    with pytest.raises(DatabaseTargetError, match="is a folder"):
        database_url(tmp_path)
