"""The JSON API under /api/: thin routes that parse, authorise, call one action, answer.

Every route but /api/health and signing in needs a signed-in user whose role holds the
route's permission (``Permit``); the casework actions check the same permission again.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Header, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy import text

from ombuds.casework.workflow import Actor
from ombuds.office import cases, people
from ombuds.office.audit import events
from ombuds.office.errors import (
    FieldProblem,
    Forbidden,
    Invalid,
    NotSignedIn,
    PreconditionRequired,
)
from ombuds.office.office import Office
from ombuds.office.people import User
from ombuds.server.auth import (
    Permit,
    clear_session_cookie,
    identify,
    office_of,
    set_session_cookie,
    signed_in,
)
from ombuds.server.models import (
    AssigneeIn,
    CaseList,
    CaseOut,
    DraftIn,
    EventOut,
    FactsIn,
    Health,
    NextStep,
    SessionOut,
    SignIn,
    StatementDiff,
    StatementIn,
    TransitionIn,
    UserChange,
    UserIn,
    UserOut,
)
from ombuds.server.problems import documented

router = APIRouter(prefix="/api", responses=documented(401, 403, 422))
CaseId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The case's id.")]
IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", description='The case\'s ETag, e.g. "3" (from GET /api/cases/{id}).'),
]
Reader = Annotated[User, Depends(Permit("case.read"))]
MEDIA = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def version_of(if_match: str | None, *, required: bool) -> int | None:
    """The version an If-Match names; 428 when required and missing (or '*')."""
    if if_match is None or if_match.strip() in {"", "*"}:
        if required:
            raise PreconditionRequired(
                "send If-Match with the case's ETag (from GET /api/cases/{id}), so a change "
                "made by someone else since you read the case is not overwritten"
            )
        return None
    first = if_match.split(",")[0].strip().removeprefix("W/").strip('"')
    return int(first) if first.isdigit() and len(first) < 10 else -1  # -1 never matches


def _case(office_case: cases.CaseView, request: Request, status: int = 200) -> JSONResponse:
    body = office_case.as_json(office_of(request))
    return JSONResponse(body, status_code=status, headers={"ETag": office_case.etag})


# --- service ------------------------------------------------------------------------------


@router.get("/health", response_model=Health, responses={503: documented(503)[503]})
def health(request: Request) -> JSONResponse:
    """Up, and the database answers (no sign-in needed; says nothing about any case)."""
    try:
        with office_of(request).store.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})


# --- sessions -----------------------------------------------------------------------------


_SIGN_IN_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": SignIn.model_json_schema()},
        },
    }
}


@router.post(
    "/session",
    response_model=SessionOut,
    openapi_extra=_SIGN_IN_BODY,
    responses=documented(400, 429),
)
async def sign_in(request: Request) -> JSONResponse:
    """Sign in with a name and password (JSON); sets the session cookie.

    JSON only: a form or plain text can be posted by a page on another site without asking,
    which would sign a browser into someone else's account. People sign in at /sign-in, whose
    form carries a token of its own.
    """
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("application/json"):
        raise Invalid(
            "send the name and password as JSON",
            [FieldProblem("(body)", "use application/json; people sign in at /sign-in")],
        )
    raw: Any
    try:
        raw = await request.json()
        given = SignIn.model_validate(raw)
    except ValidationError as exc:
        problems = [
            FieldProblem(".".join(str(p) for p in e["loc"]) or "(body)", e["msg"])
            for e in exc.errors()
        ]
        raise Invalid("give username and password", problems) from None
    except ValueError:
        raise Invalid("the body is not JSON", [FieldProblem("(body)", "send JSON")]) from None
    office = office_of(request)
    address = request.client.host if request.client else "unknown"

    def attempt() -> people.Session | None:
        with office.writing() as conn:
            return people.sign_in(conn, given.username, given.password, address)

    session = await run_in_threadpool(attempt)
    if session is None:
        raise NotSignedIn("wrong name or password")
    body = _session_body(office, session.user, session.csrf)
    response = JSONResponse(body)
    set_session_cookie(request, response, session)
    return response


def _session_body(office: Office, user: User, csrf: str | None) -> dict[str, Any]:
    perms = sorted(office.workflow.permissions.get(user.role, ()))
    return {"user": user.name, "role": user.role, "permissions": perms, "csrf_token": csrf}


@router.get("/session", response_model=SessionOut)
def current_session(request: Request, user: Annotated[User, Depends(signed_in)]) -> Any:
    """Who is signed in, with the CSRF token to send on changes."""
    caller = identify(request)
    return _session_body(office_of(request), user, caller.csrf if caller else None)


@router.delete("/session", status_code=204, response_class=Response)
def sign_out(request: Request, user: Annotated[User, Depends(signed_in)]) -> Response:
    """Sign out: the session ends on the server, and the cookie is cleared."""
    caller = identify(request)
    if caller is None or caller.via != "session":
        raise Forbidden("only a browser session can be signed out; a token stays until revoked")
    secret = request.cookies.get("ombuds_session", "")
    with office_of(request).writing() as conn:
        people.sign_out(conn, user, secret)
    response = Response(status_code=204)
    clear_session_cookie(request, response)
    return response


# --- cases --------------------------------------------------------------------------------


@router.get("/cases", response_model=CaseList)
def list_cases(
    request: Request,
    user: Reader,
    status: Annotated[str | None, Query(max_length=40)] = None,
    assignee: Annotated[str | None, Query(max_length=80)] = None,
    organisation: Annotated[str | None, Query(max_length=300)] = None,
    overdue: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Any:
    """Cases, earliest due first; filter by status, assignee, organisation (part), overdue."""
    office = office_of(request)
    page = cases.list_cases(
        office,
        user,
        cases.CaseFilters(status, assignee, organisation, overdue),
        limit=limit,
        offset=offset,
    )
    return {
        "items": [item.summary(office) for item in page.items],
        "total": page.total,
        "limit": page.limit,
        "offset": page.offset,
    }


@router.post(
    "/cases",
    response_model=CaseOut,
    status_code=201,
    responses=documented(409),
)
def create_case(
    request: Request,
    user: Annotated[User, Depends(Permit("case.create"))],
    document: Annotated[dict[str, Any], Body(description="A complaint file, as JSON.")],
) -> JSONResponse:
    """Open a case from a complaint document (validated as a complaint file is)."""
    view = cases.create_case(office_of(request), user, document)
    response = _case(view, request, 201)
    response.headers["Location"] = f"/api/cases/{view.id}"
    return response


@router.get("/cases/{case_id}", response_model=CaseOut, responses=documented(404))
def get_case(request: Request, user: Reader, case_id: CaseId) -> JSONResponse:
    """The case with its complaint document; the ETag header is its version."""
    return _case(cases.get_case(office_of(request), user, case_id), request)


@router.patch(
    "/cases/{case_id}",
    response_model=CaseOut,
    responses=documented(404, 409, 412, 428),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/merge-patch+json": {"schema": {"type": "object"}},
                "application/json": {"schema": {"type": "object"}},
            },
        }
    },
)
def patch_case(
    request: Request,
    user: Annotated[User, Depends(Permit("case.edit"))],
    case_id: CaseId,
    patch: Annotated[dict[str, Any], Body()],
    if_match: IfMatch = None,
) -> JSONResponse:
    """JSON merge patch (RFC 7396) of the complaint document; needs If-Match."""
    version = version_of(if_match, required=True)
    return _case(cases.patch_case(office_of(request), user, case_id, patch, version), request)


@router.patch(
    "/cases/{case_id}/facts", response_model=CaseOut, responses=documented(404, 409, 412, 428)
)
def set_facts(
    request: Request,
    user: Annotated[User, Depends(Permit("case.edit"))],
    case_id: CaseId,
    body: FactsIn,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Set facts of the complaint or of one point (null forgets one); needs If-Match."""
    version = version_of(if_match, required=True)
    view = cases.set_facts(office_of(request), user, case_id, body.facts, body.point, version)
    return _case(view, request)


