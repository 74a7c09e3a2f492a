"""One stored decision by its case reference, with its reasons, citations and remedies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from ombuds.corpus.reference import reference_key
from ombuds.corpus.schema import citation, decision, decision_test, remedy
from ombuds.corpus.store import Store


@dataclass(frozen=True)
class StoredDecision:
    """A decision as the register shows it (the database row, read back)."""

    reference: str
    organisation: str | None
    category: str | None
    decision: str | None
    decision_label: str | None
    decision_date: date | None
    summary: str | None
    complainant: str | None
    points: list[str]
    sections: dict[str, str]
    text: str
    url: str | None
    tests: list[str]
    citations: list[str]
    remedies: list[dict[str, Any]]


def find_decision(store: Store, reference: str) -> StoredDecision | None:
    """The decision stored under ``reference`` in any spelling ("24-022-031"), or ``None``."""
    key = reference_key(reference)
    d = decision.c
    with store.engine.connect() as conn:
        row = conn.execute(select(decision).where(d.reference_key == key)).first()
        if row is None:
            return None
        tests = conn.scalars(
            select(decision_test.c.test_id)
            .where(decision_test.c.decision_id == row.id)
            .order_by(decision_test.c.test_id)
        ).all()
        citations = conn.scalars(
            select(citation.c.text)
            .where(citation.c.decision_id == row.id)
            .order_by(citation.c.position)
        ).all()
        remedies = [
            dict(r._mapping)
            for r in conn.execute(
                select(remedy.c.kind, remedy.c.text, remedy.c.amount_gbp, remedy.c.deadline)
                .where(remedy.c.decision_id == row.id)
                .order_by(remedy.c.position)
            )
        ]
    return StoredDecision(
        reference=row.reference,
        organisation=row.organisation,
        category=row.category,
        decision=row.decision,
        decision_label=row.decision_label,
        decision_date=row.decision_date,
        summary=row.summary,
        complainant=row.complainant,
        points=list(row.points or []),
        sections=dict(row.sections or {}),
        text=row.text,
        url=row.url,
        tests=[str(t) for t in tests],
        citations=[str(c) for c in citations],
        remedies=remedies,
    )
