"""The importer's client against a hostile server on 127.0.0.1 (issue 10's probes).

Before: a 1 GiB body took the process to 3 GB, a 512 MiB gzip bomb and an endless chunked
body to 1.1 GB; a server trickling a byte a second ran 55 s past --timeout 5; a redirect to
another host was followed and the page ingested. Each now ends in a clean FetchFailed.
"""

from __future__ import annotations

import resource
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ombuds.importer.client import MAX_REDIRECTS, FetchFailed, PoliteClient
from ombuds.importer.listing import parse_listing
from ombuds.importer.politeness import RateLimiter, RetryPolicy
from ombuds.importer.site import load_site
from ombuds.limits import MAX_RESPONSE_BYTES

from .hostileserver import PAGE, HostileServer


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[HostileServer, HostileServer]]:
    with HostileServer() as elsewhere, HostileServer(other_site=elsewhere.base_url) as home:
        yield home, elsewhere


def _client(home: HostileServer, *, timeout: float = 10.0) -> PoliteClient:
    return PoliteClient(
        user_agent="ombuds/test",
        limiter=RateLimiter(0.0),
        policy=RetryPolicy(attempts=1),
        timeout=timeout,
        site_url=home.base_url,
    )


def _fails(home: HostileServer, path: str, *, timeout: float = 10.0) -> str:
    with _client(home, timeout=timeout) as client, pytest.raises(FetchFailed) as caught:
        client.get(home.base_url + path)
    return caught.value.reason


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_ordinary_page_still_fetched(servers: tuple[HostileServer, HostileServer]) -> None:
    home, _ = servers
    with _client(home) as client:
        assert client.get(home.base_url + "/ok").content == PAGE


def test_declared_huge_body_is_refused_before_reading(
    servers: tuple[HostileServer, HostileServer],
) -> None:
    reason = _fails(servers[0], "/declared-gib")
    assert f"over the {MAX_RESPONSE_BYTES // 2**20} MiB limit" in reason
    assert "declares 1,073,741,824" in reason


def test_endless_chunked_body_is_cut_at_the_cap(
    servers: tuple[HostileServer, HostileServer],
) -> None:
    before = _peak_rss_mib()
    reason = _fails(servers[0], "/endless")
    assert "the body is larger" in reason
    assert _peak_rss_mib() - before < 200  # a bounded read, not 1.1 GB


def test_gzip_bomb_is_cut_after_decompression(
    servers: tuple[HostileServer, HostileServer],
) -> None:
    before = _peak_rss_mib()
    reason = _fails(servers[0], "/gzip-bomb")
    assert "the body is larger" in reason
    assert _peak_rss_mib() - before < 200  # inflated a bounded step at a time


def test_trickling_server_is_cut_off_at_the_deadline(
    servers: tuple[HostileServer, HostileServer],
) -> None:
    """The whole page would take over 10 s at a byte per 50 ms; every single read is quick."""
    reason = _fails(servers[0], "/trickle", timeout=1.0)
    assert "within the 1s deadline" in reason


def test_stalled_server_times_out(servers: tuple[HostileServer, HostileServer]) -> None:
    assert "timed out" in _fails(servers[0], "/stall", timeout=1.0)


def test_redirect_within_the_site_is_followed(
    servers: tuple[HostileServer, HostileServer],
) -> None:
    home, _ = servers
    with _client(home) as client:
        page = client.get(home.base_url + "/redirect-home")
    assert page.content == PAGE
    assert page.url == home.base_url + "/ok"


def test_redirect_to_another_site_is_not_followed(
    servers: tuple[HostileServer, HostileServer],
) -> None:
    home, elsewhere = servers
    before = list(elsewhere.hits)
    reason = _fails(home, "/redirect-away")
    assert f"redirected to another site ({elsewhere.base_url}/ok)" in reason
    assert elsewhere.hits == before  # not even asked


def test_redirect_loop_is_bounded(servers: tuple[HostileServer, HostileServer]) -> None:
    assert f"more than {MAX_REDIRECTS} redirects" in _fails(servers[0], "/redirect-loop")


def test_unknown_charset_falls_back_to_utf8(
    servers: tuple[HostileServer, HostileServer],
) -> None:
    home, _ = servers
    with _client(home) as client:
        page = client.get(home.base_url + "/bad-charset")
    assert page.encoding == "utf-8"
    assert "A page" in page.text


def _listing(count: int) -> str:
    rows = []
    for i in range(count):
        slug = f"24-{i // 1000:03d}-{i % 1000:03d}"
        rows.append(
            f'<li><a href="/decisions/housing/homelessness/{slug}">Some Council '
            f"({slug.replace('-', ' ')})</a> Statement Upheld Homelessness 04-Mar-2024 "
            "Summary: what it was about.</li>"
        )
    return "<html><body><p>Your search has 30,000 results</p><ul>" + "".join(rows) + "</ul>"


def test_listing_with_30000_links_is_read_in_one_linear_pass() -> None:
    """Was quadratic (every link re-scanned every ancestor's links): 1,000 links took 36 s."""
    listing = parse_listing(load_site(), _listing(30_000), "https://www.lgo.org.uk/x")
    assert listing.total == 30_000
    assert len(listing.items) == 30_000
    last = listing.items[-1]
    assert last.reference == "24 029 999" and last.outcome == "Upheld"
    assert last.summary == "what it was about."


def test_listing_item_with_endless_details_is_bounded() -> None:
    """The lazy details pattern only ever sees a bounded span of one result's text."""
    html = (
        '<html><body><div><a href="/decisions/a/b/24-001-002">X (24 001 002)</a>'
        + "Statement Upheld " * 50_000
        + "</div></body></html>"
    )
    listing = parse_listing(load_site(), html, "https://www.lgo.org.uk/x")
    assert [item.reference for item in listing.items] == ["24 001 002"]
    assert listing.items[0].decision_date is None


_MARKUP = st.sampled_from(
    [
        "<a href='/decisions/housing/homelessness/24-001-002'>",
        "<a href='/decisions/a/b/24-001-003'>",
        "<a href='https://elsewhere.example/decisions/a/b/24-001-004'>",
        "<a>",
        "</a>",
        "<li>",
        "</li>",
        "<div>",
        "</div>",
        "<!-- c -->",
        "Statement ",
        "Upheld ",
        "04-Mar-2024 ",
        "Summary: ",
        "X (24 001 002)",
        "Your search has 3 results",
        "&amp;",
        "\x00",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_MARKUP, max_size=40).map("".join))
def test_any_listing_markup_is_read_without_error(html: str) -> None:
    listing = parse_listing(load_site(), html, "https://www.lgo.org.uk/x")
    assert len({item.url for item in listing.items}) == len(listing.items)
