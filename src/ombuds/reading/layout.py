"""Split a statement's text into its header lines and its named sections.

Decision pages share one house structure (domain spec section 8) but are captured in many
renderings: with or without the header block, paragraphs numbered, bulleted or bare, page
furniture around them. This module finds the structure; it does not interpret it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ombuds.reading.patterns import Patterns
from ombuds.reading.textnorm import normalise, normalised_label_key, strip_marker

_INLINE_SUMMARY = re.compile(
    r"^(?P<head>.{0,60}?final decision:?)\s+(?P<rest>summary\s*:.*)$", re.I
)
# Markdown headings ("# Title", "## The complaint"), as ombuds itself drafts them.
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_SUMMARY_LINE = re.compile(r"^summary\s*:\s*(?P<rest>.*)$", re.I)
_INTRO_KEYS = {"final_decision_intro": "preamble"}


@dataclass
class Layout:
    """The lines of a statement, grouped: header block, then sections in page order."""

    header: list[str] = field(default_factory=list)
    sections: dict[str, list[str]] = field(default_factory=dict)
    headings_seen: list[str] = field(default_factory=list)
    signed: bool = False
    _texts: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)
    memo: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def text(self, key: str) -> str | None:
        """A section's text, list markers removed, or None when the page lacks it.

        Read once the layout is complete (the reader asks for some sections many times).
        """
        if key not in self._texts:
            lines = [strip_marker(line) for line in self.sections.get(key, [])]
            self._texts[key] = "\n".join(line for line in lines if line) or None
        return self._texts[key]


@lru_cache(maxsize=4096)
def _label(line: str) -> str:
    """A short line as a heading would be compared (headings recur page after page)."""
    return normalised_label_key(strip_marker(line))


def _heading_key(line: str, patterns: Patterns) -> str | None:
    if len(line) > 90:
        return None
    return patterns.headings.get(_label(line))


def _lines(text: str, patterns: Patterns) -> list[str]:
    out: list[str] = []
    for raw in normalise(text).split("\n"):
        line = raw.strip()
        if line.startswith("#"):
            line = _MARKDOWN_HEADING.sub("", line)
        if not line or patterns.furniture_line.match(line):
            continue
        # cheap test first: only a line naming its summary can hold an inline one
        inline = _INLINE_SUMMARY.match(line) if "summary" in line.casefold() else None
        if inline and _heading_key(inline["head"], patterns):
            out.extend([inline["head"], inline["rest"]])
            continue
        out.append(line)
    return out


def _is_header_line(line: str, patterns: Patterns) -> bool:
    return any(
        p.match(line)
        for p in (
            patterns.title,
            patterns.category,
            patterns.decision,
            patterns.decision_date,
            patterns.mirror,
        )
    )


def split_layout(text: str, patterns: Patterns) -> Layout:
    """Group the lines of ``text`` into header lines and sections."""
    lines = _lines(text, patterns)
    # Anything before the "Org (YY NNN NNN)" title line is navigation or page chrome.
    for index, line in enumerate(lines[:60]):
        if patterns.title.match(line) and not _heading_key(line, patterns):
            lines = lines[index:]
            break
    layout = Layout()
    current: str | None = None
    for line in lines:
        key = _heading_key(line, patterns)
        if current is None and key is None and _is_header_line(line, patterns):
            layout.header.append(line)
            continue
        summary = _SUMMARY_LINE.match(line)
        if summary and current != "summary":
            current = "summary"
            layout.headings_seen.append("summary")
            if summary["rest"]:
                layout.sections.setdefault("summary", []).append(summary["rest"])
            continue
        if key == "signature":
            layout.signed = True
            layout.headings_seen.append(key)
            break
        if key is not None:
            if (
                current == "assessment"
                and normalised_label_key(line) in patterns.assessment_subheadings
            ):
                layout.sections["assessment"].append(line)
                continue
            layout.headings_seen.append(key)
            current = _INTRO_KEYS.get(key, key)
            layout.sections.setdefault(current, [])
            continue
        if current is None:
            # Text before any heading: header furniture (organisation line of mirrors) or a
            # summary-style opening paragraph on older pages.
            if not layout.sections and len(line) < 120 and not line.endswith("."):
                layout.header.append(line)
                continue
            current = "preamble"
        layout.sections.setdefault(current, []).append(line)
    layout.sections = {k: v for k, v in layout.sections.items() if v}
    layout._texts.clear()
    return layout
