"""Sample users and cases for `ombuds serve --demo`, so a newcomer sees the service work."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from ombuds.intake.examples import sample_complaint_files
from ombuds.office import people
from ombuds.office.cases import create_case
from ombuds.office.office import Office
from ombuds.office.tables import case
from ombuds.sourcemap import load_document

DEMO_USERS = (
    ("demo-assessor", "assessor"),
    ("demo-assessor2", "assessor"),
    ("demo-reviewer", "reviewer"),
    ("demo-admin", "admin"),
    ("demo-auditor", "auditor"),
)
ACTOR = "ombuds serve --demo"


@dataclass(frozen=True)
class DemoUser:
    name: str
    role: str
    password: str


def seed(office: Office, examples: Path) -> tuple[list[DemoUser], int]:
    """Demo users (fresh passwords each run) and a case per example complaint not yet open."""
    users = []
    with office.writing() as conn:
        existing = {u.name for u in people.list_users(conn)}
        for name, role in DEMO_USERS:
            password = secrets.token_urlsafe(12)
            if name in existing:
                people.set_password(conn, ACTOR, name, password)
            else:
                people.add_user(conn, ACTOR, name, role, password)
            users.append(DemoUser(name, role, password))
    creator = people.User(0, ACTOR, "assessor")
    added = 0
    files = sample_complaint_files(examples)
    for path in files:
        document = load_document(path.read_text(encoding="utf-8")).data
        if not isinstance(document, dict):
            continue
        with office.store.engine.connect() as conn:
            known = conn.execute(
                select(case.c.id).where(case.c.reference == document.get("reference"))
            ).first()
        if known is None:
            create_case(office, creator, _json_ready(document))
            added += 1
    return users, added


def _json_ready(value: object) -> object:
    """YAML dates are kept as text by the loader; make sure nothing else is not JSON."""
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    return value