@router.put(
    "/cases/{case_id}/assignee", response_model=CaseOut, responses=documented(404, 409, 412)
)
def assign(
    request: Request,
    user: Annotated[User, Depends(Permit("case.assign"))],
    case_id: CaseId,
    body: AssigneeIn,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Give the case to a user (or null for nobody)."""
    version = version_of(if_match, required=False)
    return _case(cases.assign(office_of(request), user, case_id, body.assignee, version), request)


@router.get("/cases/{case_id}/assessment", responses=documented(404))
def assessment(request: Request, user: Reader, case_id: CaseId) -> dict[str, Any]:
    """The recommendation with its trace: exactly `ombuds assess --format json`."""
    return cases.assessment_of(office_of(request), user, case_id)


@router.get("/cases/{case_id}/suggestion", responses=documented(404, 503))
def suggestion(request: Request, user: Reader, case_id: CaseId) -> dict[str, Any]:
    """What published decisions suggest from the case's own words (likely outcome and reasons,
    questions to check first, closest decisions and why): exactly `ombuds suggest --json`.
    Advice for the assessor; the recommendation is `/assessment`."""
    return cases.suggestion_of(office_of(request), user, case_id)


@router.post("/cases/{case_id}/draft", response_model=CaseOut, responses=documented(404, 409, 412))
def draft(
    request: Request,
    user: Annotated[User, Depends(Permit("statement.edit"))],
    case_id: CaseId,
    body: DraftIn,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Draft the statement from the assessment, recording the decision (and any reason)."""
    version = version_of(if_match, required=False)
    view = cases.draft_statement(
        office_of(request),
        user,
        case_id,
        decision=body.decision,
        reason=body.reason,
        if_match=version,
    )
    return _case(view, request)


