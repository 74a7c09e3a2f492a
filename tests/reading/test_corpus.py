"""The shared seeds and development corpus (skipped cleanly when absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ombuds.reading import Parsed, iter_records
from ombuds.reading.crossval import CrossValidation, cross_validate
from ombuds.reading.evaluate import GoldRow, Report, score
from ombuds.reading.sources import parse_one

HEADER_TARGET = 0.99
TESTS_TARGET = 0.90
NO_HEADER_OUTCOME_TARGET = 0.97


def test_seeds_parse(seeds_dir: Path) -> None:
    results = list(iter_records([str(seeds_dir)]))
    assert results and all(isinstance(r, Parsed) for r in results)
    for result in results:
        assert isinstance(result, Parsed)
        record = result.record
        assert record.reference and record.organisation and record.complainant
        assert record.decision == "closed_after_initial_enquiries"
        assert record.tests, f"{record.source}: no tests read"
        assert {"summary", "complaint", "role_and_powers", "assessment", "final_decision"} <= set(
            record.sections
        )


def _rows(dev_corpus: Path) -> list[GoldRow]:
    rows = []
    with dev_corpus.open() as handle:
        for index, line in enumerate(handle):
            gold = json.loads(line)
            result = parse_one(gold["text"], gold.get("url"), f"dev:{index}")
            record = result.record if isinstance(result, Parsed) else None
            rows.append(GoldRow(index, gold, record))
    return rows


def _report(dev_corpus: Path) -> Report:
    return score(_rows(dev_corpus))


@pytest.fixture(scope="module")
def dev_report() -> Report:
    path = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "dev.jsonl"
    if not path.is_file():
        pytest.skip("shared development corpus not present")
    return _report(path)


def test_dev_all_rows_parse(dev_report: Report) -> None:
    assert dev_report.failures == []
    assert dev_report.parsed == dev_report.rows > 0


@pytest.mark.parametrize(
    "field",
    [
        "reference",
        "organisation",
        "category",
        "decision (header rows)",
        "decision_date",
        "complainant",
    ],
)
def test_dev_header_fields_meet_target(dev_report: Report, field: str) -> None:
    score_ = dev_report.fields[field]
    assert score_.total > 0
    assert score_.accuracy >= HEADER_TARGET, score_.misses[:5]


def test_dev_tests_micro_f1_target(dev_report: Report) -> None:
    assert dev_report.micro.f1 >= TESTS_TARGET


@pytest.fixture(scope="module")
def dev_folds() -> CrossValidation:
    path = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "dev.jsonl"
    if not path.is_file():
        pytest.skip("shared development corpus not present")
    return cross_validate(_rows(path), 5)


def test_dev_cross_validated_targets(dev_folds: CrossValidation) -> None:
    """The figures to quote: mean over 5 folds by reference (``evaluate --folds 5``)."""
    spreads = dev_folds.spreads()
    assert spreads["tests micro-F1"].mean >= TESTS_TARGET
    assert spreads["decision (no header)"].mean >= NO_HEADER_OUTCOME_TARGET
