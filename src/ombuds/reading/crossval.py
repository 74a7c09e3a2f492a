"""k-fold cross-validation of the reader on a labelled corpus: pure, no I/O.

Figures on the rows the phrase rules were written against flatter them, so every figure is
also given per fold, with its mean and spread. Folds are fixed by a hash of the case
reference (the same decision always lands in the same fold, whatever the row order), and a
learned component, if any, is fitted on the training folds only and scored on the held-out one.
"""

from __future__ import annotations

import hashlib
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ombuds.reading.evaluate import GoldRow, Report, score

# A learned step: fitted on training rows, it returns a function that revises held-out rows.
Fitter = Callable[[Sequence[GoldRow]], Callable[[GoldRow], GoldRow]]


def fold_of(reference: str, k: int) -> int:
    """The fold (0..k-1) of a case reference: a stable hash, spaces and case ignored."""
    key = "".join(reference.split()).upper().encode("utf-8")
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big") % k


def _reference(row: GoldRow) -> str:
    reference = row.gold.get("reference")
    if isinstance(reference, str) and reference.strip():
        return reference
    if row.record is not None and row.record.reference:
        return row.record.reference
    return f"row {row.index}"


@dataclass(frozen=True)
class Spread:
    """Mean, standard deviation, minimum and maximum of one figure over the folds."""

    mean: float
    sd: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        if not values:
            return cls(0.0, 0.0, 0.0, 0.0)
        sd = statistics.stdev(values) if len(values) > 1 else 0.0
        return cls(statistics.fmean(values), sd, min(values), max(values))

    def to_dict(self) -> dict[str, float]:
        return {
            "mean": round(self.mean, 4),
            "sd": round(self.sd, 4),
            "min": round(self.low, 4),
            "max": round(self.high, 4),
        }


@dataclass
class CrossValidation:
    """The held-out report of each fold, and the pooled report over all held-out rows."""

    k: int
    folds: list[Report] = field(default_factory=list)
    pooled: Report = field(default_factory=Report)

    def figures(self) -> dict[str, list[float]]:
        """Each headline figure, one value per fold (fields only where the fold has gold)."""
        out: dict[str, list[float]] = {}

        def add(name: str, value: float) -> None:
            out.setdefault(name, []).append(value)

        for report in self.folds:
            micro = report.micro
            add("tests micro-F1", micro.f1)
            add("tests micro precision", micro.precision)
            add("tests micro recall", micro.recall)
            add("tests macro-F1", report.macro_f1)
            add("tests exact set", report.exact_tests / report.parsed if report.parsed else 0.0)
            for name, field_score in report.fields.items():
                if field_score.total:
                    add(name, field_score.accuracy)
        return out

    def spreads(self) -> dict[str, Spread]:
        return {name: Spread.of(values) for name, values in self.figures().items()}

    def per_test(self) -> dict[str, Spread]:
        """F1 of each test over the folds where it occurs (gold or predicted)."""
        values: dict[str, list[float]] = {}
        for report in self.folds:
            for name, test in report.tests.items():
                values.setdefault(name, []).append(test.f1)
        return {name: Spread.of(v) for name, v in sorted(values.items())}

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``: per-fold values, spreads, per-test F1, pooled report."""
        return {
            "k": self.k,
            "fold_rows": [report.rows for report in self.folds],
            "figures": {
                name: {**Spread.of(values).to_dict(), "folds": [round(v, 4) for v in values]}
                for name, values in self.figures().items()
            },
            "per_test_f1": {name: s.to_dict() for name, s in self.per_test().items()},
            "pooled": self.pooled.to_dict(),
        }


def cross_validate(rows: Sequence[GoldRow], k: int, fit: Fitter | None = None) -> CrossValidation:
    """Score each fold as held out; ``fit`` (if given) sees only the other folds' rows."""
    if k < 2:
        raise ValueError(f"cross-validation needs at least 2 folds, got {k}")
    by_fold: list[list[GoldRow]] = [[] for _ in range(k)]
    for row in rows:
        by_fold[fold_of(_reference(row), k)].append(row)
    result = CrossValidation(k=k)
    held_out_all: list[GoldRow] = []
    for fold in range(k):
        held_out = by_fold[fold]
        if fit is not None:
            training = [row for other in range(k) if other != fold for row in by_fold[other]]
            revise = fit(training)
            held_out = [revise(row) for row in held_out]
        result.folds.append(score(held_out))
        held_out_all.extend(held_out)
    result.pooled = score(sorted(held_out_all, key=lambda row: row.index))
    return result


def with_tests(row: GoldRow, tests: Sequence[str]) -> GoldRow:
    """``row`` with its record's tests replaced (for learned steps that revise them)."""
    if row.record is None:
        return row
    return replace(row, record=row.record.model_copy(update={"tests": list(tests)}))
