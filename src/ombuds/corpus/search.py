"""Ranked full-text search over the corpus, with filters, snippets and facet counts.

The search index ranks with BM25 over the reference, organisation, category, summary and
body (weighted in that order), taking the top hits without scoring every match, and counts
facets over all matches from columnar fields. A query first requires every word; if nothing
matches it falls back to any word. Case references in the query ("24 009 458", "24-009-458")
are looked up exactly and put first. Filters narrow everything, including the reference
lookup and the facets. The hits shown are read from the database, the source of truth, and
their snippets are cut from its text. A missing or stale index is rebuilt first.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import tantivy
from sqlalchemy import Connection, select

from ombuds.corpus import criteria, synonyms
from ombuds.corpus.criteria import SearchFilters, normalise_decision
from ombuds.corpus.index import SNIPPET_FIELD, schema
from ombuds.corpus.query import UserQuery, parse_query
from ombuds.corpus.schema import decision, decision_test
from ombuds.corpus.stock import particular_text
from ombuds.corpus.store import Store
from ombuds.corpus.sync import Rebuilt, ensure_current, repair

__all__ = [
    "FACETS",
    "MARK_END",
    "MARK_START",
    "Hit",
    "SearchFilters",
    "SearchResult",
    "Snippet",
    "normalise_decision",
    "search",
]

SNIPPET_TOKENS = 28
SNIPPET_CHARS = 200
MARK_START, MARK_END = "\x02", "\x03"
ELLIPSIS = "…"
UNKNOWN = "unknown"
FACETS = ("decision", "category", "test", "year")
# Index field behind each facet; those with a "missing" bucket count decisions without a value.
_FACET_FIELDS = {
    "decision": ("decision", True),
    "category": ("category_facet", True),
    "test": ("test", False),
    "year": ("year", True),
}
_FACET_SIZE = 10_000
_AGGREGATIONS = {
    name: {
        "terms": {
            "field": index_field,
            "size": _FACET_SIZE,
            "segment_size": _FACET_SIZE,
            **({"missing": UNKNOWN} if has_missing else {}),
        }
    }
    for name, (index_field, has_missing) in _FACET_FIELDS.items()
}

MatchKind = Literal["reference", "all_words", "any_word", "filters"]


@dataclass(frozen=True)
class Snippet:
    """Text around the match; ``MARK_START``/``MARK_END`` enclose each matched term."""

    marked: str

    def html(self) -> str:
        """Safe HTML: text escaped, matches in ``<mark>``."""
        return (
            html.escape(self.marked, quote=False)
            .replace(MARK_START, "<mark>")
            .replace(MARK_END, "</mark>")
        )

    def plain(self) -> str:
        return self.marked.replace(MARK_START, "").replace(MARK_END, "")


@dataclass(frozen=True)
class Hit:
    reference: str
    organisation: str | None
    category: str | None
    decision: str | None
    decision_date: date | None
    tests: list[str]
    score: float
    snippet: Snippet
    match: MatchKind
    url: str | None = None
    summary: str | None = None


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
    mode: MatchKind | None = None
    query: UserQuery = field(default_factory=lambda: UserQuery((), ()))
    rebuilt: Rebuilt | None = None

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` shape: total, hits and facets (snippets as safe HTML with <mark>)."""
        return {
            "total": self.total,
            "mode": self.mode,
            "hits": [
                {
                    "reference": hit.reference,
                    "organisation": hit.organisation,
                    "category": hit.category,
                    "decision": hit.decision,
                    "decision_date": hit.decision_date.isoformat() if hit.decision_date else None,
                    "tests": hit.tests,
                    "score": round(hit.score, 4),
                    "snippet": hit.snippet.html(),
                    "match": hit.match,
                    "url": hit.url,
                    "summary": hit.summary,
                }
                for hit in self.hits
            ],
            "facets": self.facets,
        }


@dataclass(frozen=True)
class _Ranked:
    """One ranked match: its database id, score and how it matched."""

    id: int
    score: float
    match: MatchKind


