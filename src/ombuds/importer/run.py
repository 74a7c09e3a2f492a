"""One import run: walk the results pages for a date range, fetch each decision page not yet
on disk, keep its raw HTML, parse it and hand the record to the corpus store.

The parser and the store are passed in (their functions live in ``ombuds.reading`` and
``ombuds.corpus``), so this module holds only the walk itself: what to fetch, what to skip,
what to count. A page that cannot be fetched or read is reported and counted, never fatal; a
failing store is fatal, because carrying on would only lose more records.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol
from urllib.parse import urlsplit

from ombuds.domain.record import DecisionRecord
from ombuds.importer.client import FetchFailed, PoliteClient
from ombuds.importer.journal import Journal, RawStore
from ombuds.importer.listing import ListingItem, ListingPage, parse_listing, search_url
from ombuds.importer.site import Site


class PageParser(Protocol):
    """``ombuds.reading.parse_html``'s shape."""

    def __call__(
        self, html: str, url: str | None = None, source: str | None = None
    ) -> DecisionRecord: ...


Ingest = Callable[[DecisionRecord, str], str | None]
"""Store one parsed decision given with its page HTML; None when stored, else why not."""
Report = Callable[[str], None]


class MalformedPage(ValueError):
    """A page that is not the decision its address names (an error page served as 200...)."""


@dataclass(frozen=True)
class FetchPlan:
    """What to import: decisions dated since..until (inclusive) from the site at base_url."""

    since: date
    until: date
    base_url: str
    limit: int | None = None
    max_listing_pages: int = 10_000

    def __post_init__(self) -> None:
        if self.since > self.until:
            raise ValueError(
                f"--since {self.since.isoformat()} is after --until {self.until.isoformat()}"
            )
        if self.limit is not None and self.limit < 0:
            raise ValueError(f"--limit must be 0 or more, not {self.limit}")
        if self.max_listing_pages < 1:
            raise ValueError(f"--max-listing-pages must be 1 or more, not {self.max_listing_pages}")

    @property
    def query_key(self) -> str:
        return f"{self.base_url.rstrip('/')}|{self.since.isoformat()}|{self.until.isoformat()}"


@dataclass(frozen=True)
class Failure:
    """One page that did not make it into the corpus, and why."""

    url: str
    stage: str
    reason: str


@dataclass
class FetchSummary:
    """What a run did. ``listed`` counts distinct decisions in the date range."""

    listed: int = 0
    fetched: int = 0
    already_had: int = 0
    ingested: int = 0
    failed: int = 0
    out_of_range: int = 0
    listing_pages: int = 0
    walk_complete: bool = False
    stopped_by_limit: bool = False
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed == 0


class _LimitReached(Exception):
    pass


