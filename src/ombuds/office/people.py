"""People and how they prove who they are: users, password hashes, sessions, bearer tokens.

Passwords are hashed with Argon2id (argon2-cffi, memory-hard). Session cookies and bearer
tokens are random secrets of which only the SHA-256 is stored. Failed sign-ins are counted
per name and per address over a window, and refused (429) beyond a limit, so passwords cannot
be guessed at speed.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, delete, func, insert, select, update

from ombuds.casework.workflow import ROLES
from ombuds.office import audit
from ombuds.office.errors import Conflict, FieldProblem, Invalid, NotFound, TooManyAttempts
from ombuds.office.tables import app_user, credential, login_failure

SESSION_HOURS = 8
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_PER_ADDRESS = 20
MIN_PASSWORD = 10
_NAME = re.compile(r"^[a-z][a-z0-9._-]{1,79}$")
_hasher = PasswordHasher()
# Verified against when the name is unknown, so a miss takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password anyone has")


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    active: bool = True

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "role": self.role, "active": self.active}


@dataclass(frozen=True)
class Session:
    """A signed-in browser: the secret for the cookie and the CSRF token for its forms."""

    user: User
    secret: str
    csrf: str
    expires_at: datetime


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def check_new_user(name: str, role: str, password: str) -> None:
    problems = []
    if not _NAME.match(name):
        problems.append(
            FieldProblem(
                "name",
                "use 2-80 lower-case letters, digits, '.', '_' or '-', starting with a letter",
            )
        )
    if role not in ROLES:
        problems.append(FieldProblem("role", f"use one of {', '.join(ROLES)}"))
    if len(password) < MIN_PASSWORD:
        problems.append(FieldProblem("password", f"use at least {MIN_PASSWORD} characters"))
    if problems:
        raise Invalid("the user cannot be added as given", problems)


def add_user(conn: Connection, actor: str, name: str, role: str, password: str) -> User:
    """Add a user (one event, 'user.added'); the password is stored only as its Argon2 hash."""
    check_new_user(name, role, password)
    if conn.execute(select(app_user.c.id).where(app_user.c.name == name)).first():
        raise Conflict(f"a user named {name!r} already exists")
    row = {
        "name": name,
        "role": role,
        "password_hash": _hasher.hash(password),
        "active": True,
        "created_at": datetime.now(UTC),
    }
    user_id = int(conn.execute(insert(app_user).returning(app_user.c.id), row).scalar_one())
    audit.record(conn, actor, "user.added", subject=name, after={"role": role, "active": True})
    return User(user_id, name, role)


def change_user(
    conn: Connection, actor: str, name: str, *, role: str | None, active: bool | None
) -> User:
    """Change a user's role or deactivate them (their sessions and tokens end); one event."""
    user = find_user(conn, name)
    if role is not None and role not in ROLES:
        raise Invalid("unknown role", [FieldProblem("role", f"use one of {', '.join(ROLES)}")])
    after = User(user.id, name, role or user.role, user.active if active is None else active)
    conn.execute(
        update(app_user)
        .where(app_user.c.id == user.id)
        .values(role=after.role, active=after.active)
    )
    if not after.active or after.role != user.role:
        conn.execute(delete(credential).where(credential.c.user_id == user.id))
    audit.record(
        conn,
        actor,
        "user.changed",
        subject=name,
        before={"role": user.role, "active": user.active},
        after={"role": after.role, "active": after.active},
    )
    return after


def find_user(conn: Connection, name: str) -> User:
    row = conn.execute(select(app_user).where(app_user.c.name == name)).first()
    if row is None:
        raise NotFound(f"no user named {name!r}")
    return User(row.id, row.name, row.role, row.active)


def list_users(conn: Connection) -> list[User]:
    rows = conn.execute(select(app_user).order_by(app_user.c.name))
    return [User(r.id, r.name, r.role, r.active) for r in rows]


