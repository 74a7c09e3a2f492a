"""`ombuds interview FILE`: ask the questions that settle a recommendation, one at a time.

Each answer (yes / no / don't know, or a value, plus an optional note) is written back into the
complaint file at once, keeping its comments and order, so stopping half way loses nothing.
The next question is always the one the engine ranks first on the file as it now stands (with
``--suggest``, those the complaint's likely reasons ask about come first, as in the web app);
the interview stops when the recommendation is settled. It reads plain lines, so it works with
piped answers as well as at a terminal.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, TextIO

import typer
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from ombuds.domain.assessment import Assessment, Question
from ombuds.domain.complaint import Complaint, FactValue
from ombuds.domain.outcomes import Recommendation
from ombuds.engine import ask_next, assess
from ombuds.intake import ComplaintFileError, parse_complaint
from ombuds.rulebook import Rulebook, RulebookError
from ombuds.rulebook.model import Fact

YES = {"y", "yes", "true"}
NO = {"n", "no", "false"}
DONT_KNOW = {"", "?", "d", "dk", "don't know", "dont know", "not known", "unknown"}
NEEDS_INFORMATION_EXIT = 3


class _Unknown:
    """The assessor does not know: the question is skipped for the rest of the interview."""


UNKNOWN = _Unknown()


def read_answer(line: str, fact: Fact) -> FactValue | _Unknown | date:
    """The value an answer line gives for ``fact`` (or, for a fact worked out from a date, the
    date itself); ValueError says what is expected."""
    text = line.strip()
    lowered = text.lower()
    if lowered in DONT_KNOW:
        return UNKNOWN
    if fact.date is not None and len(text) == 10 and text[4] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError("write a date as YYYY-MM-DD") from None
    if fact.type == "bool":
        if lowered in YES:
            return True
        if lowered in NO:
            return False
        raise ValueError("answer yes, no or don't know (y / n / ?)")
    if fact.type == "enum":
        if lowered in fact.values:
            return lowered
        raise ValueError(f"answer one of {', '.join(fact.values)}, or ? if you don't know")
    if fact.type == "int":
        try:
            number = int(text)
        except ValueError:
            raise ValueError("answer a whole number, or ? if you don't know") from None
        if number < 0:
            raise ValueError("answer a whole number of zero or more")
        return number
    return text


def prompt_for(
    question: Question, label: str, fact: Fact, complaint: Complaint, reason: str | None = None
) -> str:
    """The question as shown: which point, what it is about, why it comes now (when a likely
    reason put it first), and how to answer."""
    alleged = {p.label: p.alleged for p in complaint.points}
    about = f"{label}) {alleged[label]}"
    if fact.date is not None:
        how = (
            "yes / no / a date YYYY-MM-DD / don't know"
            if fact.type == "bool"
            else ("a number / a date YYYY-MM-DD / don't know")
        )
    elif fact.type == "bool":
        how = "yes / no / don't know"
    elif fact.type == "enum":
        how = " / ".join([*fact.values, "don't know"])
    elif fact.type == "int":
        how = "a number / don't know"
    else:
        how = "a name / don't know"
    why = (
        f"(asked first: complaints like this were often decided on {reason.replace('_', ' ')})\n"
        if reason
        else ""
    )
    return f"\nPoint {about}\n[{question.fact}] {question.question}\n{why}({how}) > "


def write_answer(path: Path, fact: Fact, label: str, value: FactValue | date, note: str) -> None:
    """Record the answer among point ``label``'s facts (a date as the point's date); comments
    and order are kept, and the note goes beside the answer as a comment."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)  # the house style of complaint files
    data = yaml.load(path.read_text(encoding="utf-8"))
    for point in data["points"]:
        if point.get("label") != label:
            continue
        if isinstance(value, date) and fact.date is not None:
            key = fact.date
            target = point
            if key not in point:
                keys = list(point.keys())
                position = keys.index("facts") if "facts" in keys else len(keys)
                point.insert(position, key, value)
            else:
                point[key] = value
        else:
            key, target = fact.name, _facts_of(point, before="notes")
            target[key] = value
        if note:
            target.yaml_add_eol_comment(" ".join(note.split()), key)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(buffer.getvalue(), encoding="utf-8")
    tmp.replace(path)


def _facts_of(mapping: CommentedMap, before: str) -> CommentedMap:
    """The ``facts:`` mapping of a complaint or a point, made (before ``before``) if missing."""
    facts = mapping.get("facts")
    if isinstance(facts, CommentedMap):
        return facts
    facts = CommentedMap()
    keys = list(mapping.keys())
    position = keys.index(before) if before in keys else len(keys)
    mapping.insert(position, "facts", facts)
    return facts


def _settled_text(assessment: Assessment) -> str:
    lines = [f"Settled: {assessment.decision.label}"]
    for point in assessment.points:
        reasons = ", ".join([*point.tests, *point.co_applicable]) or "no reason to close"
        lines.append(f"  point {point.label}): {point.decision.label} ({reasons})")
    return "\n".join(lines)


