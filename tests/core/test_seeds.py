"""The five seed decisions as acceptance cases: same decision, tests and cited provisions.

The complaint files in examples/seeds record the facts an assessor would establish from each
seed; the drafted statements are kept as golden files (regenerate with UPDATE_GOLDEN=1).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ombuds.cli.main import app
from tests.core.conftest import EXAMPLES, GOLDEN, SEEDS_DIR

# reference -> (tests that must all be there, groups of which at least one must be there)
EXPECTED: dict[str, tuple[set[str], list[set[str]]]] = {
    "24 009 458": (
        {"information_commissioner_better_placed"},
        [{"injustice_not_significant", "fault_caused_no_injustice"}],
    ),
    "24 022 031": (
        {
            "insufficient_evidence_of_fault",
            "cannot_add_to_council_investigation",
            "injustice_not_significant",
            "information_commissioner_better_placed",
            "related_legal_proceedings",
        },
        [],
    ),
    "24 017 326": (
        {
            "no_worthwhile_outcome",
            "information_commissioner_better_placed",
            "injustice_not_significant",
            "complaint_handling_only",
        },
        [],
    ),
    "24 003 230": (
        {"insufficient_evidence_of_fault", "information_commissioner_better_placed"},
        [{"no_different_outcome", "outcome_not_achievable"}],
    ),
    "20 003 494": (
        {
            "cannot_add_to_council_investigation",
            "related_legal_proceedings",
            "information_commissioner_better_placed",
        },
        [],
    ),
}

CITATION = re.compile(r"\((Local Government Act 1974[^\n]*?)\)(?:\.|\s*$)", re.MULTILINE)
PROVISION = re.compile(r"\b(\d{2}[A-Z]?)(?:\(([0-9a-zA-Z]+)\))?")


def provisions(text: str) -> set[str]:
    """Normalised provisions cited in a statement: '24A(6)', '34B', '34B(8)'..."""
    found: set[str] = set()
    for citation in CITATION.findall(text):
        for number, sub in PROVISION.findall(citation.replace("Act 1974", "")):
            if sub and sub.isalpha() and sub.isupper():
                found.add(number + sub)  # "34(B)" is printed for section 34B
            else:
                found.add(f"{number}({sub})" if sub else number)
    return found


def seed_file(reference: str) -> Path:
    return EXAMPLES / "seeds" / f"{reference.replace(' ', '-')}.yaml"


@pytest.mark.parametrize("reference", sorted(EXPECTED))
def test_seed_decision_and_tests(runner: CliRunner, reference: str) -> None:
    result = runner.invoke(app, ["assess", str(seed_file(reference)), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["reference"] == reference
    assert data["decision"] == "closed_after_initial_enquiries"
    assert data["decision_label"] == "Closed after initial enquiries"
    must, one_of = EXPECTED[reference]
    assert must <= set(data["tests"])
    for group in one_of:
        assert group & set(data["tests"])
    for point in data["points"]:
        assert {e["result"] for e in point["trace"]} <= {
            "applies",
            "does_not_apply",
            "not_reached",
            "exception",
        }
        assert [e["test"] for e in point["trace"] if e["result"] == "applies"] == point["tests"]


@pytest.mark.parametrize("reference", sorted(EXPECTED))
def test_seed_statement_matches_golden(runner: CliRunner, reference: str) -> None:
    result = runner.invoke(app, ["assess", str(seed_file(reference))])
    assert result.exit_code == 0, result.output
    golden = GOLDEN / f"{reference.replace(' ', '-')}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(result.output, encoding="utf-8")
    assert result.output == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("reference", sorted(EXPECTED))
def test_seed_statement_cites_the_seeds_provisions(runner: CliRunner, reference: str) -> None:
    seeds = {p.read_text(encoding="utf-8").split("\n", 1)[0]: p for p in SEEDS_DIR.glob("*.txt")}
    seed = next((p for first, p in seeds.items() if f"({reference})" in first), None)
    if seed is None:
        pytest.skip("../shared/seeds is not beside the repository")
    result = runner.invoke(app, ["assess", str(seed_file(reference))])
    drafted = provisions(result.output)
    assert drafted == provisions(seed.read_text(encoding="utf-8"))
    assert drafted  # a statement with no citation would pass vacuously


def test_provisions_reader() -> None:
    text = (
        "x. (Local Government Act 1974, section 24A(6), as amended, section 34(B))\n"
        "y. (Local Government Act 1974, sections 24A(6) and 34B(8), as amended)\n"
    )
    assert provisions(text) == {"24A(6)", "34B", "34B(8)"}


def test_the_assessor_chooses_the_main_reason(runner: CliRunner, tmp_path: Path) -> None:
    """24 022 031's investigator gave "could not add" first, though injustice closes more
    points; the file's main_reason says so. A reason no point is closed for is refused."""
    result = runner.invoke(app, ["assess", str(seed_file("24 022 031"))])
    assert "This is mainly because we could not add significantly" in result.output
    text = seed_file("24 022 031").read_text(encoding="utf-8")
    assert "main_reason: cannot_add_to_council_investigation" in text
    without = tmp_path / "default.yaml"
    without.write_text(text.replace("main_reason: cannot_add_to_council_investigation\n", ""))
    default = runner.invoke(app, ["assess", str(without)])
    assert "This is mainly because any injustice to Mr X is not significant" in default.output
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(text.replace("cannot_add_to_council_investigation\n", "late_complaint\n", 1))
    refused = runner.invoke(app, ["assess", str(wrong)])
    assert refused.exit_code == 2
    assert "main_reason 'late_complaint' is not a reason this statement gives" in refused.stderr
