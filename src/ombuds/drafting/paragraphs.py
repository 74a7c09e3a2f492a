"""The reasons of "My assessment" (and "What I have not investigated"), point by point.

A reason several points share is said once, at the first of them, for all of them ("On points
b) and c), ..."); a further reason after a bar follows it ("In any event, ..."); a reason that
comes up again for a part refers back to where it was given; and no sentence is printed twice.
"""

from __future__ import annotations

import re
from typing import Any

from ombuds.domain.outcomes import Recommendation
from ombuds.drafting.units import OPEN, Unit, is_further
from ombuds.drafting.wording import reason, reason_clause, say, unique, wording
from ombuds.rulebook.model import Rulebook


def write(
    parts: Any,
    rulebook: Rulebook,
    units: list[Unit],
    several: bool,
    said: dict[str, list[str]],
    printed: set[str],
) -> list[str]:
    """Paragraphs for these units, point by point, each reason said once.

    A reason several points share is said once, at the first of them, for all of them; a
    reason that comes up again for a part refers back to where it was given.
    """
    for unit in units:
        unit.texts = _texts(parts, rulebook, unit)
    paragraphs: list[str] = []
    for index, unit in enumerate(units):
        prefix = say(parts.point_prefix, unit.label) if several else ""
        own: list[str] = []  # one paragraph per reason, as the Ombudsman sets them out
        groups: list[str] = []
        notes = [n for n in unit.notes if n.strip()]
        further = skipped = 0
        for test_id, text in unit.texts.items():
            # a further reason (after a bar) is grouped only with the same further reason, so
            # it stays with the bar it follows ("In any event, ...")
            kind = "further" if is_further(unit, test_id) else "main"
            key = f"{kind}:{text}"
            if key in said:
                # a part does not repeat what its own point has already been told
                if unit.label not in said[key]:
                    clause = _clause_of(rulebook, test_id, unit)
                    part = f"{unit.part} (point {unit.label}))" if unit.part and several else ""
                    own.append(say(parts.again, said[key], clause, part or unit.part or ""))
                    said[key] = unique([*said[key], unit.label])
                else:
                    skipped += 1
                continue
            sharers = unique(
                [unit.label]
                + [
                    u.label
                    for u in units[index + 1 :]
                    if u.part is None
                    and unit.part is None
                    and any(
                        t == text and is_further(u, i) == (kind == "further")
                        for i, t in u.texts.items()
                    )
                ]
            )
            said[key] = list(sharers)
            if len(sharers) > 1:
                shared = parts.shared_further if kind == "further" else parts.shared
                groups.append(say(shared, sharers, _lower(text)))
            elif kind == "further" and (own or unit.main):
                own.append(say(parts.further_reason, _lower(text), further == 0))
                further += 1
            else:
                own.append(text)
        if unit.part is not None:
            # the part is named first, then what the assessor found about it, then why (or
            # that the point's reasons, given above, cover it)
            if unit.decision == Recommendation.NEEDS_INFORMATION:
                head = say(parts.part_undecided, unit.part, prefix)
            elif unit.decision in OPEN:
                head = say(parts.part_considered_apart, unit.part, prefix)
            else:
                same = bool(skipped) and not own and not groups
                head = say(parts.part_not_considered, unit.part, prefix, same)
            own.insert(0, " ".join([head, *notes]))
            notes, prefix = [], ""
        if notes:
            notes[0] = _prefixed(prefix, notes[0])
            paragraphs.extend(notes)
            prefix = ""
        if own:
            own[0] = _prefixed(prefix, own[0])
            paragraphs.extend(own)
        paragraphs.extend(groups)
    return [p for p in (_fresh(p, printed) for p in paragraphs) if p]


_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-Z‘“'\"])")


def _fresh(paragraph: str, printed: set[str]) -> str:
    """The paragraph without sentences the statement has already printed word for word.

    Two reasons can share a sentence ("This is mainly about matters another ombudsman deals
    with.") while differing in the next (where to go); the shared one is said once.
    """
    kept: list[str] = []
    for sentence in _SENTENCE_END.split(paragraph):
        key = " ".join(sentence.split())
        if key and key not in printed:
            printed.add(key)
            kept.append(sentence)
    return " ".join(kept)


def _clause_of(rulebook: Rulebook, test_id: str, unit: Unit) -> str:
    if test_id.startswith("_"):  # wording of the statement itself, not a test's
        return "of what we have said above"
    return reason_clause(rulebook, rulebook.test(test_id), unit.context)


def _texts(parts: Any, rulebook: Rulebook, unit: Unit) -> dict[str, str]:
    """The unit's reason sentences by test, main reasons first, then further ones."""
    c = unit.context
    texts: dict[str, str] = {}
    forward = [t for t in unit.main if t.effect == "forward"]
    if unit.decision == Recommendation.INVESTIGATE:
        for test in forward:
            texts[test.id] = reason(rulebook, test, c)
        if not forward:
            texts["_forward"] = say(parts.point_forward, c)
        return texts
    for test in unit.main:
        if test.effect == "close":
            texts[test.id] = reason(rulebook, test, c)
    for test in unit.further:
        texts[test.id] = reason(rulebook, test, c)
    # a public interest that did not outweigh the reasons to close is still said, and so is
    # its stated absence ("no wider public interest"), in the test's own words for a closure
    for test in forward:
        macros = wording(rulebook, test)
        if hasattr(macros, "on_closed"):
            texts[test.id] = say(macros.on_closed, c)
        else:
            texts[test.id] = say(parts.outweighed, reason(rulebook, test, c))
    # (a part's own heading already says it needs information)
    if unit.decision == Recommendation.NEEDS_INFORMATION and unit.part is None:
        texts["_needs_information"] = say(parts.needs_information, c)
    return {k: v for k, v in texts.items() if v}


def _prefixed(prefix: str, sentence: str) -> str:
    if not prefix:
        return sentence
    return f"{prefix} {_lower(sentence)}"


def _lower(sentence: str) -> str:
    """Lower-case the first word where the sentence now continues a clause ("On point a), the")."""
    return sentence[:1].lower() + sentence[1:] if _lowerable(sentence) else sentence


def _lowerable(sentence: str) -> bool:
    first_word = sentence.split(" ", 1)[0]
    return first_word in _LOWERABLE


_LOWERABLE = frozenset(
    [
        "A",
        "An",
        "The",
        "This",
        "That",
        "These",
        "Those",
        "There",
        "It",
        "Its",
        "In",
        "On",
        "From",
        "Even",
        "Any",
        "We",
        "Our",
        "As",
        "Although",
        "After",
        "When",
        "If",
        "Since",
        "Nor",
        "However",
        "Circumstances",
        "Investigating",
        "Information",
        "Having",
        "Before",
        "What",
        "He",
        "She",
        "They",
        "His",
        "Her",
        "Their",
        "Some",
        "No",
        "All",
        "Both",
        "Neither",
        "Because",
        "While",
        "For",
        "At",
    ]
)
