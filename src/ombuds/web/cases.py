"""Case pages: my cases, a new case from the complaint as received, and the case page.

Every change goes through the casework actions (``ombuds.office.cases``), which check the
role, write in one transaction and leave an audit event; a refusal is shown as the action
worded it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ombuds.casework.deadlines import working_days_between
from ombuds.casework.workflow import Actor
from ombuds.office import cases, people
from ombuds.office.cases import CaseFilters, CaseView
from ombuds.office.errors import CaseworkError, Forbidden, Invalid
from ombuds.office.office import Office
from ombuds.web import labels
from ombuds.web.context import error_page, office_of, posted_form, render, require_user
from ombuds.web.dates import DateParts, read_date
from ombuds.web.typeahead import organisations

router = APIRouter(include_in_schema=False)

# "a) ..." or "(b) ..." at the start of a line starts a point when splitting a complaint.
_POINT_START = re.compile(r"^\s*\(?([a-z])\)\s+", re.MULTILINE)
MAX_POINTS = 26
MAX_TEXT = 20_000


def days_left(view: CaseView, today: date) -> int:
    """Working days (England and Wales) until the decision is due; negative when late."""
    return working_days_between(today, view.due)


def case_rows(office: Office, items: list[CaseView]) -> list[dict[str, Any]]:
    """The list's rows: overdue first, then open cases by due date, then closed ones."""
    today = office.today()
    closed = {*office.workflow.final_states, "decided"}
    rows = [
        {
            "case": view,
            "status_label": office.workflow.label(view.status),
            "days_left": days_left(view, today),
            "closed": view.status in closed,
        }
        for view in items
    ]
    return sorted(rows, key=lambda r: (not r["case"].overdue, r["closed"], r["case"].due))


@router.get("/cases", response_class=HTMLResponse)
def case_list(
    request: Request,
    status: str = "",
    assignee: str = "",
    organisation: str = "",
    overdue: str = "",
) -> Response:
    user = require_user(request)
    office = office_of(request)
    filters = CaseFilters(
        status=status[:40] or None,
        assignee=assignee[:80] or None,
        organisation=organisation[:300] or None,
        overdue=True if overdue == "yes" else None,
    )
    try:
        page = cases.list_cases(office, user, filters, limit=500)
    except CaseworkError as exc:
        return error_page(request, exc)
    with office.store.engine.connect() as conn:
        names = [u.name for u in people.list_users(conn) if u.role in ("assessor", "reviewer")]
    context = {
        "title": "Cases",
        "section": "cases",
        "rows": case_rows(office, page.items),
        "total": page.total,
        "filters": {
            "status": status,
            "assignee": assignee,
            "organisation": organisation,
            "overdue": overdue == "yes",
        },
        "states": [(s, office.workflow.label(s)) for s in office.workflow.states],
        "people": names,
        "can_create": office.workflow.allows(user.role, "case.create"),
    }
    return render(request, "cases/list.html", context)


def split_points(text: str) -> list[str]:
    """Points from pasted text: "a) ... b) ..." markers if present, else one per paragraph."""
    text = text.replace("\r\n", "\n")[:MAX_TEXT]
    starts = list(_POINT_START.finditer(text))
    # two markers or more, or one that opens the text ("a) lost my form"): split at them
    if len(starts) >= 2 or (starts and not text[: starts[0].start()].strip()):
        pieces = [
            text[m.end() : (starts[i + 1].start() if i + 1 < len(starts) else len(text))]
            for i, m in enumerate(starts)
        ]
    else:
        pieces = re.split(r"\n\s*\n", text)
    points = [" ".join(p.split()) for p in pieces]
    return [p for p in points if p][:MAX_POINTS]


def _categories(office: Office) -> list[str]:
    return [f"{top} > {sub}" for top, subs in office.rulebook.categories.items() for sub in subs]


def _new_case_context(
    office: Office, form: dict[str, str], errors: list[dict[str, str]]
) -> dict[str, Any]:
    return {
        "title": "New case",
        "section": "cases",
        "form": form,
        "errors": errors,
        "organisations": organisations(office.store),
        "categories": _categories(office),
    }


