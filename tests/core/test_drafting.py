"""Statements in Markdown, HTML and Word, with the house structure and exact citations."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from typer.testing import CliRunner

from ombuds.cli.main import app
from ombuds.drafting import statement_for
from ombuds.intake import load_complaint
from ombuds.rulebook import Rulebook
from tests.core.conftest import EXAMPLES

SEED = EXAMPLES / "seeds" / "24-022-031.yaml"
HEADINGS = [
    "The Ombudsman’s final decision",
    "The complaint",
    "The Ombudsman’s role and powers",
    "How I considered this complaint",
    "My assessment",
    "Final decision",
]


def test_markdown_has_the_house_structure_in_order(runner: CliRunner) -> None:
    result = runner.invoke(app, ["assess", str(SEED)])
    text = result.output
    assert text.startswith("# Cambridgeshire County Council (24 022 031)\n")
    assert "Category : Children's care services > Other" in text
    assert "Decision : Closed after initial enquiries" in text
    assert "Decision date : 18 Jun 2025" in text
    positions = [text.index(f"## {h}") for h in HEADINGS]
    assert positions == sorted(positions)
    assert (
        "    d) said his partner had a diagnosis of autism without any evidence; and\n"
        "    e) ignored court orders."
    ) in text
    assert text.rstrip().endswith("Investigator’s decision on behalf of the Ombudsman")


def test_role_and_powers_explains_each_test_once(rulebook: Rulebook) -> None:
    statement = statement_for(load_complaint(SEED, rulebook), rulebook)
    texts = [p.text for p in statement.role_and_powers]
    assert len(texts) == len(set(texts))
    explained = {t for p in statement.role_and_powers for t in p.tests}
    assert explained == set(statement_tests(statement, rulebook))
    assert statement.citations == [
        "Local Government Act 1974, section 24A(6), as amended, section 34(B)",
        "Local Government Act 1974, sections 24A(6) and 34B(8), as amended",
        "Local Government Act 1974, section 24A(6), as amended",
    ]


def statement_tests(statement: object, rulebook: Rulebook) -> list[str]:
    from ombuds.engine import assess

    assessment = assess(load_complaint(SEED, rulebook), rulebook)
    return [t for t in assessment.tests if rulebook.test(t).role != "none"]


def test_house_style_follows_the_decision_date(runner: CliRunner) -> None:
    old = runner.invoke(app, ["assess", str(SEED), "--date", "2020-09-29"]).output
    assert "## What I found" in old
    assert "section 34(B)" not in old
    bad = runner.invoke(app, ["assess", str(SEED), "--date", "2020-13-01"])
    assert bad.exit_code == 2
    assert "YYYY-MM-DD" in bad.output


def test_html_is_escaped_and_structured(tmp_path: Path, runner: CliRunner) -> None:
    complaint = tmp_path / "c.yaml"
    complaint.write_text(
        SEED.read_text(encoding="utf-8").replace(
            "ignored court orders", "ignored court orders <script>alert(1)</script>"
        ),
        encoding="utf-8",
    )
    out = tmp_path / "s.html"
    result = runner.invoke(app, ["assess", str(complaint), "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    for heading in HEADINGS:
        assert f"<h2>{heading}</h2>" in html
    assert '<ol class="points">' in html


def test_word_document_opens_with_the_sections(tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "s.docx"
    result = runner.invoke(app, ["assess", str(SEED), "--format", "docx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = Document(io.BytesIO(out.read_bytes()))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Cambridgeshire County Council (24 022 031)"
    assert headings[1:] == HEADINGS
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "(Local Government Act 1974, sections 24A(6) and 34B(8), as amended)" in body


def test_several_complaints_to_a_folder(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["assess", str(EXAMPLES / "seeds"), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.glob("*.md"))) == 5
