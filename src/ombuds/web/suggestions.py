"""What published decisions suggest for a case, on its assessment page.

The engine says which questions matter (only facts whose answer could change a point's
recommendation are asked). The suggestion model, reading only what the complainant wrote,
says how complaints like it were decided and for which reasons; the questions those likely
reasons ask about come first, each with the reason it is asked early, and the closest
published decisions are listed with why each is close. Advice for the assessor: the
recommendation still comes from the rulebook and the facts the assessor establishes.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from ombuds.corpus.index import SearchIndexError
from ombuds.domain.assessment import Assessment, Question
from ombuds.domain.complaint import Complaint
from ombuds.office.office import Office
from ombuds.suggest.inputs import complaint_words
from ombuds.suggest.model import ModelError
from ombuds.suggest.service import Suggestion, fact_reasons

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckFirst:
    """An open question the likely reasons ask about, and the reason it is asked early."""

    question: Question
    reason: str


@dataclass(frozen=True)
class CaseSuggestion:
    suggestion: Suggestion | None
    #: Facts asked first (the model's predicted reasons ask about them), with that reason.
    first: Mapping[str, str] = field(default_factory=dict)
    check_first: list[CheckFirst] = field(default_factory=list)
    unavailable: str | None = None


def suggestion_for(office: Office, complaint: Complaint, assessment: Assessment) -> CaseSuggestion:
    """The suggestion for a case from its words alone, and which open questions it puts first."""
    text = complaint_words(complaint)
    if not text:
        return CaseSuggestion(None, unavailable="The complaint has no words to suggest from yet.")
    try:
        (suggestion,) = office.suggester().suggest_many([text])
    except (ModelError, SearchIndexError) as exc:
        log.warning("suggestions unavailable: %s", exc)
        what = "the model" if isinstance(exc, ModelError) else "the search index"
        return CaseSuggestion(
            None, unavailable=f"Suggestions are unavailable: {what} cannot be read."
        )
    first = fact_reasons(suggestion.prediction, office.rulebook, selected_only=True)
    worth = fact_reasons(suggestion.prediction, office.rulebook)
    rank = {fact: i for i, fact in enumerate(worth)}
    check = sorted(
        (CheckFirst(q, worth[q.fact]) for q in assessment.questions if q.fact in worth),
        key=lambda c: rank[c.question.fact],
    )
    return CaseSuggestion(suggestion, first, check)


def next_question(
    assessment: Assessment,
    point: str,
    skipped: set[str],
    first: Mapping[str, str] | None = None,
    ask: str = "",
) -> tuple[Question | None, str | None]:
    """The question to ask about ``point``, and the likely reason that put it first (if one did).

    The one the assessor chose (``ask``) if it is still open for the point; else the first
    open question a predicted reason asks about, in the order of those reasons; else the
    engine's most useful one.
    """
    first = first or {}
    open_here = [q for q in assessment.questions if point in q.points and q.fact not in skipped]
    if not open_here:
        return None, None
    chosen = next((q for q in open_here if q.fact == ask), None) if ask else None
    if chosen is None:
        rank = {fact: i for i, fact in enumerate(first)}
        suggested = sorted((q for q in open_here if q.fact in rank), key=lambda q: rank[q.fact])
        chosen = suggested[0] if suggested else open_here[0]
    return chosen, first.get(chosen.fact)
