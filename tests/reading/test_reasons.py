"""Reading the tests a decision relied on: scoping, negation, close calls, bad pattern data.

Statements here are invented (fictional councils and people) in the house structure.
"""

from __future__ import annotations

import pytest

from ombuds.reading import parse_text
from ombuds.reading.patterns import _test_rules

_ROLE_BULLETS = {
    "add": "it is unlikely we could add to any previous investigation by the organisation, or",
    "different": "further investigation would not lead to a different outcome, or",
}


def _statement(summary: str, assessment: str = "", role_bullets: tuple[str, ...] = ()) -> str:
    bullets = "\n".join(f"- {_ROLE_BULLETS[b]}" for b in role_bullets)
    role = (
        "We investigate complaints about 'maladministration' and 'service failure'. We do not "
        "start or continue an investigation if we decide:\n" + bullets + "\n"
        "(Local Government Act 1974, section 24A(6), as amended)"
        if role_bullets
        else "We investigate complaints about 'maladministration' and 'service failure'."
    )
    return (
        "Brackenford District Council (24 900 111)\n"
        "Category : Environment and regulation > Noise\n"
        "Decision : Closed after initial enquiries\n"
        "Decision date : 03 Feb 2025\n"
        "The Ombudsman's final decision\n"
        f"Summary: {summary}\n"
        "The complaint\n"
        "1. Mr Q complained about how the Council dealt with his reports.\n"
        "The Ombudsman's role and powers\n"
        f"2. {role}\n"
        "My assessment\n"
        f"3. {assessment or summary}\n"
        "Final decision\n"
        "4. We will not investigate Mr Q's complaint.\n"
    )


def _tests(summary: str, assessment: str = "", role_bullets: tuple[str, ...] = ()) -> set[str]:
    return set(parse_text(_statement(summary, assessment, role_bullets)).tests)


def test_subject_of_the_complaint_is_not_its_reason() -> None:
    got = _tests(
        "We will not investigate Mr Q's complaint about what the Council told the court in a "
        "hearing because there is not enough evidence of fault."
    )
    assert got == {"insufficient_evidence_of_fault"}


def test_reported_speech_is_not_a_reason() -> None:
    got = _tests(
        "We will not investigate this complaint because we are unlikely to find fault.",
        "Mr Q says the Council should have gone to court. We are unlikely to find fault.",
    )
    assert got == {"insufficient_evidence_of_fault"}


def test_the_ombudsman_is_no_appeal_route() -> None:
    got = _tests(
        "We will not investigate this complaint because there is no evidence of fault.",
        "We do not offer a right of appeal against the Council's decision. There is no "
        "evidence of fault in how it was reached.",
    )
    assert got == {"insufficient_evidence_of_fault"}


def test_an_appeal_already_made_is_not_an_appeal_to_use() -> None:
    got = _tests(
        "We cannot investigate this complaint about a parking fine.",
        "Mr Q used his statutory right of appeal to the Traffic Penalty Tribunal, which "
        "refused it.",
    )
    assert "remedy_already_used" in got
    assert "alternative_remedy_tribunal" not in got


def test_late_rule_stated_then_discretion_used_is_not_late() -> None:
    text = _statement(
        "We will not investigate this complaint because we are unlikely to find fault.",
        "We will not normally consider matters more than 12 months old. Here I have used "
        "my discretion to investigate events since 2023. We are unlikely to find fault.",
    )
    assert "late_complaint" not in parse_text(text).tests


@pytest.mark.parametrize(
    ("bullets", "expected"),
    [
        (("add",), "cannot_add_to_council_investigation"),
        (("different",), "no_different_outcome"),
        ((), "cannot_add_to_council_investigation"),
    ],
)
def test_role_section_chooses_between_close_calls(bullets: tuple[str, ...], expected: str) -> None:
    summary = (
        "We will not investigate this complaint because the Council has now cleared the "
        "site and we could not achieve anything more."
    )
    assert _tests(summary, role_bullets=bullets) == {expected}


def test_role_section_alone_is_no_evidence() -> None:
    summary = "We will not investigate this complaint because we are unlikely to find fault."
    assert _tests(summary, role_bullets=("add", "different")) == {"insufficient_evidence_of_fault"}


