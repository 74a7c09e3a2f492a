"""Read a complaint file (YAML or JSON) and check it against the model and the rulebook.

Every problem is reported with the file, the line and the field, and says what is expected,
so an assessor can fix the file without reading code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ombuds.domain.complaint import Complaint
from ombuds.intake.safe_read import ComplaintFileTooLarge, read_complaint_text
from ombuds.rulebook.model import Fact, Rulebook
from ombuds.sourcemap import DocumentError, LoadedDocument, load_document


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a complaint file."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class ComplaintFileError(ValueError):
    """A complaint file could not be accepted; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def load_complaint(path: Path, rulebook: Rulebook) -> Complaint:
    """Read and validate one complaint file."""
    try:
        text = read_complaint_text(path)
    except ComplaintFileTooLarge as exc:
        raise ComplaintFileError([Problem(str(path), None, "", str(exc))]) from None
    except FileNotFoundError:
        raise ComplaintFileError([Problem(str(path), None, "", "file not found")]) from None
    except IsADirectoryError:
        raise ComplaintFileError(
            [Problem(str(path), None, "", "is a folder, not a complaint file")]
        ) from None
    except UnicodeDecodeError:
        raise ComplaintFileError(
            [Problem(str(path), None, "", "not a UTF-8 text file; save it as UTF-8 YAML or JSON")]
        ) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ComplaintFileError([Problem(str(path), None, "", f"cannot read: {reason}")]) from None
    return parse_complaint(text, rulebook, source=str(path))


def parse_complaint(text: str, rulebook: Rulebook, source: str = "<complaint>") -> Complaint:
    """Validate complaint text (YAML or JSON) against the model and the rulebook's vocabulary."""
    try:
        doc = load_document(text)
    except DocumentError as exc:
        raise ComplaintFileError([Problem(source, exc.line, "", str(exc))]) from None
    return validate_complaint(doc, rulebook, source)


def validate_complaint_data(
    data: object, rulebook: Rulebook, source: str = "<complaint>"
) -> Complaint:
    """Validate a complaint already parsed (e.g. a JSON request body): the same checks and
    messages as a file, without line numbers, and without re-reading text."""
    return validate_complaint(LoadedDocument(data, {}), rulebook, source)


def validate_complaint(
    doc: LoadedDocument, rulebook: Rulebook, source: str = "<complaint>"
) -> Complaint:
    """Validate an already-read document; its line map lets every problem name its line."""
    if not isinstance(doc.data, dict):
        raise ComplaintFileError(
            [
                Problem(
                    source,
                    1,
                    "",
                    "expected a mapping of fields (reference, organisation, points...)",
                )
            ]
        )
    problems = _fact_problems(doc, rulebook, source)
    complaint: Complaint | None = None
    try:
        complaint = Complaint.model_validate(doc.data)
    except ValidationError as exc:
        problems.extend(_model_problems(exc, doc, source))
    if complaint is not None and not rulebook.category_known(complaint.category):
        problems.append(
            Problem(
                source,
                doc.line_of(("category",)),
                "category",
                f"unknown category {complaint.category!r}; use 'Top level > Subcategory' from "
                "`ombuds rulebook categories`, or add it with --categories FILE",
            )
        )
    chosen = complaint.main_reason if complaint is not None else None
    if chosen is not None and chosen not in {t.id for t in rulebook.tests}:
        problems.append(
            Problem(
                source,
                doc.line_of(("main_reason",)),
                "main_reason",
                f"unknown test {chosen!r}; use a test id from `ombuds rulebook show`",
            )
        )
    if problems or complaint is None:
        problems.sort(key=lambda p: (p.line or 0, p.field))
        raise ComplaintFileError(problems)
    return complaint


def _model_problems(exc: ValidationError, doc: LoadedDocument, source: str) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        field = ".".join(str(p) for p in loc) or "(file)"
        message = err["msg"]
        if err["type"] == "missing":
            message = "this field is required"
        elif err["type"] == "extra_forbidden":
            message = "unknown field; check the spelling (`ombuds schema complaint` lists fields)"
        elif err["type"].startswith("date"):
            message = f"{message}; write dates as YYYY-MM-DD"
        elif err["type"] == "too_short" and loc == ("points",):
            message = "a complaint needs at least one point (a)"
        problems.append(Problem(source, doc.line_of(loc), field, message))
    return problems


def _fact_problems(doc: LoadedDocument, rulebook: Rulebook, source: str) -> list[Problem]:
    data: Any = doc.data
    places: list[tuple[tuple[str | int, ...], Any]] = [(("facts",), data.get("facts"))]
    points = data.get("points")
    if isinstance(points, list):
        for i, p in enumerate(points):
            if not isinstance(p, dict):
                continue
            places.append((("points", i, "facts"), p.get("facts")))
            parts = p.get("parts")
            if isinstance(parts, list):
                places += [
                    (("points", i, "parts", j, "facts"), part.get("facts"))
                    for j, part in enumerate(parts)
                    if isinstance(part, dict)
                ]
    problems: list[Problem] = []
    for path, facts in places:
        if not isinstance(facts, dict):
            continue
        for name, value in facts.items():
            loc = (*path, str(name))
            field = ".".join(str(p) for p in loc)
            fact = rulebook.facts.get(str(name))
            message = _fact_message(str(name), value, fact, rulebook)
            if message:
                problems.append(Problem(source, doc.line_of(loc), field, message))
    return problems


def _fact_message(name: str, value: object, fact: Fact | None, rulebook: Rulebook) -> str | None:
    if fact is None and name in rulebook.retired:
        return f"{name} is no longer a fact: {rulebook.retired[name]}"
    if fact is None:
        close = [f for f in rulebook.facts if f.split("_")[0] == name.split("_")[0]][:4]
        hint = f" (similar: {', '.join(close)})" if close else ""
        return f"unknown fact {name!r}{hint}; `ombuds rulebook facts` lists the facts"
    if not fact.answerable:
        return f"{name} is worked out by ombuds; fill in {fact.source} instead"
    if value is None:
        return None
    expected = {"bool": bool, "int": int, "text": str, "enum": str}[fact.type]
    if not isinstance(value, expected) or (fact.type == "int" and isinstance(value, bool)):
        return f"expected {fact.type} ({'true or false' if fact.type == 'bool' else fact.type})"
    if fact.type == "enum" and value not in fact.values:
        return f"expected one of {', '.join(fact.values)}"
    return None
