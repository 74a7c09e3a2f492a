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


def _cued(layout: Layout, patterns: Patterns) -> list[set[int]]:
    """Per section (in reading order), which cue entries its sentences match (found once)."""
    cached = layout.memo.get("outcome_cues")
    if isinstance(cached, list):
        return cached
    out: list[set[int]] = []
    for key in _SECTIONS:
        text = layout.text(key)
        if not text:
            continue
        lowered = [s.lower() for s in islice(iter_sentences(text), MAX_OUTCOME_SENTENCES)]
        # only the outcomes whose cue words occur in the section are tried sentence by sentence
        possible = patterns.outcome_prefilter.possible("\n".join(lowered))
        out.append(
            {
                index
                for index in sorted(possible)
                if any(map(patterns.outcome_cues[index][1].search, lowered))
            }
        )
    layout.memo["outcome_cues"] = out
    return out


def outcome_from_text(layout: Layout, patterns: Patterns) -> str | None:
    """The outcome the statement's own words give, section by section (None if silent)."""
    for cued in _cued(layout, patterns):
        if cued:
            return patterns.outcome_cues[min(cued)][0]
    return None


def says_outcome(layout: Layout, patterns: Patterns, outcome: str) -> bool:
    """Whether the statement's words give ``outcome`` anywhere, whatever else they give.

    An early resolution both upholds a complaint and leaves it uninvestigated: its reasons
    for not investigating are read as a closure's.
    """
    wanted = {i for i, (given, _) in enumerate(patterns.outcome_cues) if given == outcome}
    return any(cued & wanted for cued in _cued(layout, patterns))
