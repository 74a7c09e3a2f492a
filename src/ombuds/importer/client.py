"""A polite HTTP GET: identifies itself, keeps to a rate limit, retries what is worth retrying.

Retried (with exponential back-off, honouring Retry-After): timeouts, connection errors,
HTTP 429 and 5xx. Anything else (404, 403, a redirect loop, a bad address) fails at once:
asking again would not help and would only load the site.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType

import httpx

from ombuds.importer.politeness import RateLimiter, RetryPolicy, Sleep, parse_retry_after

_RETRYABLE_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


@dataclass(frozen=True)
class Fetched:
    """A page as the server sent it."""

    url: str
    status: int
    content: bytes
    encoding: str
    attempts: int

    @property
    def text(self) -> str:
        return self.content.decode(self.encoding, errors="replace")


class FetchFailed(Exception):
    """A page could not be fetched, after as many attempts as were worth making."""

    def __init__(self, url: str, reason: str, attempts: int) -> None:
        super().__init__(f"{url}: {reason} (after {attempts} attempt{'s' * (attempts != 1)})")
        self.url = url
        self.reason = reason
        self.attempts = attempts


class PoliteClient:
    """GET pages one at a time within the rate limit and the retry policy."""

    def __init__(
        self,
        *,
        user_agent: str,
        limiter: RateLimiter,
        policy: RetryPolicy,
        timeout: float = 30.0,
        sleep: Sleep = time.sleep,
        on_retry: Callable[[str], None] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._limiter = limiter
        self._policy = policy
        self._sleep = sleep
        self._on_retry = on_retry
        self._http = httpx.Client(
            headers={"User-Agent": user_agent, "Accept": "text/html,application/xhtml+xml"},
            timeout=timeout,
            follow_redirects=True,
            transport=transport,
        )
        self.requests = 0

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def get(self, url: str) -> Fetched:
        """The page at ``url``, or :class:`FetchFailed` saying why not."""
        failures = 0
        while True:  # bounded: every pass either returns, raises, or counts a failure
            self._limiter.wait()
            self.requests += 1
            retry_after: float | None = None
            try:
                response = self._http.get(url)
            except _RETRYABLE_ERRORS as exc:
                reason = _describe_error(exc)
            except httpx.RequestError as exc:
                raise FetchFailed(url, _describe_error(exc), failures + 1) from exc
            else:
                status = response.status_code
                if 200 <= status < 300:
                    return Fetched(
                        url=str(response.url),
                        status=status,
                        content=response.content,
                        encoding=response.encoding or "utf-8",
                        attempts=failures + 1,
                    )
                if status != 429 and status < 500:
                    raise FetchFailed(url, f"HTTP {status}", failures + 1)
                reason = f"HTTP {status}"
                header = response.headers.get("Retry-After")
                retry_after = parse_retry_after(header)
                if header is not None:
                    reason += f" (Retry-After: {header})"
            failures += 1
            delay = self._policy.delay(failures, retry_after)
            if delay is None:
                if retry_after is not None and retry_after > self._policy.retry_after_max:
                    reason += f"; asked to wait longer than {self._policy.retry_after_max:g}s"
                raise FetchFailed(url, reason, failures)
            if self._on_retry is not None:
                self._on_retry(
                    f"{url}: {reason}; retrying in {delay:.1f}s "
                    f"(attempt {failures + 1} of {self._policy.attempts})"
                )
            self._sleep(delay)


def _describe_error(exc: httpx.RequestError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    detail = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {detail}"
