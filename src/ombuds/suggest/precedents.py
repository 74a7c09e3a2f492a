"""Closest published decisions to a complaint as written, and why each is close.

Candidates come from two retrievers: BM25 over the search index (the complaint's informative
words, any of them, with the synonyms file's expansions) and, where the vector index has been
built (``ombuds vectors``), the nearest complaint sections by sentence embedding. They are
fused by reciprocal rank, then re-ranked by how well each candidate's published outcome and
reasons agree with what the model predicts for the new complaint: a precedent is useful when
it ended for the reasons this complaint is likely to end for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import select

from ombuds.corpus import criteria
from ombuds.corpus.index import analyzer
from ombuds.corpus.query import parse_query
from ombuds.corpus.schema import decision, decision_test
from ombuds.corpus.store import Store
from ombuds.corpus.sync import ensure_current
from ombuds.corpus.synonyms import expand_terms
from ombuds.corpus.vectors import VectorIndex, embedded_text
from ombuds.suggest.model import Prediction

Mode = Literal["bm25", "dense", "hybrid"]
CANDIDATES = 50
MAX_QUERY_TERMS = 40
RRF_K = 60
# Weights of the re-ranking (fixed a priori, not fitted): retrieval rank, shared reasons,
# same outcome.
W_RETRIEVAL, W_REASONS, W_OUTCOME = 1.0, 1.0, 0.5
# Words nearly every complaint uses: sharing them explains nothing.
PLAIN_WORDS = frozenset(
    [
        "complain",
        "complains",
        "complained",
        "complaint",
        "council",
        "councils",
        "says",
        "said",
        "wants",
        "want",
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "also",
        "about",
        "failed",
    ]
)


@dataclass(frozen=True)
class Precedent:
    id: int
    reference: str
    url: str | None
    organisation: str | None
    category: str | None
    decision: str | None
    decision_date: date | None
    summary: str | None
    tests: list[str]
    score: float
    why: list[str] = field(default_factory=list)
    #: The parts of ``why``: its reasons likely here, and words shared with the complaint.
    likely_reasons: list[str] = field(default_factory=list)
    shared_words: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "url": self.url,
            "organisation": self.organisation,
            "category": self.category,
            "decision": self.decision,
            "decision_date": self.decision_date.isoformat() if self.decision_date else None,
            "summary": self.summary,
            "tests": self.tests,
            "score": round(self.score, 4),
            "why": self.why,
        }


def query_terms(text: str) -> list[str]:
    """The complaint's informative words (first ``MAX_QUERY_TERMS``), with synonyms added."""
    terms = [t for t in parse_query(text).terms if len(t) > 2 or t.isupper()]
    return expand_terms(terms[:MAX_QUERY_TERMS])


def bm25_candidates(
    store: Store, terms: Sequence[str], limit: int = CANDIDATES, exclude: set[int] | None = None
) -> list[tuple[int, float]]:
    if not terms:
        return []
    searcher = store.index.searcher()
    if ensure_current(store, searcher) is not None:
        searcher = store.index.searcher()
    query = criteria.text_query(terms, any_term=True)
    found = searcher.search(query, limit + len(exclude or ()), count=False)
    ids = searcher.fast_field_values("id", [address for _, address in found.hits])
    ranked = [
        (int(row_id), float(score))
        for (score, _), row_id in zip(found.hits, ids, strict=True)
        if row_id is not None
    ]
    return [hit for hit in ranked if not exclude or hit[0] not in exclude][:limit]


def _rrf(*rankings: list[tuple[int, float]]) -> dict[int, float]:
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, (row_id, _) in enumerate(ranking):
            fused[row_id] = fused.get(row_id, 0.0) + 1.0 / (RRF_K + rank + 1)
    return fused


def _stems(text: str) -> set[str]:
    return set(analyzer().analyze(text))


