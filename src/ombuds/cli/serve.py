"""`ombuds serve` (the casework service) and `ombuds users` (people and their tokens)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from ombuds.cli.options import DbOption, IndexOption, resolve_db
from ombuds.corpus.store import Store, StoreError, open_store
from ombuds.corpus.url import DEFAULT_DB
from ombuds.office import people
from ombuds.office.errors import CaseworkError
from ombuds.office.office import Office

CLI_ACTOR = "command line"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# Threads answering requests at once (uvicorn's pool) need a connection each.
POOL_SIZE = 40

users_app = typer.Typer(help="People who use the casework service, and their tokens.")


def _open(db: str, index: str | None = None, pool_size: int | None = None) -> Store:
    try:
        return open_store(resolve_db(db), index=index, pool_size=pool_size)
    except StoreError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")

    @app.command("serve")
    def serve(
        db: DbOption = DEFAULT_DB,
        index: IndexOption = None,
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).")] = 8000,
        demo: Annotated[
            bool, typer.Option("--demo", help="Add demo users and the example cases first.")
        ] = False,
        examples: Annotated[
            Path, typer.Option(help="Folder of complaint files --demo opens as cases.")
        ] = Path("examples"),
        model: Annotated[
            Path | None,
            typer.Option(
                "--model",
                help="Suggestion model for the assessment pages, from `ombuds train` "
                "(default: the one shipped).",
            ),
        ] = None,
    ) -> None:
        """Run the casework service (JSON API under /api/, OpenAPI at /openapi.json)."""
        import uvicorn

        from ombuds.office.demo import seed
        from ombuds.server.app import create_app
        from ombuds.suggest.model import ModelError

        store = _open(db, index, POOL_SIZE)
        office = Office(store, suggest_model=model)
        try:
            office.suggester()  # loaded now: a bad --model is said before anyone signs in
        except ModelError as exc:
            store.close()
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
        if demo:
            if not examples.is_dir():
                typer.echo(
                    f"{examples}: no such folder; run from the repository or pass --examples",
                    err=True,
                )
                raise typer.Exit(2)
            users, added = seed(office, examples)
            where = f"http://{host}:{port}"
            typer.echo(f"Demo: {added} example cases opened. Demo users (new passwords each run):")
            for user in users:
                typer.echo(f"  {user.name:16} {user.role:9} password: {user.password}")
            first = users[0]
            typer.echo(
                f"Sign in at {where}/ in a browser, or from a shell:\n"
                f"  curl -c jar.txt -H 'Content-Type: application/json' -d "
                f'\'{{"username": "{first.name}", "password": "{first.password}"}}\' '
                f"{where}/api/session\n  curl -b jar.txt {where}/api/cases"
            )
        # Plain HTTP on this machine only: browsers would not send a Secure cookie there.
        secure = host not in LOOPBACK
        app = create_app(office, cookie_secure=secure)
        logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(message)s")
        try:
            uvicorn.run(app, host=host, port=port, access_log=False, log_level="info")
        finally:
            store.close()

    @users_app.command("add")
    def add(
        name: Annotated[str, typer.Argument(help="Sign-in name, e.g. 'asha.k'.")],
        role: Annotated[str, typer.Option(help="assessor, reviewer, admin or auditor.")],
        password_stdin: Annotated[
            bool, typer.Option("--password-stdin", help="Read the password from standard input.")
        ] = False,
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """Add a user (passwords are read from standard input, never from the command line)."""
        if not password_stdin:
            typer.echo("give --password-stdin and the password on standard input", err=True)
            raise typer.Exit(2)
        password = sys.stdin.readline().rstrip("\r\n")
        store = _open(db)
        try:
            with store.begin() as conn:
                people.add_user(conn, CLI_ACTOR, name, role, password)
        except CaseworkError as exc:
            _fail(exc)
        finally:
            store.close()
        typer.echo(f"added {name} ({role})")

    @users_app.command("token")
    def token(
        name: Annotated[str, typer.Argument(help="The user the token signs in as.")],
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """Print a new bearer token for scripts (Authorization: Bearer TOKEN); shown once."""
        store = _open(db)
        try:
            with store.begin() as conn:
                secret = people.issue_token(conn, CLI_ACTOR, name)
        except CaseworkError as exc:
            _fail(exc)
        finally:
            store.close()
        typer.echo(secret)

    @users_app.command("list")
    def list_users(db: DbOption = DEFAULT_DB) -> None:
        """The users, their roles and whether they are active."""
        store = _open(db)
        try:
            with store.engine.connect() as conn:
                for user in people.list_users(conn):
                    state = "" if user.active else "  (deactivated)"
                    typer.echo(f"{user.name}\t{user.role}{state}")
        finally:
            store.close()


def _fail(exc: CaseworkError) -> None:
    problems = exc.extra.get("errors")
    typer.echo(f"{exc.detail}", err=True)
    if isinstance(problems, list):
        for problem in problems:
            typer.echo(f"  {problem['field']}: {problem['message']}", err=True)
    raise typer.Exit(2 if exc.status in {409, 422} else 1)
