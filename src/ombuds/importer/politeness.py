"""How fast and how often we may ask the site: a rate limit and a retry policy.

Pure timing logic with the clock and the sleep injected, so tests can check the waits
without waiting, while the HTTP client that uses them stays a thin adapter.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

Clock = Callable[[], float]
Sleep = Callable[[float], None]


@dataclass
class RateLimiter:
    """Keeps at least ``min_interval`` seconds between the starts of two requests."""

    min_interval: float
    clock: Clock = time.monotonic
    sleep: Sleep = time.sleep
    _last_start: float | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if self.min_interval < 0:
            raise ValueError(f"rate limit interval must be >= 0 seconds, not {self.min_interval}")

    def wait(self) -> float:
        """Sleep until the next request may start; return how long we slept."""
        now = self.clock()
        slept = 0.0
        if self._last_start is not None and self._last_start + self.min_interval > now:
            slept = self._last_start + self.min_interval - now
            self.sleep(slept)
            now = self.clock()
        self._last_start = now
        return slept


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential back-off: wait base, 2*base, 4*base ... (capped), at most ``attempts`` tries.

    A server's Retry-After is honoured (we never wait less than it asks), but a request it
    asks us to delay longer than ``retry_after_max`` is given up rather than left hanging.
    """

    attempts: int = 5
    base: float = 1.0
    cap: float = 60.0
    retry_after_max: float = 300.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError(f"retry attempts must be at least 1, not {self.attempts}")
        if self.base < 0 or self.cap < 0 or self.retry_after_max < 0:
            raise ValueError("back-off times must be >= 0 seconds")

    def delay(self, failed_attempts: int, retry_after: float | None = None) -> float | None:
        """Seconds to wait after ``failed_attempts`` failures, or None to give up."""
        if failed_attempts >= self.attempts:
            return None
        backoff = min(self.cap, self.base * 2.0 ** (failed_attempts - 1))
        if retry_after is None:
            return backoff
        if retry_after > self.retry_after_max:
            return None
        return max(backoff, retry_after)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if unusable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now or datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())
