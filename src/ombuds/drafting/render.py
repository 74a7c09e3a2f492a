"""Statement -> Markdown, HTML or Word. The layout of each format is a template or a builder."""

from __future__ import annotations

import io
from typing import Literal

from docx import Document
from docx.shared import Pt

from ombuds.domain.statement import Statement
from ombuds.drafting.compose import environment, long_date

Format = Literal["md", "html", "docx"]


def render_markdown(statement: Statement, folder: str) -> str:
    text = environment(folder).get_template("statement.md.j2").render(s=statement)
    return _tidy(text)


def render_html(statement: Statement, folder: str) -> str:
    return environment(folder).get_template("statement.html.j2").render(s=statement)


def _tidy(text: str) -> str:
    """Collapse runs of blank lines the template's loops leave behind."""
    lines: list[str] = []
    for line in text.splitlines():
        if line.strip() == "" and lines and lines[-1] == "":
            continue
        lines.append(line.rstrip() if not line.endswith("  ") else line)
    return "\n".join(lines).strip() + "\n"


def render_docx(statement: Statement) -> bytes:
    """A Word document with the same structure and numbering as the Markdown statement."""
    doc = Document()
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading(f"{statement.organisation} ({statement.reference})", level=1)
    if statement.draft_banner:
        doc.add_paragraph().add_run(statement.draft_banner).bold = True
        for question in statement.missing_information:
            doc.add_paragraph(question, style="List Bullet")
    for label, value in (
        ("Category", statement.category),
        ("Decision", statement.decision_label),
        ("Decision date", long_date(statement.decision_date)),
    ):
        para = doc.add_paragraph()
        para.add_run(f"{label} : ").bold = True
        para.add_run(value)
    doc.add_heading("The Ombudsman's final decision", level=2)
    doc.add_paragraph(f"Summary: {statement.summary}")
    number = 0

    def numbered(text: str) -> None:
        nonlocal number
        number += 1
        doc.add_paragraph(f"{number}. {text}")

    doc.add_heading("The complaint", level=2)
    for text in statement.complaint:
        numbered(text)
    for point in statement.points:
        doc.add_paragraph(f"{point.label}) {point.text}").paragraph_format.left_indent = Pt(24)
    for text in statement.complaint_after:
        numbered(text)
    doc.add_heading("The Ombudsman's role and powers", level=2)
    for paragraph in statement.role_and_powers:
        if paragraph.bullets:
            numbered(paragraph.text)
            for bullet in paragraph.bullets:
                doc.add_paragraph(bullet, style="List Bullet")
            doc.add_paragraph(f"({paragraph.citation})")
        else:
            citation = f" ({paragraph.citation})" if paragraph.citation else ""
            numbered(paragraph.text + citation)
    doc.add_heading("How I considered this complaint", level=2)
    for text in statement.how_considered:
        numbered(text)
    doc.add_heading(statement.assessment_heading, level=2)
    for text in statement.assessment:
        numbered(text)
    doc.add_heading("Final decision", level=2)
    for text in statement.final_decision:
        numbered(text)
    doc.add_paragraph(statement.closing).runs[0].italic = True
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
