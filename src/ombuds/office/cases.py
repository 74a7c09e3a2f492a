"""Casework actions: one function per action, one transaction each, one audit event each.

The JSON API and the web pages call these same functions. Every action checks the actor's
role (the workflow's permissions) before anything else, so no adapter can forget to. Writes
are optimistic: a change is applied only if the case is still at the version it was read at
(``UPDATE ... WHERE version = :read``), so two concurrent edits never silently overwrite each
other: the second gets :class:`Stale` and must read again.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ombuds.casework.deadlines import add_working_days
from ombuds.casework.merge_patch import merge_patch
from ombuds.casework.workflow import Actor, CaseFacts
from ombuds.cli.assess import assessment_json
from ombuds.corpus.ingest import index_stored, store_on
from ombuds.domain.complaint import Complaint
from ombuds.domain.outcomes import Recommendation
from ombuds.drafting import Format, render, statement_for
from ombuds.engine import assess
from ombuds.intake import ComplaintFileError
from ombuds.intake.load import validate_complaint
from ombuds.office import audit
from ombuds.office.errors import (
    Conflict,
    FieldProblem,
    Forbidden,
    Invalid,
    NotFound,
    Stale,
)
from ombuds.office.office import Office
from ombuds.office.people import User
from ombuds.office.tables import case
from ombuds.publication import check_anonymised
from ombuds.reading import ParseError, parse_text
from ombuds.reading.sources import Parsed

#: Concurrent changes an action that was not given a version retries through before giving up.
RETRIES = 5


@dataclass(frozen=True)
class CaseView:
    """A case as stored, with what adapters show about it (label, overdue, next steps)."""

    id: int
    reference: str
    organisation: str
    status: str
    assignee: str | None
    received: date
    due: date
    version: int
    recommendation: str | None
    decision: str | None
    decision_reason: str | None
    drafted_by: str | None
    submitted_by: str | None
    decided_by: str | None
    created_at: datetime
    updated_at: datetime
    document: dict[str, Any]
    generated_statement: str | None
    edited_statement: str | None
    overdue: bool

    @property
    def etag(self) -> str:
        return f'"{self.version}"'

    def facts(self) -> CaseFacts:
        return CaseFacts(
            status=self.status,
            recommendation=self.recommendation,
            decision=self.decision,
            decision_reason=self.decision_reason,
            drafted_by=self.drafted_by,
            submitted_by=self.submitted_by,
            statement_drafted=self.generated_statement is not None,
        )

    @property
    def statement_text(self) -> str | None:
        """The statement as it stands: the assessor's edit, else the generated draft."""
        return self.edited_statement or self.generated_statement

    def summary(self, office: Office) -> dict[str, Any]:
        return {
            "id": self.id,
            "reference": self.reference,
            "organisation": self.organisation,
            "status": self.status,
            "status_label": office.workflow.label(self.status),
            "assignee": self.assignee,
            "received": self.received.isoformat(),
            "due": self.due.isoformat(),
            "overdue": self.overdue,
            "version": self.version,
            "recommendation": self.recommendation,
            "decision": self.decision,
        }

    def as_json(self, office: Office) -> dict[str, Any]:
        return {
            **self.summary(office),
            "decision_reason": self.decision_reason,
            "drafted_by": self.drafted_by,
            "submitted_by": self.submitted_by,
            "decided_by": self.decided_by,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "statement_drafted": self.generated_statement is not None,
            "statement_edited": self.edited_statement is not None,
            "next_states": office.workflow.next_states(self.status),
            "document": self.document,
        }


@dataclass(frozen=True)
class CasePage:
    items: list[CaseView]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class CaseFilters:
    status: str | None = None
    assignee: str | None = None
    organisation: str | None = None
    overdue: bool | None = None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


#: What a list needs: every column but the document and the statements (the large ones).
_SUMMARY = [
    c for c in case.c if c.name not in {"document", "generated_statement", "edited_statement"}
]


def _view(office: Office, row: Any) -> CaseView:
    """A case from its row (a summary row leaves the document empty and no statements)."""
    columns = row._mapping
    open_ = row.status not in office.workflow.final_states and row.status != "decided"
    return CaseView(
        id=row.id,
        reference=row.reference,
        organisation=row.organisation,
        status=row.status,
        assignee=row.assignee,
        received=row.received,
        due=row.due,
        version=row.version,
        recommendation=row.recommendation,
        decision=row.decision,
        decision_reason=row.decision_reason,
        drafted_by=row.drafted_by,
        submitted_by=row.submitted_by,
        decided_by=row.decided_by,
        created_at=_aware(row.created_at),
        updated_at=_aware(row.updated_at),
        document=columns.get("document") or {},
        generated_statement=columns.get("generated_statement"),
        edited_statement=columns.get("edited_statement"),
        overdue=open_ and row.due < office.today(),
    )


def _require(office: Office, actor: User, permission: str) -> None:
    if not office.workflow.allows(actor.role, permission):
        raise Forbidden(f"the role {actor.role} may not do this ({permission})")


def _validated(office: Office, document: Any) -> Complaint:
    """The complaint the document holds, validated as a complaint file is (422 naming fields)."""
    if not isinstance(document, dict):
        raise Invalid(
            "the case document must be a JSON object, as a complaint file is",
            [FieldProblem("(document)", "expected an object of fields (reference, points...)")],
        )
    try:
        return validate_complaint(document, office.rulebook, source="case")
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


