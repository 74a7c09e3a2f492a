"""Acceptance against real decisions: published outcomes beside the engine's recommendations."""

from ombuds.acceptance.score import (
    CaseScore,
    Expectation,
    Score,
    TestCounts,
    agrees,
    fold_of,
    reasons_given,
    score,
    score_case,
)

__all__ = [
    "CaseScore",
    "Expectation",
    "Score",
    "TestCounts",
    "agrees",
    "fold_of",
    "reasons_given",
    "score",
    "score_case",
]
