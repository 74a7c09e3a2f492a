"""The polite client over real HTTP to the local stand-in site (fake clock, real sockets)."""

from __future__ import annotations

import socket

import pytest

from ombuds.importer.client import FetchFailed, PoliteClient
from ombuds.importer.politeness import RateLimiter, RetryPolicy

from .conftest import FakeTime
from .siteserver import FakeSite

PAGE = "/decisions/housing/homelessness/24-101-202"


def _client(fake_time: FakeTime, *, attempts: int = 4, timeout: float = 5.0) -> PoliteClient:
    return PoliteClient(
        user_agent="ombuds/test (+mailto:tests@example.org)",
        limiter=RateLimiter(1.0, clock=fake_time.clock, sleep=fake_time.sleep),
        policy=RetryPolicy(attempts=attempts, base=2.0, cap=60.0, retry_after_max=120.0),
        timeout=timeout,
        sleep=fake_time.sleep,
    )


def test_fetches_a_page_and_says_who_it_is(site: FakeSite, fake_time: FakeTime) -> None:
    with _client(fake_time) as client:
        page = client.get(site.base_url + PAGE)
    assert page.status == 200 and page.attempts == 1
    assert "Thornbury Vale Council (24 101 202)" in page.text
    assert site.requests[0].user_agent == "ombuds/test (+mailto:tests@example.org)"


def test_keeps_the_rate_limit_between_requests(site: FakeSite, fake_time: FakeTime) -> None:
    with _client(fake_time) as client:
        for _ in range(3):
            client.get(site.base_url + PAGE)
    assert fake_time.sleeps == [1.0, 1.0]  # before the 2nd and 3rd request
    assert client.requests == 3


def test_server_errors_are_retried_with_growing_waits(site: FakeSite, fake_time: FakeTime) -> None:
    site.script["24-101-202"] = ["500", "503"]
    with _client(fake_time) as client:
        page = client.get(site.base_url + PAGE)
    assert page.attempts == 3
    assert site.count(PAGE) == 3
    # back-off 2 s then 4 s; the rate limit has nothing left to wait after each
    assert fake_time.sleeps == [2.0, 4.0]


def test_a_server_error_that_never_clears_fails_after_the_last_attempt(
    site: FakeSite, fake_time: FakeTime
) -> None:
    site.forever["24-101-202"] = "500"
    with _client(fake_time, attempts=3) as client, pytest.raises(FetchFailed) as failure:
        client.get(site.base_url + PAGE)
    assert failure.value.attempts == 3 and "HTTP 500" in str(failure.value)
    assert site.count(PAGE) == 3


def test_429_waits_as_long_as_retry_after_says(site: FakeSite, fake_time: FakeTime) -> None:
    site.script["24-101-202"] = ["429:17"]
    with _client(fake_time) as client:
        page = client.get(site.base_url + PAGE)
    assert page.attempts == 2
    assert fake_time.sleeps == [17.0]


def test_retry_after_beyond_the_limit_gives_up(site: FakeSite, fake_time: FakeTime) -> None:
    site.script["24-101-202"] = ["429:3600"]
    with _client(fake_time) as client, pytest.raises(FetchFailed, match="longer than 120s"):
        client.get(site.base_url + PAGE)
    assert site.count(PAGE) == 1 and fake_time.sleeps == []


def test_a_timeout_is_retried(site: FakeSite, fake_time: FakeTime) -> None:
    site.script["24-101-202"] = ["sleep:1.0"]
    with _client(fake_time, timeout=0.2) as client:
        page = client.get(site.base_url + PAGE)
    assert page.attempts == 2
    assert fake_time.sleeps == [2.0]


def test_a_timeout_every_time_fails(site: FakeSite, fake_time: FakeTime) -> None:
    site.forever["24-101-202"] = "sleep:0.6"
    with _client(fake_time, attempts=2, timeout=0.15) as client, pytest.raises(FetchFailed) as e:
        client.get(site.base_url + PAGE)
    assert "timed out" in e.value.reason and e.value.attempts == 2


def test_not_found_is_not_retried(site: FakeSite, fake_time: FakeTime) -> None:
    with _client(fake_time) as client, pytest.raises(FetchFailed, match="HTTP 404"):
        client.get(site.base_url + "/decisions/housing/homelessness/99-999-999")
    assert len(site.requests) == 1 and fake_time.sleeps == []


def test_connection_refused_is_retried_then_fails(fake_time: FakeTime) -> None:
    with socket.socket() as sock:  # a port that was free a moment ago and has no listener
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with _client(fake_time, attempts=3) as client, pytest.raises(FetchFailed) as failure:
        client.get(f"http://127.0.0.1:{port}/decisions/housing/homelessness/24-101-202")
    assert failure.value.attempts == 3 and "ConnectError" in failure.value.reason
    assert fake_time.sleeps[-2:] == [2.0, 4.0]