def test_body_named_in_the_paragraph_and_bar_in_the_next_sentence() -> None:
    got = _tests(
        "We will not investigate this complaint. Mr Q's complaint flows from decisions "
        "taken by an academy school. We have no powers to consider such matters."
    )
    assert "body_not_in_jurisdiction" in got


def test_decision_making_fault_defers_to_merits_when_stated() -> None:
    merits = _tests(
        "We will not investigate this complaint because there is no sign of fault in how "
        "the decision was made.",
        "Mr Q disagrees with the Council's decision, but we have seen nothing to suggest "
        "fault in the way it was made. Without such fault we cannot question the decision "
        "itself.",
    )
    assert merits == {"merits_disagreement_only"}
    fault = _tests(
        "We will not investigate this complaint because there is no sign of fault in how "
        "the decision was made."
    )
    assert fault == {"insufficient_evidence_of_fault"}


def test_public_interest_counts_in_an_investigation() -> None:
    text = _statement("We will investigate Mr Q's complaint.").replace(
        "Closed after initial enquiries", "Investigate"
    )
    text = text.replace(
        "3. We will investigate Mr Q's complaint.",
        "3. The failing may affect other people too, so there is a public interest in "
        "looking at it.",
    )
    assert parse_text(text).tests == ["public_interest_factor"]


def test_malformed_all_group_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"tests\.late_complaint\.all"):
        _test_rules({"tests": {"late_complaint": {"all": ["\\blate\\b"]}}})