def _facets(aggregation: dict[str, Any]) -> tuple[int, dict[str, dict[str, int]]]:
    """Facet counts, most frequent first, and the number of matches they were counted over."""
    facets: dict[str, dict[str, int]] = {}
    for name in FACETS:
        buckets = aggregation[name]["buckets"]
        counts = {str(bucket["key"]): int(bucket["doc_count"]) for bucket in buckets}
        facets[name] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    # Every decision has exactly one "decision" value (or counts as missing), so this is the
    # number of matches; decisions past the bucket limit are in sum_other_doc_count.
    total = sum(facets["decision"].values()) + int(aggregation["decision"]["sum_other_doc_count"])
    return total, facets


def _run(
    searcher: tantivy.Searcher,
    query: UserQuery,
    filters: list[tantivy.Query],
    limit: int,
    mode: MatchKind,
) -> tuple[int, list[_Ranked], dict[str, dict[str, int]]]:
    references = criteria.reference_query(query.references) if query.references else None
    main: tantivy.Query | None = None
    if mode in ("all_words", "any_word"):
        main = synonyms.text_query(query.terms, any_term=mode == "any_word")
    elif mode == "filters":
        main = criteria.every_decision()
    addresses: list[tuple[float, tantivy.DocAddress, MatchKind]] = []
    if references is not None:
        found = searcher.search(criteria.narrowed(references, filters), limit, count=False)
        addresses.extend((0.0, address, "reference") for _, address in found.hits)
    if main is not None and len(addresses) < limit:
        narrowed = criteria.narrowed(main, filters, excluding=references)
        wanted = limit - len(addresses)
        if mode == "filters":
            # Browsing by filters alone lists the newest decisions first.
            found = searcher.search(
                narrowed,
                wanted,
                count=False,
                order_by_field="recency",
                order=tantivy.Order.Desc,
            )
            addresses.extend((0.0, address, mode) for _, address in found.hits)
        else:
            found = searcher.search(narrowed, wanted, count=False)
            addresses.extend((float(score), address, mode) for score, address in found.hits)
    matching = criteria.narrowed(criteria.either(references, main), filters)
    total, facets = _facets(searcher.aggregate(matching, _AGGREGATIONS))
    ids = searcher.fast_field_values("id", [address for _, address, _ in addresses])
    ranked = [
        _Ranked(int(row_id), score, kind)
        for (score, _, kind), row_id in zip(addresses, ids, strict=True)
        if row_id is not None
    ]
    return total, ranked, facets


def _marked(text: str, snippet: tantivy.Snippet) -> str:
    """The snippet's fragment with each highlighted range between MARK_START and MARK_END."""
    fragment = snippet.fragment().encode("utf-8")
    parts: list[bytes] = []
    position = 0
    for highlight in sorted(snippet.highlighted(), key=lambda r: r.start):
        if highlight.start < position:
            continue
        parts += [fragment[position : highlight.start], MARK_START.encode()]
        parts += [fragment[highlight.start : highlight.end], MARK_END.encode()]
        position = highlight.end
    parts.append(fragment[position:])
    marked = b"".join(parts).decode("utf-8", errors="replace")
    span = snippet.fragment_range()
    before = ELLIPSIS if span.start > 0 else ""
    after = ELLIPSIS if span.end < len(text.encode("utf-8")) else ""
    return f"{before}{marked}{after}"


def _snippets(
    searcher: tantivy.Searcher, query: UserQuery, texts: dict[int, str]
) -> dict[int, str]:
    """Marked snippets for the hits whose text contains a query term."""
    if not texts or not query.has_text:
        return {}
    generator = tantivy.SnippetGenerator.create(
        searcher, synonyms.text_query(query.terms, any_term=True), schema(), SNIPPET_FIELD
    )
    generator.set_max_num_chars(SNIPPET_CHARS)
    found: dict[int, str] = {}
    for row_id, text in texts.items():
        document = tantivy.Document()
        document.add_text(SNIPPET_FIELD, text)
        snippet = generator.snippet_from_doc(document)
        if snippet.highlighted():
            found[row_id] = _marked(text, snippet)
    return found


