"""Ranked full-text search over the corpus, with filters, snippets and facet counts.

On SQLite the FTS5 index ranks with BM25 (fields weighted: reference, organisation, category,
summary, then body). A query first requires every word; if nothing matches it falls back to
any word. Case references in the query ("24 009 458", "24-009-458") are looked up exactly
and put first. Filters narrow everything, including the reference lookup and the facets.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from sqlalchemy import Connection, text

from ombuds.corpus.query import UserQuery, parse_query
from ombuds.corpus.store import Store

# bm25() weights, in the column order of the decision_fts table (migration 0002).
WEIGHTS = (10.0, 5.0, 3.0, 2.0, 1.0)
TEXT_COLUMN = 4
SNIPPET_TOKENS = 28
MARK_START, MARK_END = "\x02", "\x03"
UNKNOWN = "unknown"
FACETS = ("decision", "category", "test", "year")

MatchKind = Literal["reference", "all_words", "any_word", "filters"]


class SearchNotSupported(RuntimeError):
    """Full-text search is not available on this database."""


@dataclass(frozen=True)
class SearchFilters:
    """Narrowing conditions; ``None`` means no condition."""

    organisation: str | None = None
    category: str | None = None
    decision: str | None = None
    test: str | None = None
    since: date | None = None
    until: date | None = None


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


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
    mode: MatchKind | None = None
    query: UserQuery = field(default_factory=lambda: UserQuery((), ()))

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
                }
                for hit in self.hits
            ],
            "facets": self.facets,
        }


def normalise_decision(value: str) -> str:
    """Accept the printed label ("Not upheld") or the id ("not_upheld")."""
    return "_".join(value.strip().lower().replace("-", " ").split())


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filter_sql(filters: SearchFilters) -> tuple[str, dict[str, Any]]:
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if filters.organisation:
        clauses.append("d.organisation LIKE :f_org ESCAPE '\\'")
        params["f_org"] = f"%{_like_escape(filters.organisation.strip())}%"
    if filters.category:
        clauses.append(
            "(lower(d.category) = :f_cat OR lower(d.category_top) = :f_cat "
            "OR lower(d.category) LIKE :f_cat_sub ESCAPE '\\')"
        )
        params["f_cat"] = filters.category.strip().lower()
        params["f_cat_sub"] = f"% > {_like_escape(filters.category.strip().lower())}"
    if filters.decision:
        clauses.append("d.decision = :f_dec")
        params["f_dec"] = normalise_decision(filters.decision)
    if filters.test:
        clauses.append(
            "EXISTS (SELECT 1 FROM decision_test ft "
            "WHERE ft.decision_id = d.id AND ft.test_id = :f_test)"
        )
        params["f_test"] = filters.test.strip()
    if filters.since:
        clauses.append("d.decision_date >= :f_since")
        params["f_since"] = filters.since.isoformat()
    if filters.until:
        clauses.append("d.decision_date <= :f_until")
        params["f_until"] = filters.until.isoformat()
    return (" AND ".join(clauses) or "1"), params


def _reference_sql(keys: tuple[str, ...], params: dict[str, Any]) -> str:
    """Exact keys; a reference without its joint-case letter also finds the lettered ones.

    Written as a key range (not LIKE) so the unique index on reference_key is used.
    """
    parts = []
    for n, key in enumerate(keys):
        params[f"r_{n}"] = key
        params[f"r_end_{n}"] = f"{key}z"
        params[f"r_len_{n}"] = len(key) + 1
        parts.append(
            f"(d.reference_key BETWEEN :r_{n} AND :r_end_{n} "
            f"AND length(d.reference_key) <= :r_len_{n})"
        )
    return "(" + " OR ".join(parts) + ")"


def _matches_sql(query: UserQuery, where: str, params: dict[str, Any], mode: MatchKind) -> str:
    """The set of matching decisions as (id, score, order key, match kind) plus facet columns."""
    columns = (
        "d.id AS id, d.decision AS decision, d.category AS category, d.year AS year, "
        "d.decision_date AS dd"
    )
    selects = []
    if query.references:
        selects.append(
            f"SELECT {columns}, 0.0 AS s, 0 AS o, 'reference' AS k FROM decision d "
            f"WHERE {_reference_sql(query.references, params)} AND {where}"
        )
        ref_exclusion = f"AND NOT {_reference_sql(query.references, params)}"
    else:
        ref_exclusion = ""
    if mode in ("all_words", "any_word"):
        params["q"] = query.fts(any_term=mode == "any_word")
        weights = ", ".join(str(w) for w in WEIGHTS)
        selects.append(
            f"SELECT {columns}, -bm25(decision_fts, {weights}) AS s, 1 AS o, '{mode}' AS k "
            # CROSS JOIN keeps the full-text match as the outer loop: SQLite would otherwise
            # scan a filter's index and run the match once per row.
            "FROM decision_fts CROSS JOIN decision d INDEXED BY ix_decision_facets "
            "ON d.id = decision_fts.rowid "
            f"WHERE decision_fts MATCH :q AND {where} {ref_exclusion}"
        )
    elif mode == "filters":
        selects.append(
            f"SELECT {columns}, 0.0 AS s, 1 AS o, 'filters' AS k FROM decision d "
            f"WHERE {where} {ref_exclusion}"
        )
    return " UNION ALL ".join(selects)


def _run(
    conn: Connection,
    query: UserQuery,
    filters: SearchFilters,
    limit: int,
    mode: MatchKind,
) -> tuple[int, list[tuple[int, float, str]], dict[str, dict[str, int]]]:
    where, params = _filter_sql(filters)
    matches = _matches_sql(query, where, params, mode)
    # Browsing by filters alone lists the newest decisions first.
    order = "o, dd DESC, id DESC" if mode == "filters" else "o, s DESC"
    params["limit"] = limit
    sql = f"""
        WITH m AS MATERIALIZED ({matches}),
        top AS (
            SELECT id, s, k, row_number() OVER (ORDER BY {order}) AS r
            FROM m ORDER BY {order} LIMIT :limit
        )
        SELECT 'hit', k, id, s, r FROM top
        UNION ALL SELECT 'total', NULL, NULL, count(*), NULL FROM m
        UNION ALL SELECT 'decision', decision, NULL, count(*), NULL FROM m GROUP BY decision
        UNION ALL SELECT 'category', category, NULL, count(*), NULL FROM m GROUP BY category
        UNION ALL SELECT 'year', CAST(year AS TEXT), NULL, count(*), NULL FROM m GROUP BY year
        UNION ALL SELECT 'test', t.test_id, NULL, count(*), NULL FROM m
            JOIN decision_test t ON t.decision_id = m.id GROUP BY t.test_id
    """
    total = 0
    ranked: list[tuple[int, float, str, int]] = []
    facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    for kind, label, row_id, value, rank in conn.execute(text(sql), params):
        if kind == "hit":
            ranked.append((int(row_id), float(value), str(label), int(rank)))
        elif kind == "total":
            total = int(value)
        else:
            facets[kind][label if label is not None else UNKNOWN] = int(value)
    ranked.sort(key=lambda hit: hit[3])
    sorted_facets = {
        name: dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        for name, counts in facets.items()
    }
    return total, [(i, s, k) for i, s, k, _ in ranked], sorted_facets


def _snippets(conn: Connection, query: UserQuery, ids: list[int]) -> dict[int, str]:
    if not ids or not query.has_text:
        return {}
    id_list = ",".join(str(i) for i in ids)
    sql = (
        f"SELECT rowid, snippet(decision_fts, {TEXT_COLUMN}, char(2), char(3), '…', "
        f"{SNIPPET_TOKENS}) FROM decision_fts WHERE decision_fts MATCH :q AND rowid IN ({id_list})"
    )
    return {
        int(row_id): str(snip)
        for row_id, snip in conn.execute(text(sql), {"q": query.fts(any_term=True)})
    }


def _hits(conn: Connection, query: UserQuery, ranked: list[tuple[int, float, str]]) -> list[Hit]:
    ids = [row_id for row_id, _, _ in ranked]
    if not ids:
        return []
    id_list = ",".join(str(i) for i in ids)
    rows = {
        row.id: row
        for row in conn.execute(
            text(
                "SELECT id, reference, organisation, category, decision, decision_date, summary "
                f"FROM decision WHERE id IN ({id_list})"
            )
        )
    }
    tests: dict[int, list[str]] = {}
    for decision_id, test_id in conn.execute(
        text(
            f"SELECT decision_id, test_id FROM decision_test WHERE decision_id IN ({id_list}) "
            "ORDER BY decision_id, test_id"
        )
    ):
        tests.setdefault(int(decision_id), []).append(str(test_id))
    snippets = _snippets(conn, query, ids)
    hits = []
    for row_id, score, kind in ranked:
        row = rows[row_id]
        marked = " ".join((snippets.get(row_id) or _lead(row.summary)).split())
        hits.append(
            Hit(
                reference=row.reference,
                organisation=row.organisation,
                category=row.category,
                decision=row.decision,
                decision_date=date.fromisoformat(row.decision_date) if row.decision_date else None,
                tests=tests.get(row_id, []),
                score=score,
                snippet=Snippet(marked),
                match=kind,  # type: ignore[arg-type]
            )
        )
    return hits


def _lead(summary: str | None, words: int = SNIPPET_TOKENS) -> str:
    if not summary:
        return ""
    parts = summary.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def search(
    store: Store, text_query: str, filters: SearchFilters | None = None, *, limit: int = 10
) -> SearchResult:
    """Rank decisions for a query; with an empty query, list those the filters select."""
    if store.dialect != "sqlite":
        raise SearchNotSupported(
            f"full-text search on {store.dialect} is not supported yet; ingest into a SQLite "
            "corpus (--db corpus.db) to search it. Ingest and stats work on this database."
        )
    if limit < 1:
        raise ValueError("limit must be at least 1")
    filters = filters or SearchFilters()
    query = parse_query(text_query)
    modes: list[MatchKind]
    if query.has_text:
        modes = ["all_words", "any_word"] if len(query.terms) > 1 else ["all_words"]
    elif query.references:
        modes = ["reference"]
    else:
        modes = ["filters"]
    total = 0
    ranked: list[tuple[int, float, str]] = []
    facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    used = modes[0]
    with store.engine.connect() as conn:
        for mode in modes:
            used = mode
            total, ranked, facets = _run(conn, query, filters, limit, mode)
            text_hits = sum(1 for _, _, kind in ranked if kind != "reference")
            if text_hits:
                break
        hits = _hits(conn, query, ranked)
    return SearchResult(total=total, hits=hits, facets=facets, mode=used, query=query)