@router.get(
    "/cases/{case_id}/statement",
    response_class=Response,
    responses={
        **documented(404, 409),
        200: {
            "description": "The statement",
            "content": {media: {"schema": {"type": "string"}} for media in MEDIA.values()},
        },
    },
)
def statement(
    request: Request,
    user: Reader,
    case_id: CaseId,
    format: Literal["md", "html", "docx"] = "md",
    version: Literal["current", "generated", "edited"] = "current",
) -> Response:
    """The statement as Markdown, HTML or Word: the edit, the generated draft, or current."""
    body = cases.statement_of(office_of(request), user, case_id, format, version)
    return Response(body, media_type=MEDIA[format])


@router.put(
    "/cases/{case_id}/statement", response_model=CaseOut, responses=documented(404, 409, 412)
)
def edit_statement(
    request: Request,
    user: Annotated[User, Depends(Permit("statement.edit"))],
    case_id: CaseId,
    body: StatementIn,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Keep an edited statement beside the generated one (both are kept)."""
    version = version_of(if_match, required=False)
    view = cases.edit_statement(office_of(request), user, case_id, body.text, version)
    return _case(view, request)


@router.get(
    "/cases/{case_id}/statement/diff", response_model=StatementDiff, responses=documented(404)
)
def statement_diff(request: Request, user: Reader, case_id: CaseId) -> Any:
    """The generated and edited statements, and a unified diff between them."""
    return cases.statement_diff(office_of(request), user, case_id)


@router.get(
    "/cases/{case_id}/transitions", response_model=list[NextStep], responses=documented(404)
)
def next_steps(request: Request, user: Reader, case_id: CaseId) -> Any:
    """Where the case can go next, and whether you may take it there (with the reason)."""
    office = office_of(request)
    view = cases.get_case(office, user, case_id)
    steps = []
    for to in office.workflow.next_states(view.status):
        refusal = office.workflow.can(Actor(user.name, user.role), view.facts(), to)
        if refusal is not None and refusal.guard == "anonymisation_clean":
            refusal = None  # checked on the statement when the step is taken
        steps.append(
            {
                "to": to,
                "label": office.workflow.label(to),
                "allowed": refusal is None,
                "reason": refusal.reason if refusal else None,
            }
        )
    return steps


@router.post(
    "/cases/{case_id}/transitions",
    response_model=CaseOut,
    responses=documented(404, 409, 412),
)
def move(
    request: Request,
    user: Annotated[User, Depends(Permit("case.transition"))],
    case_id: CaseId,
    body: TransitionIn,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Move the case along the workflow (refusals say why: role, state or guard)."""
    version = version_of(if_match, required=False)
    view = cases.transition(
        office_of(request), user, case_id, body.to, note=body.note, if_match=version
    )
    return _case(view, request)


@router.get("/cases/{case_id}/history", response_model=list[EventOut], responses=documented(404))
def history(request: Request, user: Reader, case_id: CaseId) -> Any:
    """Every change to the case, oldest first: who, when, what, before and after."""
    return [event.as_json() for event in cases.history(office_of(request), user, case_id)]


# --- audit and people ---------------------------------------------------------------------


@router.get("/audit", response_model=list[EventOut])
def audit_trail(
    request: Request,
    user: Annotated[User, Depends(Permit("audit.read"))],
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    """The whole audit trail (cases and users), from event ``after`` on."""
    with office_of(request).store.engine.connect() as conn:
        return [event.as_json() for event in events(conn, after_id=after, limit=limit)]


@router.get("/users", response_model=list[UserOut])
def list_users(request: Request, user: Annotated[User, Depends(Permit("user.manage"))]) -> Any:
    with office_of(request).store.engine.connect() as conn:
        return [u.as_json() for u in people.list_users(conn)]


@router.post("/users", response_model=UserOut, status_code=201, responses=documented(409))
def add_user(
    request: Request, user: Annotated[User, Depends(Permit("user.manage"))], body: UserIn
) -> Any:
    """Add a user (an admin's job); the password is stored only as an Argon2 hash."""
    with office_of(request).writing() as conn:
        return people.add_user(conn, user.name, body.name, body.role, body.password).as_json()


@router.patch("/users/{name}", response_model=UserOut, responses=documented(404))
def change_user(
    request: Request,
    user: Annotated[User, Depends(Permit("user.manage"))],
    name: Annotated[str, Path(max_length=80)],
    body: UserChange,
) -> Any:
    """Change a user's role, or deactivate them (their sessions and tokens end)."""
    with office_of(request).writing() as conn:
        return people.change_user(
            conn, user.name, name, role=body.role, active=body.active
        ).as_json()
