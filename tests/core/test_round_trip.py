"""Drafting and reading are two sides of one statement: what ombuds drafts, it reads back.

For generated complaints, the drafted statement (Markdown and HTML) parses back to the same
reference, organisation, category, decision, date, complainant, points and tests.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ombuds.domain.assessment import Assessment
from ombuds.drafting import render, statement_for
from ombuds.drafting.text import clean
from ombuds.engine import assess
from ombuds.intake.synthetic import random_complaints
from ombuds.reading import parse_html, parse_text
from ombuds.rulebook import load_rulebook

RULEBOOK = load_rulebook()


# a decision date in each house-style edition (the complaint's own date is in the current one)
EDITIONS = (None, date(2020, 9, 29), date(2022, 3, 1))


def _given(assessment: Assessment) -> set[str]:
    """The tests the statement gives: each point's, its further reasons and its parts'."""
    return set(assessment.tests)


def _check(seed: int, on: date | None = None) -> None:
    complaint = next(random_complaints(1, seed=seed, rulebook=RULEBOOK))
    assessment = assess(complaint, RULEBOOK)
    statement = statement_for(complaint, RULEBOOK, on, assessment)
    for fmt, parse in (("md", parse_text), ("html", parse_html)):
        text = render(statement, RULEBOOK, fmt)
        assert isinstance(text, str)
        if assessment.questions:  # a draft: marked as one, listing every question
            assert "DRAFT: information missing" in text
            if fmt == "md":
                assert all(clean(q.question) in text for q in assessment.questions)
            continue
        record = parse(text)
        assert record.reference == complaint.reference
        assert record.organisation == complaint.organisation
        assert record.category == complaint.category
        assert record.decision == assessment.decision.value
        assert record.decision_label == assessment.decision_label
        assert record.decision_date == statement.decision_date
        assert record.complainant == complaint.complainant
        alleged = [p.alleged for p in complaint.points]
        if len(alleged) > 1:
            assert record.points == alleged
        else:
            assert len(record.points) == 1 and alleged[0] in record.points[0]
        assert set(record.tests) == _given(assessment), fmt


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32 - 1), st.sampled_from(EDITIONS))
def test_drafted_statements_read_back(seed: int, on: date | None) -> None:
    _check(seed, on)


def test_the_seed_statements_read_back() -> None:
    from pathlib import Path

    from ombuds.intake import load_complaint

    examples = Path(__file__).resolve().parents[2] / "examples"
    for path in sorted(examples.rglob("*.yaml")):
        if path.parent.name == "real":  # acceptance cases: `ombuds score`, tests/core/test_score.py
            continue
        complaint = load_complaint(path, RULEBOOK)
        assessment = assess(complaint, RULEBOOK)
        record = parse_text(str(render(statement_for(complaint, RULEBOOK), RULEBOOK, "md")))
        assert (record.reference, record.decision) == (
            complaint.reference,
            assessment.decision.value,
        ), path
        assert set(record.tests) == _given(assessment), path
