"""Reading single statements: header, sections, points, citations, tests, remedies."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ombuds.reading import ParseError, parse_html, parse_text
from ombuds.reading.citations import find_citations
from ombuds.reading.header import outcome_id
from ombuds.reading.patterns import load_patterns


def test_text_statement_header_and_sections(fixtures: Path) -> None:
    record = parse_text((fixtures / "closed_statement.txt").read_text(), source="closed.txt")
    assert record.reference == "24 123 456"
    assert record.organisation == "Northshire County Council"
    assert record.category == "Planning > Enforcement"
    assert record.decision == "closed_after_initial_enquiries"
    assert record.decision_label == "Closed after initial enquiries"
    assert record.decision_date == date(2025, 2, 7)
    assert record.complainant == "Mrs Q"
    assert record.source == "closed.txt"
    assert record.summary is not None and record.summary.startswith("We will not investigate")
    assert set(record.sections) >= {
        "summary",
        "complaint",
        "role_and_powers",
        "how_considered",
        "assessment",
        "final_decision",
    }
    assert len(record.points) == 3
    assert record.points[0].startswith("did not take enforcement action")
    assert record.remedies == []  # not upheld: no remedies read


def test_tests_come_from_reasons_not_boilerplate(fixtures: Path) -> None:
    record = parse_text((fixtures / "closed_statement.txt").read_text())
    assert record.tests == [
        "insufficient_evidence_of_fault",
        "injustice_not_significant",
        "alternative_remedy_court",
    ]
    # The same role-and-powers paragraphs with no reasons given must yield no tests.
    text = (fixtures / "closed_statement.txt").read_text()
    boilerplate_only = text.split("How I considered this complaint")[0]
    header, _, rest = boilerplate_only.partition("The Ombudsman's final decision:")
    rest = rest.split("The complaint", 1)[1]
    record = parse_text(header + "The complaint" + rest)
    assert record.tests == []


def test_citations_normalised(fixtures: Path) -> None:
    record = parse_text((fixtures / "closed_statement.txt").read_text())
    assert record.citations == [
        "Local Government Act 1974, section 24A(6)",
        "Local Government Act 1974, section 34B",
        "Local Government Act 1974, section 26(6)(c)",
    ]
    patterns = load_patterns()
    assert find_citations(
        "(Local Government Act 1974, paragraph 5A schedule 5, as amended) and "
        "[Local Government Act 1974, Schedule 5.5 (as amended)] and "
        "(Local Government Act 1974, sections 26B and 34D, as amended)",
        patterns,
    ) == [
        "Local Government Act 1974, Schedule 5, paragraph 5A",
        "Local Government Act 1974, Schedule 5, paragraph 5",
        "Local Government Act 1974, section 26B",
        "Local Government Act 1974, section 34D",
    ]


def test_upheld_statement_remedies_and_scope(fixtures: Path) -> None:
    record = parse_text((fixtures / "upheld_statement.txt").read_text())
    assert record.decision == "upheld"
    assert record.decision_date == date(2024, 3, 3)
    assert "what_investigated" in record.sections and "agreed_action" in record.sections
    assert record.sections["assessment"].startswith("The Council's policy says")
    kinds = [(r.kind, r.amount_gbp, r.deadline) for r in record.remedies]
    assert ("apology", None, "Within one month of the final decision") in kinds
    assert ("payment", 250.0, "Within one month of the final decision") in kinds
    assert ("service_improvement", None, "Within three months of the final decision") in kinds
    # The part left out (an appeal stage the complainant could use) is the only test.
    assert record.tests == ["council_review_or_appeal_available"]


def test_html_page_with_furniture(fixtures: Path) -> None:
    record = parse_html((fixtures / "decision_page.html").read_text(), source="page.html")
    assert record.reference == "25 000 111"
    assert record.organisation == "Westmarch District Council"
    assert record.category == "Benefits and tax > Council tax"
    assert record.decision == "closed_after_initial_enquiries"
    assert record.decision_date == date(2025, 8, 14)
    assert record.complainant == "Ms V"
    assert record.tests == ["alternative_remedy_tribunal"]
    assert record.citations == ["Local Government Act 1974, section 26(6)(a)"]
    everything = " ".join(record.sections.values())
    for furniture in ("Back to top", "cookies", "Make a complaint", "Print this page", "tracking"):
        assert furniture not in everything
    assert record.points == [
        "Ms V complains the Council wrongly decided she is liable for council tax on a flat "
        "she says was uninhabitable."
    ]


def test_no_header_fields_from_url_are_marked() -> None:
    text = (
        "The Ombudsman's final decision\n"
        "Summary: We will not investigate Mr W's complaint about a parking penalty. It is "
        "reasonable to expect him to appeal to the traffic penalty tribunal.\n"
        "The complaint\nMr W complains the Council issued a penalty charge notice.\n"
    )
    record = parse_text(
        text,
        url="https://www.lgo.org.uk/decisions/transport-and-highways/"
        "parking-and-other-penalties/22-333-444",
    )
    assert record.reference == "22 333 444"
    assert record.category == "Transport and highways > Parking and other penalties"
    assert record.organisation is None  # not in the text, not in this URL: never guessed
    assert record.decision_label is None
    assert record.decision == "closed_after_initial_enquiries"  # read from the wording
    assert record.decision_date is None
    assert set(record.from_url) == {"reference", "category"}
    assert record.tests == ["alternative_remedy_tribunal"]
    mirror = parse_text(text, url="https://example.org/decisions/lgo-22-333-444-eastvale-council/")
    assert mirror.organisation == "Eastvale Council"
    assert "organisation" in mirror.from_url


def test_truncated_statement_parses(fixtures: Path) -> None:
    text = (fixtures / "closed_statement.txt").read_text()
    cut = text[: text.index("We provide a free service") + 12]
    record = parse_text(cut)
    assert record.reference == "24 123 456"
    assert record.tests == ["insufficient_evidence_of_fault", "alternative_remedy_court"]
    assert "assessment" not in record.sections


def test_older_and_mirror_outcome_labels() -> None:
    patterns = load_patterns()
    assert outcome_id("Upheld: maladministration and injustice", patterns) == (
        "upheld_maladministration_and_injustice"
    )
    assert outcome_id("Not upheld: no maladministration", patterns) == (
        "not_upheld_no_maladministration"
    )
    assert outcome_id("MI reps", patterns) == "report_maladministration_and_injustice"
    assert outcome_id("Some New Label", patterns) == "some_new_label"
    mirror = (
        "Source · LGO (Local Government & Social Care Ombudsman)\n\nEastvale Council\n\n"
        "LGO (Local Government & Social Care Ombudsman) Not upheld Reference 21-222-333 Sector "
        "Benefits And Tax Category Council Tax Decided 13 June 2022\n\nFull decision\n\n"
        "The Ombudsman's final decision\n\nSummary: Mr K complained about a bill. We found no "
        "fault.\n\nThe complaint\n\nMr K complains about a bill.\n"
    )
    record = parse_text(mirror)
    assert (record.reference, record.organisation, record.decision) == (
        "21 222 333",
        "Eastvale Council",
        "not_upheld",
    )
    assert record.category == "Benefits and tax > Council tax"
    assert record.decision_date == date(2022, 6, 13)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   \n\t  ", "empty"),
        ("The quick brown fox jumps over the lazy dog.\nNothing to see here.", "not a decision"),
        ("abc\x00def The complaint", "binary"),
    ],
)
def test_not_a_decision_raises_parse_error(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_text(text)


def test_anonymisation_variants() -> None:
    base = "Summary: {s}\nThe complaint\n{c}\n"
    cases = {
        (
            "We will not investigate.",
            "The complainant, whom I shall call Mrs M, complains.",
        ): "Mrs M",
        (
            "Mr and Mrs X complain about noise.",
            "Mr and Mrs X complain about noise.",
        ): "Mr and Mrs X",
        ("X complained about the Council.", "X complained about a hot food takeaway."): "X",
        ("We will not investigate.", "Ms B complains on behalf of her mother, Mrs C."): "Ms B",
    }
    for (summary, complaint), expected in cases.items():
        assert parse_text(base.format(s=summary, c=complaint)).complainant == expected
