"""A stand-in for the decisions site on 127.0.0.1: real HTTP, fixture pages, scripted faults.

Faults are scripted per page: a queue of behaviours served one per request (then "ok"), or a
behaviour served for ever. Behaviours: "ok", "500", "503", "404", "sleep:<seconds>",
"429:<Retry-After value>", "holding" (an error page with status 200).
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jinja2
import yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEARCH_PATH = "/Decisions/SearchResults"


def load_decisions() -> list[dict[str, Any]]:
    data = yaml.safe_load((FIXTURES / "decisions.yaml").read_text("utf-8"))
    return list(data["decisions"])


def decision_path(d: dict[str, Any]) -> str:
    return f"/decisions/{d['category_slug']}/{d['subcategory_slug']}/{d['slug']}"


_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(FIXTURES), autoescape=True, undefined=jinja2.StrictUndefined
)


def render_listing(
    items: list[dict[str, Any]], total: int, page: int, pages: int, query_without_page: str
) -> str:
    return _ENV.get_template("listing.html.j2").render(
        items=items, total=total, page=page, pages=pages, query_without_page=query_without_page
    )


def render_decision(d: dict[str, Any]) -> str:
    if d.get("malformed") == "holding":
        return (FIXTURES / "holding.html").read_text("utf-8")
    if d.get("malformed") == "truncated":
        return _ENV.get_template("truncated.html.j2").render(d=d)
    return _ENV.get_template("decision.html.j2").render(d=d)


@dataclass(frozen=True)
class Seen:
    """One request as the server saw it."""

    path: str
    query: dict[str, str]
    user_agent: str


@dataclass
class FakeSite:
    decisions: list[dict[str, Any]] = field(default_factory=load_decisions)
    page_size: int = 3
    honour_date_filter: bool = True
    script: dict[str, list[str]] = field(default_factory=dict)
    forever: dict[str, str] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    base_url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # Keys for scripting: "listing:<page>" or a decision's slug.
    def behaviour(self, key: str) -> str:
        with self._lock:
            if key in self.forever:
                return self.forever[key]
            queue = self.script.get(key)
            return queue.pop(0) if queue else "ok"

    def count(self, path: str, page: int | None = None) -> int:
        return sum(
            1
            for r in self.requests
            if r.path == path and (page is None or r.query.get("page") == str(page))
        )

    def decision_requests(self) -> list[str]:
        return [r.path for r in self.requests if r.path.startswith("/decisions/")]

    def listing(self, query: dict[str, str]) -> tuple[int, str]:
        chosen = sorted(self.decisions, key=lambda d: (d["date"], d["slug"]))
        if self.honour_date_filter:
            since = date.fromisoformat(query["fd"])
            until = date.fromisoformat(query["td"])
            chosen = [d for d in chosen if since <= d["date"] <= until]
        page = int(query.get("page", "1"))
        pages = max(1, -(-len(chosen) // self.page_size))
        items = chosen[(page - 1) * self.page_size : page * self.page_size]
        rest = urlencode({k: v for k, v in query.items() if k != "page"})
        return 200, render_listing(items, len(chosen), page, pages, rest)

    def decision(self, path: str) -> tuple[int, str]:
        for d in self.decisions:
            if decision_path(d) == path:
                return 200, render_decision(d)
        return 404, "<html><body><h1>Page not found</h1></body></html>"


class _Handler(BaseHTTPRequestHandler):
    site: FakeSite

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        self.site.requests.append(Seen(parts.path, query, self.headers.get("User-Agent", "")))
        if parts.path == SEARCH_PATH:
            key = f"listing:{query.get('page', '1')}"
        else:
            key = parts.path.rsplit("/", 1)[-1]
        how = self.site.behaviour(key)
        # The client may have given up waiting (a timeout test).
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._answer(how, parts.path, query)

    def _answer(self, how: str, path: str, query: dict[str, str]) -> None:
        if how.startswith("sleep:"):
            time.sleep(float(how.split(":", 1)[1]))
            how = "ok"
        if how.startswith("429:"):
            self._send(429, "<html><body>Too many requests</body></html>", how.split(":", 1)[1])
        elif how in ("500", "503", "404"):
            self._send(int(how), f"<html><body>Error {how}</body></html>")
        elif how == "holding":
            self._send(200, (FIXTURES / "holding.html").read_text("utf-8"))
        elif path == SEARCH_PATH:
            self._send(*self.site.listing(query))
        else:
            self._send(*self.site.decision(path))

    def _send(self, status: int, body: str, retry_after: str | None = None) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if retry_after is not None:
            self.send_header("Retry-After", retry_after)
        self.end_headers()
        self.wfile.write(data)


class SiteServer:
    """Serves a :class:`FakeSite` from a thread on a free port of 127.0.0.1."""

    def __init__(self, site: FakeSite) -> None:
        handler = type("Handler", (_Handler,), {"site": site})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.site = site
        site.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> FakeSite:
        self._thread.start()
        return self.site

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)
