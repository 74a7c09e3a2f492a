"""A published decision read back into structure: the unit of the precedent corpus.

Every field that the text does not give is ``None`` (or empty), never guessed. Fields filled
from the page's URL rather than its text are named in ``from_url``.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class Remedy(BaseModel):
    """One action a body agreed or was asked to take."""

    model_config = ConfigDict(frozen=True)

    kind: str = Field(description="apology | payment | service_improvement | reconsider | other")
    text: str = Field(description="The sentence the remedy was read from.")
    amount_gbp: float | None = None
    deadline: str | None = Field(default=None, description="As printed: 'within one month'.")


class DecisionRecord(BaseModel):
    """A decision statement as structured data (parsed from a page, or drafted by ombuds)."""

    model_config = ConfigDict(frozen=True)

    reference: str | None = None
    organisation: str | None = None
    category: str | None = None
    decision: str | None = Field(default=None, description="Normalised outcome id.")
    decision_label: str | None = Field(default=None, description="The outcome as printed.")
    decision_date: date | None = None
    summary: str | None = None
    complainant: str | None = None
    points: list[str] = Field(default_factory=list)
    sections: dict[str, str] = Field(default_factory=dict)
    citations: list[str] = Field(default_factory=list)
    tests: list[str] = Field(default_factory=list)
    remedies: list[Remedy] = Field(default_factory=list)
    url: str | None = None
    from_url: list[str] = Field(default_factory=list)
    source: str | None = Field(default=None, description="File (and line) the record came from.")
