"""Measure the reader against gold labels (shared/corpus format): pure, no I/O.

Header fields are scored by exact match on the rows whose gold has them; the tests a
decision relied on are scored as a multi-label task (micro and macro P/R/F1, per test).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ombuds.domain.record import DecisionRecord

HEADER_FIELDS = (
    "reference",
    "organisation",
    "category",
    "decision",
    "decision_date",
    "complainant",
)


@dataclass(frozen=True)
class GoldRow:
    """One labelled decision: its index, gold fields, and the record read from its text."""

    index: int
    gold: Mapping[str, Any]
    record: DecisionRecord | None  # None when the text could not be parsed
    error: str | None = None


@dataclass
class FieldScore:
    """Exact-match accuracy of one header field over the rows with gold for it."""

    name: str
    correct: int = 0
    total: int = 0
    misses: list[tuple[str, str | None, str | None]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


@dataclass
class TestScore:
    """True/false positives and false negatives of one test id."""

    __test__ = False  # not a pytest class

    name: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Miss:
    """A row whose tests were read wrongly: what was missed and what was added."""

    reference: str
    missed: tuple[str, ...]
    extra: tuple[str, ...]
    confidence: str | None


@dataclass
class Report:
    """Every figure of one evaluation run."""

    rows: int = 0
    parsed: int = 0
    failures: list[tuple[int, str]] = field(default_factory=list)
    fields: dict[str, FieldScore] = field(default_factory=dict)
    tests: dict[str, TestScore] = field(default_factory=dict)
    misses: list[Miss] = field(default_factory=list)
    exact_tests: int = 0

    @property
    def micro(self) -> TestScore:
        total = TestScore("micro")
        for score in self.tests.values():
            total.tp += score.tp
            total.fp += score.fp
            total.fn += score.fn
        return total

    @property
    def macro_f1(self) -> float:
        scored = [s for s in self.tests.values() if s.support or s.fp]
        return sum(s.f1 for s in scored) / len(scored) if scored else 0.0

    def worst_misses(self, n: int = 10) -> list[Miss]:
        """Rows with the most wrong test ids, high-confidence gold first."""
        rank = {"high": 0, "medium": 1, "low": 2}
        return sorted(
            self.misses,
            key=lambda m: (-(len(m.missed) + len(m.extra)), rank.get(m.confidence or "", 3)),
        )[:n]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json`` output."""
        micro = self.micro
        return {
            "rows": self.rows,
            "parsed": self.parsed,
            "failures": [{"row": i, "message": m} for i, m in self.failures],
            "fields": {
                name: {"accuracy": round(s.accuracy, 4), "correct": s.correct, "total": s.total}
                for name, s in self.fields.items()
            },
            "tests": {
                "micro": {
                    "precision": round(micro.precision, 4),
                    "recall": round(micro.recall, 4),
                    "f1": round(micro.f1, 4),
                    "tp": micro.tp,
                    "fp": micro.fp,
                    "fn": micro.fn,
                },
                "macro_f1": round(self.macro_f1, 4),
                "exact_set_accuracy": round(self.exact_tests / self.parsed, 4)
                if self.parsed
                else 0.0,
                "per_test": {
                    name: {
                        "precision": round(s.precision, 4),
                        "recall": round(s.recall, 4),
                        "f1": round(s.f1, 4),
                        "support": s.support,
                        "tp": s.tp,
                        "fp": s.fp,
                        "fn": s.fn,
                    }
                    for name, s in sorted(self.tests.items())
                },
            },
            "worst_misses": [
                {
                    "reference": m.reference,
                    "missed": list(m.missed),
                    "extra": list(m.extra),
                    "confidence": m.confidence,
                }
                for m in self.worst_misses()
            ],
        }


def _norm(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def _predicted(record: DecisionRecord, name: str) -> str | None:
    value = getattr(record, name)
    return _norm(value.isoformat() if hasattr(value, "isoformat") else value)


def score(rows: Iterable[GoldRow]) -> Report:
    """Compare each parsed record with its gold fields and tests."""
    report = Report(fields={name: FieldScore(name) for name in HEADER_FIELDS})
    report.fields["decision (header rows)"] = FieldScore("decision (header rows)")
    report.fields["decision (no header)"] = FieldScore("decision (no header)")
    for row in rows:
        report.rows += 1
        gold = row.gold
        if row.record is None:
            report.failures.append((row.index, row.error or "not parsed"))
            continue
        report.parsed += 1
        reference = str(gold.get("reference") or row.record.reference or f"row {row.index}")
        names: list[tuple[str, str]] = [(n, n) for n in HEADER_FIELDS]
        header_row = "decision (header rows)" if gold.get("gold_header") else "decision (no header)"
        names.append((header_row, "decision"))
        for label, name in names:
            expected = _norm(gold.get(name))
            if expected is None or (name == "decision" and expected == "unknown"):
                continue
            got = _predicted(row.record, name)
            score_ = report.fields[label]
            score_.total += 1
            if got == expected:
                score_.correct += 1
            else:
                score_.misses.append((reference, expected, got))
        gold_tests = set(gold.get("tests") or [])
        got_tests = set(row.record.tests)
        for name in gold_tests | got_tests:
            test = report.tests.setdefault(name, TestScore(name))
            if name in gold_tests and name in got_tests:
                test.tp += 1
            elif name in gold_tests:
                test.fn += 1
            else:
                test.fp += 1
        if gold_tests == got_tests:
            report.exact_tests += 1
        else:
            report.misses.append(
                Miss(
                    reference,
                    tuple(sorted(gold_tests - got_tests)),
                    tuple(sorted(got_tests - gold_tests)),
                    gold.get("tests_confidence"),
                )
            )
    return report