def issue_token(conn: Connection, actor: str, name: str) -> str:
    """A new bearer token for scripts (shown once; only its hash is kept); one event."""
    user = find_user(conn, name)
    if not user.active:
        raise Conflict(f"user {name!r} is deactivated")
    secret = "omb_" + secrets.token_urlsafe(32)
    conn.execute(
        insert(credential),
        {
            "token_hash": _digest(secret),
            "user_id": user.id,
            "kind": "token",
            "csrf": None,
            "created_at": datetime.now(UTC),
            "expires_at": None,
        },
    )
    audit.record(conn, actor, "user.token_issued", subject=name)
    return secret


def _failures(conn: Connection, column: object, value: str, since: datetime) -> int:
    query = (
        select(func.count())
        .select_from(login_failure)
        .where(
            column == value,  # type: ignore[arg-type]
            login_failure.c.at > since,
        )
    )
    return int(conn.execute(query).scalar_one())


def sign_in(conn: Connection, name: str, password: str, address: str) -> Session | None:
    """A new session if the password is right; None (and a failure counted) if not.

    Raises TooManyAttempts, before checking the password, when this name or address has
    failed too often within the window.
    """
    now = datetime.now(UTC)
    since = now - FAILURE_WINDOW
    if (
        _failures(conn, login_failure.c.name, name, since) >= MAX_FAILURES_PER_NAME
        or _failures(conn, login_failure.c.address, address, since) >= MAX_FAILURES_PER_ADDRESS
    ):
        raise TooManyAttempts(
            "too many failed sign-ins for this name or from this address; wait 15 minutes",
            retry_after=int(FAILURE_WINDOW.total_seconds()),
        )
    row = conn.execute(select(app_user).where(app_user.c.name == name)).first()
    try:
        _hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
        valid = row is not None and bool(row.active)
    except (VerificationError, InvalidHashError):
        valid = False
    if not valid or row is None:
        conn.execute(insert(login_failure), {"name": name[:80], "address": address[:64], "at": now})
        return None
    user = User(row.id, row.name, row.role, row.active)
    secret, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = now + timedelta(hours=SESSION_HOURS)
    conn.execute(
        insert(credential),
        {
            "token_hash": _digest(secret),
            "user_id": user.id,
            "kind": "session",
            "csrf": csrf,
            "created_at": now,
            "expires_at": expires,
        },
    )
    audit.record(conn, name, "session.started", subject=name)
    return Session(user, secret, csrf, expires)


def sign_out(conn: Connection, user: User, secret: str) -> None:
    """End this session (one event)."""
    conn.execute(delete(credential).where(credential.c.token_hash == _digest(secret)))
    audit.record(conn, user.name, "session.ended", subject=user.name)


@dataclass(frozen=True)
class Credential:
    user: User
    kind: str
    csrf: str | None


def resolve(conn: Connection, secret: str, kind: str) -> Credential | None:
    """The active user a session secret or bearer token belongs to (None if unknown/expired)."""
    row = conn.execute(
        select(credential.c.kind, credential.c.csrf, credential.c.expires_at, app_user)
        .join(app_user, app_user.c.id == credential.c.user_id)
        .where(credential.c.token_hash == _digest(secret), credential.c.kind == kind)
    ).first()
    if row is None or not row.active:
        return None
    expires = row.expires_at
    if expires is not None:
        expires = expires if expires.tzinfo else expires.replace(tzinfo=UTC)
        if expires <= datetime.now(UTC):
            return None
    return Credential(User(row.id, row.name, row.role, row.active), row.kind, row.csrf)


def user_exists(conn: Connection) -> bool:
    return conn.execute(select(app_user.c.id).limit(1)).first() is not None


def set_password(conn: Connection, actor: str, name: str, password: str) -> None:
    """Replace a user's password (their sessions end); one event, without the password."""
    user = find_user(conn, name)
    if len(password) < MIN_PASSWORD:
        raise Invalid(
            "password too short",
            [FieldProblem("password", f"use at least {MIN_PASSWORD} characters")],
        )
    conn.execute(
        update(app_user)
        .where(app_user.c.id == user.id)
        .values(password_hash=_hasher.hash(password))
    )
    conn.execute(
        delete(credential).where(credential.c.user_id == user.id, credential.c.kind == "session")
    )
    audit.record(conn, actor, "user.password_set", subject=name)
