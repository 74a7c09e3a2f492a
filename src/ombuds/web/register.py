"""The public decisions register: search with facets, decision pages, similar decisions.

No sign-in: everything here is already published. Pages read the corpus through the same
search and lookup functions as ``ombuds search``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ombuds.corpus.lookup import StoredDecision, find_decision
from ombuds.corpus.search import Hit, SearchFilters, search
from ombuds.corpus.store import Store
from ombuds.web import labels
from ombuds.web.context import corpus_store, render
from ombuds.web.dates import DateParts, read_date
from ombuds.web.typeahead import organisations

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20
MAX_PAGE = 25  # deeper than 500 results, narrow the search instead
SIMILAR = 5
SIMILAR_WORDS = 40


def _options(
    counts: dict[str, int], chosen: str, label: Any, *, keep_order: bool = False
) -> list[dict[str, Any]]:
    """Select options for one facet: "All", then each value with its count."""
    items = counts.items() if keep_order else sorted(counts.items(), key=lambda kv: label(kv[0]))
    options = [{"value": "", "text": "All", "selected": not chosen}]
    for value, n in items:
        if value == "unknown":
            continue
        options.append(
            {"value": value, "text": f"{label(value)} ({n:,})", "selected": value == chosen}
        )
    if chosen and chosen not in counts:
        options.append({"value": chosen, "text": f"{label(chosen)} (0)", "selected": True})
    return options


def similar_decisions(store: Store, found: StoredDecision) -> list[Hit]:
    """Published decisions most like this one: its summary as a query, same category first."""
    words = " ".join((found.summary or found.category or "").split()[:SIMILAR_WORDS])
    if not words:
        return []
    own = labels.reference_slug(found.reference)
    hits: list[Hit] = []
    for filters in (SearchFilters(category=found.category), SearchFilters()):
        result = search(store, words.replace('"', " "), filters, limit=SIMILAR + 1, any_word=True)
        for hit in result.hits:
            known = {labels.reference_slug(h.reference) for h in hits}
            if labels.reference_slug(hit.reference) not in known | {own}:
                hits.append(hit)
        if len(hits) >= SIMILAR or not found.category:
            break
    return hits[:SIMILAR]


@router.get("/decisions", response_class=HTMLResponse)
def register_search(
    request: Request,
    store: Annotated[Store, Depends(corpus_store)],
    q: str = "",
    organisation: str = "",
    category: str = "",
    decision: str = "",
    reason: str = "",
    from_day: Annotated[str, Query(alias="from-day")] = "",
    from_month: Annotated[str, Query(alias="from-month")] = "",
    from_year: Annotated[str, Query(alias="from-year")] = "",
    to_day: Annotated[str, Query(alias="to-day")] = "",
    to_month: Annotated[str, Query(alias="to-month")] = "",
    to_year: Annotated[str, Query(alias="to-year")] = "",
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    """Search published decisions; with no words, list the newest."""
    fields = {
        "q": q[:500],
        "organisation": organisation[:300],
        "category": category[:300],
        "decision": decision[:64],
        "reason": reason[:80],
    }
    dates = {
        "from": DateParts(from_day[:4], from_month[:4], from_year[:6]),
        "to": DateParts(to_day[:4], to_month[:4], to_year[:6]),
    }
    errors: list[dict[str, str]] = []
    since = read_date(dates["from"], "Decided from")
    until = read_date(dates["to"], "Decided to", end_of_period=True)
    for key, value in (("from", since), ("to", until)):
        if isinstance(value, str):
            errors.append({"text": value, "href": f"#{key}-day"})
    if isinstance(since, date) and isinstance(until, date) and since > until:
        errors.append(
            {"text": "Decided from must be the same as or before decided to", "href": "#from-day"}
        )
    page = min(page, MAX_PAGE)
    filters = SearchFilters(
        organisation=fields["organisation"] or None,
        category=fields["category"] or None,
        decision=fields["decision"] or None,
        test=fields["reason"] or None,
        since=since if isinstance(since, date) and not errors else None,
        until=until if isinstance(until, date) and not errors else None,
    )
    result = search(store, fields["q"], filters, limit=page * PAGE_SIZE)
    hits = result.hits[(page - 1) * PAGE_SIZE :]
    pages = min((result.total + PAGE_SIZE - 1) // PAGE_SIZE, MAX_PAGE)
    facets = result.facets
    context = {
        "title": "Search decisions",
        "section": "decisions",
        "fields": fields,
        "dates": dates,
        "errors": errors,
        "result": result,
        "hits": hits,
        "page": page,
        "pages": pages,
        "query_without_page": _query_without_page(request),
        "decision_options": _options(
            facets.get("decision", {}), fields["decision"], labels.decision_label
        ),
        "category_options": _options(
            facets.get("category", {}), fields["category"], labels.category_label
        ),
        "organisations": organisations(store),
        "reason_options": _options(facets.get("test", {}), fields["reason"], labels.reason_label),
    }
    return render(request, "register/search.html", context, status_code=400 if errors else 200)


def _query_without_page(request: Request) -> str:
    """The current search as a query string, less its page number (for the pagination links)."""
    return urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "page"])


@router.get("/decisions/{reference}", response_class=HTMLResponse)
def decision_page(
    request: Request, reference: str, store: Annotated[Store, Depends(corpus_store)]
) -> Response:
    """One published decision: header, summary, reasons with citations, statement, similar."""
    found = find_decision(store, reference[:60])
    if found is None:
        return render(
            request,
            "not_found.html",
            {"title": "Decision not found", "reference": reference[:60], "section": "decisions"},
            status_code=404,
        )
    slug = labels.reference_slug(found.reference)
    if reference != slug:
        return RedirectResponse(f"/decisions/{slug}", status_code=301)
    context = {
        "title": f"{found.organisation or 'Decision'} ({found.reference})",
        "section": "decisions",
        "decision": found,
        "paragraphs": [p.strip() for p in found.text.split("\n\n") if p.strip()],
        "similar": similar_decisions(store, found),
    }
    return render(request, "register/decision.html", context)
