"""Reading cases: one case, lists with filters, the assessment, the statement and the history.

No transaction and no event: nothing here changes anything.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import and_, func, select

from ombuds.cli.assess import assessment_json
from ombuds.domain.complaint import Complaint
from ombuds.drafting import Format, StatementError, render, statement_for
from ombuds.drafting.edited import EditTooLarge, edited_docx, edited_html
from ombuds.engine import assess
from ombuds.office import audit
from ombuds.office.case_view import (
    SUMMARY_COLUMNS,
    CaseFilters,
    CasePage,
    CaseView,
    load_case,
    require,
    view_of,
)
from ombuds.office.errors import FieldProblem, Invalid, NotFound, Unavailable
from ombuds.office.office import Office
from ombuds.office.people import User
from ombuds.office.tables import case


def get_case(office: Office, actor: User, case_id: int) -> CaseView:
    require(office, actor, "case.read")
    with office.store.engine.connect() as conn:
        return load_case(conn, office, case_id)


def list_cases(
    office: Office, actor: User, filters: CaseFilters, *, limit: int = 50, offset: int = 0
) -> CasePage:
    """Cases matching the filters, most urgent (earliest due) first (summaries: no document)."""
    require(office, actor, "case.read")
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
            select(*SUMMARY_COLUMNS)
            .where(where)
            .order_by(case.c.due, case.c.id)
            .limit(limit)
            .offset(offset)
        )
        items = [view_of(office, row) for row in rows]
    return CasePage(items, total, limit, offset)


def complaint_of(office: Office, view: CaseView) -> Complaint:
    return Complaint.model_validate(view.document)


def assessment_of(office: Office, actor: User, case_id: int) -> dict[str, Any]:
    """Exactly what ``ombuds assess --format json`` prints for the case's complaint."""
    view = get_case(office, actor, case_id)
    complaint = complaint_of(office, view)
    assessment = assess(complaint, office.rulebook)
    day = complaint.dates.decision or office.today()
    with _said_as_invalid(case_id):
        return assessment_json(complaint, assessment, office.rulebook, day)


def suggestion_of(office: Office, actor: User, case_id: int) -> dict[str, Any]:
    """What published decisions suggest from the case's words (the complaint as received, or
    its points; never its facts): exactly what ``ombuds suggest --json`` prints for them."""
    from ombuds.corpus.index import SearchIndexError
    from ombuds.suggest.inputs import complaint_words
    from ombuds.suggest.model import ModelError

    view = get_case(office, actor, case_id)
    text = complaint_words(complaint_of(office, view))
    try:
        (suggestion,) = office.suggester().suggest_many([text])
    except (ModelError, SearchIndexError) as exc:
        raise Unavailable(f"suggestions cannot be made: {exc}") from exc
    return suggestion.to_json()


def generated_statement(office: Office, view: CaseView, fmt: Format) -> str | bytes:
    complaint = complaint_of(office, view)
    day = complaint.dates.decision or office.today()
    with _said_as_invalid(view.id):
        return render(statement_for(complaint, office.rulebook, day), office.rulebook, fmt)


@contextmanager
def _said_as_invalid(case_id: int) -> Iterator[None]:
    """A statement the case asks for but cannot be said (a main_reason no point is closed
    for) is the case's problem to fix: 422, naming the field."""
    try:
        yield
    except StatementError as exc:
        raise Invalid(f"case {case_id}: {exc}", [FieldProblem("main_reason", str(exc))]) from None


def edited_statement(office: Office, view: CaseView, edit: str, fmt: Format) -> str | bytes:
    """The edit (kept as Markdown) in the format asked for."""
    if fmt == "md":
        return edit
    author = office.rulebook.name
    if fmt == "html":
        return edited_html(edit, office.rulebook.folder, author)
    day = complaint_of(office, view).dates.decision or office.today()
    try:
        return edited_docx(edit, author, day)
    except EditTooLarge as exc:
        raise Invalid(f"case {view.id}: {exc}", [FieldProblem("text", str(exc))]) from None


def statement_of(
    office: Office, actor: User, case_id: int, fmt: Format = "md", version: str = "current"
) -> str | bytes:
    """The statement: 'generated' (as drafted), 'edited' (the edit), or 'current'.

    'current' is the edit if there is one, else the stored draft, else a fresh draft from the
    case as it stands (so an assessor can preview before drafting).
    """
    view = get_case(office, actor, case_id)
    if version == "edited" or (version == "current" and view.edited_statement):
        if view.edited_statement is None:
            raise NotFound(f"case {case_id} has no edited statement")
        return edited_statement(office, view, view.edited_statement, fmt)
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
    require(office, actor, "case.read")
    with office.store.engine.connect() as conn:
        load_case(conn, office, case_id)
        return audit.events(conn, case_id=case_id, limit=10_000)