def test_malformed_in_context_pair_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"tests\.premature\.in_context"):
        _test_rules({"tests": {"premature": {"in_context": [["only one"]]}}})


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        (
            "We will not investigate this complaint because Mr Q has not suffered any "
            "injustice as a result of the Council's actions.",
            "fault_caused_no_injustice",
        ),
        (
            "We will not investigate this complaint. Even if we found fault, the Council's "
            "decision would have been the same.",
            "fault_caused_no_injustice",
        ),
        (
            "We will not investigate this complaint because there is insignificant injustice "
            "to Mr Q.",
            "injustice_not_significant",
        ),
        (
            "We will not investigate this late complaint. Mr Q has been aware of the problem "
            "for six years and could have come to us much sooner.",
            "late_complaint",
        ),
        (
            "We will not investigate this complaint. The Council has already apologised and "
            "paid Mr Q £150, which is a proportionate remedy.",
            "cannot_add_to_council_investigation",
        ),
        (
            "We cannot investigate this complaint about a report the Council wrote for the "
            "family court. The law prevents us from investigating anything that has been the "
            "subject of care proceedings.",
            "court_proceedings",
        ),
        (
            "We will not investigate this complaint. It was reasonable for Mr Q to raise his "
            "concerns about the assessment as part of the care proceedings.",
            "related_legal_proceedings",
        ),
        (
            "We will not investigate this complaint because it was made late to us and there "
            "is no good reason to look at it now.",
            "late_complaint",
        ),
        (
            "We will not investigate this complaint. Any injustice caused to Mr Q by the "
            "missed visits is not significant enough to justify our involvement.",
            "injustice_not_significant",
        ),
        (
            "We will not investigate this complaint because there is not enough evidence of "
            "fault causing Mr Q a significant enough injustice.",
            "injustice_not_significant",
        ),
        (
            "We will not investigate this complaint. The alleged fault is unlikely to have "
            "affected the Council's decision on the licence.",
            "fault_caused_no_injustice",
        ),
        (
            "We will not investigate this complaint. Without fault in how it was made, this is "
            "a decision the Council was entitled to take.",
            "insufficient_evidence_of_fault",
        ),
        (
            "We will not investigate this complaint. Investigation would achieve nothing "
            "significant for Mr Q.",
            "no_worthwhile_outcome",
        ),
        (
            "We will not investigate this complaint because we could not provide Mr Q with a "
            "different outcome.",
            "no_different_outcome",
        ),
        (
            "We will not investigate this complaint because it is unlikely, we could add to "
            "the Council's own investigation.",
            "cannot_add_to_council_investigation",
        ),
        (
            "We will not investigate this complaint about a fixed penalty notice because Mr Q "
            "has the option of defending himself against it in court.",
            "related_legal_proceedings",
        ),
        (
            "We will not investigate this complaint. It was reasonable for Mr Q to challenge "
            "the decision by an appeal to the county court.",
            "alternative_remedy_court",
        ),
        (
            "We will not investigate this complaint. We do not generally investigate "
            "complaints about a council's complaint handling on their own.",
            "complaint_handling_only",
        ),
        (
            "We will not investigate this complaint. We will not consider the Council's "
            "handling of the complaint separately from the matters it was about.",
            "complaint_handling_only",
        ),
        (
            "We will not investigate this complaint. We cannot question the merits of a "
            "decision properly made, even if Mr Q strongly disagrees with it.",
            "merits_disagreement_only",
        ),
        (
            "We will not investigate this complaint. It is not our role to decide whether "
            "Mr Q should have been given a parking permit; we look at how the decision was made.",
            "merits_disagreement_only",
        ),
        (
            "We will not investigate this complaint. We cannot substitute our view for the "
            "Council's professional judgement.",
            "merits_disagreement_only",
        ),
        (
            "We will not investigate this complaint. Disagreement with a decision is not "
            "enough for us to investigate it.",
            "merits_disagreement_only",
        ),
        (
            "We will not investigate this complaint. Mr Q could have raised his concerns about "
            "the report with the court during the care proceedings.",
            "related_legal_proceedings",
        ),
        (
            "We will not investigate this complaint. The police are better placed to consider "
            "allegations of crime.",
            "another_body_better_placed",
        ),
        (
            "We will not investigate this complaint. Even if the Council had acted sooner, it "
            "is unlikely the outcome would have been any different.",
            "fault_caused_no_injustice",
        ),
        (
            "We will not investigate this complaint. We expect people to complain to us within "
            "a year of knowing about the problem, and Mr Q waited three years.",
            "late_complaint",
        ),
        (
            "We will not investigate this complaint. The Housing Ombudsman is better placed to "
            "consider complaints about the Council's actions as a landlord.",
            "social_housing_management",
        ),
        (
            "We will not investigate this complaint. We cannot investigate complaints about the "
            "Council's management of its own housing stock.",
            "social_housing_management",
        ),
        (
            "We will not investigate this complaint yet. The Council should have the chance to "
            "respond to Mr Q's complaint before we consider it.",
            "premature",
        ),
        (
            "We will not investigate this complaint. Mr Q has started court proceedings about "
            "the same matter, which prevents us investigating.",
            "remedy_already_used",
        ),
        (
            "We will not investigate this complaint. Mr Q could reasonably have brought his "
            "complaint to us at the time.",
            "late_complaint",
        ),
        (
            "We will not investigate this complaint. Mr Q became aware of the issue in 2020 but "
            "did not come to us until 2024.",
            "late_complaint",
        ),
        (
            "We will not investigate this complaint. The dispute about the boundary is a civil "
            "matter Mr Q would need to resolve through the courts.",
            "alternative_remedy_court",
        ),
        (
            "We will not investigate this complaint. Claims for damage to property are best "
            "decided by the courts.",
            "alternative_remedy_court",
        ),
        (
            "We will not investigate this complaint. The injustice caused by the delay is minor.",
            "injustice_not_significant",
        ),
        (
            "We will not investigate this complaint. The Council's actions were in line with "
            "its policy.",
            "insufficient_evidence_of_fault",
        ),
    ],
)
def test_house_style_phrase_families(summary: str, expected: str) -> None:
    assert expected in _tests(summary)


def test_actions_in_line_with_policy_are_no_fault_not_a_remedy() -> None:
    found = _tests(
        "We will not investigate this complaint. The Council's actions were in line with its "
        "policy."
    )
    assert "cannot_add_to_council_investigation" not in found


def test_declining_discretion_keeps_the_late_reason() -> None:
    got = _tests(
        "We will not exercise our discretion to investigate this complaint because it is "
        "late and Mr Q could have complained to us sooner."
    )
    assert "late_complaint" in got


def test_complainant_starting_court_action_is_not_the_court_bar() -> None:
    got = _tests(
        "We have ended our investigation because Mr Q has issued legal proceedings about "
        "the same matter."
    )
    assert "remedy_already_used" in got
    assert "court_proceedings" not in got


