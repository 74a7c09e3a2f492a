"""The result of applying a rulebook to a complaint: a recommendation with its reasons."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ombuds.domain.complaint import FactValue
from ombuds.domain.outcomes import Recommendation, TestResult


class TraceEntry(BaseModel):
    """How one test came out on one point, and the facts that decided it."""

    model_config = ConfigDict(frozen=True)

    test: str
    result: TestResult
    facts: dict[str, FactValue] = Field(default_factory=dict)
    exception: str | None = Field(default=None, description="The exception that set it aside.")
    note: str | None = None
    presumed: list[str] = Field(
        default_factory=list,
        description="Facts the result relied on that nobody recorded: the rulebook's presumptions.",
    )


class Question(BaseModel):
    """A fact nobody has established whose answer could change a recommendation."""

    model_config = ConfigDict(frozen=True)

    fact: str = Field(description="The fact id in the rulebook's vocabulary.")
    question: str = Field(description="The question in plain words (the fact's `ask`).")
    points: list[str] = Field(description="Labels of the points whose decision it could change.")
    tests: list[str] = Field(description="Tests whose outcome depends on it.")


class PartResult(BaseModel):
    """A part of a point (an aspect, or the events before a date) assessed on its own."""

    model_config = ConfigDict(frozen=True)

    description: str = Field(description="Which part: 'the events before March 2023'...")
    decision: Recommendation
    tests: list[str] = Field(description="Tests that applied to this part, in rulebook order.")
    refer_to: list[str] = Field(default_factory=list)
    trace: list[TraceEntry] = Field(default_factory=list)


class PointResult(BaseModel):
    """The recommendation for one point, with every test's trace."""

    model_config = ConfigDict(frozen=True)

    label: str
    decision: Recommendation
    tests: list[str] = Field(description="Tests that applied, in rulebook order.")
    refer_to: list[str] = Field(default_factory=list)
    trace: list[TraceEntry]
    co_applicable: list[str] = Field(
        default_factory=list,
        description=(
            "Tests that also apply on established facts after a bar ended the point: further "
            "reasons the statement gives; they never change the point's decision."
        ),
    )
    parts: list[PartResult] = Field(
        default_factory=list,
        description="Parts of the point not considered (or considered apart), with why.",
    )


class Assessment(BaseModel):
    """The engine's recommendation for a complaint. It recommends; a person decides."""

    model_config = ConfigDict(frozen=True)

    reference: str
    organisation: str
    category: str
    decision: Recommendation
    tests: list[str] = Field(description="Union over points of the tests that applied.")
    points: list[PointResult]
    rulebook: str = Field(description="Scheme id and version, e.g. 'lgsco@1'.")
    questions: list[Question] = Field(
        default_factory=list,
        description="What to establish next, most useful first (empty when settled).",
    )

    @property
    def decision_label(self) -> str:
        return self.decision.label
