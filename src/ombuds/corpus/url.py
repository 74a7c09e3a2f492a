"""Where the corpus lives: a file path or an SQLAlchemy URL, turned into one URL.

Shared by the CLI, the web app and migrations so that ``--db`` and ``OMBUDS_DB`` mean the same
thing everywhere.
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_DB = "ombuds.db"
ENV_VAR = "OMBUDS_DB"


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
