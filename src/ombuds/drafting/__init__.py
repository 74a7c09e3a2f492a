"""Drafting: an assessment becomes a decision statement in the house structure."""

from __future__ import annotations

from datetime import date

from ombuds.domain.assessment import Assessment
from ombuds.domain.complaint import Complaint
from ombuds.domain.statement import Statement
from ombuds.drafting.compose import StatementError, compose
from ombuds.drafting.render import Format, render_docx, render_html, render_markdown
from ombuds.engine import assess
from ombuds.rulebook.model import Rulebook

__all__ = ["Format", "StatementError", "compose", "draft", "render", "statement_for"]


def statement_for(
    complaint: Complaint,
    rulebook: Rulebook,
    decision_date: date | None = None,
    assessment: Assessment | None = None,
) -> Statement:
    """Assess (unless given an assessment) and compose the structured statement."""
    day = decision_date or complaint.dates.decision or date.today()
    return compose(complaint, assessment or assess(complaint, rulebook), rulebook, day)


def render(statement: Statement, rulebook: Rulebook, fmt: Format = "md") -> str | bytes:
    if fmt == "md":
        return render_markdown(statement, rulebook.folder)
    if fmt == "html":
        return render_html(statement, rulebook.folder)
    if fmt == "docx":
        return render_docx(statement)
    raise ValueError(f"unknown format {fmt!r}; use md, html or docx")


def draft(
    complaint: Complaint, rulebook: Rulebook, fmt: Format = "md", decision_date: date | None = None
) -> str | bytes:
    """The decision statement for a complaint, in one format."""
    return render(statement_for(complaint, rulebook, decision_date), rulebook, fmt)
