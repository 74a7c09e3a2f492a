"""Request logs without personal data: method, the route's template, status and time.

The path's template (``/api/cases/{case_id}``) is logged, never the query string (which may
hold an organisation or a name being searched for), the body, the caller's name or address.
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("ombuds.server.requests")


class RequestLog:
    """ASGI middleware writing one line per request to the ``ombuds.server.requests`` logger."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "(no route)"
            log.info(
                "%s %s %d %.1fms",
                scope.get("method", "?"),
                template,
                status,
                (time.perf_counter() - started) * 1000,
            )
