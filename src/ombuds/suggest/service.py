"""One suggestion for a complaint as written: outcome, reasons, questions first, precedents.

The model gives the outcome's probabilities and the reasons above its threshold; the rulebook
turns the likely reasons into the facts to establish first (those their conditions ask
about, most likely reason first); the corpus gives the closest published decisions.
Everything here is advice for the assessor, who decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ombuds.corpus.store import Store
from ombuds.corpus.vectors import VectorIndex, vector_location
from ombuds.rulebook.loader import load_rulebook
from ombuds.rulebook.model import Rulebook
from ombuds.suggest.model import OUTCOMES, Prediction, SuggestModel
from ombuds.suggest.precedents import Mode, Precedent, find_precedents

MAX_QUESTIONS = 8
QUESTION_FLOOR = 0.15


@dataclass(frozen=True)
class Suggestion:
    prediction: Prediction
    questions: list[str]
    precedents: list[Precedent] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "decision": self.prediction.decision,
            "outcome": {c: round(self.prediction.outcome.get(c, 0.0), 4) for c in OUTCOMES},
            "tests": [
                {"id": t, "p": round(self.prediction.tests[t], 4)} for t in self.prediction.selected
            ],
            "questions": self.questions,
            "precedents": [p.to_json() for p in self.precedents],
        }


def questions_for(prediction: Prediction, rulebook: Rulebook) -> list[str]:
    """Facts to establish first: those the likeliest reasons' conditions ask about."""
    return list(fact_reasons(prediction, rulebook))[:MAX_QUESTIONS]


def fact_reasons(
    prediction: Prediction, rulebook: Rulebook, *, selected_only: bool = False
) -> dict[str, str]:
    """Each fact to establish first, with the likely reason that asks about it (likeliest
    reason first; what makes each apply, then what would set it aside). ``selected_only``
    keeps the reasons the model predicts, leaving out those merely worth a look."""
    tests = {test.id: test for test in rulebook.tests}
    likely = [
        tests[t]
        for t, p in prediction.tests.items()  # highest first
        if t in tests and (t in prediction.selected or (not selected_only and p >= QUESTION_FLOOR))
    ]
    asked = [(n, test.id) for test in likely for n in sorted(test.applies_when.fact_names())]
    asked += [
        (n, test.id) for test in likely for e in test.unless for n in sorted(e.when.fact_names())
    ]
    facts: dict[str, str] = {}
    for name, test_id in asked:
        fact = rulebook.facts.get(name)
        if fact is not None and fact.answerable and name not in facts:
            facts[name] = test_id
    return facts


class Suggester:
    """A loaded model, and optionally a corpus (and its vector index) for precedents."""

    def __init__(
        self,
        model: SuggestModel,
        store: Store | None = None,
        *,
        mode: Mode = "hybrid",
        rulebook: Rulebook | None = None,
        precedents: int = 5,
    ) -> None:
        self.model = model
        self.store = store
        self.rulebook = rulebook or load_rulebook()
        self.precedents = precedents
        self.mode: Mode = mode
        self.vectors: VectorIndex | None = None
        if store is not None and mode != "bm25":
            candidate = VectorIndex(vector_location(store))
            if candidate.exists():
                self.vectors = candidate
        if self.vectors is None and mode == "hybrid":
            self.mode = "bm25"

    def suggest_many(self, texts: list[str]) -> list[Suggestion]:
        predictions = self.model.predict(texts)
        query_vectors: list[Any] = [None] * len(texts)
        if self.vectors is not None and self.store is not None:
            from ombuds.suggest.vectors import follow

            follow(self.store, self.vectors)
            from ombuds.suggest.embed import encoder

            encoded = encoder().encode(texts)
            query_vectors = list(encoded)
        out = []
        for text, prediction, vector in zip(texts, predictions, query_vectors, strict=True):
            found: list[Precedent] = []
            if self.store is not None:
                found = find_precedents(
                    self.store,
                    text,
                    prediction=prediction,
                    vectors=self.vectors,
                    query_vector=vector,
                    mode=self.mode,
                    limit=self.precedents,
                )
            out.append(Suggestion(prediction, questions_for(prediction, self.rulebook), found))
        return out
