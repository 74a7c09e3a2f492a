"""An edited statement (Markdown, as the assessor or reviewer left it) as HTML and Word.

The generated statement is rendered from its structure; an edit is free text, so it is read
back with a CommonMark parser (markdown-it-py) and laid out in the house structure: headings,
the continuously numbered paragraphs (Word numbering, not typed numbers), bullets, and the
points a), b)... as a lettered list. Raw HTML in an edit is shown as text, and links and
images are left as written, never followed: the edit is untrusted input like any other.
"""

from __future__ import annotations

import io
import re
from datetime import date
from functools import lru_cache
from itertools import pairwise
from typing import Any

from docx import Document
from docx.shared import Pt
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ombuds.drafting.render import lettered_list, numbered_as, set_properties
from ombuds.drafting.text import sanitise
from ombuds.drafting.wording import environment

# A point of the complaint as drafted: "a) ..." on its own line inside a numbered paragraph.
_POINT = re.compile(r"^\(?[a-z]\)\s+")
# Word paragraphs and runs an edit may make. A statement makes a few hundred; python-docx adds
# each paragraph in time growing with the document, so an edit of tens of thousands of lines
# would hold a server thread for minutes.
MAX_WORD_PARTS = 3_000


class EditTooLarge(ValueError):
    """The edit would make a Word document far larger than any statement."""


class _Budget:
    __slots__ = ("left",)

    def __init__(self) -> None:
        self.left = MAX_WORD_PARTS

    def spend(self, parts: int = 1) -> None:
        self.left -= parts
        if self.left < 0:
            raise EditTooLarge(
                f"the edit has more than {MAX_WORD_PARTS:,} paragraphs and runs of text to lay "
                "out in Word (a statement has a few hundred); shorten it, or download it as "
                "Markdown"
            )


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """CommonMark with raw HTML escaped and no links or images (nothing to follow)."""
    return MarkdownIt("commonmark", {"html": False, "breaks": True}).disable(
        ["link", "image", "autolink"]
    )


def _title(tokens: list[Token]) -> str:
    for opening, inline in pairwise(tokens):
        if opening.type == "heading_open" and opening.tag == "h1":
            return inline.content.strip()
    return ""


def edited_title(markdown: str) -> str:
    """The edit's first top-level heading (the statement's title), or an empty string."""
    return _title(_parser().parse(markdown))


def markdown_html(markdown: str) -> str:
    """A statement's Markdown as HTML markup: raw HTML escaped, a line break kept as one."""
    return str(_parser().render(markdown))


def edited_html(markdown: str, folder: str, author: str) -> str:
    """The edit as a standalone HTML page in the scheme's statement style."""
    parser = _parser()
    tokens = parser.parse(markdown)
    body = parser.renderer.render(tokens, parser.options, {})
    template = environment(folder).get_template("edited.html.j2")
    return str(template.render(title=_title(tokens), author=author, body=body))


def _runs(paragraph: Any, inline: Token, budget: _Budget) -> None:
    """Add ``inline``'s text to a Word paragraph, bold and italic kept, line breaks kept."""
    bold = italic = False
    for child in inline.children or []:
        budget.spend()
        if child.type == "strong_open" or child.type == "strong_close":
            bold = child.type == "strong_open"
        elif child.type == "em_open" or child.type == "em_close":
            italic = child.type == "em_open"
        elif child.type in ("softbreak", "hardbreak"):
            paragraph.add_run().add_break()
        elif child.content:
            run = paragraph.add_run(sanitise(child.content))
            run.bold, run.italic = bold or None, italic or None


def _lines(inline: Token) -> list[Token]:
    """``inline`` cut at its line breaks, each line an inline token of its own."""
    lines: list[Token] = [Token("inline", "", 0, children=[])]
    for child in inline.children or []:
        if child.type in ("softbreak", "hardbreak"):
            lines.append(Token("inline", "", 0, children=[]))
        else:
            assert lines[-1].children is not None
            lines[-1].children.append(child)
    return lines


def _text_of(inline: Token) -> str:
    return "".join(child.content for child in inline.children or [])


def edited_docx(markdown: str, author: str, decision_date: date) -> bytes:
    """The edit as a Word document: headings, numbered paragraphs, bullets, lettered points."""
    tokens = _parser().parse(markdown)
    doc = Document()
    set_properties(doc, _title(tokens), author, "", decision_date)
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(11)
    letters = lettered_list(doc)
    budget = _Budget()
    lists: list[str] = []  # the kinds of the lists we are in, innermost last
    started: list[bool] = []  # per open list item: has its first paragraph been written?
    heading = 0
    for token in tokens:
        if token.type in ("ordered_list_open", "bullet_list_open"):
            lists.append(token.type)
        elif token.type in ("ordered_list_close", "bullet_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            started.append(False)
        elif token.type == "list_item_close":
            started.pop()
        elif token.type == "heading_open":
            heading = min(int(token.tag[1:]), 9)
        elif token.type == "heading_close":
            heading = 0
        elif token.type in ("code_block", "fence"):
            budget.spend()
            doc.add_paragraph(sanitise(token.content.rstrip("\n")))
        elif token.type == "inline" and heading:
            budget.spend()
            doc.add_heading(sanitise(token.content), level=heading)
        elif token.type == "inline":
            # an item's first paragraph carries its number or bullet; later ones follow on
            kind = lists[-1] if lists and started and not started[-1] else None
            _paragraph(doc, token, kind, letters, budget)
            if started:
                started[-1] = True
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _paragraph(doc: Any, inline: Token, kind: str | None, letters: int, budget: _Budget) -> None:
    """One Markdown paragraph: a numbered or bulleted one, then any points it carries."""
    lines = _lines(inline)
    # the lines from the first "a) ..." on are the complaint's points
    first_point = next(
        (i for i, line in enumerate(lines) if i and _POINT.match(_text_of(line))), len(lines)
    )
    style = None
    if kind is not None:
        style = "List Number" if kind == "ordered_list_open" else "List Bullet"
    budget.spend()
    lead = doc.add_paragraph(style=style)
    for i, line in enumerate(lines[:first_point]):
        if i:
            lead.add_run().add_break()
        _runs(lead, line, budget)
    for line in lines[first_point:]:
        budget.spend()
        point = doc.add_paragraph()
        numbered_as(point, letters)
        children = list(line.children or [])
        if children and children[0].type == "text":
            stripped = _POINT.sub("", children[0].content, count=1)
            children[0] = Token("text", "", 0, content=stripped)
        _runs(point, Token("inline", "", 0, children=children), budget)
