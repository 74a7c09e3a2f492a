"""Opening the corpus: the database (engine, SQLite tuning, migrations) and its search index.

Every open upgrades the schema to Alembic's head, so a corpus made by an older ombuds keeps
working; the schema is never created any other way. On PostgreSQL several processes may open
the same new database at once, so migrations there wait on an advisory lock and run one at a
time. The search index is only located here; it is opened (and built, if missing) when first
searched or written. A SQLite file this process cannot write is opened read-only (see
``ombuds.corpus.readonly``): no migration then, and an older schema is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from ombuds.corpus.index import SearchIndex
from ombuds.corpus.readonly import (
    ReadOnlyOpenError,
    is_read_only,
    read_only_engine,
    sqlite_file_read_only,
)
from ombuds.corpus.url import DatabaseTargetError, database_url, display_url, index_location

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# PostgreSQL advisory lock key ("ombuds" + 1) held while migrating, scoped to the database.
MIGRATION_LOCK = 0x6F6D6275647301
# How to install the driver a server backend needs, for the error when it is missing.
_DRIVER_HINTS = {"postgresql": 'pip install "ombuds[postgres]" (the psycopg driver)'}


class StoreError(RuntimeError):
    """The corpus database cannot be opened or migrated."""


@dataclass(frozen=True)
class Store:
    """An open corpus: the engine, its search index, and what callers need to know about them."""

    engine: Engine
    url: str
    index: SearchIndex
    read_only: bool = False

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction: committed on success, rolled back on any error."""
        with self.engine.begin() as conn:
            yield conn

    def close(self) -> None:
        self.index.close()
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers (search, the web app) run while an ingest writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def create_store_engine(url: str, pool_size: int | None = None) -> Engine:
    """An engine with the corpus's connection settings (SQLite pragmas where relevant).

    ``pool_size`` raises the connection pool for a server answering many requests at once.
    """
    options: dict[str, Any] = {}
    if pool_size is not None:
        options = {"pool_size": pool_size, "max_overflow": pool_size}
    try:
        engine = create_engine(url, **options)
    except (ArgumentError, ImportError, ValueError) as exc:
        message = f"cannot use database {display_url(url)!r}: {exc}"
        if isinstance(exc, ImportError):
            hint = _DRIVER_HINTS.get(make_url(url).get_backend_name())
            message += f"; install its driver: {hint}" if hint else ""
        raise StoreError(message) from exc
    read_only = sqlite_file_read_only(url)
    if read_only is not None:
        engine.dispose()
        try:
            return read_only_engine(read_only)
        except ReadOnlyOpenError as exc:
            raise StoreError(str(exc)) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic configuration pointing at the migrations shipped inside the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise StoreError(f"no migrations found in {MIGRATIONS}")
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _one_migration_at_a_time(conn: Connection) -> None:
    """On PostgreSQL, wait until no other process is migrating this database.

    Without it, two processes opening a new database together both create the tables and
    one fails. The lock is released when the transaction ends; Alembic then reads the
    revision afresh (READ COMMITTED), so the second process finds the work done. SQLite is
    left as it was: a file corpus is rarely opened for the first time by two processes.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the schema up to ``revision`` in one transaction."""
    with engine.begin() as conn:
        _one_migration_at_a_time(conn)
        command.upgrade(alembic_config(conn), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the schema down to ``revision`` (``base`` removes every table)."""
    with engine.begin() as conn:
        _one_migration_at_a_time(conn)
        command.downgrade(alembic_config(conn), revision)


def open_store(
    target: str | Path | None = None,
    *,
    migrate: bool = True,
    index: str | Path | None = None,
    pool_size: int | None = None,
) -> Store:
    """Open (creating if needed) the corpus at a path or URL and bring its schema to head.

    ``index`` is the search index folder (default: ``OMBUDS_INDEX``, else beside the database).
    """
    url = database_url(target)
    try:
        index_path = index_location(url, index)
    except DatabaseTargetError as exc:
        raise StoreError(str(exc)) from exc
    engine = create_store_engine(url, pool_size)
    if migrate:
        try:
            if current_revision(engine) != head_revision():
                _refuse_if_read_only(engine, url)
                upgrade(engine)
        except SQLAlchemyError as exc:
            engine.dispose()
            raise StoreError(f"cannot open corpus database {display_url(url)}: {exc}") from exc
    return Store(
        engine=engine, url=url, index=SearchIndex(index_path), read_only=is_read_only(engine)
    )


def _refuse_if_read_only(engine: Engine, url: str) -> None:
    if is_read_only(engine):
        message = (
            f"corpus database {display_url(url)} is read-only and its schema is "
            f"{current_revision(engine) or 'empty'}, not {head_revision()}: open a writable "
            "copy once so ombuds can upgrade it"
        )
        engine.dispose()
        raise StoreError(message)