def test_appeal_to_the_council_is_not_a_remedy_already_used() -> None:
    got = _tests(
        "We will not investigate this complaint because there is no evidence of fault.",
        "Mr Q used his right to appeal against the Council's decision and it upheld the "
        "refusal. There is no evidence of fault in how it reached its decision.",
    )
    assert "remedy_already_used" not in got


def test_an_investigation_making_no_difference_is_not_a_causation_finding() -> None:
    got = _tests(
        "We will not investigate this complaint because our involvement would make no "
        "difference: the neighbour has now moved away."
    )
    assert "no_different_outcome" in got
    assert "fault_caused_no_injustice" not in got


def _investigation(scope: str) -> str:
    return (
        "Fenwold Borough Council (24 900 222)\n"
        "Category : Housing > Allocations\n"
        "Decision : Not upheld\n"
        "Decision date : 03 Feb 2025\n"
        "The Ombudsman's final decision\n"
        "Summary: Mr Q complained about his housing band. We find no fault.\n"
        "The complaint\n"
        "1. Mr Q complained about the Council's banding decision.\n"
        "What I have and have not investigated\n"
        f"2. {scope}\n"
        "My assessment\n"
        "3. The Council followed its allocations policy.\n"
    )


def test_reason_sentence_shares_the_scope_of_the_sentence_before() -> None:
    scoped = _investigation(
        "I have not investigated the Council's handling of Mr Q's repairs complaint. This is "
        "because the Council has already provided a suitable remedy for it."
    )
    assert "cannot_add_to_council_investigation" in parse_text(scoped).tests
    unrelated = _investigation(
        "I have investigated the Council's banding decision and its complaint handling. This "
        "is because the Council has already provided a suitable remedy for the delay."
    )
    assert "cannot_add_to_council_investigation" not in parse_text(unrelated).tests


def test_closing_section_on_parts_not_investigated_is_read() -> None:
    text = (
        _investigation(
            "I have not investigated Mr Q's complaint about repairs. I explain why at the end "
            "of this statement."
        ).replace("Decision : Not upheld", "Decision : Upheld")
        + "Agreed action\n4. Within one month the Council will apologise to Mr Q.\n"
        "Parts of the complaint that I did not investigate\n"
        "5. I did not investigate the repairs complaint. The law does not allow us to "
        "investigate the Council's management of its social housing as a landlord.\n"
    )
    record = parse_text(text)
    assert "social housing" in record.sections["what_investigated"]
    assert "social housing" not in record.sections.get("agreed_action", "")
    assert record.tests == ["social_housing_management"]


@pytest.mark.parametrize(
    ("summary", "absent"),
    [
        # how the law works in general is background, not this decision's reason
        (
            "We will not investigate this complaint because there is no evidence of fault. "
            "If a parent disagrees with an admission decision they can appeal.",
            "alternative_remedy_court",
        ),
        # a third party's appeal is not the complainant's remedy already used
        (
            "We will not investigate this complaint because there is no evidence of fault. "
            "The neighbour has appealed to the Planning Inspectorate against the notice.",
            "remedy_already_used",
        ),
        # late is not premature, though he "has not complained within 12 months"
        (
            "We will not investigate this complaint. It is late as Mr Q has not complained "
            "within 12 months of knowing about the problem.",
            "premature",
        ),
        # a right to go to court is a remedy to use, not the court bar
        (
            "We will not investigate this complaint because Mr Q had the right to go to court "
            "to challenge the Council's decision.",
            "court_proceedings",
        ),
    ],
)
def test_background_and_third_parties_give_no_reason(summary: str, absent: str) -> None:
    got = _tests(summary)
    assert got, "a reason should still be read"
    assert absent not in got


def test_no_good_reason_to_investigate_now_keeps_the_late_reason() -> None:
    assert "late_complaint" in _tests(
        "Some points are late without good reason to investigate them now."
    )


def test_ended_investigation_gives_its_reasons() -> None:
    text = _investigation("I have investigated the Council's banding decision.").replace(
        "Summary: Mr Q complained about his housing band. We find no fault.",
        "Summary: Mr Q complained about his housing band. Further investigation is unlikely to "
        "lead to a different outcome. We have therefore discontinued our investigation.",
    )
    assert "no_different_outcome" in parse_text(text).tests


