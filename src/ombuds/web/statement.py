"""Draft and sign-off: the statement previewed, edited beside the draft, compared, sent on.

Drafting records the decision (the recommendation unless the assessor departs from it with a
reason); an edit is kept beside the generated text and shown as a diff; the Word file comes
from the API. Moving a case (send to review, approve, return with comments, publish) is the
workflow's ``transition`` action, whose refusals the page shows as worded. Publishing shows
the anonymisation findings before the button.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ombuds.casework.workflow import Actor
from ombuds.domain.outcomes import Recommendation
from ombuds.drafting import statement_for
from ombuds.office import cases
from ombuds.office.case_view import CaseView
from ombuds.office.errors import CaseworkError, FieldProblem, Invalid
from ombuds.office.office import Office
from ombuds.publication import check_anonymised
from ombuds.web import labels
from ombuds.web.context import error_page, office_of, posted_form, render, require_user
from ombuds.web.preview import statement_html

router = APIRouter(include_in_schema=False)

MAX_STATEMENT = 200_000
MAX_NOTE = 2_000


def _diff_lines(diff: str) -> list[dict[str, str]]:
    lines = []
    for line in diff.splitlines()[2:]:  # past the ---/+++ header
        kind = "add" if line.startswith("+") else "remove" if line.startswith("-") else "same"
        if line.startswith("@@"):
            kind = "hunk"
        lines.append(
            {"kind": kind, "text": line[1:] if kind in ("add", "remove", "same") else line}
        )
    return lines


def _statement_context(
    request: Request, case_id: int, errors: list[dict[str, str]]
) -> dict[str, Any]:
    user = require_user(request)
    office = office_of(request)
    view = cases.get_case(office, user, case_id)
    compared = cases.statement_diff(office, user, case_id)
    text = view.statement_text
    decisions = [r for r in Recommendation if r is not Recommendation.NEEDS_INFORMATION]
    chosen = view.document.get("main_reason")
    step_to_review = None
    if "review" in office.workflow.next_states(view.status):
        step_to_review = office.workflow.can(Actor(user.name, user.role), view.facts(), "review")
    return {
        "title": f"Statement for case {view.reference}",
        "section": "cases",
        "case": view,
        "text": text,
        "preview": statement_html(text) if text else None,
        "diff": _diff_lines(compared["diff"]),
        "edited": view.edited_statement is not None,
        "decisions": [
            {
                "value": r.value,
                "text": labels.decision_label(r.value),
                "selected": r.value == (view.decision or view.recommendation),
            }
            for r in decisions
        ],
        "main_reasons": [
            {"value": "", "text": "The reason that closes most points", "selected": not chosen},
            *(
                {"value": t, "text": labels.reason_label(t), "selected": t == chosen}
                for t in _closing_reasons(office, view)
            ),
        ],
        "can_choose_main": office.workflow.editable(view.status, "document"),
        "can_edit": office.workflow.allows(user.role, "statement.edit")
        and office.workflow.editable(view.status, "statement"),
        "review_step": "review" in office.workflow.next_states(view.status),
        "review_refusal": step_to_review,
        "errors": errors,
    }


def _closing_reasons(office: Office, view: CaseView) -> list[str]:
    """The closing reasons the statement gives, the default main one first (the assessor
    may choose any of them as the main reason)."""
    complaint = cases.complaint_of(office, view).model_copy(update={"main_reason": None})
    return statement_for(complaint, office.rulebook, complaint.dates.decision).reasons


@router.get("/cases/{case_id}/statement", response_class=HTMLResponse)
def statement_page(request: Request, case_id: int) -> Response:
    try:
        context = _statement_context(request, case_id, [])
    except CaseworkError as exc:
        return error_page(request, exc)
    return render(request, "cases/statement.html", context)


@router.post("/cases/{case_id}/draft")
async def draft(request: Request, case_id: int) -> Response:
    try:
        user, form = await posted_form(request)
        office = office_of(request)
        decision = str(form.get("decision", ""))[:64] or None
        reason = str(form.get("reason", ""))[:MAX_NOTE]
        try:
            if "main_reason" in form:
                main = str(form.get("main_reason", ""))[:80] or None
                await run_in_threadpool(_choose_main_reason, office, user, case_id, main)
            await run_in_threadpool(
                lambda: cases.draft_statement(
                    office, user, case_id, decision=decision, reason=reason
                )
            )
        except Invalid as exc:
            errors = [{"text": p.message, "href": f"#{p.field}"} for p in exc.problems]
            context = _statement_context(request, case_id, errors)
            return render(request, "cases/statement.html", context, status_code=422)
    except CaseworkError as exc:
        return error_page(request, exc)
    return RedirectResponse(f"/cases/{case_id}/statement", status_code=303)


def _choose_main_reason(office: Office, user: Any, case_id: int, main: str | None) -> None:
    """Record the assessor's main reason on the complaint (none: the default rule); one the
    statement does not give is refused before anything is stored."""
    view = cases.get_case(office, user, case_id)
    if main is not None and main not in _closing_reasons(office, view):
        message = (
            f"{labels.reason_label(main)} is not a reason this statement gives; choose one of "
            "the reasons listed"
        )
        raise Invalid(f"case {case_id}: {message}", [FieldProblem("main_reason", message)])
    if view.document.get("main_reason") != main:
        cases.patch_case(office, user, case_id, {"main_reason": main}, view.version)


@router.post("/cases/{case_id}/statement")
async def edit(request: Request, case_id: int) -> Response:
    try:
        user, form = await posted_form(request)
        office = office_of(request)
        text = str(form.get("text", ""))[:MAX_STATEMENT].replace("\r\n", "\n")
        try:
            # The version the page was read at: an edit made meanwhile is refused (412), not lost.
            version = _form_version(form)
            await run_in_threadpool(cases.edit_statement, office, user, case_id, text, version)
        except Invalid as exc:
            errors = [{"text": "Enter the statement text", "href": "#text"}] if exc.problems else []
            context = _statement_context(request, case_id, errors)
            return render(request, "cases/statement.html", context, status_code=422)
    except CaseworkError as exc:
        return error_page(request, exc)
    return RedirectResponse(f"/cases/{case_id}/statement#compare", status_code=303)


@router.post("/cases/{case_id}/move")
async def move(request: Request, case_id: int) -> Response:
    """Take a workflow step; returning a review needs comments for the assessor."""
    try:
        user, form = await posted_form(request)
        office = office_of(request)
        to = str(form.get("to", ""))[:40]
        note = str(form.get("note", "")).strip()[:MAX_NOTE] or None
        version = _form_version(form)
        current = cases.get_case(office, user, case_id)
        if current.status == "review" and to == "draft" and not note:
            raise Invalid(
                "to return a case, give your comments for the assessor",
                [FieldProblem("note", "say what the assessor should change")],
            )
        await run_in_threadpool(
            lambda: cases.transition(office, user, case_id, to, note=note, if_match=version)
        )
    except CaseworkError as exc:
        return error_page(request, exc)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.get("/cases/{case_id}/publish", response_class=HTMLResponse)
def publish_page(request: Request, case_id: int) -> Response:
    """The anonymisation findings first; the publish button only when there are none."""
    user = require_user(request)
    office = office_of(request)
    try:
        view = cases.get_case(office, user, case_id)
    except CaseworkError as exc:
        return error_page(request, exc)
    text = view.statement_text or ""
    findings = [str(f) for f in check_anonymised(text, view.organisation)] if text else []
    refusal: str | None = None
    if "published" in office.workflow.next_states(view.status):
        step = office.workflow.can(Actor(user.name, user.role), view.facts(), "published")
        if step is not None and step.guard != "anonymisation_clean":
            refusal = step.reason
    else:
        label = office.workflow.label(view.status).lower()
        refusal = f"a case that is {label} cannot be published"
    context = {
        "title": f"Publish case {view.reference}",
        "section": "cases",
        "case": view,
        "findings": findings,
        "refusal": refusal,
        "has_text": bool(text),
    }
    return render(request, "cases/publish.html", context)


def _form_version(form: FormData) -> int | None:
    """The case version a form was rendered at (its hidden ``version`` field), if it has one."""
    text = str(form.get("version", ""))
    return int(text) if text.isdigit() else None
