"""`ombuds score`: run the engine on real decisions encoded as complaints and score it."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ombuds.acceptance import CaseScore, Score, fold_of, score, score_case
from ombuds.cli.assess import complaint_files
from ombuds.engine import assess
from ombuds.intake import ComplaintFileError
from ombuds.intake.expected import load_case
from ombuds.rulebook import RulebookError, load_rulebook


class Fold(StrEnum):
    even = "even"
    odd = "odd"


def register(app: typer.Typer) -> None:
    @app.command("score")
    def score_command(
        paths: Annotated[
            list[Path], typer.Argument(help="Acceptance case files or folders (examples/real).")
        ],
        all_cases: Annotated[
            bool, typer.Option("--all", help="List every case, not only those that differ.")
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print the score as JSON.")] = False,
        fold: Annotated[
            Fold | None,
            typer.Option(help="Score only the cases whose reference ends in an even/odd digit."),
        ] = None,
        scheme: Annotated[str, typer.Option(help="The rulebook's scheme.")] = "lgsco",
    ) -> None:
        """Compare recommendations with the published outcomes and reasons; last line = score."""
        try:
            rulebook = load_rulebook(scheme)
        except RulebookError as exc:
            typer.echo(f"rulebook: {exc}", err=True)
            raise typer.Exit(2) from None
        files = complaint_files(paths)
        if not files:
            typer.echo("no case files found; name .yaml files or folders holding them", err=True)
            raise typer.Exit(2)
        cases: list[CaseScore] = []
        failed = False
        for path in files:
            try:
                case = load_case(path, rulebook)
            except ComplaintFileError as exc:
                for problem in exc.problems:
                    typer.echo(str(problem), err=True)
                failed = True
                continue
            if fold is not None and fold_of(case.complaint.reference) != fold.value:
                continue
            assessment = assess(case.complaint, rulebook)
            cases.append(score_case(str(path), case.expectation, assessment))
        if failed:
            typer.echo("not scored: fix the files above first", err=True)
            raise typer.Exit(2)
        result = score(cases)
        if as_json:
            typer.echo(json.dumps(_as_json(result), indent=2))
        else:
            _print(result, all_cases)
        typer.echo(result.summary())


def _tests(tests: frozenset[str]) -> str:
    return ", ".join(sorted(tests)) or "-"


def _print(result: Score, all_cases: bool) -> None:
    for case in result.cases:
        if not all_cases and case.agrees and case.exact_tests:
            continue
        mark = "ok  " if case.agrees and case.exact_tests else "DIFF"
        typer.echo(
            f"{mark} {case.name}: published {case.expected_decision} "
            f"[{_tests(case.expected_tests)}]; recommended {case.decision.value} "
            f"[{_tests(case.tests)}]"
        )
        if case.missed:
            typer.echo(f"       missed: {_tests(case.missed)}")
        if case.extra:
            typer.echo(f"       extra:  {_tests(case.extra)}")
        if case.questions:
            typer.echo(f"       asks:   {', '.join(case.questions)}")
    typer.echo(f"{'test':<40} {'tp':>3} {'fp':>3} {'fn':>3}")
    for test, counts in result.per_test.items():
        typer.echo(f"{test:<40} {counts.tp:>3} {counts.fp:>3} {counts.fn:>3}")


def _as_json(result: Score) -> dict[str, object]:
    return {
        "cases": [
            {
                "file": c.name,
                "reference": c.reference,
                "published": c.expected_decision,
                "published_tests": sorted(c.expected_tests),
                "recommended": c.decision.value,
                "tests": sorted(c.tests),
                "agrees": c.agrees,
                "exact_tests": c.exact_tests,
                "questions": list(c.questions),
            }
            for c in result.cases
        ],
        "per_test": {t: vars(c) for t, c in result.per_test.items()},
        "decision_agreement": [result.agreed, result.n],
        "precision": result.precision,
        "recall": result.recall,
        "micro_f1": result.f1,
        "exact_test_sets": [result.exact, result.n],
    }
