"""Signing in: Argon2 hashes, cookie sessions with CSRF (header or form field), tokens,
rate-limited sign-in, deactivation, and the `ombuds users` commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from ombuds.cli.main import app as cli
from ombuds.office.office import Office
from ombuds.office.people import MAX_FAILURES_PER_NAME, User
from ombuds.office.tables import app_user
from ombuds.server.app import create_app
from ombuds.server.auth import signed_in

from .conftest import PASSWORD, bearer, seed_document


def sign_in(client: TestClient, name: str = "assessor", password: str = PASSWORD) -> Any:
    return client.post("/api/session", json={"username": name, "password": password})


def test_passwords_are_stored_as_argon2id_hashes(office: Office, tokens: dict[str, str]) -> None:
    with office.store.engine.connect() as conn:
        hashes = list(conn.execute(select(app_user.c.password_hash)).scalars())
    assert hashes and all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)


def test_a_session_cookie_is_httponly_samesite_and_secure(client: TestClient, tokens: Any) -> None:
    response = sign_in(client)
    assert response.status_code == 200
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie
    assert client.get("/api/cases").status_code == 200  # the cookie signs the request in
    assert client.get("/api/session").json()["user"] == "assessor"


def test_changes_by_cookie_need_the_csrf_token(client: TestClient, tokens: Any) -> None:
    csrf = sign_in(client).json()["csrf_token"]
    refused = client.post("/api/cases", json=seed_document())
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    wrong = client.post("/api/cases", json=seed_document(), headers={"X-CSRF-Token": "x" * 43})
    assert wrong.status_code == 403
    accepted = client.post("/api/cases", json=seed_document(), headers={"X-CSRF-Token": csrf})
    assert accepted.status_code == 201


def test_html_forms_send_the_csrf_token_as_a_field(office: Office, tokens: Any) -> None:
    """Pages of the web app post plain forms: the hidden csrf_token field is accepted."""
    pages = APIRouter()

    @pages.post("/cases/{case_id}/note")
    async def note(user: Annotated[User, Depends(signed_in)]) -> dict[str, str]:
        return {"by": user.name}

    app = create_app(office, routers=[pages], web=False)
    with TestClient(app, base_url="https://testserver") as client:
        csrf = sign_in(client).json()["csrf_token"]
        assert client.post("/cases/1/note", data={"text": "hello"}).status_code == 403
        posted = client.post("/cases/1/note", data={"text": "hello", "csrf_token": csrf})
        assert posted.status_code == 200 and posted.json() == {"by": "assessor"}


def test_a_bearer_token_needs_no_csrf_token(as_user: Any) -> None:
    assert as_user("assessor").post("/api/cases", json=seed_document()).status_code == 201


def test_wrong_passwords_are_refused_and_then_rate_limited(client: TestClient, tokens: Any) -> None:
    for _ in range(MAX_FAILURES_PER_NAME):
        wrong = sign_in(client, password="not the password")
        assert wrong.status_code == 401 and "set-cookie" not in wrong.headers
    limited = sign_in(client)  # even the right password, for a while
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert sign_in(client, "reviewer").status_code == 200  # another name is unaffected
    assert sign_in(client, "nobody-here").status_code == 401


def test_signing_out_ends_the_session(client: TestClient, tokens: Any) -> None:
    csrf = sign_in(client).json()["csrf_token"]
    cookie = client.cookies.get("ombuds_session")
    assert client.delete("/api/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    client.cookies.set("ombuds_session", cookie or "", domain="testserver")
    assert client.get("/api/cases").status_code == 401


def test_a_deactivated_user_is_signed_out_everywhere(
    client: TestClient, tokens: dict[str, str]
) -> None:
    change = client.patch(
        "/api/users/assessor2", json={"active": False}, headers=bearer(tokens["admin"])
    )
    assert change.status_code == 200
    assert client.get("/api/cases", headers=bearer(tokens["assessor2"])).status_code == 401
    assert sign_in(client, "assessor2").status_code == 401


def test_users_commands_add_users_and_print_tokens(tmp_path: Path) -> None:
    db = str(tmp_path / "people.db")
    runner = CliRunner()
    short = runner.invoke(cli, ["users", "add", "sam", "--role", "assessor", "--password-stdin",
                                "--db", db], input="short\n")  # fmt: skip
    assert short.exit_code == 2 and "password: use at least" in short.output
    bad_role = runner.invoke(cli, ["users", "add", "sam", "--role", "boss", "--password-stdin",
                                   "--db", db], input=f"{PASSWORD}\n")  # fmt: skip
    assert bad_role.exit_code == 2 and "role: use one of" in bad_role.output
    added = runner.invoke(cli, ["users", "add", "sam", "--role", "reviewer", "--password-stdin",
                                "--db", db], input=f"{PASSWORD}\n")  # fmt: skip
    assert added.exit_code == 0, added.output
    token = runner.invoke(cli, ["users", "token", "sam", "--db", db])
    assert token.exit_code == 0 and token.stdout.startswith("omb_")
    unknown = runner.invoke(cli, ["users", "token", "nobody", "--db", db])
    assert unknown.exit_code == 1 and "no user named" in unknown.output

    from ombuds.corpus.store import open_store

    store = open_store(db)
    try:
        app: FastAPI = create_app(Office(store), web=False)
        with TestClient(app, base_url="https://testserver") as client:
            me = client.get("/api/session", headers=bearer(token.stdout.strip()))
            assert me.json()["user"] == "sam" and me.json()["role"] == "reviewer"
    finally:
        store.close()


def test_api_sign_in_takes_json_only(client: TestClient, tokens: Any) -> None:
    """A form or plain text can be posted from another site without the browser asking:
    signing in that way would let that site sign a browser into its own account."""
    credentials = {"username": "assessor", "password": PASSWORD}
    form = client.post("/api/session", data=credentials)
    assert form.status_code == 422 and "application/json" in form.text
    text = client.post(
        "/api/session",
        content=json.dumps(credentials),
        headers={"Content-Type": "text/plain"},
    )
    assert text.status_code == 422
    assert "ombuds_session" not in client.cookies
    assert client.post("/api/session", json=credentials).status_code == 200
