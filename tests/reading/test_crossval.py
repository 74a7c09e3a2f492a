"""Cross-validation: stable folds by reference, learned steps fitted on training folds only."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ombuds.domain.record import DecisionRecord
from ombuds.reading.crossval import cross_validate, fold_of, with_tests
from ombuds.reading.evaluate import GoldRow


def _row(index: int, reference: str, gold: list[str], got: list[str]) -> GoldRow:
    record = DecisionRecord(reference=reference, tests=got)
    return GoldRow(index, {"reference": reference, "tests": gold}, record)


def _rows(n: int) -> list[GoldRow]:
    return [
        _row(i, f"24 {i:03d} 111", ["late_complaint"], ["late_complaint"] if i % 3 else [])
        for i in range(n)
    ]


def test_fold_ignores_spacing_and_case_and_is_in_range() -> None:
    assert fold_of("24 009 458", 5) == fold_of("24009458", 5) == fold_of(" 24 009  458 ", 5)
    folds = {fold_of(f"23 {i:03d} 000", 5) for i in range(200)}
    assert folds == {0, 1, 2, 3, 4}


def test_every_row_held_out_exactly_once() -> None:
    rows = _rows(60)
    result = cross_validate(rows, 4)
    assert sum(report.rows for report in result.folds) == 60
    assert result.pooled.rows == 60
    assert result.pooled.micro.tp == 40 and result.pooled.micro.fn == 20
    figures = result.figures()
    assert len(figures["tests micro-F1"]) == 4
    spread = result.spreads()["tests micro recall"]
    assert spread.low <= spread.mean <= spread.high


def test_learned_step_never_sees_its_held_out_fold() -> None:
    rows = _rows(50)
    seen: list[set[str]] = []

    def fit(training: Sequence[GoldRow]) -> Callable[[GoldRow], GoldRow]:
        references = {str(row.gold["reference"]) for row in training}
        seen.append(references)
        # "learn" the commonest gold test and predict it for every held-out row
        return lambda row: with_tests(row, ["late_complaint"])

    result = cross_validate(rows, 5, fit=fit)
    assert len(seen) == 5
    for fold, references in enumerate(seen):
        assert all(fold_of(ref, 5) != fold for ref in references)
        assert len(references) == 50 - result.folds[fold].rows
    assert result.pooled.micro.f1 == 1.0


def test_one_fold_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 2 folds"):
        cross_validate(_rows(4), 1)


def test_evaluate_folds_cli(cli_app: typer.Typer, runner: CliRunner, fixtures: Path) -> None:
    result = runner.invoke(
        cli_app, ["evaluate", str(fixtures / "gold.jsonl"), "--folds", "2", "--json"]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["k"] == 2 and sum(data["fold_rows"]) == 3
    micro = data["figures"]["tests micro-F1"]
    assert len(micro["folds"]) == 2 and micro["min"] <= micro["mean"] <= micro["max"]
    assert data["pooled"]["tests"]["micro"]["tp"] == 4
    table = runner.invoke(cli_app, ["evaluate", str(fixtures / "gold.jsonl"), "--folds", "2"])
    assert table.exit_code == 0 and "mean" in table.stdout and "fold 1" in table.stdout
    bad = runner.invoke(cli_app, ["evaluate", str(fixtures / "gold.jsonl"), "--folds", "1"])
    assert bad.exit_code == 2 and "2 or more folds" in bad.stderr
