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
    lists: list[tuple[str, list[str]]] = []
    for index, line in enumerate(lines):
        if not line.rstrip().endswith(":"):
            continue
        items = []
        for follower in lines[index + 1 :]:
            body = strip_marker(follower)
            if not body:
                continue
            if body[:1].islower() or (
                _BULLET.match(follower) and not _BULLET.match(line) and not follower[:1].isdigit()
            ):
                items.append(body)
                continue
            break
        if items:
            lists.append((strip_marker(line), items))
    for intro, items in lists:
        if re.search(r"\bcomplain", intro, re.IGNORECASE) and not _WANTS.search(intro):
            return items
    for intro, items in lists:
        if not _WANTS.search(intro) and not re.search(r"\bsays?\b", intro, re.IGNORECASE):
            return items
    paragraphs = [strip_marker(line) for line in lines]
    return [p for p in paragraphs if p and not _WANTS.search(p)]
