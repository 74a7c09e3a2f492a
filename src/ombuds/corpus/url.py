"""Where the corpus lives: the database (a file path or an SQLAlchemy URL) and its search index.

Shared by the CLI, the web app and migrations so that ``--db``/``OMBUDS_DB`` and
``--index``/``OMBUDS_INDEX`` mean the same thing everywhere.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_DB = "ombuds.db"
ENV_VAR = "OMBUDS_DB"
INDEX_ENV_VAR = "OMBUDS_INDEX"
INDEX_SUFFIX = ".index"
_UNSAFE = re.compile(r"[^\w.-]+")


class DatabaseTargetError(ValueError):
    """The --db value or OMBUDS_DB cannot name a database."""


def database_url(target: str | Path | None) -> str:
    """A path becomes an absolute ``sqlite:///`` URL; anything with ``://`` is used as given."""
    text = str(target if target is not None else DEFAULT_DB).strip()
    if not text:
        raise DatabaseTargetError(
            f"empty database target: give --db PATH (or set {ENV_VAR}) to a file path "
            "or an SQLAlchemy URL such as postgresql+psycopg://user@host/ombuds"
        )
    if "://" in text:
        return text
    path = Path(text).expanduser().resolve()
    if path.is_dir():
        raise DatabaseTargetError(
            f"database path {path} is a folder: give a file name, e.g. {path / DEFAULT_DB}"
        )
    if not path.parent.is_dir():
        raise DatabaseTargetError(
            f"folder {path.parent} for database {path.name} does not exist: create it first"
        )
    return f"sqlite:///{path}"


def display_url(db_url: str) -> str:
    """The URL with any password masked, for messages and logs (server URLs may carry one)."""
    try:
        url = make_url(db_url)
    except ArgumentError:
        return db_url
    return db_url if url.password is None else url.render_as_string(hide_password=True)


def index_location(db_url: str, index: str | Path | None = None) -> Path:
    """The search index folder: ``index``, else ``OMBUDS_INDEX``, else beside the database.

    A SQLite file ``corpus.db`` gets ``corpus.db.index`` next to it. A server database (or an
    in-memory one) has no file to sit beside, so it gets ``<database name>.index`` in the
    current folder: ``postgresql+psycopg://u@host/ombuds`` -> ``./ombuds.index``. Give a
    server database a fixed ``--index``/``OMBUDS_INDEX`` so every command, run from any
    folder, shares one index; an index that is missing or stale is rebuilt from the database.
    """
    chosen = index if index is not None else os.environ.get(INDEX_ENV_VAR) or None
    if chosen is not None:
        text = str(chosen).strip()
        if not text:
            raise DatabaseTargetError(
                f"empty search index folder: give --index FOLDER (or set {INDEX_ENV_VAR})"
            )
        path = Path(text).expanduser().resolve()
        if path.exists() and not path.is_dir():
            raise DatabaseTargetError(
                f"search index path {path} is a file: give a folder (it is created if missing)"
            )
        if not path.parent.is_dir():
            raise DatabaseTargetError(
                f"folder {path.parent} for search index {path.name} does not exist: create it first"
            )
        return path
    try:
        url = make_url(db_url)
    except ArgumentError as exc:
        raise DatabaseTargetError(f"cannot read database URL {db_url!r}: {exc}") from exc
    database = url.database or ""
    if url.get_backend_name() == "sqlite" and database and database != ":memory:":
        db_file = Path(database).expanduser().resolve()
        return db_file.with_name(db_file.name + INDEX_SUFFIX)
    name = _UNSAFE.sub("_", Path(database).name if database else "").strip("._") or "ombuds"
    return Path.cwd().resolve() / f"{name}{INDEX_SUFFIX}"
