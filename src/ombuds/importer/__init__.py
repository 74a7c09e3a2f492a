"""Keeping the corpus current from the Ombudsman's published decision pages.

``site`` (the site as data) -> ``listing`` (read a results page) -> ``client`` (polite GET,
with ``politeness``: rate limit and retry policy) -> ``journal`` (raw pages on disk and resume
state) -> ``run`` (the walk: fetch, keep, parse, ingest, count).
"""

from ombuds.importer.client import Fetched, FetchFailed, PoliteClient
from ombuds.importer.journal import Journal, JournalError, RawStore
from ombuds.importer.listing import ListingItem, ListingPage, parse_listing, search_url
from ombuds.importer.politeness import RateLimiter, RetryPolicy, parse_retry_after
from ombuds.importer.run import FetchPlan, FetchSummary, Importer, MalformedPage
from ombuds.importer.site import Site, SiteError, load_site

__all__ = [
    "FetchFailed",
    "FetchPlan",
    "FetchSummary",
    "Fetched",
    "Importer",
    "Journal",
    "JournalError",
    "ListingItem",
    "ListingPage",
    "MalformedPage",
    "PoliteClient",
    "RateLimiter",
    "RawStore",
    "RetryPolicy",
    "Site",
    "SiteError",
    "load_site",
    "parse_listing",
    "parse_retry_after",
    "search_url",
]
