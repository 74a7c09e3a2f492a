"""Case references: the key a decision is stored under, and spotting them in a search query.

Current references are ``YY NNN NNN`` with an optional letter for joint cases ("24 012 261b");
URLs write them with hyphens. Every spelling of one reference maps to the same key.
"""

from __future__ import annotations

import re

_MODERN = re.compile(r"(?<![\w])(\d{2})[\s\-]?(\d{3})[\s\-]?(\d{3})([a-z])?(?![\w])", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-]+")


def reference_key(reference: str) -> str:
    """The storage key: modern references as digits plus suffix, others squeezed and lowercased."""
    text = reference.strip()
    match = _MODERN.fullmatch(text)
    if match:
        years, first, second, suffix = match.groups()
        return f"{years}{first}{second}{(suffix or '').lower()}"
    return _SEPARATORS.sub("", text).lower()


def display_reference(reference: str) -> str:
    """The house spelling, "24 009 458"; references in other styles are kept as printed."""
    match = _MODERN.fullmatch(reference.strip())
    if match:
        years, first, second, suffix = match.groups()
        return f"{years} {first} {second}{(suffix or '').lower()}"
    return reference.strip()


def find_references(query: str) -> tuple[list[str], str]:
    """The reference keys written in a query, and the query with them taken out."""
    keys = [reference_key(m.group(0)) for m in _MODERN.finditer(query)]
    rest = _MODERN.sub(" ", query)
    return keys, rest