def _hits(
    conn: Connection, searcher: tantivy.Searcher, query: UserQuery, ranked: list[_Ranked]
) -> list[Hit]:
    ids = [hit.id for hit in ranked]
    if not ids:
        return []
    d = decision.c
    rows = {
        row.id: row
        for row in conn.execute(
            select(
                d.id,
                d.reference,
                d.organisation,
                d.category,
                d.decision,
                d.decision_date,
                d.summary,
                d.text,
                d.url,
            ).where(d.id.in_(ids))
        )
    }
    tests: dict[int, list[str]] = {}
    for decision_id, test_id in conn.execute(
        select(decision_test.c.decision_id, decision_test.c.test_id)
        .where(decision_test.c.decision_id.in_(ids))
        .order_by(decision_test.c.decision_id, decision_test.c.test_id)
    ):
        tests.setdefault(int(decision_id), []).append(str(test_id))
    snippets = _snippets(
        searcher, query, {i: particular_text(rows[i].text) for i in ids if i in rows}
    )
    hits = []
    for hit in ranked:
        row = rows.get(hit.id)
        if row is None:  # removed from the database since the index was read
            continue
        marked = " ".join((snippets.get(hit.id) or _lead(row.summary)).split())
        hits.append(
            Hit(
                reference=row.reference,
                organisation=row.organisation,
                category=row.category,
                decision=row.decision,
                decision_date=row.decision_date,
                tests=tests.get(hit.id, []),
                score=hit.score,
                snippet=Snippet(marked),
                match=hit.match,
                url=row.url,
                summary=row.summary,
            )
        )
    return hits


def _lead(summary: str | None, words: int = SNIPPET_TOKENS) -> str:
    if not summary:
        return ""
    parts = summary.split()
    return " ".join(parts[:words]) + (ELLIPSIS if len(parts) > words else "")


def search(
    store: Store,
    text_query: str,
    filters: SearchFilters | None = None,
    *,
    limit: int = 10,
    any_word: bool = False,
) -> SearchResult:
    """Rank decisions for a query; with an empty query, list those the filters select.

    ``any_word`` ranks by any of the words from the start (for "more like this" queries,
    where requiring every word of a long text would find only the text itself).
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    query = parse_query(text_query)
    narrowing = criteria.filter_queries(filters or SearchFilters())
    try:
        return _search(store, query, narrowing, limit, None, any_word)
    except ValueError:  # Tantivy: a segment file missing or damaged that nothing caught before
        rebuilt = repair(store)
        return _search(store, query, narrowing, limit, rebuilt, any_word)


def _search(
    store: Store,
    query: UserQuery,
    narrowing: list[tantivy.Query],
    limit: int,
    repaired: Rebuilt | None,
    any_word: bool,
) -> SearchResult:
    modes: list[MatchKind]
    if query.has_text:
        modes = ["all_words", "any_word"] if len(query.terms) > 1 else ["all_words"]
        if any_word:
            modes = ["any_word"]
    elif query.references:
        modes = ["reference"]
    else:
        modes = ["filters"]
    searcher = store.index.searcher()
    rebuilt = ensure_current(store, searcher) or repaired
    if rebuilt is not None:
        searcher = store.index.searcher()
    total = 0
    ranked: list[_Ranked] = []
    facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    used = modes[0]
    for mode in modes:
        used = mode
        total, ranked, facets = _run(searcher, query, narrowing, limit, mode)
        if any(hit.match != "reference" for hit in ranked):
            break
    with store.engine.connect() as conn:
        hits = _hits(conn, searcher, query, ranked)
    return SearchResult(
        total=total, hits=hits, facets=facets, mode=used, query=query, rebuilt=rebuilt
    )
