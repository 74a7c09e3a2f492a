"""The casework service's app factory: the JSON API, problem errors, request logs, web pages.

``create_app(office)`` builds the FastAPI app over an open database. If the web app package
``ombuds.web`` is installed beside this one and has ``install(app)``, its pages are added to the
same app (they use the same sessions, CSRF tokens and casework actions); other routers can be
passed in ``routers``.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterator, Sequence
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from ombuds.office.office import Office
from ombuds.server import api, problems
from ombuds.server.logs import RequestLog


def create_app(
    office: Office,
    *,
    cookie_secure: bool = True,
    routers: Sequence[APIRouter] = (),
    web: bool = True,
) -> FastAPI:
    """The app; ``cookie_secure=False`` only for plain-HTTP development on this machine."""
    app = FastAPI(
        title="ombuds casework",
        version="1",
        description=(
            "Cases through their workflow, with people, roles and an audit trail. Errors are "
            "application/problem+json. Sign in with POST /api/session (cookie + CSRF token) "
            "or send a bearer token from `ombuds users token NAME`."
        ),
        openapi_url="/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.office = office
    app.state.cookie_secure = cookie_secure
    problems.install(app)
    app.include_router(api.router)
    for router in routers:
        app.include_router(router)
    if web and importlib.util.find_spec("ombuds.web") is not None:
        module = importlib.import_module("ombuds.web")
        install = getattr(module, "install", None)
        if callable(install):
            install(app)
    app.add_middleware(RequestLog)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI description, with the Problem schema every refusal refers to."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = problems.Problem.model_json_schema(
        ref_template="#/components/schemas/{model}"
    )
    for name, definition in components["Problem"].pop("$defs", {}).items():
        components[name] = definition
    schema["components"]["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer"},
        "session": {"type": "apiKey", "in": "cookie", "name": "ombuds_session"},
    }
    schema["security"] = [{"bearer": []}, {"session": []}]
    app.openapi_schema = schema
    return schema


def routes_of(app: FastAPI | APIRouter) -> Iterator[APIRoute]:
    """Every API route of the app, through included routers (for the role-walk tests).

    Newer FastAPI keeps an included router as one entry; its routes are reached through it.
    Routers here carry their own prefix (``APIRouter(prefix=...)``), so paths are complete.
    """
    for route in app.routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)
        if isinstance(inner, APIRouter):
            yield from routes_of(inner)
