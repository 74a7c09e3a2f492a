"""Decisions like a given one (``ombuds search --like REFERENCE``).

The decision's own complaint section is the query (its stored vector too, where the vector
index exists), and its published outcome and reasons play the part of the prediction: the
decisions ranked first are close in wording and ended the same way for the same reasons.
"""

from __future__ import annotations

from sqlalchemy import select

from ombuds.corpus.reference import find_references
from ombuds.corpus.schema import decision, decision_test
from ombuds.corpus.store import Store
from ombuds.corpus.vectors import VectorIndex, embedded_text, vector_location
from ombuds.suggest.model import OUTCOMES, Prediction
from ombuds.suggest.precedents import Precedent, find_precedents


class UnknownReference(LookupError):
    """No stored decision has the reference asked for."""


def similar_to(store: Store, reference: str, *, limit: int = 10) -> tuple[str, list[Precedent]]:
    """The stored decision's reference as displayed, and the decisions most like it."""
    keys, _ = find_references(reference)
    if not keys:
        raise UnknownReference(
            f"{reference!r} is not a case reference; write it as YY NNN NNN (e.g. 24 009 458)"
        )
    d = decision.c
    with store.engine.connect() as conn:
        row = conn.execute(
            select(d.id, d.reference, d.decision, d.sections, d.summary, d.text).where(
                d.reference_key == keys[0]
            )
        ).one_or_none()
        if row is None:
            raise UnknownReference(
                f"no stored decision has the reference {reference}; ingest it first "
                "(`ombuds ingest`) or check the number with `ombuds search`"
            )
        tests = [
            str(t)
            for (t,) in conn.execute(
                select(decision_test.c.test_id).where(decision_test.c.decision_id == row.id)
            )
        ]
    own = Prediction(
        outcome={c: float(c == row.decision) for c in OUTCOMES},
        tests={t: 1.0 for t in tests},
        selected=tuple(tests),
    )
    vectors = VectorIndex(vector_location(store))
    query_vector = vectors.vector_of(int(row.id)) if vectors.exists() else None
    found = find_precedents(
        store,
        embedded_text(row.sections, row.summary, row.text),
        prediction=own,
        vectors=vectors if query_vector is not None else None,
        query_vector=query_vector,
        mode="hybrid" if query_vector is not None else "bm25",
        limit=limit,
        exclude={int(row.id)},
    )
    return str(row.reference), found
