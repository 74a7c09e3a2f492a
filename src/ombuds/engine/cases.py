"""The rulebook's own test cases: YAML a domain expert can write, run by ``ombuds rulebook test``.

A case gives the facts of a small complaint and what must follow::

    - name: events three years old and no good reason
      given:
        dates: {first_knew: 2021-05-01}
        facts: {injustice: significant}
      expect:
        tests: {late_complaint: applies}
        decision: closed_after_initial_enquiries

``given`` fills a one-point complaint (``facts`` are point a's facts) with neutral defaults: a
complaint made to the body and answered, in time, with evidence of fault causing significant
injustice, and every other fact the rulebook does not presume recorded as false (so a case
says only what matters to it). A fact given as ``null`` is unknown: that is how a case tests
what the engine asks. ``points`` gives several points instead, each with its own ``facts``,
``parts`` and, where they differ, ``first_knew``, ``complained_to_body`` and ``final_response``
dates.
``expect.tests`` maps a test id (or ``b:test_id`` for point b) to applies / does_not_apply /
exception / not_reached; ``expect.exception`` names the exception that set a test aside;
``expect.decision`` is the complaint's recommendation, ``expect.point_decision`` point a's;
``expect.co_applicable`` lists the reasons that also apply after a bar (``b:test_id`` for
point b); ``expect.questions`` the facts asked, in order; ``expect.parts`` maps a point's label
to the tests that apply to its parts (``parts`` of a point: ``description``, ``before``, ``facts``).
Every test must have at least one case where it applies and one where it does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ombuds.domain.assessment import Assessment
from ombuds.domain.complaint import Complaint
from ombuds.engine.assess import assess
from ombuds.rulebook.loader import RulebookError
from ombuds.rulebook.model import Rulebook
from ombuds.sourcemap import DocumentError, load_document

POINT_DATES = ("first_knew", "complained_to_body", "final_response")
NEUTRAL_DATES = {
    "first_knew": "2025-01-10",
    "complained_to_body": "2025-01-20",
    "final_response": "2025-03-14",
    "received": "2025-05-02",
}


class Expectation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tests: dict[str, str] = Field(default_factory=dict)
    exception: dict[str, str] = Field(default_factory=dict)
    decision: str | None = None
    point_decision: str | None = None
    co_applicable: list[str] | None = None
    questions: list[str] | None = None
    parts: dict[str, list[str]] | None = None


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    given: dict[str, Any] = Field(default_factory=dict)
    expect: Expectation


@dataclass
class CaseResult:
    file: str
    line: int | None
    name: str
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass
class CaseReport:
    results: list[CaseResult]
    coverage_gaps: list[str]

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results) and not self.coverage_gaps


def neutral_facts(rulebook: Rulebook) -> dict[str, Any]:
    """What a case takes as recorded unless it says otherwise (see the module docstring)."""
    facts: dict[str, Any] = {
        name: False
        for name, fact in rulebook.facts.items()
        if fact.type == "bool" and not fact.derived and fact.presume is None
    }
    # with their dates left out, a case's complaint was not put to the body, nor answered
    dated = {"complained_to_body": False, "body_final_response_given": False}
    return {**facts, **dated, "evidence_of_fault": True, "injustice": "significant"}


def case_complaint(given: dict[str, Any], rulebook: Rulebook) -> Complaint:
    """The small complaint a case describes, with neutral defaults for what it leaves out."""
    dates = {**NEUTRAL_DATES, **{k: str(v) for k, v in given.get("dates", {}).items()}}
    for key in [k for k, v in given.get("dates", {}).items() if v is None]:
        dates.pop(key)
    points = given.get("points") or [{"facts": given.get("facts", {})}]
    data = {
        "reference": "25 000 001",
        "organisation": given.get("organisation", "Anytown Borough Council"),
        "category": given.get("category", "Other Categories > Other"),
        "complainant": "Mr X",
        "subject": "a decision of the Council",
        "dates": dates,
        "facts": {**neutral_facts(rulebook), **given.get("complaint_facts", {})},
        "points": [
            {
                "label": chr(ord("a") + i),
                "alleged": p.get("alleged", "acted wrongly"),
                "facts": p.get("facts", {}),
                "parts": p.get("parts", []),
                **{k: p[k] for k in POINT_DATES if k in p},
            }
            for i, p in enumerate(points)
        ],
    }
    for key in ("representative", "person_affected"):
        if key in given:
            data[key] = given[key]
    return Complaint.model_validate(data)


def check_case(case: Case, rulebook: Rulebook) -> list[str]:
    """What a case expected and did not get (empty when it passes)."""
    unknown = _unknown_facts(case.given, rulebook)
    if unknown:
        return [f"unknown fact(s): {', '.join(unknown)}"]
    try:
        assessment = assess(case_complaint(case.given, rulebook), rulebook)
    except ValidationError as exc:
        return [f"the case's complaint is invalid: {exc.errors()[0]['msg']}"]
    failures: list[str] = []
    for key, expected in case.expect.tests.items():
        label, test_id = _split(key)
        rulebook.test(test_id)
        entry = _entry(assessment, label, test_id)
        if entry is None:
            failures.append(f"{key}: no point {label}")
        elif entry.result.value != expected:
            failures.append(f"{key}: expected {expected}, got {entry.result.value}")
    for key, expected in case.expect.exception.items():
        label, test_id = _split(key)
        entry = _entry(assessment, label, test_id)
        if entry is None or entry.exception != expected:
            got = entry.exception if entry else None
            failures.append(f"{key}: expected exception {expected}, got {got}")
    if case.expect.decision and assessment.decision.value != case.expect.decision:
        failures.append(
            f"decision: expected {case.expect.decision}, got {assessment.decision.value}"
        )
    expect = case.expect
    if expect.co_applicable is not None:
        got = [
            (f"{p.label}:{t}" if p.label != "a" else t)
            for p in assessment.points
            for t in p.co_applicable
        ]
        if sorted(got) != sorted(expect.co_applicable):
            failures.append(f"co_applicable: expected {expect.co_applicable}, got {got}")
    if expect.parts is not None:
        for label, wanted in expect.parts.items():
            found = next((p for p in assessment.points if p.label == label), None)
            got = [t for part in found.parts for t in part.tests] if found else []
            if sorted(got) != sorted(wanted):
                failures.append(f"parts of {label}: expected tests {wanted}, got {got}")
    if expect.questions is not None:
        asked = [q.fact for q in assessment.questions]
        if asked != expect.questions:
            failures.append(f"questions: expected {expect.questions}, got {asked}")
    point = assessment.points[0].decision.value
    if case.expect.point_decision and point != case.expect.point_decision:
        failures.append(f"point a decision: expected {case.expect.point_decision}, got {point}")
    return failures


def _unknown_facts(given: dict[str, Any], rulebook: Rulebook) -> list[str]:
    names = set(given.get("facts", {})) | set(given.get("complaint_facts", {}))
    for point in given.get("points", []) or []:
        names |= set(point.get("facts", {}))
    return sorted(n for n in names if n not in rulebook.facts or not rulebook.facts[n].answerable)


def _split(key: str) -> tuple[str, str]:
    label, _, test_id = key.rpartition(":")
    return label or "a", test_id


def _entry(assessment: Assessment, label: str, test_id: str) -> Any:
    for point in assessment.points:
        if point.label == label:
            return next(e for e in point.trace if e.test == test_id)
    return None


def load_cases(folder: Path) -> list[tuple[str, int | None, Case]]:
    """Every case in a scheme's ``cases/`` folder, with its file and line."""
    cases: list[tuple[str, int | None, Case]] = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            doc = load_document(path.read_text(encoding="utf-8"))
        except DocumentError as exc:
            raise RulebookError(f"{path}:{exc.line}: {exc}") from None
        raw = doc.data.get("cases") if isinstance(doc.data, dict) else None
        if not isinstance(raw, list):
            raise RulebookError(f"{path}: expected a top-level 'cases:' list")
        for index, item in enumerate(raw):
            line = doc.line_of(("cases", index))
            try:
                cases.append((str(path), line, Case.model_validate(item)))
            except ValidationError as exc:
                err = exc.errors()[0]
                where = ".".join(str(p) for p in err["loc"])
                raise RulebookError(
                    f"{path}:{line}: case {index + 1}: {where}: {err['msg']}"
                ) from None
    return cases


def run_cases(rulebook: Rulebook, folder: Path | None = None) -> CaseReport:
    """Run every case; also report tests lacking an 'applies' or a 'does not apply' case."""
    folder = folder or Path(rulebook.folder) / "cases"
    results: list[CaseResult] = []
    applies: set[str] = set()
    elsewhere: set[str] = set()
    for file, line, case in load_cases(folder):
        result = CaseResult(file, line, case.name)
        try:
            result.failures = check_case(case, rulebook)
        except KeyError as exc:
            result.failures = [str(exc.args[0])]
        results.append(result)
        if result.passed:
            for key, value in case.expect.tests.items():
                (applies if value == "applies" else elsewhere).add(_split(key)[1])
    gaps = [
        f"{t.id}: no case where it {'applies' if t.id not in applies else 'does not apply'}"
        for t in rulebook.tests
        if t.id not in applies or t.id not in elsewhere
    ]
    return CaseReport(results, gaps)
