"""The outcome vocabulary: what an assessment recommends and what a published decision says."""

from __future__ import annotations

from enum import StrEnum


class Recommendation(StrEnum):
    """What the engine recommends for a complaint or one of its points."""

    INVESTIGATE = "investigate"
    CLOSED_AFTER_INITIAL_ENQUIRIES = "closed_after_initial_enquiries"
    PREMATURE = "premature"
    INCOMPLETE_INVALID = "incomplete_invalid"
    #: A fact nobody has established could still change the decision: ask before deciding.
    NEEDS_INFORMATION = "needs_information"

    @property
    def label(self) -> str:
        return RECOMMENDATION_LABELS[self]


RECOMMENDATION_LABELS: dict[Recommendation, str] = {
    Recommendation.INVESTIGATE: "Investigate",
    Recommendation.CLOSED_AFTER_INITIAL_ENQUIRIES: "Closed after initial enquiries",
    Recommendation.PREMATURE: "Premature",
    Recommendation.INCOMPLETE_INVALID: "Incomplete/Invalid",
    Recommendation.NEEDS_INFORMATION: "Needs information",
}


class TestResult(StrEnum):
    """How one test came out on one point (the trace vocabulary)."""

    __test__ = False  # not a pytest class

    APPLIES = "applies"
    DOES_NOT_APPLY = "does_not_apply"
    NOT_REACHED = "not_reached"
    EXCEPTION = "exception"
