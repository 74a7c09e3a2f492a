"""A polite HTTP GET: identifies itself, keeps to a rate limit, retries what is worth retrying.

Retried (with exponential back-off, honouring Retry-After): timeouts, connection errors,
HTTP 429 and 5xx. Anything else (404, 403, a redirect loop, a bad address) fails at once:
asking again would not help and would only load the site.

A hostile or broken server is bounded (see ``ombuds.limits``): redirects are followed only
within the site the client was made for (same scheme, host and port), at most
:data:`MAX_REDIRECTS` of them; a body over ``max_bytes`` is refused, by its Content-Length
before anything is read and by counting while reading, after decompression (a gzip bomb is
inflated a bounded step at a time); and ``timeout`` is a deadline for the whole request
(connecting, redirects and every read), so a server trickling a byte a second is cut off.
"""

from __future__ import annotations

import codecs
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from ombuds.importer.politeness import RateLimiter, RetryPolicy, Sleep, parse_retry_after
from ombuds.limits import MAX_RESPONSE_BYTES

_RETRYABLE_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class _Refused(Exception):
    """The response cannot be accepted (too big, off-site, badly encoded); not retried."""


class _DeadlinePassed(Exception):
    """The request's total time ran out (treated as a timeout, so retried)."""


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
        site_url: str | None = None,
        max_bytes: int = MAX_RESPONSE_BYTES,
    ) -> None:
        self._limiter = limiter
        self._policy = policy
        self._sleep = sleep
        self._on_retry = on_retry
        self._timeout = timeout
        self._site = _origin(site_url) if site_url else None
        self._max_bytes = max_bytes
        self._http = httpx.Client(
            headers={
                "User-Agent": user_agent,
                "Accept": "text/html,application/xhtml+xml",
                "Accept-Encoding": "gzip, deflate",  # the encodings _decoded inflates boundedly
            },
            timeout=timeout,
            follow_redirects=False,
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
                response, content = self._get_bounded(url)
            except _RETRYABLE_ERRORS as exc:
                reason = _describe_error(exc)
            except _DeadlinePassed:
                reason = f"timed out (no complete response within the {self._timeout:g}s deadline)"
            except _Refused as exc:
                raise FetchFailed(url, str(exc), failures + 1) from None
            except httpx.RequestError as exc:
                raise FetchFailed(url, _describe_error(exc), failures + 1) from exc
            else:
                status = response.status_code
                if 200 <= status < 300:
                    return Fetched(
                        url=str(response.url),
                        status=status,
                        content=content,
                        encoding=_codec(response.charset_encoding),
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

    def _get_bounded(self, url: str) -> tuple[httpx.Response, bytes]:
        """One GET (following same-site redirects) within the deadline and the size cap."""
        deadline = time.monotonic() + self._timeout
        site = self._site or _origin(url)
        for _ in range(MAX_REDIRECTS + 1):
            if _origin(url) != site:
                raise _Refused(
                    f"redirected to another site ({url}); only addresses on {site} are followed"
                )
            request = self._http.build_request("GET", url, timeout=_remaining(deadline))
            response = self._http.send(request, stream=True)
            try:
                if response.status_code in _REDIRECTS and "location" in response.headers:
                    url = urljoin(str(response.url), response.headers["location"])
                    continue
                if not 200 <= response.status_code < 300:
                    return response, b""  # status handled by the caller; body not needed
                return response, self._read_bounded(response, request, deadline)
            finally:
                response.close()
        raise _Refused(f"more than {MAX_REDIRECTS} redirects")

    def _read_bounded(
        self, response: httpx.Response, request: httpx.Request, deadline: float
    ) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self._max_bytes:
            raise _Refused(_too_big(self._max_bytes, f"the server declares {int(declared):,}"))
        # httpx reads the per-read timeout from this dict at every read: shrinking it as the
        # deadline nears bounds a stalled read, not only a trickle.
        timeouts = request.extensions.get("timeout")
        body = bytearray()
        for chunk in _decoded(response.iter_raw(), response.headers, self._max_bytes):
            body += chunk
            if len(body) > self._max_bytes:
                raise _Refused(_too_big(self._max_bytes, "the body is larger"))
            left = _remaining(deadline)
            if isinstance(timeouts, dict):
                timeouts["read"] = left
        return bytes(body)


def _origin(url: str) -> str:
    """scheme://host:port, with the scheme's default port written out, for comparing sites."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme, 0)
    except ValueError:  # a port that is not a number
        port = -1
    return f"{scheme}://{(parts.hostname or '').lower()}:{port}"


def _codec(charset: str | None) -> str:
    """The page's declared charset when Python knows it, else UTF-8 (never a LookupError)."""
    try:
        return codecs.lookup(charset).name if charset else "utf-8"
    except (LookupError, ValueError):
        return "utf-8"


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _DeadlinePassed
    return left


def _too_big(limit: int, detail: str) -> str:
    return f"response over the {limit // (1024 * 1024)} MiB limit ({detail}); not read further"


def _decoded(raw: Iterator[bytes], headers: httpx.Headers, limit: int) -> Iterator[bytes]:
    """The body with its Content-Encoding undone, inflating at most ``limit`` + 1 at a time."""
    encoding = headers.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        yield from raw
        return
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise _Refused(f"unsupported Content-Encoding {encoding!r}")
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header, detected
    try:
        for chunk in raw:
            data = chunk
            while data:
                out = inflater.decompress(data, limit + 1)
                yield out
                data = inflater.unconsumed_tail
                if not out and data:  # no progress: a corrupt stream
                    break
        yield inflater.flush()
    except zlib.error as exc:
        raise _Refused(f"the {encoding} body is corrupt: {exc}") from None


def _describe_error(exc: httpx.RequestError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    detail = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {detail}"
