"""Opening a SQLite corpus this process cannot write: read-only, with no write of any kind.

A copy handed to a reviewer (file mode 0444, a read-only folder or file system) must still
answer `search` and `stats`. SQLite is then opened with ``mode=ro`` and without the pragmas
that write (``journal_mode=WAL``); where it cannot even make its WAL index beside the file
(the folder is read-only), with ``immutable=1``. Migrations are not attempted.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError


class ReadOnlyOpenError(RuntimeError):
    """The read-only file cannot be read either."""


def sqlite_file_read_only(url: str) -> Path | None:
    """The SQLite file behind ``url`` when it exists and this process cannot write it."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):
        return None  # a URI the caller wrote: taken as given
    path = Path(database)
    if not path.is_file():
        return None
    # SQLite writes the file and, for its journal, the folder: both must be writable.
    if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        return None
    return path


def is_read_only(engine: Engine) -> bool:
    """The engine was made by :func:`read_only_engine`."""
    return engine.url.query.get("mode") == "ro"


def read_only_engine(path: Path) -> Engine:
    """A read-only engine on ``path``; ``immutable`` when SQLite cannot make its -shm file."""
    for extra in ("", "&immutable=1"):
        engine = create_engine(f"sqlite:///file:{path}?mode=ro{extra}&uri=true")
        event.listen(engine, "connect", _read_only_pragmas)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT count(*) FROM sqlite_master"))
        except SQLAlchemyError:
            engine.dispose()
            continue
        return engine
    raise ReadOnlyOpenError(
        f"cannot open corpus database {path} (read-only): SQLite cannot read it"
    )


def _read_only_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
