"""The rulebook is validated on load: a mistake in the data fails loudly with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ombuds.cli.main import app
from ombuds.rulebook import RulebookError, load_rulebook
from ombuds.rulebook.loader import SCHEMES

IDS_IN_DOMAIN_SPEC = 35


def test_all_tests_declared_with_citations(runner: CliRunner) -> None:
    rulebook = load_rulebook()
    assert len(rulebook.tests) == IDS_IN_DOMAIN_SPEC
    orders = [t.order for t in rulebook.tests]
    assert orders == sorted(orders)
    stages = [t.stage for t in rulebook.tests]
    # discretion comes last; prematurity is judged after the bars (the domain spec, 4.1)
    assert stages[-15:] == ["discretion"] * 15 and "discretion" not in stages[:-15]
    assert rulebook.tests[stages.index("discretion") - 1].id == "premature"
    result = runner.invoke(app, ["rulebook", "show"])
    assert result.exit_code == 0
    assert "premature" in result.output


def test_ids_match_the_domain_spec() -> None:
    spec = Path(__file__).resolve().parents[3] / "shared" / "domain" / "tests.yaml"
    if not spec.is_file():
        pytest.skip("../shared/domain is not beside the repository")
    import yaml

    ids = {t["id"] for t in yaml.safe_load(spec.read_text(encoding="utf-8"))["tests"]}
    assert ids == {t.id for t in load_rulebook().tests}


def _scheme_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "lgsco"
    shutil.copytree(SCHEMES / "lgsco", folder)
    return folder


@pytest.mark.parametrize(
    ("file", "old", "new", "says"),
    [
        (
            "tests.yaml",
            "applies_when: about_court_action",
            "applies_when: about_courts",
            "unknown fact(s) about_courts",
        ),
        ("tests.yaml", "id: crime_investigation", "id: court_proceedings", "duplicate test id"),
        (
            "tests.yaml",
            'citation: "Local Government Act 1974, section 26(7), as amended"',
            'citation: "LGA s26(7)"',
            "not in a recognised form",
        ),
        (
            "tests.yaml",
            "unless: *unreasonable_to_expect\n    bar: true\n    role: paragraph\n"
            '    refer_to: ["the Planning Inspectorate"]',
            "unless: *unreasonable_to_expect\n    bar: true\n    role: sometimes\n"
            '    refer_to: ["the Planning Inspectorate"]',
            "role",
        ),
        (
            "facts.yaml",
            "  injustice:\n    type: enum\n    values: [none, minor, significant, serious]",
            "  injustice:\n    type: enum",
            "needs 'values'",
        ),
        (
            "tests.yaml",
            "yields_to: [another_body_better_placed]",
            "yields_to: [another_body]",
            "yields_to names unknown test(s) another_body",
        ),
        (
            "facts.yaml",
            "  about_court_action:\n    type: bool\n    presume: false",
            "  about_court_action:\n    type: bool\n    presume: false\n    recordable: true",
            "only a derived fact is 'recordable'",
        ),
        (
            "facts.yaml",
            "  about_court_action:\n    type: bool\n    presume: false",
            "  about_court_action:\n    type: bool\n    presume: false\n    date: first_knew",
            "'date' is for a recordable derived fact",
        ),
        (
            "facts.yaml",
            "    date: first_knew\n",
            "    date: first_heard\n",
            "months_since_first_knowledge.date: Input should be 'first_knew'",
        ),
        (
            "facts.yaml",
            "retired:\n  circumstances_resolved:",
            "retired:\n  injustice: use something else\n  circumstances_resolved:",
            "retired fact(s) injustice are still in 'facts:'",
        ),
    ],
)
def test_bad_rulebook_fails_loudly(
    tmp_path: Path, file: str, old: str, new: str, says: str
) -> None:
    folder = _scheme_copy(tmp_path)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RulebookError) as caught:
        load_rulebook(folder=folder)
    assert str(path) in str(caught.value)
    assert says in str(caught.value)


def test_missing_wording_template(tmp_path: Path) -> None:
    folder = _scheme_copy(tmp_path)
    (folder / "templates" / "tests" / "late_complaint.j2").unlink()
    with pytest.raises(RulebookError, match=r"write templates/tests/late_complaint\.j2"):
        load_rulebook(folder=folder)


def test_rulebook_test_command_reports_failures(tmp_path: Path) -> None:
    from ombuds.engine.cases import run_cases

    folder = _scheme_copy(tmp_path)
    broken = folder / "cases" / "time_limits.yaml"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace(
            "tests: {late_complaint: exception}", "tests: {late_complaint: applies}"
        ),
        encoding="utf-8",
    )
    report = run_cases(load_rulebook(folder=folder))
    failed = [r for r in report.results if not r.passed]
    assert [r.name for r in failed] == ["late, but illness kept the person from complaining"]
    assert "expected applies, got exception" in failed[0].failures[0]
