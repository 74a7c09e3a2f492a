"""Request and response bodies of the JSON API (what /openapi.json describes)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ombuds.domain.complaint import FactValue


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SignIn(_Body):
    username: str = Field(max_length=200)
    password: str = Field(max_length=1000)


class SessionOut(BaseModel):
    user: str
    role: str
    permissions: list[str]
    csrf_token: str | None = Field(description="Send as X-CSRF-Token (or csrf_token form field).")


class CaseSummary(BaseModel):
    id: int
    reference: str
    organisation: str
    status: str
    status_label: str
    assignee: str | None
    received: str
    due: str
    working_days_left: int = Field(description="Working days until due; negative when late.")
    overdue: bool
    version: int
    recommendation: str | None
    decision: str | None


class CaseOut(CaseSummary):
    decision_reason: str | None
    drafted_by: str | None
    submitted_by: str | None
    decided_by: str | None
    created_at: str
    updated_at: str
    statement_drafted: bool
    statement_edited: bool
    next_states: list[str]
    document: dict[str, Any]


class CaseList(BaseModel):
    items: list[CaseSummary]
    total: int
    limit: int
    offset: int


class FactsIn(_Body):
    point: str | None = Field(
        default=None, max_length=1, description="A point's letter; omit for the whole complaint."
    )
    facts: dict[str, FactValue] = Field(description="Facts to set; null forgets one.")


class AssigneeIn(_Body):
    assignee: str | None = Field(max_length=80)


class DraftIn(_Body):
    decision: str | None = Field(
        default=None, max_length=60, description="Default: the recommendation."
    )
    reason: str | None = Field(
        default=None,
        max_length=10_000,
        description="Why the decision departs from the recommendation.",
    )


class StatementIn(_Body):
    text: str = Field(max_length=500_000, description="The edited statement, Markdown.")


class StatementDiff(BaseModel):
    generated: str | None
    edited: str | None
    diff: str


class TransitionIn(_Body):
    to: str = Field(max_length=40)
    note: str | None = Field(default=None, max_length=10_000)


class NextStep(BaseModel):
    to: str
    label: str
    allowed: bool
    reason: str | None


class EventOut(BaseModel):
    id: int
    at: str
    actor: str
    action: str
    case_id: int | None
    subject: str | None
    before: Any
    after: Any


class UserIn(_Body):
    name: str = Field(max_length=80)
    role: Literal["assessor", "reviewer", "admin", "auditor"]
    password: str = Field(max_length=1000)


class UserChange(_Body):
    role: Literal["assessor", "reviewer", "admin", "auditor"] | None = None
    active: bool | None = None


class UserOut(BaseModel):
    name: str
    role: str
    active: bool


class Health(BaseModel):
    status: str
    database: str
