"""Storing parsed decisions: idempotent by reference, streamed in batches, one transaction each.

A batch either lands whole or not at all. If the database refuses a batch because of one
record's data (an integrity or data error), the batch is retried one decision at a time so
only that decision is rejected; any other database failure stops the ingest, leaving the
batches already committed intact.

The search index follows the database batch by batch: once a batch's transaction has
committed, the decisions it changed replace their old versions in the index, which is then
committed with the database's new generation. A batch the database rolled back never reaches
the index. The ingest holds the index's writer lock throughout, so ingests do not interleave.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable

from sqlalchemy import Connection, bindparam, delete, insert, select, update
from sqlalchemy.exc import DataError, IntegrityError, SQLAlchemyError

from ombuds.corpus.index import IndexBusy, IndexEntry, IndexState, IndexWriter, SearchIndexError
from ombuds.corpus.rows import PreparedDecision, prepare
from ombuds.corpus.schema import citation, decision, decision_test, remedy
from ombuds.corpus.store import Store
from ombuds.corpus.sync import advance, entry_from_prepared, rebuild_if_stale
from ombuds.domain.record import DecisionRecord

DEFAULT_BATCH = 500


@runtime_checkable
class ParsedDecision(Protocol):
    """What the reader yields for a decision it could read (``ombuds.reading.Parsed``)."""

    @property
    def record(self) -> DecisionRecord: ...
    @property
    def text(self) -> str: ...
    @property
    def raw(self) -> str: ...


@runtime_checkable
class FailedSource(Protocol):
    """What the reader yields for input it could not read (``ombuds.reading.ParseFailure``)."""

    @property
    def source(self) -> str: ...
    @property
    def message(self) -> str: ...


@dataclass(frozen=True)
class Rejection:
    """An input that was not stored, and why."""

    source: str
    reason: str


@dataclass
class IngestReport:
    """What an ingest did, counted per decision read."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    @property
    def stored(self) -> int:
        return self.added + self.updated + self.unchanged

    def merge(self, other: IngestReport) -> None:
        self.added += other.added
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.rejections.extend(other.rejections)


class IngestInterrupted(RuntimeError):
    """The database or the search index failed mid-ingest; ``report`` counts what was stored."""

    def __init__(self, report: IngestReport, message: str) -> None:
        super().__init__(message)
        self.report = report

    @classmethod
    def database(cls, report: IngestReport, cause: SQLAlchemyError) -> IngestInterrupted:
        return cls(
            report,
            f"the database failed: {cause}. Batches committed before the failure are stored "
            f"({report.stored} decisions); the batch in progress was rolled back, so nothing is "
            "half-written. Fix the cause and run the same ingest again.",
        )

    @classmethod
    def index(cls, report: IngestReport, cause: Exception) -> IngestInterrupted:
        return cls(
            report,
            f"the search index could not be updated: {cause}. The database holds every batch "
            f"read so far ({report.stored} decisions); the index is rebuilt from it on the next "
            "search, or run `ombuds reindex`. Fix the cause and run the same ingest again.",
        )


@dataclass
class _Written:
    """A batch's outcome: counts, the decisions it changed, the database state after it."""

    report: IngestReport = field(default_factory=IngestReport)
    entries: list[IndexEntry] = field(default_factory=list)
    state: IndexState | None = None

    def merge(self, other: _Written) -> None:
        self.report.merge(other.report)
        self.entries.extend(other.entries)
        self.state = other.state or self.state


@dataclass(frozen=True)
class _Item:
    source: str
    prepared: PreparedDecision


def _source_of(parsed: ParsedDecision) -> str:
    return parsed.record.source or parsed.record.url or "<unknown source>"


