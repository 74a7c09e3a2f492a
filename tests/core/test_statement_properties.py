"""Properties of every drafted statement, over generated complaints.

Complaints come from ombuds.intake.synthetic; hypothesis adds what the generator leaves out
(outcomes sought, further reasons after a bar, parts of points assessed apart) so the rules hold
for the statements those produce too:

- no sentence is printed twice in one statement;
- the summary and the final decision name every reason the statement relies on.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ombuds.domain.assessment import Assessment, PartResult
from ombuds.domain.complaint import Complaint
from ombuds.domain.outcomes import Recommendation
from ombuds.drafting import render, statement_for
from ombuds.drafting.text import clean
from ombuds.drafting.units import point_context
from ombuds.drafting.wording import possessive, reason_clause
from ombuds.engine import assess
from ombuds.engine.derive import complaint_facts
from ombuds.intake.synthetic import random_complaints
from ombuds.rulebook import load_rulebook
from tests.core.test_statements import repeated

RULEBOOK = load_rulebook()
CLOSING = sorted(t.id for t in RULEBOOK.tests if t.effect == "close")
OPEN = {Recommendation.INVESTIGATE, Recommendation.NEEDS_INFORMATION}
OUTCOMES = (
    "an apology",
    "the Council to pay for the damage",
    "the Council to change its policy",
    "the officer to be disciplined",
)
PART_NAMES = ("the events before March 2023", "the personnel matters", "the court proceedings")


@st.composite
def cases(draw: Any) -> tuple[Complaint, Assessment]:
    seed = draw(st.integers(min_value=0, max_value=2**32 - 1))
    complaint = next(random_complaints(1, seed=seed, rulebook=RULEBOOK))
    points: list[dict[str, Any]] = []
    extras: dict[str, dict[str, Any]] = {}
    for point in complaint.points:
        data = point.model_dump(exclude_none=True)
        if draw(st.booleans()):
            data["outcome_sought"] = draw(st.sampled_from(OUTCOMES))
        names = draw(st.lists(st.sampled_from(PART_NAMES), max_size=2, unique=True))
        data["parts"] = [{"description": n} for n in names]
        extras[point.label] = {
            "co_applicable": draw(st.lists(st.sampled_from(CLOSING), max_size=2, unique=True)),
            "parts": [
                PartResult(
                    description=n,
                    decision=draw(
                        st.sampled_from(
                            [
                                Recommendation.CLOSED_AFTER_INITIAL_ENQUIRIES,
                                Recommendation.PREMATURE,
                            ]
                        )
                    ),
                    tests=draw(
                        st.lists(st.sampled_from(CLOSING), min_size=1, max_size=2, unique=True)
                    ),
                )
                for n in names
            ],
        }
        points.append(data)
    complaint = Complaint.model_validate({**complaint.model_dump(), "points": points})
    assessment = assess(complaint, RULEBOOK)
    results = []
    for result in assessment.points:
        extra = extras[result.label]
        update: dict[str, Any] = {"parts": extra["parts"]}
        if draw(st.integers(0, 5)) == 0:  # an unknown fact could still change this point
            update["decision"] = Recommendation.NEEDS_INFORMATION
        elif result.decision not in OPEN:
            update["co_applicable"] = [t for t in extra["co_applicable"] if t not in result.tests]
        results.append(result.model_copy(update=update))
    overall = assessment.decision
    if any(r.decision == Recommendation.NEEDS_INFORMATION for r in results):
        overall = Recommendation.NEEDS_INFORMATION
    return complaint, assessment.model_copy(update={"points": results, "decision": overall})


def reasons_relied_on(complaint: Complaint, assessment: Assessment) -> list[str]:
    """The clause of every closing reason of the points and parts not investigated."""
    context = {
        "who": complaint.complainant,
        "whose": possessive(complaint.complainant),
        "body": RULEBOOK.short_name(complaint.organisation),
        "Body": RULEBOOK.short_name(complaint.organisation).capitalize(),
        "style": "current",
        "complaint_facts": {**complaint_facts(complaint), **complaint.facts},
    }
    clauses: list[str] = []
    points = {p.label: p for p in complaint.points}
    for result in assessment.points:
        units = (
            [(result, result.tests + result.co_applicable)] if result.decision not in OPEN else []
        )
        units += [(part, part.tests) for part in result.parts if part.decision not in OPEN]
        for unit, tests in units:
            c = point_context(context, complaint, points[result.label], unit)
            for test_id in tests:
                test = RULEBOOK.test(test_id)
                if test.effect == "close":
                    clauses.append(reason_clause(RULEBOOK, test, c))
    return clauses


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_no_sentence_is_repeated(case: tuple[Complaint, Assessment]) -> None:
    complaint, assessment = case
    statement = statement_for(complaint, RULEBOOK, None, assessment)
    assert repeated(statement) == []
    render(statement, RULEBOOK, "md")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_every_reason_is_named_in_summary_and_final_decision(
    case: tuple[Complaint, Assessment],
) -> None:
    complaint, assessment = case
    statement = statement_for(complaint, RULEBOOK, None, assessment)
    final = " ".join(statement.final_decision)
    for clause in reasons_relied_on(complaint, assessment):
        printed = clean(clause)
        assert printed in statement.summary, clause
        assert printed in final, clause
