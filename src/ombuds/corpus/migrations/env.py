"""Alembic environment: runs on the connection the store hands over, or on a URL.

The store passes its open connection in ``config.attributes["connection"]`` so migrations run
in the same process and transaction; a developer can also run the ``alembic`` command with
``-x db=PATH_OR_URL`` (for example ``alembic -x db=ombuds.db revision --autogenerate``).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from ombuds.corpus.schema import metadata
from ombuds.corpus.url import database_url
from ombuds.office import tables as _casework_tables  # noqa: F401  (same metadata)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    """Online migrations only: the corpus is always migrated against a live database."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    target = context.get_x_argument(as_dictionary=True).get("db") or context.config.get_main_option(
        "sqlalchemy.url"
    )
    if not target:
        raise SystemExit("no database given: pass -x db=PATH_OR_URL")
    engine = create_engine(database_url(target))
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


run()
