"""What a search snippet should not show: header lines and the sentences every statement prints.

Without this, a query for "council" shows "Category : ..." or the role-and-powers boilerplate
for every hit; cutting snippets from the rest shows what is particular to each decision. The
lines and sentences are data (``stock_text.yaml``).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml

from ombuds.corpus.reference import find_references

_MARKER = re.compile(r"^\s*(?:[-•*]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s+", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z‘'\"(])")


@cache
def _stock() -> tuple[tuple[str, ...], tuple[str, ...]]:
    data = yaml.safe_load(resources.files("ombuds.corpus").joinpath("stock_text.yaml").read_text())
    return (
        tuple(str(s).lower() for s in data.get("header_lines") or ()),
        tuple(str(s).lower() for s in data.get("sentences") or ()),
    )


def _is_header(line: str, headers: tuple[str, ...]) -> bool:
    lowered = line.lower().rstrip(" :")
    # "Category : X" lines match by their start; headings ("The complaint") only whole.
    if any(lowered.startswith(h) if h.endswith(":") else lowered == h for h in headers):
        return True
    # "Some Council (24 009 458)" title lines
    references, rest = find_references(line)
    return bool(references) and len(rest.strip(" ()-")) < 200 and line.rstrip().endswith(")")


def particular_text(text: str) -> str:
    """``text`` without header lines and stock sentences, lines kept apart."""
    headers, sentences = _stock()
    kept: list[str] = []
    for raw_line in text.splitlines():
        line = _MARKER.sub("", raw_line).strip()
        if not line or _is_header(line, headers):
            continue
        parts = [s for s in _SENTENCE.split(line) if not s.lower().startswith(sentences)]
        if parts:
            kept.append(" ".join(parts))
    return "\n".join(kept)
