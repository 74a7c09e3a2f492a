"""Every reason that applies: co-applicable reasons after a bar, parts of a point judged apart,
section 34(3) only on an established absence of fault, and the new facts' tests."""

from __future__ import annotations

from typing import Any

from ombuds.domain.outcomes import Recommendation, TestResult
from ombuds.engine import assess
from ombuds.engine.cases import case_complaint
from ombuds.rulebook import Rulebook

R = Recommendation


def run(rulebook: Rulebook, **given: Any) -> Any:
    return assess(case_complaint(given, rulebook), rulebook)


def test_a_tribunal_appeal_and_an_outcome_we_cannot_achieve_are_both_given(
    rulebook: Rulebook,
) -> None:
    result = run(
        rulebook,
        facts={"tribunal_appeal_available": True, "wants_legal_ruling_or_damages": True},
    )
    point = result.points[0]
    assert point.decision is R.CLOSED_AFTER_INITIAL_ENQUIRIES
    assert point.tests == ["alternative_remedy_tribunal"]
    assert point.co_applicable == ["outcome_not_achievable"]
    assert result.tests == ["alternative_remedy_tribunal", "outcome_not_achievable"]
    entry = next(e for e in point.trace if e.test == "outcome_not_achievable")
    assert entry.result is TestResult.APPLIES and "ended by" in (entry.note or "")


def test_co_applicable_reasons_never_change_the_decision_nor_come_from_unknowns(
    rulebook: Rulebook,
) -> None:
    result = run(
        rulebook,
        facts={"about_court_action": True, "evidence_of_fault": None, "injustice": None},
    )
    point = result.points[0]
    assert point.decision is R.CLOSED_AFTER_INITIAL_ENQUIRIES  # the bar settles it
    assert not result.questions  # unknowns after a bar are not asked
    assert point.co_applicable == []


def test_a_premature_point_gives_no_other_reasons(rulebook: Rulebook) -> None:
    result = run(
        rulebook,
        dates={"complained_to_body": None, "final_response": None},
        facts={"evidence_of_fault": False},
    )
    assert result.points[0].decision is R.PREMATURE
    assert result.points[0].co_applicable == []


def test_the_late_part_of_a_point_is_closed_and_the_rest_investigated(
    rulebook: Rulebook,
) -> None:
    result = run(
        rulebook,
        points=[
            {
                "first_knew": "2024-09-01",
                "facts": {"injustice": "significant"},
                "parts": [{"description": "the events before 2023", "before": "2023-01-01"}],
            }
        ],
    )
    point = result.points[0]
    assert point.decision is R.INVESTIGATE
    assert result.decision is R.INVESTIGATE
    [part] = point.parts
    assert part.description == "the events before 2023"
    assert part.decision is R.CLOSED_AFTER_INITIAL_ENQUIRIES
    assert part.tests == ["late_complaint"]
    assert "late_complaint" in result.tests


def test_an_aspect_of_a_point_with_its_own_facts(rulebook: Rulebook) -> None:
    result = run(
        rulebook,
        points=[
            {
                "facts": {"injustice": "significant"},
                "parts": [
                    {
                        "description": "the disciplinary action",
                        "facts": {"about_personnel_matter": True},
                    }
                ],
            }
        ],
    )
    point = result.points[0]
    assert point.decision is R.INVESTIGATE
    assert point.parts[0].tests == ["personnel_matter"]
    assert "the Employment Tribunal" in point.parts[0].refer_to


def test_section_34_3_only_on_an_established_absence_of_fault(rulebook: Rulebook) -> None:
    unknown = run(rulebook, facts={"disagrees_with_decision": True, "evidence_of_fault": None})
    assert "merits_disagreement_only" not in unknown.tests
    assert unknown.decision is R.NEEDS_INFORMATION
    no_evidence = run(rulebook, facts={"disagrees_with_decision": True, "evidence_of_fault": False})
    assert no_evidence.tests == ["insufficient_evidence_of_fault"]  # one reason, not two
    established = run(
        rulebook,
        facts={
            "disagrees_with_decision": True,
            "decision_process_without_fault": True,
            "evidence_of_fault": False,
        },
    )
    assert established.tests == ["insufficient_evidence_of_fault"]  # it yields: one reason
    process_only = run(
        rulebook,
        facts={
            "disagrees_with_decision": True,
            "decision_process_without_fault": True,
            "evidence_of_fault": None,
        },
    )
    assert process_only.tests == ["merits_disagreement_only"]
    assert process_only.decision is R.CLOSED_AFTER_INITIAL_ENQUIRIES


def test_new_facts_reach_their_tests(rulebook: Rulebook) -> None:
    conflict = run(rulebook, facts={"accounts_conflict": True})
    assert conflict.tests == ["cannot_add_to_council_investigation"]
    old = run(
        rulebook,
        dates={"first_knew": "2021-01-10"},
        facts={"continuing_injustice": True, "evidence_too_old": True},
    )
    assert old.tests == ["late_complaint"]
    apology = run(
        rulebook,
        points=[
            {"facts": {"injustice": "significant"}},
            {"facts": {"about_complaint_handling": True, "only_outcome_sought_is_apology": True}},
        ],
    )
    assert apology.points[1].tests == ["complaint_handling_only"]
    stated = run(rulebook, facts={"evidence_of_fault": False, "no_wider_public_interest": True})
    assert stated.tests == ["insufficient_evidence_of_fault", "public_interest_factor"]
    entry = next(e for e in stated.points[0].trace if e.test == "public_interest_factor")
    assert entry.note == "its absence is stated as a reason"
    investigated = run(rulebook, facts={"no_wider_public_interest": True})
    assert investigated.decision is R.INVESTIGATE and investigated.tests == []
