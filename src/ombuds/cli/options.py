"""Options shared by several commands: where the corpus database is.

``DbOption`` is used by every command that touches the corpus (ingest, search, stats, fetch,
the web app), so ``--db`` and ``OMBUDS_DB`` behave the same everywhere.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ombuds.corpus.url import DEFAULT_DB, ENV_VAR, DatabaseTargetError, database_url

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


def resolve_db(value: str | None = None) -> str:
    """The URL for ``--db``/``OMBUDS_DB`` (default ``ombuds.db`` here); exit 2 if unusable."""
    try:
        return database_url(value or DEFAULT_DB)
    except DatabaseTargetError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--db' / OMBUDS_DB") from exc
