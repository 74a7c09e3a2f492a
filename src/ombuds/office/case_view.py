"""A case as the actions and adapters see it: the stored row, with its label, lateness and the
facts the workflow's guards look at; loading one, and the role check every action starts with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, select

from ombuds.casework.deadlines import working_days_between
from ombuds.casework.workflow import CaseFacts
from ombuds.office.errors import Forbidden, NotFound
from ombuds.office.office import Office
from ombuds.office.people import User
from ombuds.office.tables import case


@dataclass(frozen=True)
class CaseView:
    """A case as stored, with what adapters show about it (label, overdue, next steps)."""

    id: int
    reference: str
    organisation: str
    status: str
    assignee: str | None
    received: date
    due: date
    version: int
    recommendation: str | None
    decision: str | None
    decision_reason: str | None
    drafted_by: str | None
    submitted_by: str | None
    decided_by: str | None
    created_at: datetime
    updated_at: datetime
    document: dict[str, Any]
    generated_statement: str | None
    edited_statement: str | None
    overdue: bool

    @property
    def etag(self) -> str:
        return f'"{self.version}"'

    def facts(self) -> CaseFacts:
        return CaseFacts(
            status=self.status,
            recommendation=self.recommendation,
            decision=self.decision,
            decision_reason=self.decision_reason,
            drafted_by=self.drafted_by,
            submitted_by=self.submitted_by,
            statement_drafted=self.generated_statement is not None,
        )

    @property
    def statement_text(self) -> str | None:
        """The statement as it stands: the assessor's edit, else the generated draft."""
        return self.edited_statement or self.generated_statement

    def summary(self, office: Office) -> dict[str, Any]:
        return {
            "id": self.id,
            "reference": self.reference,
            "organisation": self.organisation,
            "status": self.status,
            "status_label": office.workflow.label(self.status),
            "assignee": self.assignee,
            "received": self.received.isoformat(),
            "due": self.due.isoformat(),
            "working_days_left": working_days_between(office.today(), self.due),
            "overdue": self.overdue,
            "version": self.version,
            "recommendation": self.recommendation,
            "decision": self.decision,
        }

    def as_json(self, office: Office) -> dict[str, Any]:
        return {
            **self.summary(office),
            "decision_reason": self.decision_reason,
            "drafted_by": self.drafted_by,
            "submitted_by": self.submitted_by,
            "decided_by": self.decided_by,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "statement_drafted": self.generated_statement is not None,
            "statement_edited": self.edited_statement is not None,
            "next_states": office.workflow.next_states(self.status),
            "document": self.document,
        }


@dataclass(frozen=True)
class CasePage:
    items: list[CaseView]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class CaseFilters:
    status: str | None = None
    assignee: str | None = None
    organisation: str | None = None
    overdue: bool | None = None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


#: What a list needs: every column but the document and the statements (the large ones).
SUMMARY_COLUMNS = [
    c for c in case.c if c.name not in {"document", "generated_statement", "edited_statement"}
]


def view_of(office: Office, row: Any) -> CaseView:
    """A case from its row (a summary row leaves the document empty and no statements)."""
    columns = row._mapping
    open_ = row.status not in office.workflow.final_states and row.status != "decided"
    return CaseView(
        id=row.id,
        reference=row.reference,
        organisation=row.organisation,
        status=row.status,
        assignee=row.assignee,
        received=row.received,
        due=row.due,
        version=row.version,
        recommendation=row.recommendation,
        decision=row.decision,
        decision_reason=row.decision_reason,
        drafted_by=row.drafted_by,
        submitted_by=row.submitted_by,
        decided_by=row.decided_by,
        created_at=_aware(row.created_at),
        updated_at=_aware(row.updated_at),
        document=columns.get("document") or {},
        generated_statement=columns.get("generated_statement"),
        edited_statement=columns.get("edited_statement"),
        overdue=open_ and row.due < office.today(),
    )


def require(office: Office, actor: User, permission: str) -> None:
    if not office.workflow.allows(actor.role, permission):
        raise Forbidden(f"the role {actor.role} may not do this ({permission})")


def load_case(conn: Connection, office: Office, case_id: int) -> CaseView:
    row = conn.execute(select(case).where(case.c.id == case_id)).first()
    if row is None:
        raise NotFound(f"no case with id {case_id}")
    return view_of(office, row)
