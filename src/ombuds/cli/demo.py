"""`ombuds demo`: the main job end to end on the sample complaints, with the SQLite default.

assess every complaint -> draft Markdown, HTML and Word -> read the drafted statements back with
the parser -> store in the corpus the ones that may be published (a published outcome, and the
anonymisation check passed) -> search them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ombuds.cli.assess import complaint_files
from ombuds.cli.options import DbOption, resolve_db
from ombuds.corpus.ingest import ingest
from ombuds.corpus.search import SearchFilters, search
from ombuds.corpus.store import open_store
from ombuds.corpus.url import DEFAULT_DB
from ombuds.drafting import render, statement_for
from ombuds.engine import assess
from ombuds.intake import ComplaintFileError, load_complaint
from ombuds.publication import check_anonymised
from ombuds.reading import ParseError, parse_text
from ombuds.reading.sources import Parsed
from ombuds.rulebook import load_rulebook

ACCEPTANCE_FOLDER = "real"

out = Console()
err = Console(stderr=True)


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        examples: Annotated[Path, typer.Option(help="Folder of sample complaint files.")] = Path(
            "examples"
        ),
        output: Annotated[Path, typer.Option("--out", help="Where statements are written.")] = (
            Path("out")
        ),
        db: DbOption = DEFAULT_DB,
        query: Annotated[str, typer.Option(help="Search to run at the end.")] = (
            "Information Commissioner"
        ),
    ) -> None:
        """Run the main job on the sample complaints: assess, draft, read back, store, search."""
        rulebook = load_rulebook()
        files = complaint_files([examples]) if examples.is_dir() else []
        # examples/real holds acceptance cases (published outcome under `expected:`),
        # scored by `ombuds score`, not samples to draft.
        files = [f for f in files if ACCEPTANCE_FOLDER not in f.relative_to(examples).parts]
        if not files:
            err.print(
                f"{examples}: no complaint files here; run from the repository folder "
                "or pass --examples"
            )
            raise typer.Exit(2)
        output.mkdir(parents=True, exist_ok=True)
        table = Table(title="Recommendations (a person decides)")
        for column in ("reference", "organisation", "recommendation", "tests that applied"):
            table.add_column(column, no_wrap=column != "organisation")
        readable: list[Parsed] = []
        for path in files:
            try:
                complaint = load_complaint(path, rulebook)
            except ComplaintFileError as exc:
                typer.echo(str(exc), err=True)
                raise typer.Exit(2) from None
            assessment = assess(complaint, rulebook)
            statement = statement_for(
                complaint, rulebook, complaint.dates.decision or date.today(), assessment
            )
            stem = output / complaint.reference.replace(" ", "-")
            markdown = str(render(statement, rulebook, "md"))
            stem.with_suffix(".md").write_text(markdown, encoding="utf-8")
            stem.with_suffix(".html").write_text(
                str(render(statement, rulebook, "html")), encoding="utf-8"
            )
            word = render(statement, rulebook, "docx")
            assert isinstance(word, bytes)
            stem.with_suffix(".docx").write_bytes(word)
            table.add_row(
                complaint.reference,
                complaint.organisation,
                assessment.decision_label,
                "\n".join(assessment.tests) or "-",
            )
            findings = check_anonymised(markdown, complaint.organisation)
            for finding in findings:
                typer.echo(f"{stem}.md:{finding}", err=True)
            if statement.publishable and not findings:
                source = str(stem.with_suffix(".md"))
                try:
                    record = parse_text(markdown, source=source)
                except ParseError as exc:
                    typer.echo(f"{source}: could not be read back: {exc}", err=True)
                    raise typer.Exit(1) from None
                readable.append(Parsed(record=record, text=markdown, raw=markdown))
        out.print(table)
        out.print(f"Statements (Markdown, HTML, Word) written to {output}/")

        store = open_store(resolve_db(db))
        try:
            report = ingest(store, readable)
            out.print(
                f"Corpus {db}: {report.added} added, {report.updated} updated, "
                f"{report.unchanged} unchanged, {report.rejected} rejected"
            )
            result = search(store, query, SearchFilters(), limit=5)
        finally:
            store.close()
        out.print(f'Search "{query}": {result.total} decisions')
        for hit in result.hits:
            out.print(f"  {hit.reference}  {hit.organisation}  {hit.decision}")
