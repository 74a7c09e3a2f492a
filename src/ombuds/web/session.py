"""Signing in and out from a browser: a plain form, the service's own sessions and limits."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ombuds.office import people
from ombuds.office.errors import CaseworkError
from ombuds.server.auth import (
    COOKIE,
    CSRF_FIELD,
    clear_session_cookie,
    clear_sign_in_cookie,
    set_session_cookie,
    set_sign_in_cookie,
    sign_in_token,
    sign_in_token_ok,
)
from ombuds.web.context import error_page, office_of, page_user, posted_form, render

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never another host) is followed after signing in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/cases"


def _form(request: Request, context: dict[str, Any], status_code: int = 200) -> Response:
    """The sign-in page, with the form's token set as a cookie too."""
    token = sign_in_token(request)
    context = {"title": "Sign in", "user": None, "sign_in_token": token, **context}
    response = render(request, "sign_in.html", context, status_code=status_code)
    set_sign_in_cookie(request, response, token)
    return response


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request, next: str = "/cases") -> Response:
    return _form(request, {"next": _safe_next(next), "username": ""})


@router.post("/sign-in", response_class=HTMLResponse)
async def sign_in(request: Request) -> Response:
    form = await request.form()
    username = str(form.get("username", ""))[:80].strip()
    password = str(form.get("password", ""))[:1000]
    target = _safe_next(str(form.get("next", "")))
    errors = []
    if not sign_in_token_ok(request, str(form.get(CSRF_FIELD, ""))[:100]):
        errors.append({"text": "This sign-in page has expired; sign in again", "href": "#username"})
    elif not username:
        errors.append({"text": "Enter your user name", "href": "#username"})
    if not password:
        errors.append({"text": "Enter your password", "href": "#password"})
    session = None
    if not errors:
        office = office_of(request)
        address = request.client.host if request.client else "unknown"

        def attempt() -> people.Session | None:
            with office.store.begin() as conn:
                return people.sign_in(conn, username, password, address)

        try:
            session = await run_in_threadpool(attempt)
        except CaseworkError as exc:  # too many attempts
            errors.append({"text": exc.detail, "href": "#username"})
        else:
            if session is None:
                errors.append(
                    {"text": "The user name or password is not right", "href": "#username"}
                )
    if session is None:
        context = {"next": target, "username": username, "errors": errors}
        return _form(request, context, status_code=400)
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(request, response, session)
    clear_sign_in_cookie(request, response)
    return response


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    try:
        user, _ = await posted_form(request)
    except CaseworkError as exc:
        return error_page(request, exc)
    office = office_of(request)
    secret = request.cookies.get(COOKIE, "")

    def end() -> None:
        with office.store.begin() as conn:
            people.sign_out(conn, user, secret)

    await run_in_threadpool(end)
    response = RedirectResponse("/sign-in", status_code=303)
    clear_session_cookie(request, response)
    return response


@router.get("/", include_in_schema=False)
def home(request: Request) -> Response:
    """Signed in: the cases; otherwise the public register."""
    return RedirectResponse("/cases" if page_user(request) else "/decisions", status_code=303)
