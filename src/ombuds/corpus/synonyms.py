"""Acronyms and other names people type for the same thing, from the rulebook's synonyms file.

A query term that belongs to a group (``EHCP``, ``EHC plan``...) is searched together with the
group's other terms, so "EHCP delay" also finds "education, health and care plan". Groups
live in ``rulebook/schemes/<scheme>/synonyms.yaml``: data an office can extend, not code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import tantivy
import yaml

SYNONYMS_FILE = (
    Path(__file__).resolve().parents[1] / "rulebook" / "schemes" / "lgsco" / "synonyms.yaml"
)
_WORD = re.compile(r"[^\W_]+")


class SynonymsError(ValueError):
    """The synonyms file is malformed."""


def _key(term: str) -> str:
    return " ".join(_WORD.findall(term.lower()))


@cache
def synonym_groups(path: Path = SYNONYMS_FILE) -> dict[str, tuple[str, ...]]:
    """Each term's (normalised) key mapped to every term of its group."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    groups = raw.get("groups") if isinstance(raw, dict) else None
    if not isinstance(groups, list):
        raise SynonymsError(f"{path}: expected a list under 'groups'")
    table: dict[str, tuple[str, ...]] = {}
    for number, group in enumerate(groups, start=1):
        if not isinstance(group, list) or len(group) < 2:
            raise SynonymsError(f"{path}: group {number} must list at least two terms")
        terms = tuple(dict.fromkeys(_key(str(term)) for term in group if _key(str(term))))
        for term in terms:
            table.setdefault(term, terms)
    return table


def expand_terms(terms: Sequence[str]) -> list[str]:
    """The terms, each followed by its synonyms (phrases stay phrases); no duplicates.

    Pairs of adjacent words are also looked up, so "EHC plan" typed unquoted is recognised.
    """
    table = synonym_groups()
    out: list[str] = []
    keys = [_key(t) for t in terms]
    for position, key in enumerate(keys):
        out.append(terms[position])
        candidates = [key]
        if position + 1 < len(keys):
            candidates.append(f"{key} {keys[position + 1]}")
        if position + 2 < len(keys):
            candidates.append(f"{key} {keys[position + 1]} {keys[position + 2]}")
        for candidate in candidates:
            out.extend(table.get(candidate, ()))
    return list(dict.fromkeys(t for t in out if t))


def synonyms_of(term: str) -> tuple[str, ...]:
    """The other terms of ``term``'s group (empty when it has none)."""
    key = _key(term)
    return tuple(t for t in synonym_groups().get(key, ()) if t != key)


def alternatives(terms: Sequence[str]) -> list[list[str]]:
    """For each term, the term and its synonyms (also those of the phrase it starts)."""
    table = synonym_groups()
    keys = [_key(t) for t in terms]
    found: list[list[str]] = []
    for position in range(len(keys)):
        options = [terms[position]]
        for width in (1, 2, 3):
            if position + width <= len(keys):
                options.extend(table.get(" ".join(keys[position : position + width]), ()))
        found.append(list(dict.fromkeys(options)))
    return found


def text_query(terms: Sequence[str], *, any_term: bool) -> tantivy.Query:
    """Like ``criteria.text_query``, each term matched by itself or any of its synonyms."""
    from ombuds.corpus import criteria

    if not any(len(options) > 1 for options in alternatives(terms)):
        return criteria.text_query(terms, any_term=any_term)
    occur = tantivy.Occur.Should if any_term else tantivy.Occur.Must
    clauses = [
        (occur, criteria.text_query(options, any_term=True)) for options in alternatives(terms)
    ]
    return tantivy.Query.boolean_query(clauses)
