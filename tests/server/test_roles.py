"""Every route of the app against every role: 401 without sign-in, 403 without permission.

The permission a route needs is read from its ``Permit`` dependency, so a new route is walked
automatically, and an /api/ route without any sign-in requirement fails here unless it is
listed as public.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from ombuds.casework.workflow import load_workflow
from ombuds.server.app import routes_of
from ombuds.server.auth import Permit, signed_in

from .conftest import ROLES, bearer
from .test_flow import created

PUBLIC = {("GET", "/api/health"), ("POST", "/api/session")}
# Ends the caller's own browser session: walked with a cookie in test_auth.
OWN_SESSION = {("DELETE", "/api/session")}


def _requirement(route: APIRoute) -> str | None:
    """The route's permission ('*' for any signed-in user; None if it needs no sign-in)."""
    for dependency in route.dependant.dependencies:
        call = dependency.call
        if isinstance(call, Permit):
            return call.permission
        if call is signed_in:
            return "*"
    return None


def _routes(app: FastAPI) -> list[tuple[str, str, str | None]]:
    found = []
    for route in routes_of(app):
        for method in sorted(route.methods):
            found.append((method, route.path, _requirement(route)))
    return found


def test_every_api_route_needs_sign_in_unless_public(app: FastAPI) -> None:
    open_routes = [
        (method, path)
        for method, path, needs in _routes(app)
        if path.startswith("/api/") and needs is None and (method, path) not in PUBLIC
    ]
    assert open_routes == []


def test_every_route_against_every_role(
    app: FastAPI, client: TestClient, tokens: dict[str, str], as_user: Any
) -> None:
    case = created(as_user)
    workflow = load_workflow()
    walked = 0
    for method, template, needs in _routes(app):
        if needs is None or (method, template) in OWN_SESSION:
            continue
        path = template.replace("{case_id}", str(case["id"])).replace("{name}", "auditor")
        # A body the route refuses (422) once past sign-in and role checks: nothing changes.
        body = {"json": {"not a field": True}} if method in {"POST", "PUT", "PATCH"} else {}
        anonymous = client.request(method, path, **body)
        assert anonymous.status_code == 401, (method, template, anonymous.text)
        assert anonymous.headers["content-type"] == "application/problem+json"
        for role in ROLES:
            response = client.request(method, path, headers=bearer(tokens[role]), **body)
            allowed = needs == "*" or workflow.allows(role, needs)
            if allowed:
                assert response.status_code not in {401, 403}, (role, method, template)
            else:
                assert response.status_code == 403, (role, method, template, response.text)
        walked += 1
    assert walked >= 15
    # Nothing above changed the case.
    assert as_user("auditor").get(f"/api/cases/{case['id']}").json()["version"] == 1
