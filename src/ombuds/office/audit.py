"""The audit trail: one append-only event per change, written on the change's own transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from ombuds.office.tables import audit_event


@dataclass(frozen=True)
class Event:
    """Who did what, when, to which case or user, and the state before and after."""

    id: int
    at: datetime
    actor: str
    action: str
    case_id: int | None
    subject: str | None
    before: Any
    after: Any

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "case_id": self.case_id,
            "subject": self.subject,
            "before": self.before,
            "after": self.after,
        }


def record(
    conn: Connection,
    actor: str,
    action: str,
    *,
    case_id: int | None = None,
    subject: str | None = None,
    before: Any = None,
    after: Any = None,
) -> int:
    """Append an event on ``conn``'s transaction (so it lands with the change or not at all)."""
    row = {
        "at": datetime.now(UTC),
        "actor": actor,
        "action": action,
        "case_id": case_id,
        "subject": subject,
        "before": before,
        "after": after,
    }
    return int(conn.execute(insert(audit_event).returning(audit_event.c.id), row).scalar_one())


def _event(row: Any) -> Event:
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)
    return Event(row.id, at, row.actor, row.action, row.case_id, row.subject, row.before, row.after)


def events(
    conn: Connection, *, case_id: int | None = None, after_id: int = 0, limit: int = 100
) -> list[Event]:
    """Events in the order they happened (of one case, or all), from ``after_id`` on."""
    query = select(audit_event).where(audit_event.c.id > after_id)
    if case_id is not None:
        query = query.where(audit_event.c.case_id == case_id)
    rows = conn.execute(query.order_by(audit_event.c.id).limit(limit))
    return [_event(row) for row in rows]
