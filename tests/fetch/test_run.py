"""The import walk against the local stand-in site: counts, failures, resume, date filter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from ombuds.domain.record import DecisionRecord
from ombuds.importer.client import PoliteClient
from ombuds.importer.journal import Journal, RawStore
from ombuds.importer.listing import ListingPage
from ombuds.importer.politeness import RateLimiter, RetryPolicy
from ombuds.importer.run import FetchPlan, FetchSummary, Importer
from ombuds.importer.site import load_site

from .conftest import READABLE_IN_RANGE, FakeTime, listing_item
from .pageparser import FixtureParseError, parse_fixture_page
from .siteserver import SEARCH_PATH, FakeSite

SINCE, UNTIL = date(2024, 3, 1), date(2024, 4, 30)
IN_RANGE = 8  # fixture decisions dated in March and April 2024
MALFORMED = 2  # of which two are served as broken pages


@dataclass
class Sink:
    """Collects what the importer hands to the store; can be told to crash after n records."""

    records: list[DecisionRecord] = field(default_factory=list)
    crash_after: int | None = None

    def __call__(self, record: DecisionRecord, html: str) -> str | None:
        if self.crash_after is not None and len(self.records) >= self.crash_after:
            raise RuntimeError("database went away")
        assert record.reference is not None and record.reference in html
        self.records.append(record)
        return None


def _run(
    site: FakeSite,
    raw_dir: Path,
    fake_time: FakeTime,
    sink: Callable[[DecisionRecord, str], str | None],
    *,
    since: date = SINCE,
    limit: int | None = None,
    max_listing_pages: int = 50,
) -> FetchSummary:
    client = PoliteClient(
        user_agent="ombuds/test",
        limiter=RateLimiter(1.0, clock=fake_time.clock, sleep=fake_time.sleep),
        policy=RetryPolicy(attempts=3, base=1.0),
        timeout=0.3,
        sleep=fake_time.sleep,
    )
    with client:
        importer = Importer(
            site=load_site(),
            client=client,
            raw=RawStore(raw_dir),
            journal=Journal.open(raw_dir),
            parse=parse_fixture_page,
            parse_errors=(FixtureParseError,),
            ingest=sink,
            sink="test-db",
        )
        plan = FetchPlan(
            since=since,
            until=UNTIL,
            base_url=site.base_url,
            limit=limit,
            max_listing_pages=max_listing_pages,
        )
        return importer.run(plan)


def test_a_full_run_imports_every_decision_in_range(
    site: FakeSite, tmp_path: Path, fake_time: FakeTime
) -> None:
    sink = Sink()
    summary = _run(site, tmp_path, fake_time, sink)
    assert (summary.listed, summary.fetched, summary.already_had) == (IN_RANGE, IN_RANGE, 0)
    assert (summary.ingested, summary.failed) == (IN_RANGE - MALFORMED, MALFORMED)
    assert summary.listing_pages == 3 and summary.walk_complete
    assert not summary.ok
    holding, truncated = summary.failures
    assert holding.stage == "parse" and holding.url.endswith("/24-105-119")
    assert "does not mention its reference 24 105 119" in holding.reason
    assert truncated.stage == "parse" and truncated.url.endswith("/24-107-530")
    assert "header lines missing" in truncated.reason
    assert tuple(sorted(r.reference or "" for r in sink.records)) == READABLE_IN_RANGE
    # every decision page is kept on disk, the malformed one too
    assert len(list((tmp_path / "decisions").glob("*.html"))) == IN_RANGE
    # the listing was asked for the range, page by page
    listing = [r for r in site.requests if r.path == SEARCH_PATH]
    assert [r.query["page"] for r in listing] == ["1", "2", "3"]
    assert {(r.query["fd"], r.query["td"]) for r in listing} == {("2024-03-01", "2024-04-30")}
    # one request at a time, a second apart (the fake clock counts the waits)
    assert len(fake_time.sleeps) == len(site.requests) - 1
    assert all(s == pytest.approx(1.0) for s in fake_time.sleeps)


def test_a_second_run_fetches_nothing_it_already_has(
    site: FakeSite, tmp_path: Path, fake_time: FakeTime
) -> None:
    _run(site, tmp_path, fake_time, Sink())
    before = len(site.decision_requests())
    sink = Sink()
    summary = _run(site, tmp_path, fake_time, sink)
    assert len(site.decision_requests()) == before
    assert (summary.fetched, summary.already_had) == (0, IN_RANGE)
    # stored ones are not stored again; malformed pages are read again from disk, and fail
    assert (summary.ingested, summary.failed) == (0, MALFORMED)
    assert sink.records == []
    # a finished walk is re-read next time: the site publishes decisions weeks after their date
    assert site.count(SEARCH_PATH, page=1) == 2


def test_stop_after_k_pages_then_resume_without_refetching(
    site: FakeSite, tmp_path: Path, fake_time: FakeTime
) -> None:
    first = _run(site, tmp_path, fake_time, Sink(), limit=2)
    assert first.stopped_by_limit and not first.walk_complete
    assert (first.fetched, first.ingested) == (2, 2)
    assert len(site.decision_requests()) == 2

    second = _run(site, tmp_path, fake_time, Sink())
    assert (second.fetched, second.already_had) == (IN_RANGE - 2, 2)
    assert second.walk_complete
    paths = site.decision_requests()
    assert len(paths) == len(set(paths)) == IN_RANGE  # every decision page fetched exactly once
    # the first results page came from the journal on resume, not from the site
    assert site.count(SEARCH_PATH, page=1) == 1


def test_an_interrupted_run_resumes_where_it_stopped(
    site: FakeSite, tmp_path: Path, fake_time: FakeTime
) -> None:
    with pytest.raises(RuntimeError, match="database went away"):
        _run(site, tmp_path, fake_time, Sink(crash_after=4))
    fetched_before = len(site.decision_requests())
    assert fetched_before == 5  # the fifth page was on disk when the store failed

    sink = Sink()
    summary = _run(site, tmp_path, fake_time, sink)
    paths = site.decision_requests()
    assert len(paths) == len(set(paths)) == IN_RANGE
    assert summary.already_had == 5 and summary.fetched == IN_RANGE - 5
    # the four stored before the crash are not stored again; the fifth is, from disk
    assert summary.ingested == len(sink.records) == IN_RANGE - MALFORMED - 4


def test_retries_inside_a_run_and_a_page_that_never_comes(
    site: FakeSite, tmp_path: Path, fake_time: FakeTime
) -> None:
    site.script["listing:2"] = ["429:5"]
    site.script["24-101-202"] = ["500", "503"]
    site.script["24-102-317"] = ["sleep:1.0"]  # longer than the client's 0.3 s timeout
    site.forever["24-104-771"] = "500"
    summary = _run(site, tmp_path, fake_time, Sink())
    assert summary.listing_pages == 3
    assert (summary.fetched, summary.failed) == (IN_RANGE - 1, 1 + MALFORMED)
    assert summary.ingested == IN_RANGE - 1 - MALFORMED
    stages = [(f.stage, f.url.rsplit("/", 1)[-1]) for f in summary.failures]
    assert stages == [("fetch", "24-104-771"), ("parse", "24-105-119"), ("parse", "24-107-530")]
    assert summary.failures[0].reason == "HTTP 500 after 3 attempt(s)"
    assert 5.0 in fake_time.sleeps  # Retry-After honoured
    # the page that never came is fetched again on the next run, and only that one
    del site.forever["24-104-771"]
    before = len(site.decision_requests())
    again = _run(site, tmp_path, fake_time, Sink())
    assert site.decision_requests()[before:] == [
        "/decisions/adult-care-services/charging/24-104-771"
    ]
    assert (again.fetched, again.ingested, again.failed) == (1, 1, MALFORMED)


def test_a_listing_page_that_never_comes_stops_the_walk_and_resumes(
    site: FakeSite, tmp_path: Path, fake_time: FakeTime
) -> None:
    site.forever["listing:2"] = "503"
    first = _run(site, tmp_path, fake_time, Sink())
    assert not first.walk_complete and first.failed == 1
    assert first.failures[0].stage == "listing" and first.fetched == 3
    del site.forever["listing:2"]
    second = _run(site, tmp_path, fake_time, Sink())
    assert second.walk_complete and second.fetched == IN_RANGE - 3
    assert site.count(SEARCH_PATH, page=1) == 1


def test_a_page_that_is_not_a_results_page_is_a_failure(
    site: FakeSite, tmp_path: Path, fake_time: FakeTime
) -> None:
    site.forever["listing:1"] = "holding"
    summary = _run(site, tmp_path, fake_time, Sink())
    assert summary.failed == 1 and summary.listed == 0
    assert "not a results page" in summary.failures[0].reason


def test_the_date_range_goes_to_the_site_and_is_checked_on_the_way_back(
    site: FakeSite, tmp_path: Path, fake_time: FakeTime
) -> None:
    site.honour_date_filter = False  # the site ignores the filter: we must not import extras
    summary = _run(site, tmp_path, fake_time, Sink())
    assert summary.out_of_range == 1 and summary.listed == IN_RANGE
    assert not any(p.endswith("24-099-412") for p in site.decision_requests())


def test_an_earlier_since_takes_in_the_february_decision(
    site: FakeSite, tmp_path: Path, fake_time: FakeTime
) -> None:
    sink = Sink()
    summary = _run(site, tmp_path, fake_time, sink, since=date(2024, 2, 1))
    assert summary.listed == IN_RANGE + 1 and summary.out_of_range == 0
    assert "24 099 412" in {r.reference for r in sink.records}


def test_the_listing_walk_is_bounded(site: FakeSite, tmp_path: Path, fake_time: FakeTime) -> None:
    summary = _run(site, tmp_path, fake_time, Sink(), max_listing_pages=2)
    assert summary.listing_pages == 2 and not summary.walk_complete
    assert summary.failures[-1].stage == "listing"
    assert "cap of 2 results pages" in summary.failures[-1].reason


def test_a_store_that_refuses_a_record_counts_a_failure(
    site: FakeSite, tmp_path: Path, fake_time: FakeTime
) -> None:
    def refuse_upheld(record: DecisionRecord, html: str) -> str | None:
        return "refused for the test" if record.decision_label == "Upheld" else None

    summary = _run(site, tmp_path, fake_time, refuse_upheld)
    assert summary.failed == MALFORMED + 2 and summary.ingested == IN_RANGE - MALFORMED - 2
    assert sorted(f.stage for f in summary.failures) == ["parse", "parse", "store", "store"]


def test_plan_rejects_a_backwards_range() -> None:
    with pytest.raises(ValueError, match="--since 2024-05-01 is after --until 2024-04-30"):
        FetchPlan(since=date(2024, 5, 1), until=UNTIL, base_url="http://127.0.0.1")


def test_links_to_other_sites_are_not_followed(
    site: FakeSite, tmp_path: Path, fake_time: FakeTime
) -> None:
    plan_key = FetchPlan(since=SINCE, until=UNTIL, base_url=site.base_url).query_key
    elsewhere = listing_item("http://192.0.2.1", "24 555 555", date(2024, 3, 5))
    # A first results page (as if read by an earlier, interrupted run) that links off-site.
    Journal.open(tmp_path).record_listing_page(plan_key, 1, ListingPage(items=[elsewhere]))
    summary = _run(site, tmp_path, fake_time, Sink())
    assert summary.listed == IN_RANGE - 3  # pages 2 and 3; page 1 came from the journal
    assert not (tmp_path / "decisions" / "24-555-555.html").exists()
    assert summary.failed == MALFORMED and summary.walk_complete
