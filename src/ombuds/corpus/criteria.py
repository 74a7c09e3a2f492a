"""From a parsed user query and search filters to queries on the search index.

User text never reaches a query parser: each word or quoted phrase is run through the index's
own analyzer and becomes a term or phrase query, so no character typed can act as syntax.
Filters are wrapped to score nothing, so they narrow the matches without changing the ranking.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import tantivy

from ombuds.corpus.index import DECISION_KIND, WEIGHTS, analyzer, category_keys, day_number, schema
from ombuds.limits import MAX_FILTER_CHARS

_Occur = tantivy.Occur
_REGEX_PLAIN = frozenset(string.ascii_letters + string.digits + " ")
#: Tantivy compiles a substring regex to an automaton with a size limit that ~250 ASCII (or
#: ~100 non-ASCII) characters can exceed; pieces this long always compile.
_REGEX_PIECE = 64


class FilterError(ValueError):
    """A filter value ombuds will not search with (too long); the message says which and why."""


@dataclass(frozen=True)
class SearchFilters:
    """Narrowing conditions; ``None`` means no condition."""

    organisation: str | None = None
    category: str | None = None
    decision: str | None = None
    test: str | None = None
    since: date | None = None
    until: date | None = None


def normalise_decision(value: str) -> str:
    """Accept the printed label ("Not upheld") or the id ("not_upheld")."""
    return "_".join(value.strip().lower().replace("-", " ").split())


def regex_escape(text: str) -> str:
    """Text as a literal in Tantivy's regular expressions (Rust ``regex`` syntax).

    Anything but an ASCII letter, digit or space is written as a ``\\x{...}`` code point:
    a backslash before some punctuation is not an escape there (``\\<`` is a word boundary).
    """
    return "".join(char if char in _REGEX_PLAIN else f"\\x{{{ord(char):X}}}" for char in text)


def _term(field: str, value: str | int) -> tantivy.Query:
    return tantivy.Query.term_query(schema(), field, value)


def _field_query(field: str, tokens: Sequence[str]) -> tantivy.Query:
    if len(tokens) == 1:
        return _term(field, tokens[0])
    return tantivy.Query.phrase_query(schema(), field, list(tokens))


def text_query(terms: Sequence[str], *, any_term: bool) -> tantivy.Query:
    """Every term (or any term) in any searched field, each field weighted.

    A term the analyzer reduces to nothing (a word over 40 characters) is left out.
    """
    clauses = []
    for term in terms:
        tokens = analyzer().analyze(term)
        if not tokens:
            continue
        fields = [
            (_Occur.Should, tantivy.Query.boost_query(_field_query(name, tokens), weight))
            for name, weight in WEIGHTS.items()
        ]
        clauses.append(
            (_Occur.Should if any_term else _Occur.Must, tantivy.Query.boolean_query(fields))
        )
    if not clauses:
        return tantivy.Query.empty_query()
    return tantivy.Query.boolean_query(clauses)


def reference_query(keys: Sequence[str]) -> tantivy.Query:
    """Exact keys; a reference without its joint-case letter also finds the lettered ones."""
    return tantivy.Query.boolean_query(
        [
            (
                _Occur.Should,
                tantivy.Query.regex_query(schema(), "reference_key", f"{regex_escape(key)}[a-z]?"),
            )
            for key in keys
        ]
    )


def check_filter(option: str, value: str | None) -> None:
    """Refuse a filter value longer than :data:`MAX_FILTER_CHARS` (no name is that long)."""
    if value is not None and len(value.strip()) > MAX_FILTER_CHARS:
        raise FilterError(
            f"{option}: {len(value.strip()):,} characters; a filter value may have at most "
            f"{MAX_FILTER_CHARS} (an organisation name is at most 300): shorten it"
        )


def organisation_query(value: str) -> tantivy.Query:
    """Organisations whose name contains ``value`` (case-insensitive).

    One substring regex when it compiles; a longer value than the regex engine's size limit
    takes is matched as consecutive pieces that must all occur, which in practice picks out
    the same organisations. Values over :data:`MAX_FILTER_CHARS` are refused.
    """
    check_filter("--organisation", value)
    wanted = value.strip().lower()
    try:
        return _contains(wanted)
    except ValueError:  # "Compiled regex exceeds size limit"
        pieces = [wanted[i : i + _REGEX_PIECE] for i in range(0, len(wanted), _REGEX_PIECE)]
        return tantivy.Query.boolean_query([(_Occur.Must, _contains(p)) for p in pieces])


def _contains(text: str) -> tantivy.Query:
    return tantivy.Query.regex_query(schema(), "organisation_key", f".*{regex_escape(text)}.*")


def every_decision() -> tantivy.Query:
    return _term("kind", DECISION_KIND)


def filter_queries(filters: SearchFilters) -> list[tantivy.Query]:
    """One unscored query per condition set in ``filters``."""
    queries: list[tantivy.Query] = []
    if filters.organisation and filters.organisation.strip():
        queries.append(organisation_query(filters.organisation))
    if filters.category and category_keys(filters.category):
        queries.append(_term("category_key", category_keys(filters.category)[0]))
    if filters.decision and filters.decision.strip():
        queries.append(_term("decision", normalise_decision(filters.decision)))
    if filters.test and filters.test.strip():
        queries.append(_term("test", filters.test.strip()))
    if filters.since or filters.until:
        queries.append(
            tantivy.Query.range_query(
                schema(),
                "decided",
                tantivy.FieldType.Integer,
                day_number(filters.since) if filters.since else None,
                day_number(filters.until) if filters.until else None,
            )
        )
    return [tantivy.Query.const_score_query(query, 0.0) for query in queries]


def narrowed(
    query: tantivy.Query,
    filters: Sequence[tantivy.Query],
    *,
    excluding: tantivy.Query | None = None,
) -> tantivy.Query:
    """``query`` limited by every filter, minus what ``excluding`` matches."""
    if not filters and excluding is None:
        return query
    clauses = [(_Occur.Must, query)] + [(_Occur.Must, f) for f in filters]
    if excluding is not None:
        clauses.append((_Occur.MustNot, excluding))
    return tantivy.Query.boolean_query(clauses)


def either(first: tantivy.Query | None, second: tantivy.Query | None) -> tantivy.Query:
    """Documents matching either query (at least one must be given)."""
    if first is None or second is None:
        chosen = first if first is not None else second
        if chosen is None:
            raise ValueError("either() needs at least one query")
        return chosen
    return tantivy.Query.boolean_query([(_Occur.Should, first), (_Occur.Should, second)])
