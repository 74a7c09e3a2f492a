"""The decision's outcome: the printed label when there is one, else the statement's wording."""

from __future__ import annotations

from itertools import islice

from ombuds.reading.layout import Layout
from ombuds.reading.patterns import Patterns
from ombuds.reading.textnorm import iter_sentences

_SECTIONS = ("summary", "preamble", "finding", "final_decision", "assessment")
# The outcome is said early in each section; hostile text past this many sentences of one
# section is not read for it (keeps a huge section linear and cheap).
MAX_OUTCOME_SENTENCES = 500


def outcome_from_text(layout: Layout, patterns: Patterns) -> str | None:
    """The outcome the statement's own words give, section by section (None if silent)."""
    for key in _SECTIONS:
        text = layout.text(key)
        if not text:
            continue
        lowered = [s.lower() for s in islice(iter_sentences(text), MAX_OUTCOME_SENTENCES)]
        for outcome, cue in patterns.outcome_cues:
            if any(cue.search(s) for s in lowered):
                return outcome
    return None


def says_outcome(layout: Layout, patterns: Patterns, outcome: str) -> bool:
    """Whether the statement's words give ``outcome`` anywhere, whatever else they give.

    An early resolution both upholds a complaint and leaves it uninvestigated: its reasons
    for not investigating are read as a closure's.
    """
    for key in _SECTIONS:
        text = layout.text(key)
        if not text:
            continue
        lowered = [s.lower() for s in islice(iter_sentences(text), MAX_OUTCOME_SENTENCES)]
        for cue_outcome, cue in patterns.outcome_cues:
            if cue_outcome == outcome and any(cue.search(s) for s in lowered):
                return True
    return False