def ingest(
    store: Store,
    items: Iterable[ParsedDecision | FailedSource],
    *,
    batch_size: int = DEFAULT_BATCH,
    on_item: Callable[[str], None] | None = None,
) -> IngestReport:
    """Store every readable decision; count added, updated, unchanged; list what was rejected.

    ``on_item`` is called with each input's source as it is consumed (for progress display).
    Raises ``IndexBusy`` (before reading anything) if another process is writing the index.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    report = IngestReport()
    pending: list[_Item] = []
    with store.index.writer() as writer:
        try:
            rebuild_if_stale(store, writer)
        except SQLAlchemyError as exc:
            raise IngestInterrupted.database(report, exc) from exc
        for item in items:
            source = _take(item, report, pending)
            if on_item is not None:
                on_item(source)
            if len(pending) >= batch_size:
                _store_batch(store, writer, pending, report)
                pending = []
        if pending:
            _store_batch(store, writer, pending, report)
    return report


def _store_batch(
    store: Store, writer: IndexWriter, batch: list[_Item], report: IngestReport
) -> None:
    """Write a batch to the database, then what it changed to the index."""
    try:
        written = _write_batch(store, batch)
    except SQLAlchemyError as exc:
        raise IngestInterrupted.database(report, exc) from exc
    report.merge(written.report)
    if written.state is None:
        return  # nothing changed
    try:
        writer.replace(written.entries)
        writer.commit(written.state)
    except (SearchIndexError, ValueError, OSError) as exc:
        raise IngestInterrupted.index(report, exc) from exc


def _take(item: ParsedDecision | FailedSource, report: IngestReport, pending: list[_Item]) -> str:
    """Queue a readable decision, or record why an input is rejected; returns its source."""
    if isinstance(item, ParsedDecision):
        source = _source_of(item)
        prepared = prepare(item.record, item.text, item.raw)
        if isinstance(prepared, str):
            report.rejections.append(Rejection(source, prepared))
        else:
            pending.append(_Item(source, prepared))
        return source
    if isinstance(item, FailedSource):
        report.rejections.append(Rejection(item.source, item.message))
        return item.source
    raise TypeError(f"ingest expected parsed decisions or failures, got {type(item)!r}")


def _write_batch(store: Store, batch: list[_Item]) -> _Written:
    try:
        with store.begin() as conn:
            return _write(conn, batch)
    except (IntegrityError, DataError):
        if len(batch) == 1:
            raise
    # One decision's data was refused: find it by storing the batch one decision at a time.
    written = _Written()
    for item in batch:
        try:
            with store.begin() as conn:
                written.merge(_write(conn, [item]))
        except (IntegrityError, DataError) as exc:
            reason = str(exc.orig) if exc.orig is not None else str(exc)
            written.report.rejections.append(
                Rejection(item.source, f"database refused it: {reason}")
            )
    return written


def _write(conn: Connection, batch: list[_Item]) -> _Written:
    """Write one batch on an open transaction; a repeated reference keeps the last version."""
    report = IngestReport()
    existing = {
        key: (row_id, stored_hash)
        for key, row_id, stored_hash in conn.execute(
            select(decision.c.reference_key, decision.c.id, decision.c.content_hash).where(
                decision.c.reference_key.in_({item.prepared.key for item in batch})
            )
        )
    }
    to_insert: dict[str, PreparedDecision] = {}
    to_update: dict[str, PreparedDecision] = {}
    for item in batch:
        prepared = item.prepared
        key = prepared.key
        pending = to_insert.get(key) or to_update.get(key)
        known_hash = pending.content_hash if pending else existing.get(key, (0, None))[1]
        if known_hash == prepared.content_hash:
            report.unchanged += 1
        elif key in to_insert:
            to_insert[key] = prepared
            report.updated += 1
        elif key in existing:
            to_update[key] = prepared
            report.updated += 1
        else:
            to_insert[key] = prepared
            report.added += 1

    now = datetime.now(UTC)
    ids: dict[str, int] = {}
    if to_insert:
        rows = [{**p.row, "ingested_at": now, "updated_at": now} for p in to_insert.values()]
        result = conn.execute(
            insert(decision).returning(
                decision.c.id, decision.c.reference_key, sort_by_parameter_order=True
            ),
            rows,
        )
        ids.update({key: row_id for row_id, key in result})
    if to_update:
        update_ids = {key: existing[key][0] for key in to_update}
        conn.execute(
            update(decision).where(decision.c.id == bindparam("_id")),
            [{**p.row, "_id": update_ids[key], "updated_at": now} for key, p in to_update.items()],
        )
        stale = list(update_ids.values())
        for table in (decision_test, citation, remedy):
            conn.execute(delete(table).where(table.c.decision_id.in_(stale)))
        ids.update(update_ids)
    changed = {**to_insert, **to_update}
    if not changed:
        return _Written(report)
    _write_children(conn, changed, ids)
    entries = [entry_from_prepared(ids[key], prepared) for key, prepared in changed.items()]
    return _Written(report, entries, advance(conn))


def _write_children(
    conn: Connection, decisions: dict[str, PreparedDecision], ids: dict[str, int]
) -> None:
    tests = [
        {"decision_id": ids[key], "test_id": test_id}
        for key, p in decisions.items()
        for test_id in p.tests
    ]
    citations = [
        {"decision_id": ids[key], "position": n, "text": text}
        for key, p in decisions.items()
        for n, text in enumerate(p.citations)
    ]
    remedies = [
        {"decision_id": ids[key], "position": n, **r}
        for key, p in decisions.items()
        for n, r in enumerate(p.remedies)
    ]
    for table, rows in ((decision_test, tests), (citation, citations), (remedy, remedies)):
        if rows:
            conn.execute(insert(table), rows)


def store_on(conn: Connection, parsed: ParsedDecision) -> _Written | str:
    """Store one decision on the caller's open transaction; the reason if it cannot be stored.

    For a change that must land together with the decision (the casework service publishing a
    case writes the case's new state and its audit event on the same transaction). Once that
    transaction commits, pass the result to :func:`index_stored`.
    """
    prepared = prepare(parsed.record, parsed.text, parsed.raw)
    if isinstance(prepared, str):
        return prepared
    return _write(conn, [_Item(_source_of(parsed), prepared)])


def index_stored(store: Store, written: _Written) -> None:
    """Bring the search index up to a committed :func:`store_on`, incrementally if it can.

    If the index is not exactly one change behind (another writer got in between), it is
    rebuilt from the database. If another process holds the index, nothing is done here: that
    holder, or the next search, brings the index up to the database.
    """
    state = written.state
    if state is None:
        return
    try:
        with store.index.writer() as writer:
            indexed = store.index.state(store.index.searcher())
            follows = (
                indexed is not None
                and indexed.corpus_id == state.corpus_id
                and indexed.generation == state.generation - 1
            )
            if follows:
                writer.replace(written.entries)
                writer.commit(state)
            else:
                rebuild_if_stale(store, writer)
    except IndexBusy:
        return
