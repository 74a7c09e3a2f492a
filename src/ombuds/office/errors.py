"""What a casework action can refuse, each with the HTTP status an adapter answers with."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong with a submitted field (the dotted path and what to do)."""

    field: str
    message: str


class CaseworkError(Exception):
    """A refusal the caller can act on; ``title`` is short, the message says what to do."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, **extra: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotSignedIn(CaseworkError):
    status = 401
    title = "Sign in first"


class Forbidden(CaseworkError):
    status = 403
    title = "Not allowed for your role"


class NotFound(CaseworkError):
    status = 404
    title = "Not found"


class Conflict(CaseworkError):
    status = 409
    title = "Conflict with the case's state"


class Stale(CaseworkError):
    """The If-Match version is not the current one; ``extra['current_version']`` says which is."""

    status = 412
    title = "The case has changed since you read it"


class Invalid(CaseworkError):
    status = 422
    title = "Invalid input"

    def __init__(self, detail: str, problems: list[FieldProblem]) -> None:
        super().__init__(
            detail, errors=[{"field": p.field, "message": p.message} for p in problems]
        )
        self.problems = problems


class PreconditionRequired(CaseworkError):
    status = 428
    title = "If-Match required"


class TooManyAttempts(CaseworkError):
    status = 429
    title = "Too many sign-in attempts"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class Unavailable(CaseworkError):
    status = 503
    title = "Try again shortly"
