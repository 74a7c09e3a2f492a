"""Guided assessment: per point, the next question that can change the recommendation.

The engine lists the facts nobody has established whose answer could change a point's
outcome (``Assessment.questions``, most useful first). The page asks the first one for the
chosen point in the rulebook's own words (the fact's ``ask``), takes yes / no / don't know
(or the fact's values) with an optional note, and shows the recommendation as it now stands,
its reasons in plain words and the trace behind them. Answering writes through the
``set_facts`` action (one audit event); "don't know" leaves the fact unknown and moves on.
A fact worked out from a date (known for more than 12 months...) may be answered with the date
itself, which is recorded on the point(s) and decides the fact from then on.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ombuds.domain.assessment import Assessment
from ombuds.domain.complaint import FactValue
from ombuds.engine import assess
from ombuds.office import cases
from ombuds.office.case_view import CaseView
from ombuds.office.errors import CaseworkError, Invalid
from ombuds.office.office import Office
from ombuds.web.context import error_page, office_of, posted_form, render, require_user
from ombuds.web.dates import DateParts, read_date
from ombuds.web.suggestions import next_question, suggestion_for

router = APIRouter(include_in_schema=False)

DONT_KNOW = "unknown"
MAX_NOTE = 2_000
RESULT_WORDS = {
    "applies": "Applies",
    "does_not_apply": "Does not apply",
    "not_reached": "Not reached",
    "exception": "Set aside by an exception",
}


def answer_choices(office: Office, fact_id: str) -> tuple[str, list[dict[str, str]]]:
    """How the fact is answered: 'radios' with its choices, or 'text'/'number' input."""
    fact = office.rulebook.facts[fact_id]
    if fact.type == "bool":
        return "radios", [{"value": "yes", "text": "Yes"}, {"value": "no", "text": "No"}]
    if fact.type == "enum":
        return "radios", [
            {"value": v, "text": v.replace("_", " ").capitalize()} for v in fact.values
        ]
    return ("number" if fact.type == "int" else "text"), []


def parse_answer(office: Office, fact_id: str, answer: str) -> tuple[FactValue, str | None]:
    """The fact's value from the form, or the error message (the GOV.UK way) to show."""
    fact = office.rulebook.facts.get(fact_id)
    if fact is None:
        return None, "That question is not in the rulebook; reload the page"
    answer = answer.strip()
    if not answer:
        return None, "Select an answer, or don't know"
    if fact.type == "bool":
        if answer not in ("yes", "no"):
            return None, "Select yes, no or don't know"
        return answer == "yes", None
    if fact.type == "enum":
        return (answer, None) if answer in fact.values else (None, "Select one of the answers")
    if fact.type == "int":
        return (int(answer), None) if answer.isdigit() else (None, "Enter a whole number")
    return answer[:500], None


def read_fact_date(parts: DateParts, received: date) -> tuple[date | None, str | None]:
    """The whole date typed for a date-derived fact, or the error message to show."""
    when = read_date(parts, "The date")
    if isinstance(when, str):
        return None, when
    if when is None:
        return None, None
    if not (parts.day.strip() and parts.month.strip()):
        return None, "The date must include a day, month and year"
    if when > received:
        return (
            None,
            f"The date must be on or before {received:%-d %B %Y}, when we received the complaint",
        )
    return when, None


def _reason_rows(office: Office, assessment: Assessment) -> list[dict[str, Any]]:
    rows = []
    for point in assessment.points:
        trace = [
            {
                "test": entry.test,
                "result": RESULT_WORDS.get(entry.result.value, entry.result.value),
                "applies": entry.result.value == "applies",
                "facts": [
                    {
                        "question": office.rulebook.facts[f].ask
                        if f in office.rulebook.facts
                        else f,
                        "value": v,
                    }
                    for f, v in entry.facts.items()
                ],
                "exception": entry.exception,
            }
            for entry in point.trace
        ]
        rows.append({"point": point, "trace": trace})
    return rows


@router.get("/cases/{case_id}/assess", response_class=HTMLResponse)
def assessment_page(
    request: Request,
    case_id: int,
    point: str = "",
    skip: str = "",
    error: str = "",
    on: str = "",
    ask: str = "",
) -> Response:
    user = require_user(request)
    office = office_of(request)
    try:
        view = cases.get_case(office, user, case_id)
    except CaseworkError as exc:
        return error_page(request, exc)
    complaint = cases.complaint_of(office, view)
    assessment = assess(complaint, office.rulebook)
    labels = [p.label for p in complaint.points]
    skipped = {s for s in skip.split(",") if s}
    suggested = suggestion_for(office, complaint, assessment)
    open_points = [
        label
        for label in labels
        if next_question(assessment, label, skipped, suggested.first, "", suggested.checks)[0]
        is not None
    ]
    if point not in open_points:
        # The chosen point has nothing more to ask: go on to the next point that has.
        later = [label for label in open_points if label > point]
        point = (later or open_points or [point if point in labels else labels[0]])[0]
    question, asked_for = next_question(
        assessment, point, skipped, suggested.first, ask[:80], suggested.checks
    )
    kind, choices = answer_choices(office, question.fact) if question else ("", [])
    date_field = office.rulebook.facts[question.fact].date if question else None
    context = {
        "title": f"Assess case {view.reference}",
        "section": "cases",
        "case": view,
        "complaint": complaint,
        "assessment": assessment,
        "current": point,
        "question": question,
        "kind": kind,
        "choices": choices,
        "skip": ",".join(sorted(skipped)),
        "date_field": date_field,
        "error_on": "date" if on == "date" and date_field else "answer",
        "errors": [{"text": error[:200], "href": "#date-day" if on == "date" else "#answer"}]
        if error
        else [],
        "reasons": _reason_rows(office, assessment),
        "suggested": suggested,
        "asked_for": asked_for,
        "editable": office.workflow.allows(user.role, "case.edit")
        and office.workflow.editable(view.status, "document"),
        "dont_know": DONT_KNOW,
    }
    return render(request, "cases/assess.html", context, status_code=400 if error else 200)


