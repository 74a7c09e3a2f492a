"""Cross-tabulations of the published decisions, for the public analytics pages.

Plain SQL aggregates (one grouped query each), so they work on any database the store
supports and stay fast on a large corpus: nothing is loaded row by row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, case, func, select

from ombuds.corpus.schema import decision, decision_test
from ombuds.corpus.store import Store

UNKNOWN = "unknown"
# Outcomes after an investigation: the upheld rate is upheld / (upheld + not upheld).
UPHELD, NOT_UPHELD = "upheld", "not_upheld"


@dataclass(frozen=True)
class OrganisationRate:
    organisation: str
    upheld: int
    not_upheld: int
    decisions: int

    @property
    def investigated(self) -> int:
        return self.upheld + self.not_upheld

    @property
    def upheld_rate(self) -> float | None:
        return self.upheld / self.investigated if self.investigated else None


@dataclass(frozen=True)
class Breakdowns:
    total: int
    by_year_outcome: dict[str, dict[str, int]]
    by_category: dict[str, int]
    by_reason: dict[str, int]
    organisations: list[OrganisationRate]


def _key(value: object) -> str:
    return str(value) if value is not None else UNKNOWN


def _year_outcome(conn: Connection) -> dict[str, dict[str, int]]:
    d = decision.c
    table: dict[str, dict[str, int]] = {}
    for year, outcome, n in conn.execute(
        select(d.year, d.decision, func.count()).group_by(d.year, d.decision)
    ):
        table.setdefault(_key(year), {})[_key(outcome)] = int(n)
    known = sorted(y for y in table if y != UNKNOWN)
    return {y: table[y] for y in [*known, *([UNKNOWN] if UNKNOWN in table else [])]}


def _counts(conn: Connection, column: ColumnElement[Any]) -> dict[str, int]:
    rows = conn.execute(select(column, func.count()).group_by(column)).all()
    counts = {_key(key): int(n) for key, n in rows}
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _organisations(conn: Connection) -> list[OrganisationRate]:
    d = decision.c
    upheld = func.sum(case((d.decision == UPHELD, 1), else_=0))
    not_upheld = func.sum(case((d.decision == NOT_UPHELD, 1), else_=0))
    rows = conn.execute(
        select(d.organisation, upheld, not_upheld, func.count())
        .where(d.organisation.is_not(None))
        .group_by(d.organisation)
    ).all()
    rates = [
        OrganisationRate(str(org), int(up or 0), int(down or 0), int(n))
        for org, up, down, n in rows
    ]
    return sorted(rates, key=lambda r: (-r.investigated, -r.decisions, r.organisation))


def breakdowns(store: Store) -> Breakdowns:
    """Decisions by year and outcome, by category, by reason, and upheld rates by organisation."""
    with store.engine.connect() as conn:
        total = int(conn.execute(select(func.count()).select_from(decision)).scalar_one())
        return Breakdowns(
            total=total,
            by_year_outcome=_year_outcome(conn),
            by_category=_counts(conn, decision.c.category),
            by_reason=_counts(conn, decision_test.c.test_id),
            organisations=_organisations(conn),
        )