def _why(
    query_stems: set[str],
    query_words: Sequence[str],
    row: Any,
    tests: list[str],
    prediction: Prediction | None,
) -> tuple[list[str], list[str], list[str]]:
    """Why a candidate is close, in words; and its reasons likely here and the shared words."""
    reasons: list[str] = []
    likely: list[str] = []
    if prediction is not None:
        likely = [t for t in tests if prediction.tests.get(t, 0.0) >= 0.25]
        if likely:
            reasons.append("ended for reasons likely here: " + ", ".join(likely))
        if row.decision and row.decision == prediction.decision:
            reasons.append(f"same likely outcome: {row.decision}")
    candidate = _stems(embedded_text(row.sections, row.summary, row.text))
    shared = [
        w.lower()
        for w in query_words
        if len(w) > 2 and w.lower() not in PLAIN_WORDS and _stems(w) and _stems(w) <= candidate
    ]
    # A word inside a shared phrase says nothing more.
    shared = [w for w in dict.fromkeys(shared) if not any(w != o and w in o for o in shared)][:6]
    if shared:
        reasons.append("shares: " + ", ".join(shared))
    return reasons, likely, shared


def find_precedents(
    store: Store,
    text: str,
    *,
    prediction: Prediction | None = None,
    vectors: VectorIndex | None = None,
    query_vector: NDArray[np.float32] | None = None,
    mode: Mode = "hybrid",
    limit: int = 5,
    exclude: set[int] | None = None,
    rerank: bool = True,
) -> list[Precedent]:
    """The ``limit`` decisions most like ``text``, best first, each with why it is close."""
    words = query_terms(text)
    rankings: list[list[tuple[int, float]]] = []
    if mode in ("bm25", "hybrid"):
        rankings.append(bm25_candidates(store, words, exclude=exclude))
    if mode in ("dense", "hybrid") and vectors is not None and query_vector is not None:
        rankings.append(vectors.nearest(query_vector, CANDIDATES, exclude))
    fused = _rrf(*rankings)
    if not fused:
        return []
    outcomes, tests = _labels(store, list(fused))
    top = max(fused.values())
    scored: list[tuple[float, int]] = []
    for row_id, value in fused.items():
        if row_id not in outcomes:  # removed from the database since the index was read
            continue
        score = W_RETRIEVAL * value / top
        if rerank and prediction is not None:
            own = tests.get(row_id, [])
            mass = sum(prediction.tests.values()) or 1.0
            score += W_REASONS * sum(prediction.tests.get(t, 0.0) for t in own) / mass
            score += W_OUTCOME * prediction.outcome.get(outcomes[row_id] or "", 0.0)
        scored.append((score, row_id))
    scored.sort(key=lambda item: (-item[0], item[1]))
    rows = _rows(store, [row_id for _, row_id in scored[:limit]])
    stems = _stems(" ".join(words))
    found = []
    for score, row_id in scored[:limit]:
        row = rows[row_id]
        own = tests.get(row_id, [])
        why, likely, shared = _why(stems, words, row, own, prediction)
        found.append(
            Precedent(
                id=row_id,
                reference=row.reference,
                url=row.url,
                organisation=row.organisation,
                category=row.category,
                decision=row.decision,
                decision_date=row.decision_date,
                summary=row.summary,
                tests=own,
                score=score,
                why=why,
                likely_reasons=likely,
                shared_words=shared,
            )
        )
    return found


def _labels(store: Store, ids: list[int]) -> tuple[dict[int, str | None], dict[int, list[str]]]:
    """The candidates' outcomes and reasons: all the re-ranking needs (no text read)."""
    d = decision.c
    with store.engine.connect() as conn:
        outcomes = {
            int(row_id): outcome
            for row_id, outcome in conn.execute(select(d.id, d.decision).where(d.id.in_(ids)))
        }
        tests: dict[int, list[str]] = {}
        for decision_id, test_id in conn.execute(
            select(decision_test.c.decision_id, decision_test.c.test_id)
            .where(decision_test.c.decision_id.in_(ids))
            .order_by(decision_test.c.decision_id, decision_test.c.test_id)
        ):
            tests.setdefault(int(decision_id), []).append(str(test_id))
    return outcomes, tests


def _rows(store: Store, ids: list[int]) -> dict[int, Any]:
    """What is shown of the precedents kept."""
    d = decision.c
    with store.engine.connect() as conn:
        return {
            int(row.id): row
            for row in conn.execute(
                select(
                    d.id,
                    d.reference,
                    d.url,
                    d.organisation,
                    d.category,
                    d.decision,
                    d.decision_date,
                    d.summary,
                    d.sections,
                    d.text,
                ).where(d.id.in_(ids))
            )
        }