@router.post("/cases/{case_id}/assess")
async def answer_question(request: Request, case_id: int) -> Response:
    try:
        user, form = await posted_form(request)
    except CaseworkError as exc:
        return error_page(request, exc)
    office = office_of(request)
    fact = str(form.get("fact", ""))[:80]
    point = str(form.get("point", ""))[:2]
    # The question may bear on several points: the answer is recorded for all of them.
    targets = [p for p in str(form.get("points", "")).split(",") if p][:26] or [point]
    answer = str(form.get("answer", ""))[:500]
    note = str(form.get("note", "")).strip()[:MAX_NOTE]
    skipped = {s for s in str(form.get("skip", "")).split(",") if s}
    here = {"point": point}
    parts = DateParts(
        str(form.get("date-day", ""))[:4],
        str(form.get("date-month", ""))[:4],
        str(form.get("date-year", ""))[:6],
    )
    date_field = getattr(office.rulebook.facts.get(fact), "date", None)
    try:
        if date_field is not None and not parts.empty:
            # the date itself, when the assessor knows it, says more than yes or no
            view = await run_in_threadpool(cases.get_case, office, user, case_id)
            received = cases.complaint_of(office, view).dates.received
            when, problem = read_fact_date(parts, received)
            if when is not None:
                try:
                    await run_in_threadpool(
                        _record_date, office, user, view, date_field, when, targets
                    )
                except Invalid as exc:  # out of order with the point's other dates
                    said = [p.message.removeprefix("Value error, ") for p in exc.problems]
                    problem = ("; ".join(said) or str(exc))[:200]
            if problem is not None:
                query = urlencode(
                    {**here, "skip": ",".join(sorted(skipped)), "error": problem, "on": "date"}
                )
                return RedirectResponse(f"/cases/{case_id}/assess?{query}", status_code=303)
        elif answer == DONT_KNOW:
            skipped.add(fact)
        else:
            value, problem = parse_answer(office, fact, answer)
            if problem is not None:
                query = urlencode({**here, "skip": ",".join(sorted(skipped)), "error": problem})
                return RedirectResponse(f"/cases/{case_id}/assess?{query}", status_code=303)
            await run_in_threadpool(_record, office, user, case_id, fact, value, targets)
        if note:
            await run_in_threadpool(_add_note, office, user, case_id, point, note)
    except CaseworkError as exc:
        return error_page(request, exc)
    query = urlencode({**here, "skip": ",".join(sorted(skipped))})
    return RedirectResponse(f"/cases/{case_id}/assess?{query}", status_code=303)


def _record(
    office: Office, user: Any, case_id: int, fact: str, value: FactValue, targets: list[str]
) -> None:
    """Set the fact for the whole complaint when it bears on every point, else per point."""
    view = cases.get_case(office, user, case_id)
    labels = [str(p.get("label")) for p in view.document.get("points", [])]
    if sorted(targets) == sorted(labels):
        cases.set_facts(office, user, case_id, {fact: value}, None, None)
        return
    for label in targets:
        cases.set_facts(office, user, case_id, {fact: value}, label, None)


def _record_date(
    office: Office, user: Any, view: CaseView, field: str, when: date, targets: list[str]
) -> None:
    """Record the date on each point the question bears on (one audited patch, refused if
    the case changed since ``view`` was read)."""
    points = [dict(p) for p in view.document.get("points", [])]
    for p in points:
        if p.get("label") in targets:
            p[field] = when.isoformat()
    cases.patch_case(office, user, view.id, {"points": points}, view.version)


def _add_note(office: Office, user: Any, case_id: int, point: str, note: str) -> None:
    """Keep the assessor's note with the point (it is theirs for "My assessment")."""
    view = cases.get_case(office, user, case_id)
    points = [dict(p) for p in view.document.get("points", [])]
    for p in points:
        if p.get("label") == point:
            p["notes"] = [*p.get("notes", []), note]
    cases.patch_case(office, user, case_id, {"points": points}, view.version)