NEW_CASE_FIELDS = (
    "reference",
    "organisation",
    "category",
    "complainant",
    "subject",
    "complaint",
    "points",
    "received-day",
    "received-month",
    "received-year",
)


@router.get("/cases/new", response_class=HTMLResponse)
def new_case_page(request: Request) -> Response:
    user = require_user(request)
    office = office_of(request)
    if not office.workflow.allows(user.role, "case.create"):
        return error_page(request, Forbidden(f"the role {user.role} may not open cases"))
    form = dict.fromkeys(NEW_CASE_FIELDS, "")
    return render(request, "cases/new.html", _new_case_context(office, form, []))


# Where each field of the complaint document is typed on the new-case page.
_FIELD_ANCHORS = {
    "reference": "reference",
    "organisation": "organisation",
    "category": "category",
    "complainant": "complainant",
    "subject": "subject",
    "dates": "received-day",
    "points": "points",
}
_FIELD_NAMES = {
    "reference": "Case reference",
    "organisation": "Organisation",
    "category": "Category",
    "complainant": "Complainant",
    "subject": "What the complaint is about",
    "dates": "Date received",
    "points": "Points of complaint",
}


def _problems_as_errors(error: Invalid) -> list[dict[str, str]]:
    found = []
    for problem in error.problems:
        top = problem.field.split(".")[0].split("[")[0]
        anchor = _FIELD_ANCHORS.get(top, "reference")
        name = _FIELD_NAMES.get(top, problem.field)
        found.append({"text": f"{name}: {problem.message}", "href": f"#{anchor}"})
    return found or [{"text": error.detail, "href": "#reference"}]


@router.post("/cases/new", response_class=HTMLResponse)
async def new_case(request: Request) -> Response:
    try:
        user, submitted = await posted_form(request)
    except CaseworkError as exc:
        return error_page(request, exc)
    office = office_of(request)
    form = {name: str(submitted.get(name, ""))[:MAX_TEXT] for name in NEW_CASE_FIELDS}
    errors: list[dict[str, str]] = []
    required = {
        "reference": "Enter the case reference, like 24 009 458",
        "organisation": "Enter the organisation complained about",
        "category": "Enter the category, like Benefits and tax > Council tax",
        "complainant": "Enter how the statement names the complainant, like Mrs X",
        "subject": "Enter what the complaint is about",
    }
    for name, message in required.items():
        if not form[name].strip():
            errors.append({"text": message, "href": f"#{name}"})
    received = read_date(
        DateParts(form["received-day"], form["received-month"], form["received-year"]),
        "Date received",
    )
    if received is None:
        errors.append(
            {"text": "Enter the date the complaint was received", "href": "#received-day"}
        )
    elif isinstance(received, str):
        errors.append({"text": received, "href": "#received-day"})
    points = split_points(form["points"] or form["complaint"])
    if not points:
        errors.append(
            {"text": "Enter the complaint, or its points one paragraph each", "href": "#points"}
        )
    if errors:
        return render(
            request, "cases/new.html", _new_case_context(office, form, errors), status_code=400
        )
    assert isinstance(received, date)
    document = {
        "reference": " ".join(form["reference"].replace("-", " ").split()),
        "organisation": form["organisation"].strip(),
        "category": form["category"].strip(),
        "complainant": form["complainant"].strip(),
        "subject": form["subject"].strip(),
        "dates": {"received": received.isoformat()},
        "points": [{"label": chr(ord("a") + i), "alleged": p} for i, p in enumerate(points)],
    }
    if form["complaint"].strip():  # kept as written: the points above are the assessor's split
        document["received_text"] = form["complaint"].strip()
    try:
        view = await run_in_threadpool(cases.create_case, office, user, document)
    except Invalid as exc:
        context = _new_case_context(office, form, _problems_as_errors(exc))
        return render(request, "cases/new.html", context, status_code=422)
    except CaseworkError as exc:
        if exc.status == 409:
            context = _new_case_context(office, form, [{"text": exc.detail, "href": "#reference"}])
            return render(request, "cases/new.html", context, status_code=409)
        return error_page(request, exc)
    return RedirectResponse(f"/cases/{view.id}", status_code=303)


