"""The decision's outcome: the printed label when there is one, else the statement's wording."""

from __future__ import annotations

from ombuds.reading.layout import Layout
from ombuds.reading.patterns import Patterns
from ombuds.reading.textnorm import sentences

_SECTIONS = ("summary", "preamble", "finding", "final_decision", "assessment")


def outcome_from_text(layout: Layout, patterns: Patterns) -> str | None:
    """The outcome the statement's own words give, section by section (None if silent)."""
    for key in _SECTIONS:
        text = layout.text(key)
        if not text:
            continue
        lowered = [s.lower() for s in sentences(text)]
        for outcome, regexes in patterns.outcome_from_text:
            if any(r.search(s) for s in lowered for r in regexes):
                return outcome
    return None
