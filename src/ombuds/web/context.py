"""What every page needs: the corpus, the signed-in user, CSRF-checked forms, rendering.

Pages use the casework service's own sessions (``ombuds.server.auth``): the same cookie, the
same CSRF token (sent here as the ``csrf_token`` form field), the same role checks inside
every action. A page that needs a user and has none redirects to the sign-in page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData

from ombuds.corpus.store import Store
from ombuds.office.errors import CaseworkError
from ombuds.office.office import Office
from ombuds.office.people import User
from ombuds.server.auth import csrf_token, identify, signed_in
from ombuds.web.templating import templates


class SignInRequired(Exception):
    """The page needs a signed-in user: the app answers with a redirect to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def corpus_store(request: Request) -> Store:
    """The published-decisions corpus: the office's database, or the one a register app has."""
    office = getattr(request.app.state, "office", None)
    if office is not None:
        store: Store = office.store
        return store
    corpus: Store = request.app.state.corpus
    return corpus


def office_of(request: Request) -> Office:
    office: Office = request.app.state.office
    return office


def page_user(request: Request) -> User | None:
    """The signed-in user, if any (pages that anyone may see still show who is signed in)."""
    if getattr(request.app.state, "office", None) is None:
        return None
    caller = identify(request)
    request.state.user = caller.user if caller else None
    return caller.user if caller else None


def require_user(request: Request) -> User:
    user = page_user(request)
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(target)
    return user


async def posted_form(request: Request) -> tuple[User, FormData]:
    """The signed-in user and the submitted form, its CSRF token checked (403 if wrong)."""
    if page_user(request) is None:
        raise SignInRequired(request.url.path)
    user = await signed_in(request)
    return user, await request.form()


def sign_in_redirect_target(next_path: str) -> str:
    return f"/sign-in?next={quote(next_path, safe='')}"


def render(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    user = getattr(request.state, "user", None)
    if user is None and "user" not in context:
        user = page_user(request)
    page = {
        "user": user,
        "csrf_token": csrf_token(request) if user is not None else None,
        "errors": [],
        **context,
    }
    return templates().TemplateResponse(request, template, page, status_code=status_code)


def error_page(request: Request, error: CaseworkError) -> HTMLResponse:
    """A refusal from a casework action, as a page (the API answers with problem+json)."""
    return render(
        request,
        "error.html",
        {"title": error.title, "detail": error.detail, "extra": error.extra},
        status_code=error.status,
    )
