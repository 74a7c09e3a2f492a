"""`ombuds score`: real decisions encoded as complaints, scored against what was published."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ombuds.acceptance import Expectation, agrees, fold_of, score, score_case
from ombuds.cli.main import app
from ombuds.domain.assessment import Assessment, PartResult, PointResult
from ombuds.domain.outcomes import Recommendation
from ombuds.intake import ComplaintFileError
from ombuds.intake.expected import load_case
from ombuds.rulebook import Rulebook

from .conftest import EXAMPLES, REPO

REAL = EXAMPLES / "real"
CORPUS = REPO.parent / "shared" / "corpus" / "dev.jsonl"
SUMMARY = re.compile(
    r"^decision agreement: (\d+)/(\d+); tests micro-F1: (\d\.\d\d) "
    r"\(P (\d\.\d\d) R (\d\.\d\d)\); exact test sets: (\d+)/(\d+)$"
)

R = Recommendation


def _assessment(decision: Recommendation, *points: PointResult) -> Assessment:
    tests = sorted({t for p in points for t in p.tests})
    return Assessment(
        reference="24 000 001",
        organisation="Northshire County Council",
        category="Housing > Allocations",
        decision=decision,
        tests=tests,
        points=list(points),
        rulebook="lgsco@1",
    )


def _point(decision: Recommendation, tests: list[str], **more: object) -> PointResult:
    return PointResult(label="a", decision=decision, tests=tests, trace=[], **more)  # type: ignore[arg-type]


# ---------------------------------------------------------------- the pure scoring function


def test_investigate_agrees_with_either_investigated_outcome_and_nothing_else() -> None:
    assert agrees(R.INVESTIGATE, "upheld") and agrees(R.INVESTIGATE, "not_upheld")
    assert not agrees(R.INVESTIGATE, "closed_after_initial_enquiries")
    assert agrees(R.CLOSED_AFTER_INITIAL_ENQUIRIES, "closed_after_initial_enquiries")
    assert not agrees(R.CLOSED_AFTER_INITIAL_ENQUIRIES, "not_upheld")
    assert not agrees(R.NEEDS_INFORMATION, "closed_after_initial_enquiries")
    assert not agrees(R.PREMATURE, "closed_after_initial_enquiries")


def test_reasons_include_co_applicable_tests_and_parts() -> None:
    part = PartResult(
        description="the events before March 2023",
        decision=R.CLOSED_AFTER_INITIAL_ENQUIRIES,
        tests=["late_complaint"],
    )
    point = _point(
        R.CLOSED_AFTER_INITIAL_ENQUIRIES,
        ["alternative_remedy_tribunal"],
        co_applicable=["outcome_not_achievable"],
        parts=[part],
    )
    case = score_case(
        "a.yaml",
        Expectation(decision="closed_after_initial_enquiries", tests=["late_complaint"]),
        _assessment(R.CLOSED_AFTER_INITIAL_ENQUIRIES, point),
    )
    assert case.tests == {"alternative_remedy_tribunal", "outcome_not_achievable", "late_complaint"}
    assert case.missed == frozenset()
    assert case.extra == {"alternative_remedy_tribunal", "outcome_not_achievable"}


def test_micro_f1_and_the_summary_line_are_computed_over_all_cases() -> None:
    closed = R.CLOSED_AFTER_INITIAL_ENQUIRIES
    cases = [
        # exact: 1 tp
        score_case(
            "a",
            Expectation(decision="closed_after_initial_enquiries", tests=["late_complaint"]),
            _assessment(closed, _point(closed, ["late_complaint"])),
        ),
        # agrees, 1 tp + 1 fp
        score_case(
            "b",
            Expectation(decision="closed_after_initial_enquiries", tests=["premature"]),
            _assessment(closed, _point(closed, ["premature", "injustice_not_significant"])),
        ),
        # investigation with a part left out that the engine missed: 1 fn, decision agrees
        score_case(
            "c",
            Expectation(decision="not_upheld", tests=["late_complaint"]),
            _assessment(R.INVESTIGATE, _point(R.INVESTIGATE, [])),
        ),
        # disagrees
        score_case(
            "d",
            Expectation(decision="upheld"),
            _assessment(closed, _point(closed, ["insufficient_evidence_of_fault"])),
        ),
    ]
    result = score(cases)
    assert (result.agreed, result.n, result.exact) == (3, 4, 1)
    assert result.per_test["late_complaint"].tp == 1
    assert result.per_test["late_complaint"].fn == 1
    assert result.per_test["insufficient_evidence_of_fault"].fp == 1
    # tp 2, fp 2, fn 1
    assert result.precision == pytest.approx(0.5)
    assert result.recall == pytest.approx(2 / 3)
    assert result.summary() == (
        "decision agreement: 3/4; tests micro-F1: 0.57 (P 0.50 R 0.67); exact test sets: 1/4"
    )


def test_no_predictions_scores_zero_rather_than_failing() -> None:
    case = score_case(
        "a",
        Expectation(decision="upheld"),
        _assessment(R.INVESTIGATE, _point(R.INVESTIGATE, [])),
    )
    result = score([case])
    assert result.summary() == (
        "decision agreement: 1/1; tests micro-F1: 0.00 (P 0.00 R 0.00); exact test sets: 1/1"
    )


# ---------------------------------------------------------------- reading a case file

CASE = """\
reference: "24 000 001"
organisation: Northshire County Council
category: Housing > Allocations
complainant: Mr X
subject: his housing register band
dates:
  complained_to_body: 2024-01-02
  final_response: 2024-02-01
  received: 2024-03-01
