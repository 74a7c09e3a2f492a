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


class PointResult(BaseModel):
    """The recommendation for one point, with every test's trace."""

    model_config = ConfigDict(frozen=True)

    label: str
    decision: Recommendation
    tests: list[str] = Field(description="Tests that applied, in rulebook order.")
    refer_to: list[str] = Field(default_factory=list)
    trace: list[TraceEntry]


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

    @property
    def decision_label(self) -> str:
        return self.decision.label
