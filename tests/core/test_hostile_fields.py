"""Hostile input is normal input: every complaint field, every payload, every format.

A complaint file is typed by people and pasted from anywhere. Whatever a field holds, drafting
must not crash (Word/XML cannot hold NUL, vertical tab, other C0 controls or lone surrogates),
must not pass raw HTML into Markdown or HTML, must keep Jinja syntax inert, and must not let
bidirectional overrides reorder what a reader sees.
"""

from __future__ import annotations

import copy
import io
import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from typer.testing import CliRunner

from ombuds.cli.main import app
from ombuds.domain.complaint import Complaint
from ombuds.domain.outcomes import Recommendation
from ombuds.domain.statement import RoleParagraph, Statement, StatementPoint
from ombuds.drafting import render, statement_for
from ombuds.drafting.text import clean, markdown_escape
from ombuds.engine import assess
from ombuds.rulebook import Rulebook
from tests.core.conftest import EXAMPLES

PAYLOADS = {
    "script": "<script>alert(1)</script> tail",
    "img": '<img src=x onerror="alert(1)"> tail',
    "comment": "<!-- hidden --> tail",
    "entity": "&#60;script&#62;alert(1)&#60;/script&#62; &lt;b&gt;",
    "jinja": "{{ 7 * 7 }} {% for x in range(3) %}loop{% endfor %} {# c #}",
    "controls": "nul\x00 vt\x0b ff\x0c esc\x1b bell\x07 del\x7f c1\x85\x9b",
    "surrogate": "lone \ud800 and \udfff surrogates",
    "bidi": "\u202eevil\u202c \u2066isolate\u2069 \u202aembed\u202c",
    "markdown": "line\n# Heading\n\n- item\n> quote\n    code",
    "links": "![pixel](http://127.0.0.1:9/p.png) [click](javascript:alert(1)) <http://x.test>",
    "link_definition": "[r]: http://127.0.0.1:9/ then [click][r] and [r]",
    "non_characters": "a\ufffeb\uffffc",
    "separators": "a\u2028b\u2029c",
}

BASE = yaml.safe_load((EXAMPLES / "seeds" / "24-003-230.yaml").read_text(encoding="utf-8"))
BASE["representative"] = {"name": "Mr Y", "relationship": "her brother", "written_consent": True}
BASE["points"][0]["injustice"] = "distress"
BASE["points"][0]["outcome_sought"] = "an apology"
BASE["points"][1]["parts"] = [{"description": "the earlier letters", "notes": ["A note."]}]

# every free-text field of a complaint file (identifiers such as the reference, the anonymised
# names and the category are validated and refused, never drafted)
FIELDS: list[tuple[Any, ...]] = [
    ("organisation",),
    ("subject",),
    ("considered", 1),
    ("representative", "relationship"),
    ("points", 0, "alleged"),
    ("points", 0, "injustice"),
    ("points", 0, "outcome_sought"),
    ("points", 0, "notes", 0),
    ("points", 1, "alleged"),
    ("points", 1, "parts", 0, "description"),
    ("points", 1, "parts", 0, "notes", 0),
    ("points", 2, "notes", 0),
]

HEADINGS = {
    "## The Ombudsman’s final decision",
    "## The complaint",
    "## What I have investigated",
    "## What I have not investigated",
    "## The Ombudsman’s role and powers",
    "## How I considered this complaint",
    "## My assessment",
    "## What I found",
    "## Final decision",
}
# fields every statement prints (a part is printed once the engine assesses it apart; the
# injustice claimed informs the assessor, the statement does not quote it)
PRINTED = [f for f in FIELDS if "parts" not in f and "injustice" not in f]
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def _with(path: tuple[Any, ...], value: str) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


TEMPLATE_TAGS = {"html", "head", "meta", "title", "style", "body", "article", "div", "p"} | {
    "strong", "h1", "h2", "ol", "li", "ul", "span", "footer"
}  # fmt: skip


def _check_text(text: str, fmt: str) -> None:
    assert not UNSAFE.search(text), fmt
    assert "49" not in text.replace("2049", ""), "Jinja syntax in a field was evaluated"
    assert "looploop" not in text


