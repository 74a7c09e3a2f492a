"""What published decisions suggest for a case, on its assessment page.

The engine says which questions matter (only facts whose answer could change a point's
recommendation are asked). The suggestion model, reading only what the complainant wrote,
says how complaints like it were decided and for which reasons; the questions those likely
reasons ask about come first, each with the reason it is asked early (a presumption the
recommendation relies on included: a likely reason is a reason to check it), and the closest
published decisions are listed with why each is close. Advice for the assessor: the
recommendation still comes from the rulebook and the facts the assessor establishes.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ombuds.corpus.index import SearchIndexError
from ombuds.domain.assessment import Assessment, Question
from ombuds.domain.complaint import Complaint
from ombuds.engine.questions import presumption_checks, put_first
from ombuds.office.office import Office
from ombuds.suggest.inputs import complaint_words
from ombuds.suggest.model import ModelError
from ombuds.suggest.service import Suggestion, fact_reasons

log = logging.getLogger(__name__)

#: At most this many questions under "Check first" (the likeliest reasons' first).
CHECK_FIRST = 6


@dataclass(frozen=True)
class CheckFirst:
    """An open question the likely reasons ask about, and the reason it is asked early."""

    question: Question
    reason: str
    presumed: bool = False


@dataclass(frozen=True)
class CaseSuggestion:
    suggestion: Suggestion | None
    #: Facts asked first (the model's predicted reasons ask about them), with that reason.
    first: Mapping[str, str] = field(default_factory=dict)
    check_first: list[CheckFirst] = field(default_factory=list)
    #: Presumptions the recommendation relies on that a likely reason asks about.
    checks: list[Question] = field(default_factory=list)
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
        what, fix = (
            ("the model", "restart the service with a model from `ombuds train` (--model)")
            if isinstance(exc, ModelError)
            else ("the search index", "rebuild it with `ombuds reindex`")
        )
        said = f"Suggestions are unavailable: {what} cannot be read. An administrator can {fix}."
        return CaseSuggestion(None, unavailable=said)
    first = fact_reasons(suggestion.prediction, office.rulebook, selected_only=True)
    worth = fact_reasons(suggestion.prediction, office.rulebook)
    rank = {fact: i for i, fact in enumerate(worth)}
    checks = [q for q in presumption_checks(assessment, office.rulebook) if q.fact in worth]
    check = sorted(
        [CheckFirst(q, worth[q.fact]) for q in assessment.questions if q.fact in worth]
        + [CheckFirst(q, worth[q.fact], presumed=True) for q in checks],
        key=lambda c: rank[c.question.fact],
    )
    return CaseSuggestion(suggestion, first, check[:CHECK_FIRST], checks)


def next_question(
    assessment: Assessment,
    point: str,
    skipped: set[str],
    first: Mapping[str, str] | None = None,
    ask: str = "",
    checks: Sequence[Question] = (),
) -> tuple[Question | None, str | None]:
    """The question to ask about ``point``, and the likely reason that put it first (if one did).

    The one the assessor chose (``ask``) if it is still open for the point; else the first
    open question a predicted reason asks about, in the order of those reasons; else the
    engine's most useful one. A presumption check (``checks``) is asked when chosen or when a
    predicted reason asks about it, never merely because nothing else is left.
    """
    first = first or {}
    candidates = [*assessment.questions, *(q for q in checks if q.fact in first or q.fact == ask)]
    open_here = [q for q in candidates if point in q.points and q.fact not in skipped]
    if not open_here:
        return None, None
    chosen = next((q for q in open_here if q.fact == ask), None) if ask else None
    if chosen is None:
        chosen = put_first(open_here, {fact: i for i, fact in enumerate(first)})[0]
    return chosen, first.get(chosen.fact)
