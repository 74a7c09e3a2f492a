"""Counts over the whole corpus, by decision, category, test, organisation and year.

Plain SQL aggregates, so this works on any database the store supports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, select

from ombuds.corpus.schema import decision, decision_test
from ombuds.corpus.store import Store

UNKNOWN = "unknown"


@dataclass(frozen=True)
class CorpusStats:
    total: int
    by_decision: dict[str, int]
    by_category: dict[str, int]
    by_test: dict[str, int]
    by_organisation: dict[str, int]
    by_year: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "decision": self.by_decision,
            "category": self.by_category,
            "test": self.by_test,
            "organisation": self.by_organisation,
            "year": self.by_year,
        }


def _counts(
    conn: Connection, column: ColumnElement[Any], *, by_key: bool = False
) -> dict[str, int]:
    rows = conn.execute(select(column, func.count()).group_by(column)).all()
    counts = {str(key) if key is not None else UNKNOWN: int(n) for key, n in rows}
    if by_key:
        return dict(sorted(counts.items()))
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def corpus_stats(store: Store) -> CorpusStats:
    """One pass per dimension; years in order, everything else most frequent first."""
    with store.engine.connect() as conn:
        total = int(conn.execute(select(func.count()).select_from(decision)).scalar_one())
        return CorpusStats(
            total=total,
            by_decision=_counts(conn, decision.c.decision),
            by_category=_counts(conn, decision.c.category),
            by_test=_counts(conn, decision_test.c.test_id),
            by_organisation=_counts(conn, decision.c.organisation),
            by_year=_counts(conn, decision.c.year, by_key=True),
        )