# False-alarm families seen on unseen decisions, each closed by a rule of the house style.


def test_what_is_left_uninvestigated_before_as_is_not_the_reason() -> None:
    got = _tests(
        "We will not investigate the independent review panel's process as it is unlikely "
        "we could reach a different outcome."
    )
    assert "council_review_or_appeal_available" not in got
    assert "no_different_outcome" in got


def test_an_appeal_used_elsewhere_but_not_here_is_no_remedy_used() -> None:
    got = _tests(
        "We will not investigate. Mr Q appealed to the tribunal about his housing benefit but "
        "he did not appeal to the Valuation Tribunal about his council tax banding, and it is "
        "reasonable to expect him to do so."
    )
    assert "remedy_already_used" not in got


def test_review_of_the_councils_own_procedures_is_no_review_route() -> None:
    got = _tests(
        "We will not investigate because the Council has already agreed to complete a review "
        "of its procedures, so an investigation would not achieve anything more."
    )
    assert "council_review_or_appeal_available" not in got


def test_what_a_party_says_about_court_is_not_related_proceedings() -> None:
    got = _tests(
        "We will not investigate because there is not enough evidence of fault. The "
        "complaint concerns matters that the Council says have been considered in court."
    )
    assert "related_legal_proceedings" not in got
    assert "insufficient_evidence_of_fault" in got


def test_returning_to_court_to_enforce_an_order_is_the_court_remedy() -> None:
    got = _tests(
        "We will not investigate. Only a court can enforce its own order, and it would be "
        "reasonable for Mr Q to return to court."
    )
    assert "related_legal_proceedings" not in got
    assert "alternative_remedy_court" in got


def _role_statement(role: str, assessment: str | None) -> str:
    text = (
        "Brackenford District Council (24 900 222)\n"
        "Category : Benefits and tax > Council tax\n"
        "Decision : Closed after initial enquiries\n"
        "Decision date : 03 Feb 2025\n"
        "The Ombudsman's final decision\n"
        "Summary: We will not investigate Mr Q's complaint about the Council's records.\n"
        "The complaint\n"
        "1. Mr Q complained the Council kept wrong records about him.\n"
        "The Ombudsman's role and powers\n"
        f"2. {role}\n"
    )
    if assessment is not None:
        text += f"My assessment\n3. {assessment}\nFinal decision\n4. We will not investigate.\n"
    return text


ICO_ROLE = (
    "The Information Commissioner's Office considers complaints about how organisations "
    "handle people's information."
)


@pytest.mark.parametrize(
    ("role", "assessment", "expected"),
    [
        # the paragraph chosen for the test, and a reason touching its subject
        (ICO_ROLE, "The complaint is about how the Council disclosed his details.", True),
        # the paragraph, and a statement cut before any reasons
        (ICO_ROLE, None, True),
        # the paragraph, but reasons on something else entirely
        (ICO_ROLE, "The complaint is late and there is no good reason to look at it now.", False),
        # reasons on data, but no paragraph chosen for the Commissioner
        ("We investigate complaints about 'fault'.", "The Council disclosed his data.", False),
    ],
)
def test_role_paragraph_is_evidence_weighed_with_the_reasons(
    role: str, assessment: str | None, expected: bool
) -> None:
    record = parse_text(_role_statement(role, assessment))
    assert ("information_commissioner_better_placed" in record.tests) is expected


def test_an_investigation_finding_on_the_merits_is_not_a_reason_to_leave_anything_out() -> None:
    text = _statement(
        "We will not investigate this complaint.",
        "The Ombudsman does not uphold the complaint: there was no fault in how the decision "
        "was made, so we cannot question the merits of the Council's decision.",
    )
    investigation = (
        text.replace("Closed after initial enquiries", "Not upheld")
        .replace(
            "Summary: We will not investigate this complaint.",
            "Summary: Mr Q complained about a parking permit. We found no fault.",
        )
        .replace(
            "4. We will not investigate Mr Q's complaint.",
            "4. I have completed my investigation. There was no fault by the Council.",
        )
    )
    assert "merits_disagreement_only" not in parse_text(investigation).tests
