from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ombuds.importer.politeness import RateLimiter, RetryPolicy, parse_retry_after

from .conftest import FakeTime


def test_rate_limiter_spaces_request_starts(fake_time: FakeTime) -> None:
    limiter = RateLimiter(1.5, clock=fake_time.clock, sleep=fake_time.sleep)
    assert limiter.wait() == 0.0  # the first request goes at once
    assert limiter.wait() == 1.5
    fake_time.now += 1.0  # a slow response already used up part of the interval
    assert limiter.wait() == pytest.approx(0.5)
    fake_time.now += 5.0
    assert limiter.wait() == 0.0
    assert fake_time.sleeps == [1.5, pytest.approx(0.5)]


def test_rate_limiter_refuses_negative_interval() -> None:
    with pytest.raises(ValueError, match="must be >= 0"):
        RateLimiter(-1)


def test_backoff_doubles_up_to_the_cap_then_gives_up() -> None:
    policy = RetryPolicy(attempts=6, base=1.0, cap=5.0)
    assert [policy.delay(n) for n in range(1, 7)] == [1.0, 2.0, 4.0, 5.0, 5.0, None]


def test_retry_after_is_honoured_but_not_without_limit() -> None:
    policy = RetryPolicy(attempts=4, base=1.0, retry_after_max=30.0)
    assert policy.delay(1, retry_after=7.0) == 7.0
    assert policy.delay(3, retry_after=0.5) == 4.0  # never shorter than our own back-off
    assert policy.delay(1, retry_after=31.0) is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", 120.0),
        (" 3 ", 3.0),
        ("Wed, 21 Oct 2015 07:28:30 GMT", 30.0),
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),  # in the past: go now
        ("soon", None),
        ("-5", None),
        (None, None),
    ],
)
def test_parse_retry_after(header: str | None, expected: float | None) -> None:
    now = datetime(2015, 10, 21, 7, 28, 0, tzinfo=UTC)
    assert parse_retry_after(header, now=now) == expected
