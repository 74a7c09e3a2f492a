"""Read an acceptance case: a complaint file with the published decision under ``expected:``.

The ``expected`` block is taken out before the complaint is validated, so the complaint is
checked exactly as ``ombuds assess`` checks it, and every problem (in the complaint or in the
expectation) still names the file, the line and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ombuds.acceptance.score import Expectation
from ombuds.domain.complaint import Complaint
from ombuds.intake.load import ComplaintFileError, Problem, validate_complaint
from ombuds.rulebook.model import Rulebook
from ombuds.sourcemap import DocumentError, LoadedDocument, load_document

EXPECTED_KEY = "expected"


@dataclass(frozen=True)
class AcceptanceCase:
    """A real decision encoded as a complaint, with what was published."""

    path: Path
    complaint: Complaint
    expectation: Expectation


def load_case(path: Path, rulebook: Rulebook) -> AcceptanceCase:
    """Read one acceptance case; raise :class:`ComplaintFileError` listing every problem."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        doc = load_document(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise ComplaintFileError([Problem(source, None, "", f"cannot read: {exc}")]) from None
    except DocumentError as exc:
        raise ComplaintFileError([Problem(source, exc.line, "", str(exc))]) from None
    if not isinstance(doc.data, dict) or EXPECTED_KEY not in doc.data:
        raise ComplaintFileError(
            [
                Problem(
                    source,
                    1,
                    EXPECTED_KEY,
                    "an acceptance case needs an 'expected:' block with the published "
                    "decision and tests",
                )
            ]
        )
    data = dict(doc.data)
    raw = data.pop(EXPECTED_KEY)
    problems: list[Problem] = []
    expectation: Expectation | None = None
    try:
        expectation = Expectation.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            loc = (EXPECTED_KEY, *err["loc"])
            problems.append(
                Problem(source, doc.line_of(loc), ".".join(str(p) for p in loc), err["msg"])
            )
    if expectation is not None:
        known = {t.id for t in rulebook.tests}
        for i, test in enumerate(expectation.tests):
            if test not in known:
                problems.append(
                    Problem(
                        source,
                        doc.line_of((EXPECTED_KEY, "tests", i)),
                        f"{EXPECTED_KEY}.tests.{i}",
                        f"unknown test {test!r}; `ombuds rulebook show` lists the test ids",
                    )
                )
    complaint: Complaint | None = None
    try:
        complaint = validate_complaint(LoadedDocument(data, doc.lines), rulebook, source)
    except ComplaintFileError as exc:
        problems.extend(exc.problems)
    if problems or complaint is None or expectation is None:
        problems.sort(key=lambda p: (p.line or 0, p.field))
        raise ComplaintFileError(problems)
    return AcceptanceCase(path=path, complaint=complaint, expectation=expectation)
