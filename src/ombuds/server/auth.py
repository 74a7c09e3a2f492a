"""Who is asking: a bearer token (scripts) or a session cookie with CSRF protection (browsers).

Web pages and the JSON API share these dependencies. A cookie-authenticated request with an
unsafe method must carry the session's CSRF token, as the ``X-CSRF-Token`` header (scripts,
JavaScript) or a ``csrf_token`` form field (plain HTML forms, which work without JavaScript).
A bearer token is not sent by browsers on their own, so it needs none. The sign-in form, before
any session exists, carries a token of its own (``sign_in_token``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool

from ombuds.office.errors import Forbidden, NotSignedIn
from ombuds.office.office import Office
from ombuds.office.people import Session, User, resolve

COOKIE = "ombuds_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Caller:
    """The signed-in user and how they proved it (``csrf`` is set for cookie sessions)."""

    user: User
    via: str  # "session" | "token"
    csrf: str | None


def office_of(request: Request) -> Office:
    office: Office = request.app.state.office
    return office


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def identify(request: Request) -> Caller | None:
    """The caller, if the request carries a valid token or session cookie (no CSRF check)."""
    cached = getattr(request.state, "caller", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    office = office_of(request)
    token = _bearer(request)
    secret, kind = (token, "token") if token else (request.cookies.get(COOKIE), "session")
    if not secret or len(secret) > 200:
        return None
    with office.store.engine.connect() as conn:
        found = resolve(conn, secret, kind)
    if found is None:
        return None
    caller = Caller(found.user, kind, found.csrf)
    request.state.caller = caller
    return caller


async def _csrf_ok(request: Request, expected: str) -> bool:
    given = request.headers.get(CSRF_HEADER)
    if given is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            given = value if isinstance(value, str) else None
    return given is not None and secrets.compare_digest(given.encode(), expected.encode())


async def signed_in(request: Request) -> User:
    """Dependency: the signed-in user (401 if none; 403 if a cookie session lacks its CSRF)."""
    caller = await run_in_threadpool(identify, request)
    if caller is None:
        raise NotSignedIn(
            "sign in (POST /api/session) or send 'Authorization: Bearer TOKEN' "
            "(`ombuds users token NAME` prints one)"
        )
    unsafe = caller.via == "session" and request.method not in SAFE_METHODS
    if unsafe and (caller.csrf is None or not await _csrf_ok(request, caller.csrf)):
        raise Forbidden(
            f"missing or wrong CSRF token: send the {CSRF_HEADER} header or the "
            f"{CSRF_FIELD} form field from GET /api/session",
        )
    return caller.user


class Permit:
    """Dependency: a signed-in user whose role has ``permission`` (401, else 403)."""

    def __init__(self, permission: str) -> None:
        self.permission = permission

    async def __call__(self, request: Request) -> User:
        user = await signed_in(request)
        if not office_of(request).workflow.allows(user.role, self.permission):
            raise Forbidden(f"the role {user.role} may not do this ({self.permission})")
        return user


def csrf_token(request: Request) -> str | None:
    """The CSRF token a page puts in its forms (None when not signed in by cookie)."""
    caller = identify(request)
    return caller.csrf if caller is not None else None


def set_session_cookie(request: Request, response: Response, session: Session) -> None:
    """Send the session cookie: HttpOnly, SameSite=Lax, Secure unless the app says otherwise."""
    max_age = int((session.expires_at - datetime.now(session.expires_at.tzinfo)).total_seconds())
    response.set_cookie(
        COOKIE,
        session.secret,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=bool(request.app.state.cookie_secure),
    )


SIGN_IN_COOKIE = "ombuds_sign_in"
SIGN_IN_SECONDS = 3600


def sign_in_token(request: Request) -> str:
    """The sign-in form's token: the one this browser already holds, else a new one.

    Signing in has no session to tie a CSRF token to, so the form carries the same random
    value as a cookie of its own (double submit): a page on another site can post the form
    but cannot read or set the cookie, so it cannot sign a browser into someone's account.
    """
    held = request.cookies.get(SIGN_IN_COOKIE, "")
    return held if 20 <= len(held) <= 100 else secrets.token_urlsafe(32)


def sign_in_token_ok(request: Request, posted: str) -> bool:
    held = request.cookies.get(SIGN_IN_COOKIE, "")
    return bool(held) and secrets.compare_digest(held.encode(), posted.encode())


def set_sign_in_cookie(request: Request, response: Response, token: str) -> None:
    secure = bool(request.app.state.cookie_secure)
    response.set_cookie(
        SIGN_IN_COOKIE, token, SIGN_IN_SECONDS, path="/sign-in", secure=secure, **_STRICT
    )


def clear_sign_in_cookie(request: Request, response: Response) -> None:
    secure = bool(request.app.state.cookie_secure)
    response.delete_cookie(SIGN_IN_COOKIE, path="/sign-in", secure=secure, **_STRICT)


_STRICT: dict[str, Any] = {"httponly": True, "samesite": "strict"}


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        COOKIE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=bool(request.app.state.cookie_secure),
    )
