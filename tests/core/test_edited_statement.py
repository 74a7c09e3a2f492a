"""An edited statement (the assessor's Markdown) as Word and HTML, in the house layout."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from ombuds.drafting import draft
from ombuds.drafting.edited import EditTooLarge, edited_docx, edited_html, edited_title
from ombuds.intake import load_complaint
from ombuds.rulebook import Rulebook

AUTHOR = "Local Government and Social Care Ombudsman"
SEED = Path(__file__).resolve().parents[2] / "examples" / "seeds" / "24-022-031.yaml"


def _numbered(paragraph: object) -> str | None:
    """The numbering of a Word paragraph: its style, or 'numId' for direct numbering."""
    element = paragraph._p  # type: ignore[attr-defined]
    if element.pPr is not None and element.pPr.numPr is not None:
        return "numId"
    return str(paragraph.style.name)  # type: ignore[attr-defined]


def test_an_edited_statement_keeps_the_house_layout_in_word(rulebook: Rulebook) -> None:
    markdown = str(draft(load_complaint(SEED, rulebook), rulebook, "md", date(2025, 6, 18)))
    edit = markdown.replace("We will not investigate", "We shall not investigate", 1)
    doc = Document(io.BytesIO(edited_docx(edit, AUTHOR, date(2025, 6, 18))))
    paragraphs = [(p.text, _numbered(p)) for p in doc.paragraphs]
    texts = [text for text, _ in paragraphs]

    assert doc.core_properties.title == "Cambridgeshire County Council (24 022 031)"
    assert doc.core_properties.author == AUTHOR
    assert ("The complaint", "Heading 2") in paragraphs
    assert any(t.startswith("Summary: We shall not investigate") for t in texts)
    # numbered paragraphs are Word numbering (no typed "1."), as many as the Markdown has
    numbered = [t for t, style in paragraphs if style == "List Number"]
    typed = [line for line in edit.splitlines() if line[:1].isdigit() and ". " in line[:5]]
    assert len(numbered) == len(typed) and not any(t[:1].isdigit() for t in numbered)
    # the points a) to e) are a lettered list of their own, letters not typed
    points = [t for t, style in paragraphs if style == "numId"]
    assert len(points) == 5
    assert points[0].startswith("put his child on a child in need plan")
    assert points[-1] == "ignored court orders."
    assert any(style == "List Bullet" for _, style in paragraphs)  # role-and-powers bullets


def test_edited_html_shows_raw_html_and_links_as_text(rulebook: Rulebook) -> None:
    edit = (
        "# Wilderby Borough Council (25 300 001)\n\n"
        "1. We will not investigate. <script>alert(1)</script>\n"
        "2. See [the council](javascript:alert(2)) and ![x](https://example.org/x.png).\n"
    )
    html = edited_html(edit, rulebook.folder, AUTHOR)
    assert "<title>Wilderby Borough Council (25 300 001)</title>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<a " not in html and "<img" not in html
    assert "<ol>\n<li>We will not investigate." in html
    assert edited_title("no heading at all") == ""


def test_bold_and_italic_survive_into_word() -> None:
    doc = Document(io.BytesIO(edited_docx("**DRAFT** and *later*\n", AUTHOR, date(2025, 1, 1))))
    runs = [(r.text, r.bold, r.italic) for r in doc.paragraphs[0].runs]
    assert ("DRAFT", True, None) in runs and ("later", None, True) in runs


def test_an_absurdly_long_edit_is_refused_for_word_not_left_to_run() -> None:
    edit = "1. a point\n    b) and a letter\n" * 5_000
    with pytest.raises(EditTooLarge) as caught:
        edited_docx(edit, AUTHOR, date(2025, 1, 1))
    assert "shorten it" in str(caught.value)
