"""Who complained, and what about: the complainant's anonymised name and the complaint points."""

from __future__ import annotations

import re

from ombuds.reading.layout import Layout
from ombuds.reading.patterns import Patterns
from ombuds.reading.textnorm import letter_item, strip_marker

_WANTS = re.compile(
    r"\b(?:wants?|wanted|would like|seeks?|is seeking|asks? (?:us|the ombudsman)|as a remedy|"
    r"to put things right|outcome)\b",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^[•▪◦·*]\s+|^-\s+")


def _clean_name(name: str) -> str:
    return re.sub(r"\s+", " ", name).replace(".", "").strip()


def find_complainant(layout: Layout, patterns: Patterns) -> str | None:
    """How the statement names the complainant.

    First an introduction ("the complainant, whom I shall call Mrs B"), then the subject of
    "complains"/"says" in the complaint and the summary, then the first 'Mr X'-style name.
    """
    texts = [layout.text(key) for key in ("complaint", "summary", "preamble", "overview")]
    for text in texts:
        if text and (named := patterns.complainant_named.search(text)):
            return _clean_name(named["name"])
    for subject in patterns.complainant_subject:
        for text in texts:
            if text and (match := subject.search(text)):
                return _clean_name(match["name"])
    for key in patterns.complainant_sections:
        text = layout.text(key)
        if not text:
            continue
        match = patterns.complainant.search(text)
        if match:
            return re.sub(r"\s+", " ", match.group()).replace(".", "")
    return None


def find_points(layout: Layout) -> list[str]:
    """The complaint's points: lettered items, else a colon-introduced list, else paragraphs."""
    lines = layout.sections.get("complaint", [])
    lettered = [item for item in (letter_item(line) for line in lines) if item]
    if len(lettered) >= 2:
        return lettered
    # Each line ending in ":" introduces the run of item lines after it. Runs are measured
    # once from the end (for an intro that is itself a bullet, and one that is not), so a
    # section of many intros stays linear; only the list returned is built.
    bodies = [strip_marker(line) for line in lines]
    runs: dict[bool, list[int]] = {True: [0] * (len(lines) + 1), False: [0] * (len(lines) + 1)}
    for index in range(len(lines) - 1, -1, -1):
        body, follower = bodies[index], lines[index]
        for bullet_intro, run in runs.items():
            if not body:
                run[index] = run[index + 1] + 1  # blank lines are passed over
            elif body[:1].islower() or (
                not bullet_intro and _BULLET.match(follower) and not follower[:1].isdigit()
            ):
                run[index] = run[index + 1] + 1
    filled = [0]  # filled[i]: how many of bodies[:i] are not blank
    for body in bodies:
        filled.append(filled[-1] + bool(body))
    lists: list[tuple[str, int, int]] = []
    for index, line in enumerate(lines):
        if not line.rstrip().endswith(":"):
            continue
        end = index + 1 + runs[bool(_BULLET.match(line))][index + 1]
        if filled[end] > filled[index + 1]:
            lists.append((bodies[index], index + 1, end))

    def items(start: int, end: int) -> list[str]:
        return [body for body in bodies[start:end] if body]

    for intro, start, end in lists:
        if re.search(r"\bcomplain", intro, re.IGNORECASE) and not _WANTS.search(intro):
            return items(start, end)
    for intro, start, end in lists:
        if not _WANTS.search(intro) and not re.search(r"\bsays?\b", intro, re.IGNORECASE):
            return items(start, end)
    paragraphs = [strip_marker(line) for line in lines]
    return [p for p in paragraphs if p and not _WANTS.search(p)]
