"""Labelled examples from the corpus: each stored decision's complaint section, with the
outcome and reasons the parser read from the rest of the statement."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from ombuds.corpus.schema import decision, decision_test
from ombuds.corpus.store import Store
from ombuds.suggest.model import OUTCOMES, Example


def complaint_section(sections: object) -> str | None:
    if isinstance(sections, dict):
        text = sections.get("complaint")
        if isinstance(text, str) and text.strip():
            return text
    return None


def stored_examples(store: Store) -> Iterator[Example]:
    """Every stored decision with a complaint section and a known outcome, by reference."""
    d = decision.c
    with store.engine.connect() as conn:
        tests: dict[int, list[str]] = {}
        for decision_id, test_id in conn.execute(
            select(decision_test.c.decision_id, decision_test.c.test_id).order_by(
                decision_test.c.decision_id, decision_test.c.test_id
            )
        ):
            tests.setdefault(int(decision_id), []).append(str(test_id))
        rows = conn.execute(
            select(d.id, d.reference, d.decision, d.sections)
            .where(d.decision.in_(OUTCOMES))
            .order_by(d.reference_key)
        )
        for row in rows:
            text = complaint_section(row.sections)
            if text is None:
                continue
            yield Example(row.reference, text, row.decision, tuple(tests.get(int(row.id), ())))
