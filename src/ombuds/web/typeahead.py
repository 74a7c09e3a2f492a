"""What the type-ahead fields offer: the organisations of published decisions.

Rendered as a ``datalist``, so typing narrows the choices in any browser without JavaScript,
and any other name can still be typed. Kept until the corpus changes.
"""

from __future__ import annotations

from sqlalchemy import func, select

from ombuds.corpus.schema import decision
from ombuds.corpus.store import Store
from ombuds.web.cache import per_generation

# The names with the most decisions, so the page stays light on a phone (~45 bytes a name).
ORGANISATIONS_OFFERED = 1_000


def organisations(store: Store) -> list[str]:
    """Names the type-ahead offers: the organisations of published decisions."""
    return per_generation(store, "organisations", _organisations)


def _organisations(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        rows = conn.scalars(
            select(decision.c.organisation)
            .where(decision.c.organisation.is_not(None))
            .group_by(decision.c.organisation)
            .order_by(func.count().desc(), decision.c.organisation)
            .limit(ORGANISATIONS_OFFERED)
        ).all()
    return sorted(str(r) for r in rows)
