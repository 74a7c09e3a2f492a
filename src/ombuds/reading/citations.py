"""Statutory and case-law citations, normalised to one form per provision.

Decisions print the same provision many ways ("sections 24A(6) and 34B(8), as amended,
section 34(B)"; "paragraph 5A schedule 5"; "Schedule 5.5"). Each provision becomes
"<Act>, section <n>" or "<Act>, Schedule <s>, paragraph <p>", in order of first appearance.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from itertools import islice

from ombuds.reading.patterns import Patterns

_PROVISION = r"\d+\s?[A-Z]{0,2}(?:\s?\((?:[0-9]{1,2}[A-Za-z]?|[a-zA-Z]{1,4})\))*"
_SECTIONS = re.compile(
    rf"\b(?:sections?|s\.|ss\.)\s*(?P<list>{_PROVISION}(?:\s*(?:,|and|&|/)\s*(?!section|schedule|para)"
    rf"{_PROVISION})*)",
    re.IGNORECASE,
)
_ONE = re.compile(_PROVISION)
_SCHEDULE_PARA = re.compile(
    r"\bschedule\s+(?P<s>\d+[a-z]?(?:/\d+[a-z]?)?)(?:\.(?P<p0>\d+[a-z]?))?"
    r"(?:,?\s*(?:section\s+\d+,\s*)?(?:paragraphs?|para\.?)\s+(?P<p>\d+[a-z]?(?:\(\w+\))?(?:/\d+[a-z]?)?))?",
    re.IGNORECASE,
)
_PARA_SCHEDULE = re.compile(
    r"\b(?:paragraphs?|para\.?)\s+(?P<p>\d+[a-z]?(?:\(\w+\))?)\s*(?:,|of)?\s*(?:the\s+)?schedule\s+(?P<s>\d+[a-z]?)",
    re.IGNORECASE,
)
# A statement cites the law in a few dozen brackets at most; hostile text past this many is
# not read for citations (keeps a huge input cheap).
MAX_BRACKETS = 1000
_BRACKETED = re.compile(r"[(\[]((?:[^()\[\]]|\([^()]*\))*)[)\]]")


def _provision(raw: str) -> str:
    text = re.sub(r"\s+", "", raw)
    text = re.sub(r"^(\d+)\(([A-Z])\)", r"\1\2", text)  # "34(B)" is section 34B
    return text


def _act_segments(text: str, patterns: Patterns) -> list[tuple[str, str]]:
    """(act, text that follows it up to the next act) for each act named in ``text``."""
    if patterns.act_word is not None and patterns.act_word not in text.lower():
        return []
    by_name = patterns.act_names
    spots = [
        (match.start(), match.end(), by_name[match.group().lower()])
        for match in patterns.acts_named.finditer(text)
    ]
    out = []
    for i, (_, end, act) in enumerate(spots):
        stop = spots[i + 1][0] if i + 1 < len(spots) else len(text)
        out.append((act, text[end:stop]))
    return out


def _provisions(act: str, segment: str) -> list[str]:
    found: list[tuple[int, str]] = []
    covered: list[tuple[int, int]] = []
    for match in _PARA_SCHEDULE.finditer(segment):
        found.append(
            (match.start(), f"{act}, Schedule {match['s'].upper()}, paragraph {match['p']}")
        )
        covered.append(match.span())
    for match in _SCHEDULE_PARA.finditer(segment):
        if any(a <= match.start() < b for a, b in covered):
            continue
        para = match["p"] or match["p0"]
        schedule = match["s"].upper()
        label = f"{act}, Schedule {schedule}" + (f", paragraph {para}" if para else "")
        found.append((match.start(), label))
        covered.append(match.span())
    for match in _SECTIONS.finditer(segment):
        if any(a <= match.start() < b for a, b in covered):
            continue
        for one in _ONE.finditer(match["list"]):
            found.append((match.start() + one.start(), f"{act}, section {_provision(one.group())}"))
    return [label for _, label in sorted(found)]


@cache
def _running(acts: tuple[str, ...]) -> re.Pattern[str]:
    """Running-text "section N of the <act>" for any of ``acts``: one scan, not one per act."""
    names = "|".join(re.escape(act) for act in sorted(acts, key=len, reverse=True))
    return re.compile(
        rf"\b(?:sections?)\s+(?P<list>{_PROVISION}(?:\s*(?:,|and|&)\s*{_PROVISION})*)\s+of\s+"
        rf"(?:the\s+)?(?P<act>{names})",
        re.IGNORECASE,
    )


def _running_matches(text: str, acts: tuple[str, ...]) -> Iterator[re.Match[str]]:
    """``_running(acts).finditer(text)``, tried only where "section" occurs.

    Every match starts with the word; finding it in the case-folded text is a C-speed scan,
    where the case-blind regex would be tried at every character. (Case folding, not lower
    case: the regex also takes "ſection" with a long s, which folds to "section".)
    """
    running = _running(acts)
    lowered = text.casefold()
    if len(lowered) != len(text):  # a character that folds to several: no shortcut
        yield from running.finditer(text)
        return
    start = lowered.find("section")
    while start != -1:
        match = running.match(text, start)
        if match:
            yield match
        start = lowered.find("section", match.end() if match else start + 1)


def find_citations(text: str, patterns: Patterns) -> list[str]:
    """Normalised citations in ``text``, each once, in order of first appearance."""
    out: list[str] = []
    seen: set[str] = set()

    def add(item: str) -> None:
        key = item.lower()
        if key not in seen:
            seen.add(key)
            out.append(item)

    for bracket in islice(_BRACKETED.finditer(text), MAX_BRACKETS):
        inner = bracket.group(1)
        for act, segment in _act_segments(inner, patterns):
            provisions = _provisions(act, segment)
            for item in provisions or [act]:
                add(item)
    # "section 26B of the Local Government Act 1974" in running text.
    by_name = {act.lower(): act for act in patterns.acts}
    for match in _running_matches(text, patterns.acts):
        act = by_name[match["act"].lower()]
        for one in _ONE.finditer(match["list"]):
            add(f"{act}, section {_provision(one.group())}")
    for pattern in patterns.case_citations:
        for match in pattern.finditer(text):
            add(re.sub(r"\s+", " ", match.group()).strip())
    return out
