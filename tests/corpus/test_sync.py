"""The search index follows the database: updated by ingest, rebuilt when missing or stale."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from ombuds.corpus.index import IndexBusy, IndexWriter, SearchIndexError
from ombuds.corpus.ingest import IngestInterrupted, ingest
from ombuds.corpus.search import search
from ombuds.corpus.store import Store, open_store
from ombuds.corpus.sync import reindex, staleness
from ombuds.reading import Parsed

from .builders import Decision


def _stored(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM decision")).scalar_one())


def _indexed(store: Store) -> int:
    """Decisions in the index, counted by the index itself (browsing with no filter)."""
    return search(store, "").total


def _generation(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(text("SELECT generation FROM corpus_state")).scalar_one())


def _batch(start: int, count: int, word: str = "drainage") -> list[Parsed]:
    return [
        Decision(f"24 001 {start + n:03d}", f"The {word} complaint number {start + n}.").parsed()
        for n in range(count)
    ]


def test_reingest_replaces_the_indexed_version_without_duplicates(store: Store) -> None:
    ingest(store, _batch(0, 3))
    assert search(store, "drainage").total == 3
    generation = _generation(store)

    again = ingest(store, _batch(0, 3))
    assert again.unchanged == 3
    assert _generation(store) == generation  # nothing changed, nothing rewritten

    changed = [*_batch(0, 2), *_batch(2, 1, word="sewerage")]
    assert ingest(store, changed).updated == 1
    assert search(store, "drainage").total == 2
    sewerage = search(store, "sewerage")
    assert [hit.reference for hit in sewerage.hits] == ["24 001 002"]
    assert _indexed(store) == _stored(store) == 3
    assert staleness(store) is None


def test_deleted_index_is_rebuilt_from_the_database(store: Store) -> None:
    ingest(store, _batch(0, 4))
    store.close()
    shutil.rmtree(store.index.path)

    reopened = open_store(store.url.removeprefix("sqlite:///"))
    result = search(reopened, "drainage")
    assert result.total == 4
    assert result.rebuilt is not None and result.rebuilt.reason == "missing"
    assert result.rebuilt.decisions == 4
    assert search(reopened, "drainage").rebuilt is None  # current now
    reopened.close()


def test_failed_database_batch_leaves_index_matching_the_database(store: Store) -> None:
    with store.begin() as conn:
        conn.execute(text("DROP TABLE citation"))  # every write of a citation now fails
    cited = Decision("24 001 900", "Cites the Act.", citations=["section 26(6)(a)"]).parsed()
    with pytest.raises(IngestInterrupted):
        ingest(store, [*_batch(0, 2), cited], batch_size=2)
    assert _stored(store) == 2
    assert staleness(store) is None
    assert _indexed(store) == 2
    assert search(store, "cites act").total == 0


def test_crash_while_reading_keeps_index_at_the_committed_batches(store: Store) -> None:
    def items() -> Iterator[Parsed]:
        yield from _batch(0, 5)
        raise RuntimeError("disk went away")

    with pytest.raises(RuntimeError):
        ingest(store, items(), batch_size=2)
    assert _stored(store) == 4
    assert staleness(store) is None
    assert search(store, "drainage").total == 4


def test_index_failure_after_database_commit_is_caught_up_by_the_next_search(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest(store, _batch(0, 2))
    real_commit = IndexWriter.commit

    def failing_commit(self: IndexWriter, state: object) -> None:
        raise SearchIndexError("no space left on device")

    monkeypatch.setattr(IndexWriter, "commit", failing_commit)
    with pytest.raises(IngestInterrupted, match="ombuds reindex") as caught:
        ingest(store, _batch(2, 2, word="sewerage"))
    assert caught.value.report.added == 2
    monkeypatch.setattr(IndexWriter, "commit", real_commit)

    assert _stored(store) == 4  # the database kept the batch
    assert staleness(store) == "behind the database"
    result = search(store, "sewerage")
    assert result.rebuilt is not None and result.total == 2
    assert _indexed(store) == 4


def test_ingest_refuses_while_another_writer_holds_the_index(store: Store) -> None:
    ingest(store, _batch(0, 1))
    other = open_store(store.url.removeprefix("sqlite:///"))
    with other.index.writer():
        with pytest.raises(IndexBusy, match="another ombuds process"):
            ingest(store, _batch(1, 1))
        assert search(store, "drainage").total == 1  # searching is not blocked
    other.close()
    assert ingest(store, _batch(1, 1)).added == 1


def test_a_folder_that_is_not_an_index_is_never_cleared(tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "letter.txt").write_text("keep me")
    store = open_store(tmp_path / "c.db", index=folder)
    with pytest.raises(SearchIndexError, match="not an ombuds search index"):
        ingest(store, _batch(0, 1))
    assert (folder / "letter.txt").read_text() == "keep me"
    assert _stored(store) == 0
    store.close()


def test_reindex_rebuilds_after_changes_made_outside_ombuds(store: Store) -> None:
    ingest(store, _batch(0, 3))
    with store.begin() as conn:
        conn.execute(text("DELETE FROM decision WHERE reference = '24 001 001'"))
    assert search(store, "drainage").total == 3  # the index cannot know
    assert reindex(store).decisions == 2
    assert search(store, "drainage").total == 2