points:
  - label: a
    alleged: kept him in the wrong band
    facts:
      evidence_of_fault: false
expected:
  decision: closed_after_initial_enquiries
  tests: [insufficient_evidence_of_fault]
"""


def test_a_case_file_loads_with_its_expectation_taken_out(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(CASE, encoding="utf-8")
    case = load_case(path, rulebook)
    assert case.complaint.reference == "24 000 001"
    assert case.expectation.tests == ["insufficient_evidence_of_fault"]


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("evidence_of_fault: false", "evidence_of_faults: false", ":14: points.0.facts"),
        ("tests: [insufficient_evidence_of_fault]", "tests: [no_fault]", ":17: expected.tests.0"),
        ("decision: closed_after_initial_enquiries", "decision: closed", ":16: expected.decision"),
        ("  received: 2024-03-01\n", "", ":6: dates.received"),
    ],
)
def test_problems_name_the_file_and_line(
    tmp_path: Path, rulebook: Rulebook, old: str, new: str, where: str
) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(CASE.replace(old, new), encoding="utf-8")
    with pytest.raises(ComplaintFileError) as caught:
        load_case(path, rulebook)
    assert f"{path}{where}" in str(caught.value)


def test_a_complaint_without_an_expectation_is_refused(tmp_path: Path, rulebook: Rulebook) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(CASE.split("expected:")[0], encoding="utf-8")
    with pytest.raises(ComplaintFileError, match=r"case.yaml:1: expected: an acceptance case"):
        load_case(path, rulebook)


def test_score_refuses_to_score_when_a_file_is_wrong(tmp_path: Path, runner: CliRunner) -> None:
    (tmp_path / "good.yaml").write_text(CASE, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(CASE.replace("label: a", "label: A"), encoding="utf-8")
    result = runner.invoke(app, ["score", str(tmp_path)])
    assert result.exit_code == 2
    assert f"{tmp_path / 'bad.yaml'}:11: points.0.label" in result.output
    assert "decision agreement" not in result.output


# ---------------------------------------------------------------- the real decisions


def _real_cases() -> list[dict[str, object]]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(REAL.glob("*.yaml"))]


def test_the_real_cases_cover_what_the_issue_asks() -> None:
    cases = _real_cases()
    assert len(cases) >= 40
    tests = {t for c in cases for t in c["expected"]["tests"]}  # type: ignore[index]
    assert len(tests) >= 12, sorted(tests)
    decisions = [c["expected"]["decision"] for c in cases]  # type: ignore[index]
    assert decisions.count("upheld") + decisions.count("not_upheld") >= 8
    partly = [
        c
        for c in cases
        if c["expected"]["decision"] in ("upheld", "not_upheld")  # type: ignore[index]
        and c["expected"]["tests"]  # type: ignore[index]
    ]
    assert len(partly) >= 4  # investigations that left part of the complaint uninvestigated


def test_score_on_the_real_cases(runner: CliRunner) -> None:
    result = runner.invoke(app, ["score", str(REAL), "--all"])
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    match = SUMMARY.match(last)
    assert match, last
    agreed, n, f1, _p, _r, _exact, n2 = match.groups()
    assert int(n) == int(n2) == len(list(REAL.glob("*.yaml")))
    # The targets of issue 6 hold on the current engine: decision agreement >= 0.95 and tests
    # micro-F1 >= 0.90 (`ombuds score examples/real` lists the remaining misses).
    assert int(agreed) / int(n) >= 0.95, last
    assert float(f1) >= 0.90, last


def test_score_shows_what_the_engine_still_asks(tmp_path: Path, runner: CliRunner) -> None:
    thin = CASE.replace("    facts:\n      evidence_of_fault: false\n", "").replace(
        "closed_after_initial_enquiries", "upheld"
    )
    (tmp_path / "thin.yaml").write_text(thin, encoding="utf-8")
    result = runner.invoke(app, ["score", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "recommended needs_information" in result.output
    assert "asks:" in result.output and "evidence_of_fault" in result.output
    assert result.output.strip().splitlines()[-1].startswith("decision agreement: 0/1;")


def test_the_folds_split_the_cases_by_reference(runner: CliRunner) -> None:
    def n(*args: str) -> int:
        result = runner.invoke(app, ["score", str(REAL), *args])
        assert result.exit_code == 0, result.output
        match = SUMMARY.match(result.output.strip().splitlines()[-1])
        assert match
        return int(match.group(2))

    even, odd = n("--fold", "even"), n("--fold", "odd")
    assert even > 0 and odd > 0 and even + odd == n()
    assert fold_of("24 009 458") == "even" and fold_of("23 002 615a") == "odd"


def test_score_json_matches_the_summary(runner: CliRunner) -> None:
    result = runner.invoke(app, ["score", str(REAL), "--json"])
    assert result.exit_code == 0, result.output
    *body, last = result.output.strip().splitlines()
    data = json.loads("\n".join(body))
    assert data["decision_agreement"][1] == len(data["cases"])
    assert f"micro-F1: {data['micro_f1']:.2f}" in last


def _as_list(value: object) -> list[object]:
    return value if isinstance(value, list) else [value]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'"))


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not beside the repository")
def test_the_cases_are_in_our_own_words_and_match_the_corpus_gold() -> None:
    """No run of nine words from a statement in our text; the expectation is the corpus gold."""
    rows = {}
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        rows[row["reference"]] = row
    for path in sorted(REAL.glob("*.yaml")):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        row = rows[case["reference"]]
        assert case["expected"]["decision"] == row["decision"], path
        assert sorted(case["expected"]["tests"]) == sorted(row["tests"]), path
        source = _words(row["text"])
        shingles = {tuple(source[i : i + 9]) for i in range(len(source) - 8)}
        ours = " ".join(
            [case["subject"], case["expected"].get("reasons") or ""]
            + [
                str(text)
                for point in case["points"]
                for key in ("alleged", "injustice", "outcome_sought", "notes", "parts")
                for text in (
                    point.get(key) or [] if key in ("notes", "parts") else [point.get(key)]
                )
                if text
            ]
        )
        mine = _words(ours)
        copied = [" ".join(mine[i : i + 9]) for i in range(len(mine) - 8)]
        assert not [c for c in copied if tuple(c.split()) in shingles], path
