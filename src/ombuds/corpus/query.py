"""Reading what a user types: case references, "quoted phrases" and words, nothing else.

No user text is ever treated as query syntax (a stray ``-`` or ``:`` is just a separator);
``ombuds.corpus.criteria`` turns the terms into index queries. All terms must match; callers
may fall back to any term.
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
