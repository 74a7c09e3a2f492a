"""A casework office for the web tests: a fresh database, one user per role, an invented case."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from ombuds.corpus.store import open_store
from ombuds.office import people
from ombuds.office.office import Office
from ombuds.server.app import create_app

from .corpus import fill

PASSWORD = "correct horse battery"
USERS = (
    ("asha", "assessor"),
    ("ben", "assessor"),
    ("rita", "reviewer"),
    ("rob", "reviewer"),
    ("ada", "admin"),
    ("aud", "auditor"),
)


@dataclass
class Clock:
    day: date

    def __call__(self) -> date:
        return self.day


def open_office(folder: Path, today: date = date(2025, 6, 2)) -> Office:
    store = open_store(folder / "office.db")
    fill(store)
    office = Office(store, today=Clock(today))
    with store.begin() as conn:
        for name, role in USERS:
            people.add_user(conn, "test", name, role, PASSWORD)
    return office


BASE = "http://127.0.0.1"


@contextmanager
def serving(office: Office) -> Iterator[TestClient]:
    """The casework app over ``office`` (its Office kept as ``app_state``); closed after."""
    with TestClient(create_app(office, cookie_secure=False), base_url=BASE) as test_client:
        test_client.app_state = office  # type: ignore[attr-defined]
        yield test_client
    office.store.close()


def form_token(client: TestClient) -> str:
    """The sign-in form's token (its cookie is now in the client)."""
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text)
    assert token is not None
    return token.group(1)


def sign_in(client: TestClient, name: str) -> str:
    page = client.post(
        "/sign-in",
        data={
            "username": name,
            "password": PASSWORD,
            "next": "/cases",
            "csrf_token": form_token(client),
        },
        follow_redirects=True,
    )
    assert page.status_code == 200, page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    return token.group(1)
