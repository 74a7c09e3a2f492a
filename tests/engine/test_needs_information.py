"""Unknown is never false: a thin file needs information, says what to ask, and exits 3."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ombuds.cli.main import app
from ombuds.domain.outcomes import Recommendation, TestResult
from ombuds.engine import assess, questions
from ombuds.intake import load_complaint
from ombuds.rulebook import Rulebook

THIN = """\
# A complaint recorded before anything was established about it.
reference: "25 010 020"
organisation: Anytown Borough Council
category: Housing > Homelessness
complainant: Ms B
subject: how the Council dealt with her homelessness application
dates:
  received: 2025-05-02
points:
  - label: a
    alleged: did not help her when she became homeless
"""

NO_COMPLAINT_TO_BODY = """\
reference: "25 010 021"
organisation: Anytown Borough Council
category: Housing > Homelessness
complainant: Ms B
subject: how the Council dealt with her homelessness application
dates:
  first_knew: 2025-02-01
  received: 2025-05-02
points:
  - label: a
    alleged: did not help her when she became homeless
    facts:
      evidence_of_fault: true
      injustice: significant
"""


def write(tmp_path: Path, text: str, name: str = "complaint.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_with_no_facts_needs_information_with_questions(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = write(tmp_path, THIN)
    result = runner.invoke(app, ["assess", str(path), "--format", "json"])
    assert result.exit_code == 3, result.output
    data = json.loads(result.stdout)
    assert data["decision"] == "needs_information"
    asked = [q["fact"] for q in data["questions"]]
    assert {"complained_to_body", "evidence_of_fault", "injustice"} <= set(asked)
    for question in data["questions"]:
        assert set(question) == {"fact", "question", "points", "tests"}
        assert question["points"] == ["a"] and question["tests"] and question["question"]


def test_a_file_without_complained_to_body_is_not_called_premature(
    tmp_path: Path, runner: CliRunner, rulebook: Rulebook
) -> None:
    path = write(tmp_path, NO_COMPLAINT_TO_BODY)
    result = runner.invoke(app, ["assess", str(path), "--format", "json"])
    assert result.exit_code == 3, result.output
    data = json.loads(result.stdout)
    assert data["decision"] == "needs_information"
    assert data["points"][0]["decision"] == "needs_information"
    assert data["questions"][0]["fact"] == "complained_to_body"
    assert data["questions"][0]["tests"] == ["premature"]
    premature = next(e for e in data["points"][0]["trace"] if e["test"] == "premature")
    assert premature["result"] == "does_not_apply"
    assert premature["note"].startswith("not established:")
    assert "complained_to_body" in premature["note"]
    # answered: the person never complained to the Council, so it is premature
    answered = NO_COMPLAINT_TO_BODY.replace(
        "      injustice: significant\n",
        "      injustice: significant\n      complained_to_body: false\n",
    )
    assessment = assess(load_complaint(write(tmp_path, answered, "b.yaml"), rulebook), rulebook)
    assert assessment.decision is Recommendation.PREMATURE and not assessment.questions


def test_statements_are_refused_unless_drafted_and_the_draft_lists_the_questions(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = write(tmp_path, THIN)
    refused = runner.invoke(app, ["assess", str(path)])
    assert refused.exit_code == 3
    assert refused.stdout == ""
    assert "[evidence_of_fault]" in refused.stderr and "ombuds interview" in refused.stderr
    draft = runner.invoke(app, ["assess", str(path), "--draft"])
    assert draft.exit_code == 3
    assert "DRAFT: information missing" in draft.stdout
    assert "Did the person complain to the council or care provider first" in draft.stdout
    html = runner.invoke(app, ["assess", str(path), "--draft", "--format", "html"])
    assert "DRAFT: information missing" in html.stdout and "<li>" in html.stdout
    out = tmp_path / "draft.docx"
    word = runner.invoke(app, ["assess", str(path), "--draft", "--format", "docx", "-o", str(out)])
    assert word.exit_code == 3 and out.stat().st_size > 0


def test_a_settled_complaint_exits_0_without_questions(runner: CliRunner) -> None:
    from tests.engine.conftest import EXAMPLES

    result = runner.invoke(
        app, ["assess", str(EXAMPLES / "seeds" / "24-009-458.yaml"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert "questions" not in json.loads(result.stdout)


def test_questions_function_is_pure_and_ordered(tmp_path: Path, rulebook: Rulebook) -> None:
    complaint = load_complaint(write(tmp_path, THIN), rulebook)
    first = questions(complaint, rulebook)
    assert first == questions(complaint, rulebook)  # deterministic
    # the dates that decide the time limit and prematurity come first: one answer can settle
    assert {q.fact for q in first[:3]} >= {"complained_to_body", "known_for_more_than_12_months"}


def test_presumptions_are_shown_in_the_trace(tmp_path: Path, rulebook: Rulebook) -> None:
    complaint = load_complaint(write(tmp_path, NO_COMPLAINT_TO_BODY), rulebook)
    trace = {e.test: e for e in assess(complaint, rulebook).points[0].trace}
    assert trace["court_proceedings"].result is TestResult.DOES_NOT_APPLY
    assert trace["court_proceedings"].presumed == ["about_court_action"]
    assert trace["public_interest_factor"].presumed == [
        "others_likely_affected",
        "policy_appears_unlawful",
        "systemic_failing_suspected",
    ]
    assert trace["insufficient_evidence_of_fault"].presumed == []  # recorded, not presumed