def run_interview(
    path: Path,
    rulebook: Rulebook,
    answers: TextIO,
    out: TextIO,
    first: Mapping[str, str] | None = None,
) -> tuple[Assessment, int]:
    """Ask until settled (or out of questions or answers); returns the last assessment and the
    exit status (0 settled, 3 still needing information). ``first``: facts to ask before the
    others, each with the likely reason that asks about it."""
    first = first or {}
    ranks = {fact: i for i, fact in enumerate(first)}
    skipped: set[tuple[str, str]] = set()
    while True:
        complaint = parse_complaint(path.read_text(encoding="utf-8"), rulebook, source=str(path))
        assessment = assess(complaint, rulebook)
        if assessment.decision is not Recommendation.NEEDS_INFORMATION:
            out.write(_settled_text(assessment) + "\n")
            return assessment, 0
        found = ask_next(complaint, rulebook, skipped, ranks)
        if found is None:
            out.write("Still needs information; no question left that you can answer now.\n")
            return assessment, NEEDS_INFORMATION_EXIT
        question, label = found
        fact = rulebook.facts[question.fact]
        value: FactValue | _Unknown | date | None = None
        while value is None:
            out.write(prompt_for(question, label, fact, complaint, first.get(question.fact)))
            out.flush()
            line = answers.readline()
            if not line:
                out.write("\nNo more answers: the file keeps those given so far.\n")
                return assessment, NEEDS_INFORMATION_EXIT
            try:
                value = read_answer(line, fact)
            except ValueError as exc:
                out.write(f"{exc}\n")
        if isinstance(value, _Unknown):
            skipped.add((question.fact, label))
            continue
        out.write("Note (optional, Enter to skip) > ")
        out.flush()
        note = answers.readline().strip()
        before = path.read_text(encoding="utf-8")
        write_answer(path, fact, label, value, note)
        try:
            parse_complaint(path.read_text(encoding="utf-8"), rulebook, source=str(path))
        except ComplaintFileError as exc:  # e.g. a date out of order: keep the file as it was
            path.write_text(before, encoding="utf-8")
            out.write(f"Not recorded: {exc.problems[0].message}\n")
            skipped.add((question.fact, label))


def _suggested_first(
    path: Path, rulebook: Rulebook, model_path: Path | None, out: TextIO
) -> dict[str, str]:
    """What published decisions suggest from the complaint's words, said once; the facts its
    likely reasons ask about, each with that reason."""
    from ombuds.suggest.inputs import complaint_words
    from ombuds.suggest.model import SuggestModel, default_model_path
    from ombuds.suggest.service import fact_reasons

    complaint = parse_complaint(path.read_text(encoding="utf-8"), rulebook, source=str(path))
    model = SuggestModel.load(model_path or default_model_path())
    (prediction,) = model.predict([complaint_words(complaint)])
    reasons = ", ".join(
        f"{t.replace('_', ' ')} {prediction.tests[t]:.0%}" for t in prediction.selected
    )
    then = " The questions those reasons ask come first." if reasons else ""
    out.write(
        f"Published decisions suggest: {prediction.decision.replace('_', ' ')} "
        f"{prediction.outcome[prediction.decision]:.0%}; likely reasons: {reasons or 'none'}."
        f"{then}\n"
    )
    return fact_reasons(prediction, rulebook, selected_only=True)


def register(app: typer.Typer) -> None:
    @app.command("interview")
    def interview_command(
        file: Annotated[Path, typer.Argument(help="The complaint file (YAML) to complete.")],
        scheme: Annotated[str, typer.Option(help="The rulebook's scheme.")] = "lgsco",
        categories: Annotated[
            Path | None, typer.Option(help="YAML file of extra categories accepted by this office.")
        ] = None,
        suggest: Annotated[
            bool,
            typer.Option(
                "--suggest",
                help="Ask first what the complaint's likely reasons ask about (learnt from "
                "published decisions; the complaint's words only, never its facts).",
            ),
        ] = False,
        model: Annotated[
            Path | None,
            typer.Option("--model", help="With --suggest: a model from `ombuds train`."),
        ] = None,
    ) -> None:
        """Ask the questions that settle a complaint's recommendation, writing each answer
        (yes / no / don't know, and a note) into the file. Exit 0 once settled, 3 if not."""
        from ombuds.cli.assess import rulebook_with
        from ombuds.suggest.model import ModelError

        if file.suffix not in {".yaml", ".yml"}:
            typer.echo(f"{file}: the interview writes YAML complaint files (.yaml)", err=True)
            raise typer.Exit(2)
        try:
            rulebook = rulebook_with(scheme, categories)
            first = _suggested_first(file, rulebook, model, sys.stdout) if suggest else None
            _, status = run_interview(file, rulebook, sys.stdin, sys.stdout, first)
        except RulebookError as exc:
            typer.echo(f"rulebook: {exc}", err=True)
            raise typer.Exit(2) from None
        except ModelError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
        except FileNotFoundError:
            typer.echo(f"{file}: file not found", err=True)
            raise typer.Exit(2) from None
        except ComplaintFileError as exc:
            for problem in exc.problems:
                typer.echo(str(problem), err=True)
            raise typer.Exit(2) from None
        raise typer.Exit(status)
