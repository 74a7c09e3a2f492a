"""The audit trail: every mutating route writes an event; the database refuses to rewrite them."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ombuds.office.office import Office
from ombuds.server.app import routes_of

from .conftest import PASSWORD, bearer, seed_document

MUTATING = {"POST", "PUT", "PATCH", "DELETE"}


def _steps(case_id: int) -> list[tuple[str, str, str, dict[str, Any], str]]:
    """(method, route, who, request arguments, the event it must write), in a workable order."""
    c = f"/api/cases/{case_id}"
    first, second = {"If-Match": '"1"'}, {"If-Match": '"2"'}
    facts = {"point": "a", "facts": {"injustice": "minor"}}
    newcomer = {"name": "newcomer", "role": "auditor", "password": PASSWORD}
    return [
        (
            "PATCH",
            c,
            "assessor",
            {"json": {"subject": "the plan"}, "headers": first},
            "case.patched",
        ),
        ("PATCH", f"{c}/facts", "assessor", {"json": facts, "headers": second}, "case.facts_set"),
        ("PUT", f"{c}/assignee", "admin", {"json": {"assignee": "assessor2"}}, "case.assigned"),
        ("POST", f"{c}/transitions", "assessor", {"json": {"to": "assessment"}}, "case.transition"),
        ("POST", f"{c}/draft", "assessor", {"json": {}}, "case.drafted"),
        (
            "PUT",
            f"{c}/statement",
            "assessor",
            {"json": {"text": "# Ed\n"}},
            "case.statement_edited",
        ),
        ("POST", "/api/users", "admin", {"json": newcomer}, "user.added"),
        ("PATCH", "/api/users/newcomer", "admin", {"json": {"active": False}}, "user.changed"),
    ]


def _last_event(client: TestClient, admin: str) -> dict[str, Any]:
    events = client.get("/api/audit?limit=1000", headers=bearer(admin)).json()
    event: dict[str, Any] = events[-1]
    return event


def test_every_mutating_route_writes_an_event(
    app: FastAPI, client: TestClient, tokens: dict[str, str]
) -> None:
    admin = tokens["admin"]
    created = client.post("/api/cases", json=seed_document(), headers=bearer(tokens["assessor"]))
    assert _last_event(client, admin)["action"] == "case.created"
    case_id = created.json()["id"]
    done = {("POST", "/api/cases")}

    for method, path, who, arguments, action in _steps(case_id):
        arguments = {
            **arguments,
            "headers": {**arguments.get("headers", {}), **bearer(tokens[who])},
        }
        before = _last_event(client, admin)["id"]
        response = client.request(method, path, **arguments)
        assert response.is_success, (method, path, response.text)
        event = _last_event(client, admin)
        assert event["id"] > before and event["action"] == action and event["actor"] == who
        done.add((method, path.replace(str(case_id), "{case_id}").replace("newcomer", "{name}")))

    signed_in = client.post("/api/session", json={"username": "reviewer", "password": PASSWORD})
    assert signed_in.status_code == 200
    assert _last_event(client, admin)["action"] == "session.started"
    csrf = signed_in.json()["csrf_token"]
    assert client.delete("/api/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert _last_event(client, admin)["action"] == "session.ended"
    done |= {("POST", "/api/session"), ("DELETE", "/api/session")}

    every = {(m, route.path) for route in routes_of(app) for m in route.methods & MUTATING}
    assert every == done  # a new mutating route needs a step above


def test_refused_changes_write_no_event(client: TestClient, tokens: dict[str, str]) -> None:
    admin = tokens["admin"]
    created = client.post("/api/cases", json=seed_document(), headers=bearer(tokens["assessor"]))
    before = _last_event(client, admin)["id"]
    stale = client.patch(
        f"/api/cases/{created.json()['id']}",
        json={"subject": "x y z"},
        headers={"If-Match": '"7"', **bearer(tokens["assessor"])},
    )
    assert stale.status_code == 412
    assert _last_event(client, admin)["id"] == before


@pytest.mark.parametrize("store", ["sqlite", "postgresql"], indirect=True)
def test_the_database_refuses_to_alter_events(office: Office, tokens: dict[str, str]) -> None:
    for statement in ("UPDATE audit_event SET actor = 'someone else'", "DELETE FROM audit_event"):
        with pytest.raises(DBAPIError, match="append-only"), office.store.begin() as conn:
            conn.execute(text(statement))
    with office.store.engine.connect() as conn:
        actors = {row[0] for row in conn.execute(text("SELECT actor FROM audit_event"))}
    assert actors == {"test"}
