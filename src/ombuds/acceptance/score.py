"""Score the engine's recommendations against published decisions re-encoded as complaints.

A real decision, encoded as a complaint file, carries what the Ombudsman actually decided
(the published outcome and the Assessment Code tests the statement relied on). Scoring
compares the engine's recommendation with that, the way the corpus is compared: a
recommendation to investigate agrees with a published ``upheld`` or ``not_upheld``; every
other recommendation must equal the published outcome. The reasons compare as sets of test
ids (micro-averaged over cases). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ombuds.domain.assessment import Assessment
from ombuds.domain.outcomes import Recommendation

PublishedDecision = Literal[
    "closed_after_initial_enquiries", "upheld", "not_upheld", "premature", "incomplete_invalid"
]

#: Published outcomes that follow an investigation.
INVESTIGATED = frozenset({"upheld", "not_upheld"})


class Expectation(BaseModel):
    """What the Ombudsman published for the decision the complaint file encodes."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    decision: PublishedDecision = Field(description="The published outcome.")
    tests: list[str] = Field(
        default_factory=list,
        description=(
            "Assessment Code tests the statement relied on to leave the complaint, or parts of "
            "it, uninvestigated (empty for an investigation that left nothing out)."
        ),
    )
    source: str | None = Field(default=None, description="Where the decision was published.")
    reasons: str | None = Field(
        default=None, description="The published reasons, in the encoder's own words."
    )


Fold = Literal["even", "odd"]


def fold_of(reference: str) -> Fold:
    """Which half a case falls in, by its reference's last digit: tune on one, check the other."""
    digits = [c for c in reference if c.isdigit()]
    return "even" if int(digits[-1]) % 2 == 0 else "odd"


def agrees(recommendation: Recommendation, published: str) -> bool:
    """Whether a recommendation matches a published outcome, as the corpus compares them."""
    if recommendation is Recommendation.INVESTIGATE:
        return published in INVESTIGATED
    return recommendation.value == published


def reasons_given(assessment: Assessment) -> frozenset[str]:
    """Every test the recommendation relies on: point tests, co-applicable reasons, parts."""
    tests = set(assessment.tests)
    for point in assessment.points:
        tests.update(point.tests)
        tests.update(point.co_applicable)
        for part in point.parts:
            tests.update(part.tests)
    return frozenset(tests)


@dataclass(frozen=True)
class CaseScore:
    """One encoded decision: what was published beside what the engine recommends.

    ``questions`` are the facts the engine still asks (why it may say needs_information).
    """

    name: str
    reference: str
    expected_decision: str
    expected_tests: frozenset[str]
    decision: Recommendation
    tests: frozenset[str]
    questions: tuple[str, ...] = ()

    @property
    def agrees(self) -> bool:
        return agrees(self.decision, self.expected_decision)

    @property
    def exact_tests(self) -> bool:
        return self.tests == self.expected_tests

    @property
    def missed(self) -> frozenset[str]:
        """Tests the Ombudsman relied on that the engine did not give."""
        return self.expected_tests - self.tests

    @property
    def extra(self) -> frozenset[str]:
        """Tests the engine gave that the Ombudsman did not rely on."""
        return self.tests - self.expected_tests


def score_case(name: str, expectation: Expectation, assessment: Assessment) -> CaseScore:
    """Compare one assessment with the published decision it should reproduce."""
    return CaseScore(
        name=name,
        reference=assessment.reference,
        expected_decision=expectation.decision,
        expected_tests=frozenset(expectation.tests),
        decision=assessment.decision,
        tests=reasons_given(assessment),
        questions=tuple(q.fact for q in assessment.questions),
    )


@dataclass(frozen=True)
class TestCounts:
    """Per-test counts over all cases: true positives, false positives, false negatives."""

    __test__ = False  # not a pytest class

    tp: int = 0
    fp: int = 0
    fn: int = 0


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


@dataclass(frozen=True)
class Score:
    """Agreement over a set of encoded decisions."""

    cases: tuple[CaseScore, ...]
    per_test: dict[str, TestCounts] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.cases)

    @property
    def agreed(self) -> int:
        return sum(c.agrees for c in self.cases)

    @property
    def exact(self) -> int:
        return sum(c.exact_tests for c in self.cases)

    @property
    def precision(self) -> float:
        tp = sum(c.tp for c in self.per_test.values())
        return _ratio(tp, tp + sum(c.fp for c in self.per_test.values()))

    @property
    def recall(self) -> float:
        tp = sum(c.tp for c in self.per_test.values())
        return _ratio(tp, tp + sum(c.fn for c in self.per_test.values()))

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    def summary(self) -> str:
        """The one-line result, in the form the project quotes."""
        return (
            f"decision agreement: {self.agreed}/{self.n}; tests micro-F1: {self.f1:.2f} "
            f"(P {self.precision:.2f} R {self.recall:.2f}); exact test sets: {self.exact}/{self.n}"
        )


def score(cases: Iterable[CaseScore]) -> Score:
    """Aggregate case scores: decision agreement, micro P/R/F1 of tests, exact test sets."""
    done = tuple(cases)
    counts: dict[str, list[int]] = {}
    for case in done:
        for test in case.tests | case.expected_tests:
            row = counts.setdefault(test, [0, 0, 0])
            if test in case.tests and test in case.expected_tests:
                row[0] += 1
            elif test in case.tests:
                row[1] += 1
            else:
                row[2] += 1
    per_test = {t: TestCounts(*counts[t]) for t in sorted(counts)}
    return Score(cases=done, per_test=per_test)
