"""Turning what a user types into an FTS5 expression: words and "quoted phrases", nothing else.

User text is never passed to FTS5 as syntax (a stray ``-`` or ``:`` would be an error or an
operator); every word is quoted. All words must match; callers may fall back to any word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from ombuds.corpus.reference import find_references

_PHRASE = re.compile(r'"([^"]*)"')
_WORD = re.compile(r"[^\W_]+")


@cache
def stopwords() -> frozenset[str]:
    """Very common English words, dropped from unquoted queries (see stopwords.yaml)."""
    data = yaml.safe_load(resources.files("ombuds.corpus").joinpath("stopwords.yaml").read_text())
    return frozenset(str(word).lower() for word in data["stopwords"])


@dataclass(frozen=True)
class UserQuery:
    """A search query split into case references and text terms (words or phrases)."""

    references: tuple[str, ...]
    terms: tuple[str, ...]

    @property
    def has_text(self) -> bool:
        return bool(self.terms)

    def fts(self, *, any_term: bool = False) -> str:
        """The FTS5 MATCH expression: all terms (default) or any term."""
        quoted = [f'"{term}"' for term in self.terms]
        return (" OR " if any_term else " ").join(quoted)


def parse_query(text: str) -> UserQuery:
    """Split out references ("24 009 458", "24-009-458"), then phrases, then single words.

    Unquoted stopwords are dropped unless nothing else is left.
    """
    references, rest = find_references(text)
    terms: list[str] = []
    for phrase in _PHRASE.findall(rest):
        words = _WORD.findall(phrase)
        if words:
            terms.append(" ".join(words))
    words = _WORD.findall(_PHRASE.sub(" ", rest))
    common = stopwords()
    informative = [word for word in words if word.lower() not in common]
    terms.extend(informative if informative or terms else words)
    return UserQuery(references=tuple(dict.fromkeys(references)), terms=tuple(dict.fromkeys(terms)))
