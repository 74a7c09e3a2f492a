"""`ombuds assess` and `ombuds schema`: complaint files in, recommendations and statements out."""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ombuds.cli.output import OutputError, OutputPlan, plan_output, write_atomic
from ombuds.domain.assessment import Assessment
from ombuds.domain.complaint import Complaint
from ombuds.domain.outcomes import Recommendation
from ombuds.drafting import Format, StatementError, render, statement_for
from ombuds.engine import assess
from ombuds.intake import ComplaintFileError, load_complaint
from ombuds.intake.safe_read import ComplaintFileTooLarge, read_complaint_text
from ombuds.intake.schema import complaint_schema
from ombuds.rulebook import Rulebook, RulebookError, load_rulebook
from ombuds.sourcemap import DocumentError, load_document


class OutputFormat(StrEnum):
    md = "md"
    html = "html"
    docx = "docx"
    json = "json"


EXTENSIONS = {".yaml", ".yml", ".json"}
FORMATS: dict[OutputFormat, Format] = {
    OutputFormat.md: "md",
    OutputFormat.html: "html",
    OutputFormat.docx: "docx",
}


def complaint_files(paths: list[Path]) -> list[Path]:
    """Files named, and the complaint files inside folders named, in a stable order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.suffix in EXTENSIONS and not p.is_dir())
            )
        else:
            files.append(path)
    return files


def rulebook_with(scheme: str, categories: Path | None) -> Rulebook:
    """The scheme's rulebook, with an office's extra categories when given."""
    if categories is None:
        return load_rulebook(scheme)
    try:
        doc = load_document(read_complaint_text(categories))
    except (OSError, UnicodeDecodeError, DocumentError, ComplaintFileTooLarge) as exc:
        raise RulebookError(f"{categories}: cannot read categories: {exc}") from None
    extra = doc.data.get("categories") if isinstance(doc.data, dict) else None
    if not isinstance(extra, dict):
        raise RulebookError(f"{categories}: expected a top-level 'categories:' mapping")
    return load_rulebook(scheme, extra_categories={str(k): list(v) for k, v in extra.items()})


def assessment_json(
    complaint: Complaint, assessment: Assessment, rulebook: Rulebook, decision_date: date
) -> dict[str, Any]:
    """The assessment as the documented JSON object (with the statement's citations)."""
    statement = statement_for(complaint, rulebook, decision_date, assessment)
    data = assessment.model_dump(mode="json")
    return {
        "reference": data["reference"],
        "organisation": data["organisation"],
        "category": data["category"],
        "decision": data["decision"],
        "decision_label": assessment.decision_label,
        "tests": data["tests"],
        "citations": statement.citations,
        "points": data["points"],
        "rulebook": data["rulebook"],
        **({"questions": data["questions"]} if assessment.questions else {}),
    }


#: Exit status when a recommendation needs information (the questions say what).
NEEDS_INFORMATION_EXIT = 3


def questions_text(path: Path, assessment: Assessment) -> str:
    """The questions that settle an assessment, as lines for the terminal."""
    lines = [
        f"{path}: {assessment.decision.label}: answer these first (`ombuds interview {path}`):"
    ]
    for question in assessment.questions:
        lines.append(
            f"  - [{question.fact}] points {', '.join(question.points)}: {question.question}"
        )
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    @app.command("assess")
    def assess_command(
        cases: Annotated[
            list[Path], typer.Argument(help="Complaint files (YAML/JSON) or folders.")
        ],
        fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = (
            OutputFormat.md
        ),
        output: Annotated[
            Path | None,
            typer.Option("--output", "-o", help="Write here (a folder when several complaints)."),
        ] = None,
        on: Annotated[
            str | None,
            typer.Option(
                "--date", help="Decision date YYYY-MM-DD (default: the file's, else today)."
            ),
        ] = None,
        scheme: Annotated[str, typer.Option(help="The rulebook's scheme.")] = "lgsco",
        categories: Annotated[
            Path | None, typer.Option(help="YAML file of extra categories accepted by this office.")
        ] = None,
        draft: Annotated[
            bool,
            typer.Option(
                "--draft",
                help="Draft a statement even when information is missing (marked as a draft).",
            ),
        ] = False,
    ) -> None:
        """Assess complaints and draft their decision statements (or print the assessment).

        Exit status 3 when a recommendation needs information: JSON lists the questions;
        statements are refused (questions on stderr) unless --draft.
        """
        try:
            decision_date = date.fromisoformat(on) if on else None
        except ValueError:
            typer.echo(f"--date: {on!r} is not a date; write YYYY-MM-DD", err=True)
            raise typer.Exit(2) from None
        try:
            rulebook = rulebook_with(scheme, categories)
        except RulebookError as exc:
            typer.echo(f"rulebook: {exc}", err=True)
            raise typer.Exit(2) from None
        files = complaint_files(cases)
        if not files:
            typer.echo(
                "no complaint files found; name .yaml or .json files or folders holding them",
                err=True,
            )
            raise typer.Exit(2)
        several = len(files) > 1
        if several and output is not None and output.suffix and not output.is_dir():
            typer.echo(f"--output {output}: several complaints need a folder, not a file", err=True)
            raise typer.Exit(2)
        try:
            plan = plan_output(output, several) if output is not None else None
        except OutputError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
        failed = False
        unsettled = False
        for path in files:
            try:
                complaint = load_complaint(path, rulebook)
            except ComplaintFileError as exc:
                for problem in exc.problems:
                    typer.echo(str(problem), err=True)
                failed = True
                continue
            day = decision_date or complaint.dates.decision or date.today()
            assessment = assess(complaint, rulebook)
            if assessment.questions or assessment.decision is Recommendation.NEEDS_INFORMATION:
                unsettled = True
                if fmt is not OutputFormat.json:
                    typer.echo(questions_text(path, assessment), err=True)
                    if not draft:
                        continue
            try:
                if fmt is OutputFormat.json:
                    data: str | bytes = (
                        json.dumps(
                            assessment_json(complaint, assessment, rulebook, day),
                            ensure_ascii=False,
                            indent=None if several else 2,
                        )
                        + "\n"
                    )
                else:
                    statement = statement_for(complaint, rulebook, day, assessment)
                    data = render(statement, rulebook, FORMATS[fmt])
            except StatementError as exc:  # e.g. a main_reason no point is closed for
                typer.echo(f"{path}: {exc}", err=True)
                failed = True
                continue
            try:
                _emit(data, plan, several, complaint.reference, fmt, str(path))
            except OutputError as exc:
                typer.echo(str(exc), err=True)
                failed = True
        if failed:
            raise typer.Exit(2)
        if unsettled:
            raise typer.Exit(NEEDS_INFORMATION_EXIT)

    @app.command("schema")
    def schema_command(
        what: Annotated[str, typer.Argument(help="Which schema: 'complaint'.")] = "complaint",
        scheme: Annotated[str, typer.Option(help="The rulebook's scheme.")] = "lgsco",
    ) -> None:
        """Print the JSON Schema of the complaint file (facts from the scheme's vocabulary)."""
        if what != "complaint":
            typer.echo(f"unknown schema {what!r}; available: complaint", err=True)
            raise typer.Exit(2)
        typer.echo(json.dumps(complaint_schema(load_rulebook(scheme)), indent=2))


def _emit(
    data: str | bytes,
    plan: OutputPlan | None,
    several: bool,
    reference: str,
    fmt: OutputFormat,
    source: str,
) -> None:
    if plan is None:
        if isinstance(data, bytes):
            if sys.stdout.isatty():
                typer.echo("Word output is binary: use -o FILE.docx", err=True)
                raise typer.Exit(2)
            sys.stdout.buffer.write(data)
            return
        typer.echo(data, nl=False)
        if several and fmt is not OutputFormat.json:
            typer.echo("\n---\n")
        return
    target = plan.target(reference, fmt.value, source)
    write_atomic(target, data)
    plan.record(target, source)
    typer.echo(f"wrote {target}", err=True)
