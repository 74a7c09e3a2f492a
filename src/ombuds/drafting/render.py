"""Statement -> Markdown, HTML or Word. The layout of each format is a template or a builder."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any, Literal

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt
from jinja2 import Environment, Template

from ombuds.domain.statement import Statement
from ombuds.drafting.text import markdown_escape, sanitise, typographic
from ombuds.drafting.wording import environment, long_date

Format = Literal["md", "html", "docx"]


@lru_cache(maxsize=8)
def _markdown_environment(folder: str) -> Environment:
    """The scheme's environment, but every printed value has raw HTML neutralised."""
    return environment(folder).overlay(finalize=markdown_escape)


@lru_cache(maxsize=8)
def _template(folder: str, fmt: str) -> Template:
    if fmt == "md":
        return _markdown_environment(folder).get_template("statement.md.j2")
    return environment(folder).get_template("statement.html.j2")


def render_markdown(statement: Statement, folder: str) -> str:
    return _tidy(_template(folder, "md").render(s=statement))


def render_html(statement: Statement, folder: str) -> str:
    return _template(folder, "html").render(s=statement)


_BLANK_RUNS = re.compile(r"\n(?:[ \t]*\n)+")


def _tidy(text: str) -> str:
    """Collapse runs of blank lines the template's loops leave behind.

    Trailing spaces go, except a Markdown line break (two spaces at the end of a line).
    """
    lines = [
        line if line.endswith("  ") and line.strip() else line.rstrip() for line in text.split("\n")
    ]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip() + "\n"


# Word numbering: paragraphs use the template's "List Number" style (one continuous decimal
# list, as on the Ombudsman's pages); the points a), b)... get a lettered list of their own.
_LETTERED_ABSTRACT_ID = 90
_LETTERED_XML = (
    f"<w:abstractNum {nsdecls('w')} w:abstractNumId='{_LETTERED_ABSTRACT_ID}'>"
    "<w:multiLevelType w:val='singleLevel'/>"
    "<w:lvl w:ilvl='0'><w:start w:val='1'/><w:numFmt w:val='lowerLetter'/>"
    "<w:lvlText w:val='%1)'/><w:lvlJc w:val='left'/>"
    "<w:pPr><w:ind w:left='1080' w:hanging='360'/></w:pPr></w:lvl>"
    "</w:abstractNum>"
)


def lettered_list(doc: Any) -> int:
    """Add a lettered numbering definition to the document; return its numId."""
    numbering = doc.part.numbering_part.element
    abstract = parse_xml(_LETTERED_XML)
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = numbering.add_num(_LETTERED_ABSTRACT_ID)
    return int(num.numId)


def numbered_as(paragraph: Any, num_id: int) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.append(
        parse_xml(
            f"<w:numPr {nsdecls('w')}><w:ilvl w:val='0'/><w:numId w:val='{num_id}'/></w:numPr>"
        )
    )


def render_docx(statement: Statement) -> bytes:
    """A Word document with the same structure and numbering as the Markdown statement.

    Paragraph numbers and point letters are Word numbering, not typed text; the document's
    title and author are the statement's title and the Ombudsman's organisation.
    """
    doc = Document()
    set_properties(
        doc,
        statement.title,
        statement.author,
        statement.category,
        statement.decision_date,
        subject=f"{statement.decision_label}: {statement.category}",
    )
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(11)
    letters = lettered_list(doc)

    def text(value: str) -> str:
        # the statement is already clean; this guards a Statement built by other code
        return typographic(sanitise(value))

    def numbered(value: str) -> None:
        doc.add_paragraph(text(value), style="List Number")

    def heading(value: str) -> None:
        doc.add_heading(text(value), level=2)

    doc.add_heading(text(statement.title), level=1)
    if statement.draft_banner:
        doc.add_paragraph().add_run(text(statement.draft_banner)).bold = True
        for question in statement.missing_information:
            doc.add_paragraph(text(question), style="List Bullet")
    for label, value in (
        ("Category", statement.category),
        ("Decision", statement.decision_label),
        ("Decision date", long_date(statement.decision_date)),
    ):
        para = doc.add_paragraph()
        para.add_run(f"{label} : ").bold = True
        para.add_run(text(value))
    heading("The Ombudsman's final decision")
    doc.add_paragraph(text(f"Summary: {statement.summary}"))
    heading("The complaint")
    for value in statement.complaint:
        numbered(value)
    for point in statement.points:
        numbered_as(doc.add_paragraph(text(point.text)), letters)
    for value in statement.complaint_after:
        numbered(value)
    for title, paragraphs in (
        ("What I have investigated", statement.investigated),
        ("What I have not investigated", statement.not_investigated),
    ):
        if paragraphs:
            heading(title)
            for value in paragraphs:
                numbered(value)
    heading("The Ombudsman's role and powers")
    for paragraph in statement.role_and_powers:
        if paragraph.bullets:
            numbered(paragraph.text)
            for bullet in paragraph.bullets:
                doc.add_paragraph(text(bullet), style="List Bullet")
            doc.add_paragraph(text(f"({paragraph.citation})"))
        else:
            citation = f" ({paragraph.citation})" if paragraph.citation else ""
            numbered(paragraph.text + citation)
    heading("How I considered this complaint")
    for value in statement.how_considered:
        numbered(value)
    heading(statement.assessment_heading)
    for value in statement.assessment:
        numbered(value)
    heading("Final decision")
    for value in statement.final_decision:
        numbered(value)
    doc.add_paragraph().add_run(text(statement.closing)).italic = True
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def set_properties(
    doc: Any, title: str, author: str, category: str, day: date, *, subject: str = ""
) -> None:
    """Title, author and dates of the document itself (not the template's 'python-docx')."""
    props = doc.core_properties
    author = sanitise(author) or "Ombudsman"
    props.title = sanitise(title)
    props.subject = sanitise(subject)
    props.author = author
    props.last_modified_by = author
    props.comments = ""
    props.keywords = ""
    props.category = sanitise(category)
    stamp = datetime.combine(day, time(12, 0))
    props.created = stamp
    props.modified = stamp
    props.revision = 1
