"""A casework office for the web tests: a fresh database, one user per role, an invented case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ombuds.corpus.store import open_store
from ombuds.office import people
from ombuds.office.office import Office

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
