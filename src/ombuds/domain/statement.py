"""A decision statement as structured data: drafting fills it, renderers print it."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from ombuds.domain.outcomes import Recommendation


class RoleParagraph(BaseModel):
    """A paragraph of 'The Ombudsman's role and powers', closed by its citation."""

    model_config = ConfigDict(frozen=True)

    text: str
    bullets: list[str] = Field(default_factory=list)
    citation: str | None = None
    tests: list[str] = Field(default_factory=list, description="The tests it explains.")


class StatementPoint(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: str
    text: str


class Statement(BaseModel):
    """The house structure of an LGSCO decision statement."""

    model_config = ConfigDict(frozen=True)

    organisation: str
    reference: str
    category: str
    decision: Recommendation
    decision_label: str
    decision_date: date
    summary: str
    complaint: list[str] = Field(description="Paragraphs of 'The complaint' before the points.")
    points: list[StatementPoint]
    complaint_after: list[str] = Field(default_factory=list)
    investigated: list[str] = Field(
        default_factory=list,
        description="'What I have investigated' (a decision to investigate part of a complaint).",
    )
    not_investigated: list[str] = Field(
        default_factory=list,
        description="'What I have not investigated': the points and parts left, and why.",
    )
    role_and_powers: list[RoleParagraph]
    how_considered: list[str]
    assessment_heading: str
    assessment: list[str]
    final_decision: list[str]
    closing: str
    author: str = Field(default="", description="The organisation the statement is issued by.")
    publishable: bool = Field(description="False for outcomes the Ombudsman does not publish.")
    reasons: list[str] = Field(
        default_factory=list,
        description="The closing reasons the summary and final decision give (ids), main first.",
    )
    draft_banner: str | None = Field(
        default=None, description="Set on a draft drafted before the recommendation is settled."
    )
    missing_information: list[str] = Field(
        default_factory=list, description="On such a draft: the questions still to answer."
    )

    @property
    def title(self) -> str:
        """The statement's title, as the Ombudsman's website heads it."""
        return f"{self.organisation} ({self.reference})"

    @property
    def citations(self) -> list[str]:
        """The citations printed in the role-and-powers section, in order, once each."""
        seen: list[str] = []
        for paragraph in self.role_and_powers:
            if paragraph.citation and paragraph.citation not in seen:
                seen.append(paragraph.citation)
        return seen
