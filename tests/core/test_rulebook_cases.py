"""The LGSCO rulebook's YAML cases, and the example complaints in examples/complaints.

The cases are the rulebook's own specification: every one must pass, and every test must have a
case where it applies and one where it does not. The example complaints are the project's sample
data; each is designed for one decision, recorded in the table below.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ombuds.cli import rulebook as rulebook_cli
from ombuds.domain.outcomes import Recommendation
from ombuds.drafting import draft
from ombuds.engine import assess
from ombuds.engine.cases import load_cases, run_cases
from ombuds.intake import load_complaint
from ombuds.rulebook import Rulebook
from tests.core.conftest import EXAMPLES

COMPLAINTS = EXAMPLES / "complaints"
R = Recommendation

# file -> (the decision it is designed for, the tests that apply on each point, in rulebook order)
DESIGNED: dict[str, tuple[Recommendation, dict[str, list[str]]]] = {
    "late-planning-extension.yaml": (
        R.CLOSED_AFTER_INITIAL_ENQUIRIES,
        {"a": ["late_complaint"], "b": ["complaint_handling_only"]},
    ),
    "premature-assisted-bin-collections.yaml": (R.PREMATURE, {"a": ["premature"]}),
    "send-tribunal-ehc-plan.yaml": (
        R.CLOSED_AFTER_INITIAL_ENQUIRIES,
        {"a": ["alternative_remedy_tribunal"], "b": ["cannot_add_to_council_investigation"]},
    ),
    "parking-pcn-adjudicator.yaml": (
        R.CLOSED_AFTER_INITIAL_ENQUIRIES,
        {"a": ["alternative_remedy_tribunal"]},
    ),
    "charging-property-disregard.yaml": (R.INVESTIGATE, {"a": [], "b": []}),
    "council-tenant-damp.yaml": (
        R.CLOSED_AFTER_INITIAL_ENQUIRIES,
        {"a": ["social_housing_management"]},
    ),
    "pothole-damage-claim.yaml": (
        R.CLOSED_AFTER_INITIAL_ENQUIRIES,
        {"a": ["alternative_remedy_court"]},
    ),
    "homelessness-priority-need.yaml": (
        R.CLOSED_AFTER_INITIAL_ENQUIRIES,
        {"a": ["council_review_or_appeal_available"]},
    ),
    "public-interest-disability-benefits.yaml": (R.INVESTIGATE, {"a": ["public_interest_factor"]}),
}


def test_every_case_passes_and_every_test_is_covered(rulebook: Rulebook) -> None:
    report = run_cases(rulebook)
    failures = [
        f"{Path(r.file).name}:{r.line}: {r.name}: {'; '.join(r.failures)}"
        for r in report.results
        if not r.passed
    ]
    assert failures == []
    assert report.coverage_gaps == []
    assert len(report.results) >= 80


def test_every_exception_is_exercised(rulebook: Rulebook) -> None:
    """Each `unless` exception of each test is expected, by id, by at least one case."""
    expected = {
        (key.rpartition(":")[2], exception)
        for _, _, case in load_cases(Path(rulebook.folder) / "cases")
        for key, exception in case.expect.exception.items()
    }
    missing = [
        f"{test.id}: {exception.id}"
        for test in rulebook.tests
        for exception in test.unless
        if (test.id, exception.id) not in expected
    ]
    assert missing == []


def test_every_test_is_seen_not_applying_not_only_unreached(rulebook: Rulebook) -> None:
    """'Not reached' (an earlier bar) says nothing about a test's own condition."""
    seen = {
        key.rpartition(":")[2]
        for _, _, case in load_cases(Path(rulebook.folder) / "cases")
        for key, result in case.expect.tests.items()
        if result in ("does_not_apply", "exception")
    }
    assert [t.id for t in rulebook.tests if t.id not in seen] == []


def test_case_names_are_unique(rulebook: Rulebook) -> None:
    names = [case.name for _, _, case in load_cases(Path(rulebook.folder) / "cases")]
    assert len(names) == len(set(names))


def test_a_wrong_expectation_fails(rulebook: Rulebook, tmp_path: Path) -> None:
    (tmp_path / "wrong.yaml").write_text(
        "cases:\n"
        "  - name: the council followed its policy, wrongly expected to go forward\n"
        "    given:\n"
        "      facts: {evidence_of_fault: false}\n"
        "    expect:\n"
        "      tests: {insufficient_evidence_of_fault: does_not_apply}\n"
        "      decision: investigate\n",
        encoding="utf-8",
    )
    report = run_cases(rulebook, tmp_path)
    assert not report.passed
    assert report.results[0].failures == [
        "insufficient_evidence_of_fault: expected does_not_apply, got applies",
        "decision: expected investigate, got closed_after_initial_enquiries",
    ]


def test_rulebook_test_command_end_to_end() -> None:
    app = typer.Typer()
    rulebook_cli.register(app)
    result = CliRunner().invoke(app, ["rulebook", "test"])
    assert result.exit_code == 0, result.output
    passed = int(result.stdout.strip().splitlines()[-1].split()[0])
    assert result.stdout.strip().endswith(f"{passed} passed, 0 failed")
    assert passed >= 80


def test_every_example_complaint_has_a_designed_decision() -> None:
    assert sorted(p.name for p in COMPLAINTS.glob("*.yaml")) == sorted(DESIGNED)


@pytest.mark.parametrize("name", sorted(DESIGNED))
def test_example_complaint_gets_its_designed_decision(name: str, rulebook: Rulebook) -> None:
    decision, tests = DESIGNED[name]
    complaint = load_complaint(COMPLAINTS / name, rulebook)
    assessment = assess(complaint, rulebook)
    assert assessment.decision is decision
    assert {p.label: p.tests for p in assessment.points} == tests
    statement = draft(complaint, rulebook)
    assert isinstance(statement, str)
    assert f"Decision : {decision.label}" in statement
    assert complaint.organisation in statement.splitlines()[0]
    for point in complaint.points:
        for note in point.notes:
            assert note[1:] in statement
