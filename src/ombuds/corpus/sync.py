"""Keeping the search index in step with the database, which is the source of truth.

The database's ``corpus_state`` row (a corpus id and a generation that every changing ingest
transaction advances) is compared with the state the index was last committed with. Ingest
writes a batch to the database, commits, then writes the same decisions to the index and
commits it with the new generation; if the process dies in between, the index is behind and
the next search or ingest rebuilds it from the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import tantivy
from sqlalchemy import Connection, select, update

from ombuds.corpus.index import IndexBusy, IndexEntry, IndexState, IndexWriter, SearchIndexError
from ombuds.corpus.rows import PreparedDecision
from ombuds.corpus.schema import corpus_state, decision, decision_test
from ombuds.corpus.store import Store

Staleness = Literal["missing", "another corpus", "behind the database", "damaged"]
_STREAM = 2000


@dataclass(frozen=True)
class Rebuilt:
    """A rebuild that happened: why, and how many decisions the index now holds."""

    reason: Staleness | Literal["asked"]
    decisions: int


def database_state(conn: Connection) -> IndexState:
    row = conn.execute(select(corpus_state.c.corpus_id, corpus_state.c.generation)).one_or_none()
    if row is None:
        raise SearchIndexError(
            "the corpus database has no corpus_state row; it was not made by ombuds' migrations"
        )
    return IndexState(str(row.corpus_id), int(row.generation))


def advance(conn: Connection) -> IndexState:
    """Count one more change, inside the transaction that makes it."""
    conn.execute(update(corpus_state).values(generation=corpus_state.c.generation + 1))
    return database_state(conn)


def entry_from_prepared(row_id: int, prepared: PreparedDecision) -> IndexEntry:
    row = prepared.row
    return IndexEntry(
        id=row_id,
        reference_key=prepared.key,
        reference=row["reference"],
        organisation=row["organisation"],
        category=row["category"],
        summary=row["summary"],
        text=row["text"],
        decision=row["decision"],
        decided=row["decision_date"],
        tests=tuple(prepared.tests),
    )


def stored_entries(conn: Connection) -> Iterator[IndexEntry]:
    """Every stored decision as the index needs it, streamed in id order."""
    tests: dict[int, list[str]] = {}
    for decision_id, test_id in conn.execute(
        select(decision_test.c.decision_id, decision_test.c.test_id)
    ):
        tests.setdefault(int(decision_id), []).append(str(test_id))
    d = decision.c
    rows = conn.execution_options(stream_results=True, yield_per=_STREAM).execute(
        select(
            d.id,
            d.reference_key,
            d.reference,
            d.organisation,
            d.category,
            d.summary,
            d.text,
            d.decision,
            d.decision_date,
        ).order_by(d.id)
    )
    for row in rows:
        yield IndexEntry(
            id=int(row.id),
            reference_key=row.reference_key,
            reference=row.reference,
            organisation=row.organisation,
            category=row.category,
            summary=row.summary,
            text=row.text,
            decision=row.decision,
            decided=row.decision_date,
            tests=tuple(tests.get(int(row.id), ())),
        )


def staleness(store: Store, searcher: tantivy.Searcher | None = None) -> Staleness | None:
    """Why the index (as ``searcher`` sees it) does not reflect the database, or ``None``."""
    with store.engine.connect() as conn:
        current = database_state(conn)
    try:
        indexed = store.index.state(searcher or store.index.searcher())
    except ValueError:  # Tantivy: a segment file missing or damaged
        return "damaged"
    return _compare(indexed, current)


def _compare(indexed: IndexState | None, current: IndexState) -> Staleness | None:
    if indexed is None:
        return "missing"
    if indexed.corpus_id != current.corpus_id:
        return "another corpus"
    if indexed.generation != current.generation:
        return "behind the database"
    return None


def rebuild(store: Store, writer: IndexWriter) -> int:
    """Replace the index's content with every stored decision, in one commit."""
    with store.engine.connect() as conn:
        state = database_state(conn)
        writer.clear()
        count = writer.replace(stored_entries(conn))
    writer.commit(state)
    return count


def rebuild_if_stale(store: Store, writer: IndexWriter) -> Rebuilt | None:
    """For a holder of the index lock: rebuild unless the index is current."""
    reason = staleness(store)
    if reason is None:
        return None
    return Rebuilt(reason, rebuild(store, writer))


def ensure_current(store: Store, searcher: tantivy.Searcher | None = None) -> Rebuilt | None:
    """Before searching: rebuild a missing or stale index from the database.

    While another process holds the index lock (an ingest in progress), an index of this
    corpus that is merely behind is searched as it is; it catches up as that ingest commits.
    """
    reason = staleness(store, searcher)
    if reason is None:
        return None
    try:
        with store.index.writer() as writer:
            return rebuild_if_stale(store, writer)
    except IndexBusy:
        if reason == "behind the database":
            return None
        raise
    except SearchIndexError:
        if store.index.temporary or store.index.writable():
            raise
    # A read-only copy of the corpus: search it through an index built for this run only.
    store.index.use_temporary()
    with store.index.writer() as writer:
        return Rebuilt(reason, rebuild(store, writer))


def repair(store: Store) -> Rebuilt:
    """Start the index again from the database after Tantivy reported it damaged."""
    store.index.reset()
    rebuilt = ensure_current(store)
    return Rebuilt("damaged", rebuilt.decisions if rebuilt is not None else 0)


def reindex(store: Store) -> Rebuilt:
    """Rebuild the index from the database unconditionally (``ombuds reindex``)."""
    if not store.index.writable():
        raise SearchIndexError(
            f"cannot rebuild the search index: {store.index.path} cannot be written here; "
            "give --index a folder you can write (search still works: it builds a temporary "
            "index when the folder is read-only)"
        )
    with store.index.writer() as writer:
        return Rebuilt("asked", rebuild(store, writer))
