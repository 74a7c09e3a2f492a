"""Plain-English labels for the ids the core uses (outcomes, Assessment Code tests, facts).

Pages never show a raw id: an outcome reads as the Ombudsman prints it, a test by a short name
with its question from the rulebook, a fact by the question the rulebook's vocabulary asks.
"""

from __future__ import annotations

from functools import cache

from ombuds.domain.outcomes import RECOMMENDATION_LABELS, Recommendation
from ombuds.rulebook.loader import load_rulebook
from ombuds.rulebook.model import Rulebook

_PUBLISHED_OUTCOMES = {"upheld": "Upheld", "not_upheld": "Not upheld"}
UNKNOWN_LABEL = "Not recorded"


@cache
def rulebook() -> Rulebook:
    return load_rulebook()


def humanise(identifier: str) -> str:
    """``fault_caused_no_injustice`` -> ``Fault caused no injustice``."""
    words = identifier.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def decision_label(decision: str | None) -> str:
    """The outcome as the Ombudsman prints it."""
    if not decision or decision == "unknown":
        return UNKNOWN_LABEL
    if decision in _PUBLISHED_OUTCOMES:
        return _PUBLISHED_OUTCOMES[decision]
    try:
        return RECOMMENDATION_LABELS[Recommendation(decision)]
    except ValueError:
        return humanise(decision)


def reason_label(test_id: str | None) -> str:
    """A short name for an Assessment Code test (the reason a decision gives)."""
    if not test_id or test_id == "unknown":
        return UNKNOWN_LABEL
    return humanise(test_id)


def reason_question(test_id: str) -> str | None:
    """The rulebook's plain question for a test, when the rulebook knows it."""
    test = rulebook().by_id.get(test_id)
    return test.question if test else None


def reason_citation(test_id: str) -> str | None:
    test = rulebook().by_id.get(test_id)
    return test.citation if test else None


def fact_question(fact_id: str) -> str:
    """The question the fact vocabulary asks for a fact (its ``ask`` text)."""
    fact = rulebook().facts.get(fact_id)
    return fact.ask if fact else humanise(fact_id)


def category_label(category: str | None) -> str:
    return category if category and category != "unknown" else UNKNOWN_LABEL


def reference_slug(reference: str) -> str:
    """The reference as it appears in a decision page's address: ``24-022-031``."""
    return "-".join(reference.split())
