"""`ombuds check-anonymised`: the check a statement must pass before publication."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ombuds.publication import check_anonymised


def register(app: typer.Typer) -> None:
    @app.command("check-anonymised")
    def check(
        files: Annotated[list[Path], typer.Argument(help="Statements (Markdown, text or HTML).")],
    ) -> None:
        """Look for personal data in statements; exit 1 if any must be fixed before publishing."""
        failed = False
        for path in files:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                typer.echo(f"{path}: cannot read: {exc}", err=True)
                failed = True
                continue
            findings = check_anonymised(text)
            for finding in findings:
                typer.echo(f"{path}:{finding}", err=True)
            if findings:
                failed = True
            else:
                typer.echo(f"{path}: passed")
        if failed:
            raise typer.Exit(1)
