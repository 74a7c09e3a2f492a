"""Opening the corpus: the database (engine, SQLite tuning, migrations) and its search index.

Every open upgrades the schema to Alembic's head, so a corpus made by an older ombuds keeps
working; the schema is never created any other way. The search index is only located here;
it is opened (and built, if missing) when first searched or written.
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
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from ombuds.corpus.index import SearchIndex
from ombuds.corpus.url import DatabaseTargetError, database_url, index_location

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class StoreError(RuntimeError):
    """The corpus database cannot be opened or migrated."""


@dataclass(frozen=True)
class Store:
    """An open corpus: the engine, its search index, and what callers need to know about them."""

    engine: Engine
    url: str
    index: SearchIndex

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


def create_store_engine(url: str) -> Engine:
    """An engine with the corpus's connection settings (SQLite pragmas where relevant)."""
    try:
        engine = create_engine(url)
    except (ArgumentError, ImportError, ValueError) as exc:
        raise StoreError(f"cannot use database {url!r}: {exc}") from exc
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


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the schema up to ``revision`` in one transaction."""
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the schema down to ``revision`` (``base`` removes every table)."""
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), revision)


def open_store(
    target: str | Path | None = None,
    *,
    migrate: bool = True,
    index: str | Path | None = None,
) -> Store:
    """Open (creating if needed) the corpus at a path or URL and bring its schema to head.

    ``index`` is the search index folder (default: ``OMBUDS_INDEX``, else beside the database).
    """
    url = database_url(target)
    try:
        index_path = index_location(url, index)
    except DatabaseTargetError as exc:
        raise StoreError(str(exc)) from exc
    engine = create_store_engine(url)
    if migrate:
        try:
            if current_revision(engine) != head_revision():
                upgrade(engine)
        except SQLAlchemyError as exc:
            engine.dispose()
            raise StoreError(f"cannot open corpus database {url}: {exc}") from exc
    return Store(engine=engine, url=url, index=SearchIndex(index_path))
