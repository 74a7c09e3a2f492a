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
