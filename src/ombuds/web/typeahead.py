"""What the type-ahead fields offer: the organisations of published decisions.

Rendered as a ``datalist``, so typing narrows the choices in any browser without JavaScript,
and any other name can still be typed. Kept until the corpus changes.
"""

from __future__ import annotations

from sqlalchemy import select

from ombuds.corpus.schema import decision
from ombuds.corpus.store import Store
from ombuds.web.cache import per_generation

ORGANISATIONS_OFFERED = 3_000


def organisations(store: Store) -> list[str]:
    """Names the type-ahead offers: the organisations of published decisions."""
    return per_generation(store, "organisations", _organisations)


def _organisations(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        rows = conn.scalars(
            select(decision.c.organisation)
            .distinct()
            .where(decision.c.organisation.is_not(None))
            .order_by(decision.c.organisation)
            .limit(ORGANISATIONS_OFFERED)
        ).all()
    return [str(r) for r in rows]
