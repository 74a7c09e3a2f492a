"""The casework service under test: a fresh database (SQLite, and PostgreSQL where marked),
users of every role with bearer tokens, and an HTTPS test client (so Secure cookies are sent).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import uvicorn
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ombuds.corpus.store import Store, open_store
from ombuds.office import people
from ombuds.office.office import Office
from ombuds.server.app import create_app

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "examples" / "seeds"
ROLES = ("assessor", "reviewer", "admin", "auditor")
PASSWORD = "correct horse battery"


def seed_document(name: str = "24-022-031") -> dict[str, Any]:
    """An example complaint file as the JSON a client would send."""
    data = yaml.safe_load((SEEDS / f"{name}.yaml").read_text(encoding="utf-8"))
    result: dict[str, Any] = json.loads(json.dumps(data, default=str))
    return result


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Any]:
    """The throwaway PostgreSQL cluster of the corpus tests (skips as they do without it)."""
    from tests.corpus import test_postgres as pg

    with pg.throwaway_cluster() as cluster:
        yield cluster


def _database(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path]:
    if getattr(request, "param", "sqlite") == "postgresql":
        cluster = request.getfixturevalue("pg_cluster")
        return cluster.create_database(f"s_{uuid.uuid4().hex[:12]}"), tmp_path / "index"
    return str(tmp_path / "office.db"), tmp_path / "office.db.index"


@pytest.fixture
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    url, index = _database(request, tmp_path)
    opened = open_store(url, index=index, pool_size=20)
    yield opened
    opened.close()


@dataclass
class Clock:
    """Today, as the office sees it (tests move it to make cases overdue)."""

    day: date

    def __call__(self) -> date:
        return self.day


@pytest.fixture
def clock() -> Clock:
    return Clock(date(2025, 3, 10))


@pytest.fixture
def office(store: Store, clock: Clock) -> Office:
    return Office(store, today=clock)


@pytest.fixture
def tokens(office: Office) -> dict[str, str]:
    """A user per role (named after it, plus a second assessor and reviewer) and their tokens."""
    found = {}
    with office.store.begin() as conn:
        for name, role in [
            *((r, r) for r in ROLES),
            ("assessor2", "assessor"),
            ("reviewer2", "reviewer"),
        ]:
            people.add_user(conn, "test", name, role, PASSWORD)
            found[name] = people.issue_token(conn, "test", name)
    return found


@pytest.fixture
def app(office: Office) -> FastAPI:
    return create_app(office, web=False)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="https://testserver") as test_client:
        yield test_client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Api:
    """Calls as one user."""

    client: TestClient
    token: str

    def __getattr__(self, method: str) -> Any:
        def call(path: str, **kwargs: Any) -> Any:
            headers = {**bearer(self.token), **kwargs.pop("headers", {})}
            return self.client.request(method.upper(), path, headers=headers, **kwargs)

        return call


@pytest.fixture
def as_user(client: TestClient, tokens: dict[str, str]) -> Any:
    return lambda name: Api(client, tokens[name])


class LiveServer:
    """The app on a real uvicorn server on 127.0.0.1 (a free port), in a thread."""

    def __init__(self, app: FastAPI) -> None:
        config = uvicorn.Config(
            app, host="127.0.0.1", port=0, log_level="warning", access_log=False
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)