def _event_rows(office: Office, events: list[Any]) -> list[dict[str, Any]]:
    wording = {
        "case.created": "Opened the case",
        "case.patched": "Changed the complaint",
        "case.facts_set": "Recorded an answer",
        "case.assigned": "Assigned the case",
        "case.drafted": "Drafted the statement",
        "case.statement_edited": "Edited the statement",
        "case.transition": "Moved the case",
    }
    rows = []
    for event in reversed(events):
        after = event.after if isinstance(event.after, dict) else {}
        before = event.before if isinstance(event.before, dict) else {}
        detail = ""
        if event.action == "case.transition":
            source, target = before.get("status"), after.get("status")
            detail = f"from {_state(office, source)} to {_state(office, target)}"
            if after.get("note"):
                detail += f": “{after['note']}”"
        elif event.action == "case.facts_set":
            changed = {
                k: v
                for k, v in (after.get("facts") or {}).items()
                if (before.get("facts") or {}).get(k) != v
            }
            detail = "; ".join(
                f"{labels.fact_question(k)} {_answer_text(v)}" for k, v in changed.items()
            )
            if after.get("point"):
                detail = f"point {after['point']}): {detail}"
        elif event.action == "case.patched":
            detail = _changes(before.get("document"), after.get("document"))
        elif event.action == "case.assigned":
            detail = f"to {after.get('assignee') or 'nobody'}"
        elif event.action == "case.drafted" and after.get("decision"):
            detail = f"decision {labels.decision_label(after['decision'])}"
        rows.append(
            {"event": event, "what": wording.get(event.action, event.action), "detail": detail}
        )
    return rows


def _changes(before: Any, after: Any) -> str:
    """What a change to the complaint changed: its fields, and each point's (dates shown)."""
    if not isinstance(before, dict) or not isinstance(after, dict):
        return ""
    out = [
        key.replace("_", " ")
        for key in sorted(set(before) | set(after))
        if key != "points" and before.get(key) != after.get(key)
    ]
    old = {p.get("label"): p for p in before.get("points") or [] if isinstance(p, dict)}
    for point in after.get("points") or []:
        if not isinstance(point, dict):
            continue
        was = old.get(point.get("label"), {})
        for key, value in point.items():
            if key == "label" or was.get(key) == value:
                continue
            shown = key.replace("_", " ")
            if isinstance(value, str) and len(value) == 10 and value[4] == "-":
                shown += f" {_day(value)}"
            out.append(f"point {point.get('label')}): {shown}")
    return "; ".join(out)


def _day(iso: str) -> str:
    try:
        return f"{date.fromisoformat(iso):%-d %B %Y}"
    except ValueError:
        return iso


def _state(office: Office, state: Any) -> str:
    known = isinstance(state, str) and state in office.workflow.states
    return office.workflow.label(state).lower() if known else str(state)


def _answer_text(value: Any) -> str:
    if value is True:
        return "— yes"
    if value is False:
        return "— no"
    if value is None:
        return "— not known"
    return f"— {value}"


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: int) -> Response:
    user = require_user(request)
    office = office_of(request)
    try:
        view = cases.get_case(office, user, case_id)
        events = cases.history(office, user, case_id)
    except CaseworkError as exc:
        return error_page(request, exc)
    steps = []
    for to in office.workflow.next_states(view.status):
        refusal = office.workflow.can(Actor(user.name, user.role), view.facts(), to)
        steps.append({"to": to, "label": office.workflow.label(to), "refusal": refusal})
    context = {
        "title": f"Case {view.reference}",
        "section": "cases",
        "case": view,
        "status_label": office.workflow.label(view.status),
        "days_left": days_left(view, office.today()),
        "document": view.document,
        "steps": steps,
        "history": _event_rows(office, events),
        "can_edit": office.workflow.allows(user.role, "case.edit")
        and office.workflow.editable(view.status, "document"),
        "can_draft": office.workflow.allows(user.role, "statement.edit")
        and office.workflow.editable(view.status, "statement"),
    }
    return render(request, "cases/case.html", context)
