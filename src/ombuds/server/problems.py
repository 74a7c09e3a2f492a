"""One error shape for every refusal: ``application/problem+json`` (RFC 9457)."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException

from ombuds.office.errors import CaseworkError, TooManyAttempts

PROBLEM = "application/problem+json"
log = logging.getLogger("ombuds.server")


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """What went wrong and what to do; ``errors`` names each bad field."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[FieldError] | None = None


def problem_response(
    status: int, title: str, detail: str | None, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        where, rest = parts[0], parts[1:]
        return ".".join(rest) if where == "body" and rest else ".".join([where, *rest])
    return ".".join(parts) or "(request)"


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into a problem document."""

    @app.exception_handler(CaseworkError)
    async def casework(_request: Request, exc: CaseworkError) -> JSONResponse:
        headers = {}
        if isinstance(exc, TooManyAttempts):
            headers["Retry-After"] = str(exc.retry_after)
        if "current_version" in exc.extra:
            headers["ETag"] = f'"{exc.extra["current_version"]}"'
        extra = {k: v for k, v in exc.extra.items() if v not in (None, [])}
        return problem_response(exc.status, exc.title, exc.detail, headers, **extra)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": _field(tuple(e.get("loc", ()))), "message": str(e.get("msg", "invalid"))}
            for e in exc.errors()
        ]
        return problem_response(422, "Invalid input", "the request is not valid", errors=errors)

    @app.exception_handler(HTTPException)
    async def http(_request: Request, exc: HTTPException) -> JSONResponse:
        try:
            title = HTTPStatus(exc.status_code).phrase
        except ValueError:
            title = "Error"
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else None
        return problem_response(exc.status_code, title, detail, dict(exc.headers or {}))

    @app.exception_handler(DataError)
    async def data(_request: Request, exc: DataError) -> JSONResponse:
        return problem_response(
            422, "Invalid input", "the database cannot store a value given (e.g. a NUL character)"
        )

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return problem_response(500, "Internal Server Error", "an unexpected error; it is logged")


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for refusals, so clients and fuzzers know the shape."""
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
