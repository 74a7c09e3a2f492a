"""`ombuds rulebook ...`: look at a scheme's rules, facts and categories, and run its cases."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ombuds.engine.cases import run_cases
from ombuds.rulebook import Rulebook, RulebookError, load_rulebook

out = Console()


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Look at the rulebook and run its test cases.", no_args_is_help=True)
    app.add_typer(group, name="rulebook")

    @group.command("show")
    def show(scheme: Annotated[str, typer.Option(help="The scheme.")] = "lgsco") -> None:
        """List the tests in evaluation order with their citations and exceptions."""
        rulebook = _load(scheme)
        table = Table(title=f"{rulebook.name} rulebook (v{rulebook.version})", show_lines=True)
        for column in ("stage", "id", "question", "citation", "exceptions", "refer to"):
            table.add_column(column, overflow="fold")
        for test in rulebook.tests:
            flag = " [yellow](unconfirmed)[/]" if test.unconfirmed else ""
            bar = " [red]bar[/]" if test.bar else ""
            table.add_row(
                test.stage + bar,
                test.id + flag,
                test.question,
                test.citation,
                "\n".join(f"{e.id}: {e.says}" for e in test.unless) or "none",
                "\n".join(
                    (r.text or f"(the {r.fact} fact)")
                    + (" (K)" if r.unconfirmed else "")
                    + (f" when {r.when}" if r.when else "")
                    for r in test.refer_to
                ),
            )
        out.print(table)

    @group.command("facts")
    def facts(scheme: Annotated[str, typer.Option(help="The scheme.")] = "lgsco") -> None:
        """List the facts an assessor can record, with the question each answers."""
        rulebook = _load(scheme)
        table = Table(title="Facts")
        for column in ("fact", "type", "question"):
            table.add_column(column, overflow="fold")
        for fact in rulebook.facts.values():
            kind = f"enum: {', '.join(fact.values)}" if fact.values else fact.type
            note = f" [dim](worked out from {fact.source})[/]" if fact.derived else ""
            if fact.presume is not None:
                note += f" [dim](presumed {fact.presume!r} unless recorded)[/]"
            table.add_row(fact.name, kind, fact.ask + note)
        out.print(table)

    @group.command("categories")
    def categories(scheme: Annotated[str, typer.Option(help="The scheme.")] = "lgsco") -> None:
        """List the accepted categories as 'Top level > Subcategory'."""
        rulebook = _load(scheme)
        for top, subs in rulebook.categories.items():
            for sub in subs:
                typer.echo(f"{top} > {sub}")

    @group.command("test")
    def test(scheme: Annotated[str, typer.Option(help="The scheme.")] = "lgsco") -> None:
        """Run the rulebook's YAML test cases; exit 1 if any fails or a test lacks cases."""
        rulebook = _load(scheme)
        try:
            report = run_cases(rulebook)
        except RulebookError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
        for result in report.results:
            if not result.passed:
                typer.echo(f"FAIL {result.file}:{result.line}: {result.name}", err=True)
                for failure in result.failures:
                    typer.echo(f"     {failure}", err=True)
        for gap in report.coverage_gaps:
            typer.echo(f"GAP  {gap}", err=True)
        passed = sum(r.passed for r in report.results)
        failed = len(report.results) - passed
        typer.echo(f"{passed} passed, {failed} failed")
        if not report.passed:
            raise typer.Exit(1)


def _load(scheme: str) -> Rulebook:
    try:
        return load_rulebook(scheme)
    except RulebookError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