@pytest.mark.parametrize("payload", sorted(PAYLOADS))
@pytest.mark.parametrize("field", FIELDS, ids=lambda f: ".".join(map(str, f)))
def test_every_field_every_payload_every_format(
    rulebook: Rulebook, field: tuple[Any, ...], payload: str
) -> None:
    try:
        complaint = Complaint.model_validate(_with(field, PAYLOADS[payload]))
    except ValidationError as exc:
        # refused cleanly, naming the field (pydantic will not hold a lone surrogate)
        assert payload == "surrogate"
        assert str(field[-1]) in str(exc)
        return
    assessment = assess(complaint, rulebook)
    statement = statement_for(complaint, rulebook, None, assessment)

    markdown = render(statement, rulebook, "md")
    assert isinstance(markdown, str)
    _check_text(markdown, "md")
    assert "<" not in markdown  # no tag or comment can open
    assert not re.search(r"&(?!amp;|lt;)[#A-Za-z0-9]+;", markdown)  # no live character reference
    assert not re.search(r"(?<!\\)\[[^\]]*\][(\[:]", markdown)  # no live link, image, definition
    headings = [line for line in markdown.splitlines() if line.startswith("#")]
    assert headings[0].startswith("# ") and headings[0].endswith(f"({complaint.reference})")
    assert set(headings[1:]) <= HEADINGS  # a field cannot start a heading of its own

    html = render(statement, rulebook, "html")
    assert isinstance(html, str)
    _check_text(html, "html")
    tags = _Tags()
    tags.feed(html)
    assert tags.tags <= TEMPLATE_TAGS
    assert tags.comments == []

    word = render(statement, rulebook, "docx")
    assert isinstance(word, bytes)
    doc = Document(io.BytesIO(word))
    body = "\n".join(p.text for p in doc.paragraphs)
    _check_text(body, "docx")
    if payload in ("script", "jinja") and field in PRINTED:
        assert PAYLOADS[payload].split(" ")[0] in body  # kept as text, not dropped

    data = json.loads(json.dumps(assessment.model_dump(mode="json"), ensure_ascii=False))
    assert data["reference"] == complaint.reference


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "json"])
def test_the_command_survives_hostile_fields(tmp_path: Path, runner: CliRunner, fmt: str) -> None:
    data = copy.deepcopy(BASE)
    data["organisation"] = "Kent County Council " + PAYLOADS["bidi"] + PAYLOADS["separators"]
    data["subject"] = PAYLOADS["script"] + PAYLOADS["controls"]
    data["points"][0]["notes"] = [PAYLOADS["jinja"], PAYLOADS["comment"]]
    complaint = tmp_path / "hostile.json"
    complaint.write_text(json.dumps(data, default=str), encoding="utf-8")
    out = tmp_path / f"statement.{fmt}"
    result = runner.invoke(app, ["assess", str(complaint), "--format", fmt, "-o", str(out)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 3), result.output
    if fmt == "docx":
        Document(io.BytesIO(out.read_bytes()))
    else:
        text = out.read_text(encoding="utf-8")
        assert "<script" not in text
        if fmt == "json":
            json.loads(text)
        else:
            _check_text(text, fmt)


def test_a_lone_surrogate_is_refused_naming_the_field(tmp_path: Path, runner: CliRunner) -> None:
    data = copy.deepcopy(BASE)
    data["subject"] = PAYLOADS["surrogate"]
    complaint = tmp_path / "hostile.json"
    complaint.write_text(json.dumps(data, default=str), encoding="utf-8")
    result = runner.invoke(app, ["assess", str(complaint), "--format", "docx", "-o", "x.docx"])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert "subject" in result.output


def test_text_hygiene_itself() -> None:
    dirty = "a\x00b\x0bc \ud800d\u202ee\u2069 \n\n f\ufffe 'quoted' \"double\" it's"
    assert clean(dirty) == "abc de f ‘quoted’ “double” it’s"
    assert markdown_escape("<b>&amp; & x</b>") == "&lt;b>&amp;amp; & x&lt;/b>"
    assert markdown_escape("![p](http://t/p.png) [sic]") == "!\\[p](http://t/p.png) \\[sic]"
    assert (
        markdown_escape("[r]: http://t/ [x][r] [[b](c)")
        == "\\[r]: http://t/ \\[x]\\[r] \\[\\[b](c)"
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec=None), max_size=60))
def test_the_writers_never_crash_on_any_string(rulebook: Rulebook, value: str) -> None:
    """Even a Statement built by other code (not through compose) with any string in any field
    renders in every format, and the Word document opens."""
    statement = Statement.model_construct(
        organisation=value,
        reference=value,
        category=value,
        decision=Recommendation.CLOSED_AFTER_INITIAL_ENQUIRIES,
        decision_label=value,
        decision_date=date(2025, 1, 6),
        summary=value,
        complaint=[value],
        points=[StatementPoint.model_construct(label="a", text=value)],
        complaint_after=[value],
        investigated=[value],
        not_investigated=[value],
        role_and_powers=[
            RoleParagraph.model_construct(text=value, bullets=[value], citation=value, tests=[])
        ],
        how_considered=[value],
        assessment_heading=value,
        assessment=[value],
        final_decision=[value],
        closing=value,
        author=value,
        publishable=True,
        draft_banner=value,
        missing_information=[value],
    )
    for fmt in ("md", "html"):
        assert isinstance(render(statement, rulebook, fmt), str)
    word = render(statement, rulebook, "docx")
    assert isinstance(word, bytes)
    Document(io.BytesIO(word))
