"""Options shared by several commands: where the corpus database and its search index are.

``DbOption`` is used by every command that touches the corpus (ingest, search, stats, fetch,
the web app), so ``--db`` and ``OMBUDS_DB`` behave the same everywhere; ``IndexOption`` by
those that read or write the search index (``OMBUDS_INDEX`` is honoured by all of them).
"""

from __future__ import annotations

from typing import Annotated

import typer

from ombuds.corpus.url import (
    DEFAULT_DB,
    ENV_VAR,
    INDEX_ENV_VAR,
    DatabaseTargetError,
    database_url,
    index_location,
)

DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        envvar=ENV_VAR,
        help=(
            "Corpus database: a SQLite file path or an SQLAlchemy URL "
            "(e.g. postgresql+psycopg://user@host/ombuds)."
        ),
        show_envvar=True,
    ),
]

IndexOption = Annotated[
    str | None,
    typer.Option(
        "--index",
        envvar=INDEX_ENV_VAR,
        help=(
            "Search index folder, derived from the database and rebuilt from it when missing "
            "or stale (default: beside a SQLite file, e.g. ombuds.db.index; for a server "
            "database, <database name>.index in the current folder)."
        ),
        show_envvar=True,
    ),
]


def resolve_db(value: str | None = None) -> str:
    """The URL for ``--db``/``OMBUDS_DB`` (default ``ombuds.db`` here); exit 2 if unusable."""
    try:
        return database_url(value or DEFAULT_DB)
    except DatabaseTargetError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--db' / OMBUDS_DB") from exc


def resolve_index(db_url: str, value: str | None = None) -> str:
    """The folder for ``--index``/``OMBUDS_INDEX`` (default beside the database); exit 2 if bad."""
    try:
        return str(index_location(db_url, value))
    except DatabaseTargetError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--index' / OMBUDS_INDEX") from exc