class Importer:
    """Runs a :class:`FetchPlan` against the site through a polite client."""

    def __init__(
        self,
        *,
        site: Site,
        client: PoliteClient,
        raw: RawStore,
        journal: Journal,
        parse: PageParser,
        parse_errors: tuple[type[Exception], ...],
        ingest: Ingest,
        sink: str,
        report: Report = lambda message: None,
    ) -> None:
        self._site = site
        self._client = client
        self._raw = raw
        self._journal = journal
        self._parse = parse
        self._parse_errors: tuple[type[Exception], ...] = (*parse_errors, MalformedPage)
        self._ingest = ingest
        self._sink = sink
        self._report = report

    def run(self, plan: FetchPlan, summary: FetchSummary | None = None) -> FetchSummary:
        """Walk the listing and import every decision in range; counts go into ``summary``."""
        summary = summary if summary is not None else FetchSummary()
        try:
            self._walk(plan, summary)
        except _LimitReached:
            summary.stopped_by_limit = True
            self._report(f"stopped after fetching {plan.limit} decision page(s) (--limit)")
        return summary

    def _walk(self, plan: FetchPlan, summary: FetchSummary) -> None:
        seen: set[str] = set()
        expected_pages: int | None = None
        for page_no in range(1, plan.max_listing_pages + 1):
            listing = self._listing_page(plan, page_no, summary)
            if listing is None:
                return
            summary.listing_pages += 1
            if page_no == 1 and listing.total is not None and listing.items:
                expected_pages = math.ceil(listing.total / len(listing.items))
            new_items = [item for item in listing.items if item.url not in seen]
            if not new_items:
                break
            for item in new_items:
                seen.add(item.url)
                if urlsplit(item.url).netloc != urlsplit(plan.base_url).netloc:
                    self._report(f"ignored a link to another site: {item.url}")
                    continue
                if not _in_range(item, plan):
                    summary.out_of_range += 1
                    continue
                summary.listed += 1
                self._import(item, plan, summary)
            if expected_pages is not None and page_no >= expected_pages:
                break
        else:
            self._fail(
                summary,
                search_url(self._site, plan.base_url, plan.since, plan.until, page_no + 1),
                "listing",
                f"stopped at the cap of {plan.max_listing_pages} results pages "
                "(raise --max-listing-pages, or narrow --since/--until)",
            )
            return
        summary.walk_complete = True
        self._journal.record_walk_complete(plan.query_key)

    def _listing_page(
        self, plan: FetchPlan, page_no: int, summary: FetchSummary
    ) -> ListingPage | None:
        cached = self._journal.listing_page(plan.query_key, page_no)
        if cached is not None:
            return cached
        url = search_url(self._site, plan.base_url, plan.since, plan.until, page_no)
        try:
            fetched = self._client.get(url)
        except FetchFailed as exc:
            self._fail(summary, url, "listing", exc.reason + f" after {exc.attempts} attempt(s)")
            return None
        listing = parse_listing(self._site, fetched.text, fetched.url)
        if page_no == 1 and not listing.items and listing.total is None:
            self._fail(
                summary,
                url,
                "listing",
                "neither results nor a result count on the page: not a results page "
                "(has the site changed? see ombuds/importer/site.yaml)",
            )
            return None
        self._journal.record_listing_page(plan.query_key, page_no, listing)
        self._report(
            f"results page {page_no}: {len(listing.items)} decision(s)"
            + (f" of {listing.total}" if listing.total is not None else "")
        )
        return listing

    def _import(self, item: ListingItem, plan: FetchPlan, summary: FetchSummary) -> None:
        slug = item.slug
        path = self._raw.path_for(slug)
        if self._raw.has(slug):
            summary.already_had += 1
            if self._journal.is_ingested(self._sink, slug):
                return
            content = self._raw.read(slug)
            encoding = self._journal.encoding(slug)
        else:
            if plan.limit is not None and summary.fetched >= plan.limit:
                raise _LimitReached
            try:
                page = self._client.get(item.url)
            except FetchFailed as exc:
                reason = f"{exc.reason} after {exc.attempts} attempt(s)"
                self._fail(summary, item.url, "fetch", reason)
                return
            content, encoding = page.content, page.encoding
            self._raw.write(slug, content)
            self._journal.record_fetched(
                slug, item.url, encoding, hashlib.sha256(content).hexdigest()
            )
            summary.fetched += 1
        html = content.decode(encoding, errors="replace")
        try:
            _check_page(item, html)
            record = self._parse(html, url=item.url, source=str(path))
            _check_record(item, record)
        except self._parse_errors as exc:
            self._fail(summary, item.url, "parse", f"{exc} (raw page kept at {path})")
            return
        refused = self._ingest(record, html)
        if refused is not None:
            self._fail(summary, item.url, "store", f"{refused} (raw page kept at {path})")
            return
        self._journal.record_ingested(self._sink, slug)
        summary.ingested += 1

    def _fail(self, summary: FetchSummary, url: str, stage: str, reason: str) -> None:
        summary.failed += 1
        summary.failures.append(Failure(url=url, stage=stage, reason=reason))
        self._report(f"FAILED ({stage}) {url}: {reason}")
        if stage != "listing":
            slug = url.rstrip("/").rsplit("/", 1)[-1]
            self._journal.record_failed(slug, url, stage, reason)


def _in_range(item: ListingItem, plan: FetchPlan) -> bool:
    """Undated results are kept: the site's own date filter has already chosen them."""
    return item.decision_date is None or plan.since <= item.decision_date <= plan.until


def _reference_forms(reference: str) -> tuple[str, str]:
    return reference, reference.replace(" ", "-")


def _check_page(item: ListingItem, html: str) -> None:
    """A decision page always shows its own reference; an error page served as 200 does not."""
    if not any(form in html for form in _reference_forms(item.reference)):
        raise MalformedPage(
            f"the page does not mention its reference {item.reference}: "
            "not a decision page (an error or holding page?)"
        )


def _check_record(item: ListingItem, record: DecisionRecord) -> None:
    if record.reference is not None and record.reference.replace("-", " ") != item.reference:
        raise MalformedPage(
            f"the page is decision {record.reference}, but its address and the listing "
            f"say {item.reference}"
        )
    if not record.sections:
        raise MalformedPage(
            "no part of the statement (summary, complaint, assessment...) was found on the "
            "page: a truncated page, or has the page layout changed?"
        )