def _load(conn: Connection, office: Office, case_id: int) -> CaseView:
    row = conn.execute(select(case).where(case.c.id == case_id)).first()
    if row is None:
        raise NotFound(f"no case with id {case_id}")
    return _view(office, row)


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
        latest = _load(conn, office, current.id)
        raise Stale(
            f"case {current.id} is at version {latest.version}, not {current.version}; "
            "read it again and reapply your change",
            current_version=latest.version,
        )
    audit.record(conn, actor.name, action, case_id=current.id, before=before, after=after)
    return _load(conn, office, current.id)


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
                current = _load(conn, office, case_id)
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


# --- reading -----------------------------------------------------------------------------


def get_case(office: Office, actor: User, case_id: int) -> CaseView:
    _require(office, actor, "case.read")
    with office.store.engine.connect() as conn:
        return _load(conn, office, case_id)


def list_cases(
    office: Office, actor: User, filters: CaseFilters, *, limit: int = 50, offset: int = 0
) -> CasePage:
    """Cases matching the filters, most urgent (earliest due) first (summaries: no document)."""
    _require(office, actor, "case.read")
    conditions = []
    if filters.status:
        conditions.append(case.c.status == filters.status)
    if filters.assignee:
        conditions.append(case.c.assignee == filters.assignee)
    if filters.organisation:
        needle = filters.organisation.lower().replace("\\", "\\\\")
        needle = needle.replace("%", "\\%").replace("_", "\\_")
        conditions.append(func.lower(case.c.organisation).like(f"%{needle}%", escape="\\"))
    if filters.overdue is not None:
        closed = [*office.workflow.final_states, "decided"]
        late = and_(case.c.due < office.today(), case.c.status.not_in(closed))
        conditions.append(late if filters.overdue else ~late)
    where = and_(True, *conditions)
    with office.store.engine.connect() as conn:
        total = int(conn.execute(select(func.count()).select_from(case).where(where)).scalar_one())
        rows = conn.execute(
            select(*_SUMMARY)
            .where(where)
            .order_by(case.c.due, case.c.id)
            .limit(limit)
            .offset(offset)
        )
        items = [_view(office, row) for row in rows]
    return CasePage(items, total, limit, offset)


def complaint_of(office: Office, view: CaseView) -> Complaint:
    return Complaint.model_validate(view.document)


def assessment_of(office: Office, actor: User, case_id: int) -> dict[str, Any]:
    """Exactly what ``ombuds assess --format json`` prints for the case's complaint."""
    view = get_case(office, actor, case_id)
    complaint = complaint_of(office, view)
    assessment = assess(complaint, office.rulebook)
    day = complaint.dates.decision or office.today()
    return assessment_json(complaint, assessment, office.rulebook, day)


def generated_statement(office: Office, view: CaseView, fmt: Format) -> str | bytes:
    complaint = complaint_of(office, view)
    day = complaint.dates.decision or office.today()
    return render(statement_for(complaint, office.rulebook, day), office.rulebook, fmt)


def statement_of(
    office: Office, actor: User, case_id: int, fmt: Format = "md", version: str = "current"
) -> str | bytes:
    """The statement: 'generated' (as drafted, md/html/docx), 'edited' (md), or 'current'.

    'current' is the edit if there is one, else the stored draft, else a fresh draft from the
    case as it stands (so an assessor can preview before drafting).
    """
    view = get_case(office, actor, case_id)
    if version == "edited" or (version == "current" and view.edited_statement):
        if view.edited_statement is None:
            raise NotFound(f"case {case_id} has no edited statement")
        if fmt != "md":
            raise Conflict("an edited statement is kept as Markdown; ask for format=md")
        return view.edited_statement
    if version == "generated" and view.generated_statement is None:
        raise NotFound(f"case {case_id} has no drafted statement yet")
    if fmt == "md" and view.generated_statement is not None:
        return view.generated_statement
    return generated_statement(office, view, fmt)


def statement_diff(office: Office, actor: User, case_id: int) -> dict[str, Any]:
    """The generated and edited statements side by side, with a unified diff."""
    view = get_case(office, actor, case_id)
    generated, edited = view.generated_statement, view.edited_statement
    diff = ""
    if generated is not None and edited is not None:
        diff = "".join(
            difflib.unified_diff(
                generated.splitlines(keepends=True),
                edited.splitlines(keepends=True),
                "generated",
                "edited",
            )
        )
    return {"generated": generated, "edited": edited, "diff": diff}


def history(office: Office, actor: User, case_id: int) -> list[audit.Event]:
    _require(office, actor, "case.read")
    with office.store.engine.connect() as conn:
        _load(conn, office, case_id)
        return audit.events(conn, case_id=case_id, limit=10_000)


# --- changing ----------------------------------------------------------------------------


def create_case(office: Office, actor: User, document: Any) -> CaseView:
    """Open a case from a complaint document (validated as a complaint file); 'case.created'."""
    _require(office, actor, "case.create")
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
            return _load(conn, office, case_id)
    except IntegrityError:
        raise Conflict(f"a case with reference {complaint.reference!r} already exists") from None


def patch_case(
    office: Office, actor: User, case_id: int, patch: Any, if_match: int | None
) -> CaseView:
    """Apply a JSON merge patch (RFC 7396) to the complaint document; 'case.patched'."""
    _require(office, actor, "case.edit")

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
    _require(office, actor, "case.edit")

    def apply(conn: Connection, current: CaseView) -> CaseView:
        _editable(office, current, "document")
        document = json.loads(json.dumps(current.document))
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
    _require(office, actor, "case.assign")
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
    _require(office, actor, "statement.edit")
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
    _require(office, actor, "statement.edit")
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
    _require(office, actor, "case.transition")
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
