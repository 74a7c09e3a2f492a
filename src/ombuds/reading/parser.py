"""parse_text / parse_html: one published decision statement -> DecisionRecord."""

from __future__ import annotations

from ombuds.domain.record import DecisionRecord
from ombuds.reading.citations import find_citations
from ombuds.reading.header import apply_url, outcome_id, read_header
from ombuds.reading.html import html_to_text
from ombuds.reading.layout import Layout, split_layout
from ombuds.reading.outcome import outcome_from_text, says_outcome
from ombuds.reading.patterns import load_patterns
from ombuds.reading.people import find_complainant, find_points
from ombuds.reading.reasons import find_tests
from ombuds.reading.remedies import find_remedies
from ombuds.reading.textnorm import normalise

_CORE_SECTIONS = (
    "summary",
    "complaint",
    "role_and_powers",
    "how_considered",
    "assessment",
    "final_decision",
    "what_investigated",
    "agreed_action",
    "finding",
)
_UPHELD = (
    "upheld",
    "upheld_maladministration_and_injustice",
    "upheld_maladministration_no_injustice",
    "report_maladministration_and_injustice",
    "report_maladministration_no_injustice",
    "local_settlement",
)


class ParseError(ValueError):
    """The input is not a decision statement the reader can recognise."""


def _check_is_decision(text: str, layout: Layout) -> None:
    if not text.strip():
        raise ParseError("empty input: expected the text of a decision statement")
    if "\x00" in text:
        raise ParseError("binary data, not text: expected a decision statement as text or HTML")
    has_header = bool(layout.header) and any(
        line for line in layout.header if ":" in line or "(" in line or "Reference" in line
    )
    structural = [key for key in layout.headings_seen if key in _CORE_SECTIONS]
    if not structural and not has_header:
        raise ParseError(
            "not a decision statement: found neither a header block ('Org (YY NNN NNN)', "
            "'Decision : ...') nor any of the statement's headings ('Summary:', 'The complaint', "
            "'My assessment', 'Final decision' ...)"
        )


def parse_text(text: str, url: str | None = None, source: str | None = None) -> DecisionRecord:
    """Read a decision statement given as plain text (raises ParseError if it is not one)."""
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}")
    patterns = load_patterns()
    try:
        clean = normalise(text)
        layout = split_layout(clean, patterns)
    except RecursionError as error:  # pathological nesting in odd input
        raise ParseError(f"could not read the text: {error}") from error
    _check_is_decision(clean, layout)
    header = read_header(layout.header, patterns)
    if url:
        apply_url(header, url, patterns)
    decision = outcome_id(header.decision_label, patterns) if header.decision_label else None
    if decision is None:
        decision = outcome_from_text(layout, patterns)
    sections = {key: value for key in layout.sections if (value := layout.text(key))}
    remedies = find_remedies(layout, patterns) if decision in _UPHELD else []
    closure = (decision or "").startswith("closed") or says_outcome(
        layout, patterns, "closed_after_initial_enquiries"
    )
    return DecisionRecord(
        reference=header.reference,
        organisation=header.organisation,
        category=header.category,
        decision=decision,
        decision_label=header.decision_label,
        decision_date=header.decision_date,
        summary=layout.text("summary"),
        complainant=find_complainant(layout, patterns),
        points=find_points(layout),
        sections=sections,
        citations=find_citations(clean, patterns),
        tests=find_tests(layout, patterns, closure=closure, whole_text=clean.lower()),
        remedies=remedies,
        url=url,
        from_url=header.from_url,
        source=source,
    )


def parse_html(html: str, url: str | None = None, source: str | None = None) -> DecisionRecord:
    """Read a decision page of the Ombudsman's website (HTML)."""
    if not isinstance(html, str):
        raise ParseError(f"expected HTML text, got {type(html).__name__}")
    if "\x00" in html:
        raise ParseError("binary data, not HTML: expected a decision page")
    try:
        text = html_to_text(html)
    except (ValueError, RecursionError, AssertionError) as error:
        raise ParseError(f"could not read the HTML: {error}") from error
    return parse_text(text, url=url, source=source)
