"""What every page needs: the corpus, the signed-in user (if any) and rendering a template."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from ombuds.corpus.store import Store
from ombuds.web.templating import templates


def corpus_store(request: Request) -> Store:
    """The published-decisions corpus the app was started with."""
    store: Store = request.app.state.corpus
    return store


def render(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    page = {"user": getattr(request.state, "user", None), "errors": [], **context}
    return templates().TemplateResponse(request, template, page, status_code=status_code)
