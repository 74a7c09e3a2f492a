"""Casework actions: one function per action, one transaction each, one audit event each.

The JSON API and the web pages call these same functions. Every action checks the actor's
role (the workflow's permissions) before anything else, so no adapter can forget to. Writes
are optimistic: a change is applied only if the case is still at the version it was read at
(``UPDATE ... WHERE version = :read``), so two concurrent edits never silently overwrite each
other: the second gets :class:`Stale` and must read again.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, update
from sqlalchemy.exc import IntegrityError

from ombuds.casework.deadlines import add_working_days
from ombuds.casework.merge_patch import merge_patch
from ombuds.casework.workflow import Actor, CaseFacts
from ombuds.corpus.ingest import index_stored, store_on
from ombuds.domain.complaint import Complaint
from ombuds.domain.outcomes import Recommendation
from ombuds.engine import assess
from ombuds.intake import ComplaintFileError
from ombuds.intake.load import validate_complaint_data
from ombuds.office import audit
from ombuds.office.case_reads import (
    assessment_of,
    complaint_of,
    generated_statement,
    get_case,
    history,
    list_cases,
    statement_diff,
    statement_of,
    suggestion_of,
)
from ombuds.office.case_view import CaseFilters, CasePage, CaseView, load_case, require
from ombuds.office.errors import Conflict, FieldProblem, Forbidden, Invalid, Stale
from ombuds.office.office import Office
from ombuds.office.people import User
from ombuds.office.tables import case
from ombuds.publication import check_anonymised
from ombuds.reading import ParseError, parse_text
from ombuds.reading.sources import Parsed

__all__ = [
    "CaseFilters",
    "CasePage",
    "CaseView",
    "assessment_of",
    "assign",
    "complaint_of",
    "create_case",
    "draft_statement",
    "edit_statement",
    "generated_statement",
    "get_case",
    "history",
    "list_cases",
    "patch_case",
    "set_facts",
    "statement_diff",
    "statement_of",
    "suggestion_of",
    "transition",
]

#: Concurrent changes an action that was not given a version retries through before giving up.
RETRIES = 5


def _validated(office: Office, document: Any) -> Complaint:
    """The complaint the document holds, validated as a complaint file is (422 naming fields)."""
    if not isinstance(document, dict):
        raise Invalid(
            "the case document must be a JSON object, as a complaint file is",
            [FieldProblem("(document)", "expected an object of fields (reference, points...)")],
        )
    try:
        return validate_complaint_data(document, office.rulebook, source="case")
    except ComplaintFileError as exc:
        problems = [FieldProblem(p.field or "(document)", p.message) for p in exc.problems]
        raise Invalid(
            "the complaint document is not valid; `ombuds schema complaint` gives its schema",
            problems,
        ) from None


def _derived(office: Office, complaint: Complaint) -> dict[str, Any]:
    """Columns worked out from the document: search keys, the deadline, the recommendation."""
    received = complaint.dates.received
    return {
        "reference": complaint.reference,
        "organisation": complaint.organisation,
        "received": received,
        "due": add_working_days(received, office.workflow.decision_working_days),
        "recommendation": assess(complaint, office.rulebook).decision.value,
    }


def _store(
    conn: Connection,
    office: Office,
    current: CaseView,
    values: dict[str, Any],
    actor: User,
    action: str,
    before: Any,
    after: Any,
) -> CaseView:
    """Write ``values`` if the case is still at ``current.version``; record the event."""
    now = datetime.now(UTC)
    result = conn.execute(
        update(case)
        .where(case.c.id == current.id, case.c.version == current.version)
        .values(**values, version=current.version + 1, updated_at=now)
    )
    if result.rowcount != 1:
        latest = load_case(conn, office, current.id)
        raise Stale(
            f"case {current.id} is at version {latest.version}, not {current.version}; "
            "read it again and reapply your change",
            current_version=latest.version,
        )
    audit.record(conn, actor.name, action, case_id=current.id, before=before, after=after)
    return load_case(conn, office, current.id)


def _check_version(current: CaseView, if_match: int | None) -> None:
    if if_match is not None and if_match != current.version:
        raise Stale(
            f"case {current.id} is at version {current.version}, not {if_match}; "
            "read it again and reapply your change",
            current_version=current.version,
        )


def _change(
    office: Office,
    case_id: int,
    if_match: int | None,
    apply: Callable[[Connection, CaseView], CaseView],
) -> CaseView:
    """Run ``apply`` in one transaction; without ``if_match``, retry if someone else got in."""
    attempts = 1 if if_match is not None else RETRIES
    for attempt in range(attempts):
        try:
            with office.writing() as conn:
                current = load_case(conn, office, case_id)
                _check_version(current, if_match)
                return apply(conn, current)
        except Stale:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def _editable(office: Office, current: CaseView, what: str) -> None:
    if not office.workflow.editable(current.status, what):
        label = office.workflow.label(current.status).lower()
        raise Conflict(f"the {what} of a case that is {label} can no longer be changed")


# --- changing ----------------------------------------------------------------------------


def create_case(office: Office, actor: User, document: Any) -> CaseView:
    """Open a case from a complaint document (validated as a complaint file); 'case.created'."""
    require(office, actor, "case.create")
    complaint = _validated(office, document)
    now = datetime.now(UTC)
    row = {
        **_derived(office, complaint),
        "status": office.workflow.initial,
        "assignee": None,
        "version": 1,
        "created_at": now,
        "updated_at": now,
        "document": document,
    }
    try:
        with office.writing() as conn:
            case_id = int(conn.execute(insert(case).returning(case.c.id), row).scalar_one())
            audit.record(
                conn,
                actor.name,
                "case.created",
                case_id=case_id,
                after={"status": row["status"], "document": document},
            )
            return load_case(conn, office, case_id)
    except IntegrityError:
        raise Conflict(f"a case with reference {complaint.reference!r} already exists") from None


def patch_case(
    office: Office, actor: User, case_id: int, patch: Any, if_match: int | None
) -> CaseView:
    """Apply a JSON merge patch (RFC 7396) to the complaint document; 'case.patched'."""
    require(office, actor, "case.edit")

    def apply(conn: Connection, current: CaseView) -> CaseView:
        _editable(office, current, "document")
        document = merge_patch(current.document, patch)
        complaint = _validated(office, document)
        return _store(
            conn,
            office,
            current,
            {**_derived(office, complaint), "document": document},
            actor,
            "case.patched",
            {"document": current.document},
            {"patch": patch, "document": document},
        )

    try:
        return _change(office, case_id, if_match, apply)
    except IntegrityError:
        raise Conflict("another case already has that reference") from None


def set_facts(
    office: Office,
    actor: User,
    case_id: int,
    facts: dict[str, Any],
    point: str | None,
    if_match: int | None,
) -> CaseView:
    """Set (or, with null, forget) facts of the complaint or of one point; 'case.facts_set'."""
    require(office, actor, "case.edit")

    def apply(conn: Connection, current: CaseView) -> CaseView:
        _editable(office, current, "document")
        document = copy.deepcopy(current.document)
        if point is None:
            holder = document
        else:
            found = [p for p in document.get("points", []) if p.get("label") == point]
            if not found:
                raise Invalid(
                    f"case {case_id} has no point {point!r}",
                    [FieldProblem("point", "use the letter of one of the case's points")],
                )
            holder = found[0]
        before = dict(holder.get("facts") or {})
        holder["facts"] = merge_patch(before, facts)
        complaint = _validated(office, document)
        return _store(
            conn,
            office,
            current,
            {**_derived(office, complaint), "document": document},
            actor,
            "case.facts_set",
            {"point": point, "facts": before},
            {"point": point, "facts": holder["facts"]},
        )

    return _change(office, case_id, if_match, apply)


def assign(
    office: Office, actor: User, case_id: int, assignee: str | None, if_match: int | None
) -> CaseView:
    """Give the case to someone (or nobody); 'case.assigned'."""
    require(office, actor, "case.assign")
    from ombuds.office.people import find_user

    def apply(conn: Connection, current: CaseView) -> CaseView:
        if assignee is not None:
            find_user(conn, assignee)
        return _store(
            conn,
            office,
            current,
            {"assignee": assignee},
            actor,
            "case.assigned",
            {"assignee": current.assignee},
            {"assignee": assignee},
        )

    return _change(office, case_id, if_match, apply)


def _decision_value(decision: str | None) -> str | None:
    if decision is None:
        return None
    try:
        value = Recommendation(decision)
    except ValueError:
        known = ", ".join(
            r.value for r in Recommendation if r is not Recommendation.NEEDS_INFORMATION
        )
        raise Invalid(
            "unknown decision", [FieldProblem("decision", f"use one of {known}")]
        ) from None
    if value is Recommendation.NEEDS_INFORMATION:
        raise Invalid(
            "a decision cannot be 'needs information'",
            [FieldProblem("decision", "establish the missing facts, then decide")],
        )
    return value.value


def draft_statement(
    office: Office,
    actor: User,
    case_id: int,
    *,
    decision: str | None = None,
    reason: str | None = None,
    if_match: int | None = None,
) -> CaseView:
    """Draft the statement from the assessment and record the decision; 'case.drafted'.

    The decision defaults to the recommendation; one that departs from it needs a reason
    (checked again at review and sign-off). Drafting again replaces the generated draft and
    keeps the assessor's edit beside it.
    """
    require(office, actor, "statement.edit")
    chosen = _decision_value(decision)

    def apply(conn: Connection, current: CaseView) -> CaseView:
        _editable(office, current, "statement")
        if chosen is not None and chosen != current.recommendation and not (reason or "").strip():
            raise Invalid(
                f"the decision {chosen} departs from the recommendation "
                f"{current.recommendation}; record why",
                [FieldProblem("reason", "give the reason for departing from the recommendation")],
            )
        text = generated_statement(office, current, "md")
        assert isinstance(text, str)
        values = {
            "generated_statement": text,
            "decision": chosen,
            "decision_reason": (reason or "").strip() or None,
            "drafted_by": actor.name,
        }
        return _store(
            conn,
            office,
            current,
            values,
            actor,
            "case.drafted",
            {"decision": current.decision, "decision_reason": current.decision_reason},
            {
                "decision": chosen,
                "decision_reason": values["decision_reason"],
                "recommendation": current.recommendation,
            },
        )

    return _change(office, case_id, if_match, apply)


def edit_statement(
    office: Office, actor: User, case_id: int, text: str, if_match: int | None = None
) -> CaseView:
    """Keep the assessor's (or reviewer's) edited statement beside the generated one.

    The editor becomes the statement's author for the four-eyes rule. 'case.statement_edited'
    records both versions.
    """
    require(office, actor, "statement.edit")
    if not text.strip():
        raise Invalid("the statement is empty", [FieldProblem("text", "give the statement text")])

    def apply(conn: Connection, current: CaseView) -> CaseView:
        _editable(office, current, "statement")
        if current.generated_statement is None:
            raise Conflict("draft the statement first; the edit is kept beside the draft")
        return _store(
            conn,
            office,
            current,
            {"edited_statement": text, "drafted_by": actor.name},
            actor,
            "case.statement_edited",
            {"edited_statement": current.edited_statement},
            {"edited_statement": text},
        )

    return _change(office, case_id, if_match, apply)


def transition(
    office: Office,
    actor: User,
    case_id: int,
    to: str,
    *,
    note: str | None = None,
    if_match: int | None = None,
) -> CaseView:
    """Move a case along the workflow if ``can`` allows it; 'case.transition'.

    Publishing runs the anonymisation check on the statement, reads it back with the parser
    and stores the decision record in the corpus on the same transaction, then indexes it, so
    it is searchable at once.
    """
    require(office, actor, "case.transition")
    who = Actor(actor.name, actor.role)
    published: list[Any] = []

    def apply(conn: Connection, current: CaseView) -> CaseView:
        facts = current.facts()
        text = current.statement_text
        if to == "published" and text is not None:
            findings = tuple(str(f) for f in check_anonymised(text, current.organisation))
            facts = CaseFacts(**{**facts.__dict__, "anonymisation_findings": findings})
        refusal = office.workflow.can(who, facts, to)
        if refusal is not None:
            error = Forbidden if refusal.kind == "role" else Conflict
            raise error(refusal.reason, guard=refusal.guard, findings=list(refusal.details))
        values: dict[str, Any] = {"status": to}
        if to == "assessment" and current.assignee is None:
            values["assignee"] = actor.name
        if to == "review":
            values["submitted_by"] = actor.name
        if to == "decided":
            values["decided_by"] = actor.name
            values["decision"] = current.decision or current.recommendation
        if to == "published":
            assert text is not None
            published.append(_store_decision(conn, current, text))
        return _store(
            conn,
            office,
            current,
            values,
            actor,
            "case.transition",
            {"status": current.status},
            {"status": to, "note": note},
        )

    view = _change(office, case_id, if_match, apply)
    for written in published:
        index_stored(office.store, written)
    return view


def _store_decision(conn: Connection, current: CaseView, text: str) -> Any:
    source = f"case {current.id}"
    try:
        record = parse_text(text, source=source)
    except ParseError as exc:
        raise Conflict(
            f"the statement cannot be read back as a decision ({exc}); fix its structure",
            guard="statement_readable",
        ) from None
    written = store_on(conn, Parsed(record=record, text=text, raw=text))
    if isinstance(written, str):
        raise Conflict(f"the decision cannot be stored: {written}", guard="statement_readable")
    return written
