"""The ``ombuds`` command: one typer app; each module in this package adds its commands."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="ombuds",
    help="Assess complaints, draft decision statements and study published decisions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    # Imported here so each module stays free to import the app without a cycle.
    from ombuds.cli import (
        assess,
        corpus,
        demo,
        fetch,
        interview,
        publication,
        reading,
        rulebook,
        score,
    )

    for module in (demo, assess, interview, score, rulebook, publication, reading, corpus, fetch):
        module.register(app)


_register()
