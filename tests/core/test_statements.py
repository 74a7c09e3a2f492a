"""Statements an assessor would sign: every reason named, nothing said twice, nothing beyond the
facts, the house style of the decision's date, and parts and further reasons as the Ombudsman
gives them."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pytest
from docx import Document

from ombuds.domain.assessment import Assessment, PartResult
from ombuds.domain.complaint import Complaint
from ombuds.domain.outcomes import Recommendation
from ombuds.domain.statement import Statement
from ombuds.drafting import render, statement_for
from ombuds.drafting.text import clean
from ombuds.engine import assess
from ombuds.intake import load_complaint
from ombuds.intake.expected import load_case
from ombuds.reading import parse_text
from ombuds.rulebook import Rulebook
from tests.core.conftest import EXAMPLES

SEEDS = EXAMPLES / "seeds"
ICO = "the Information Commissioner’s Office is better placed to consider data protection matters"


def seed(reference: str, rulebook: Rulebook) -> Complaint:
    return load_complaint(SEEDS / f"{reference}.yaml", rulebook)


def markdown(statement: Statement, rulebook: Rulebook) -> str:
    text = render(statement, rulebook, "md")
    assert isinstance(text, str)
    return text


def sentences(statement: Statement) -> list[str]:
    """The prose sentences of a statement (not headings, list items or citations)."""
    paragraphs = [
        statement.summary,
        *statement.complaint,
        *statement.complaint_after,
        *statement.investigated,
        *statement.not_investigated,
        *(p.text for p in statement.role_and_powers),
        *statement.how_considered,
        *statement.assessment,
        *statement.final_decision,
    ]
    found: list[str] = []
    for paragraph in paragraphs:
        found.extend(s for s in re.split(r"(?<=[.:])\s+(?=[A-Z‘“])", paragraph) if s)
    return found


def repeated(statement: Statement) -> list[str]:
    seen: set[str] = set()
    twice: list[str] = []
    for sentence in sentences(statement):
        if sentence in seen:
            twice.append(sentence)
        seen.add(sentence)
    return twice


@pytest.mark.parametrize("reference", ["24-009-458", "24-017-326"])
def test_summary_and_final_decision_name_the_information_commissioner(
    rulebook: Rulebook, reference: str
) -> None:
    statement = statement_for(seed(reference, rulebook), rulebook)
    assert ICO in statement.summary
    assert ICO in statement.final_decision[0]


def test_main_reason_first_then_mainly_because(rulebook: Rulebook) -> None:
    # by default the reason closing most points comes first (the seed's file chooses another)
    complaint = seed("24-022-031", rulebook).model_copy(update={"main_reason": None})
    statement = statement_for(complaint, rulebook)
    assert "This is mainly because any injustice to Mr X is not significant" in statement.summary
    assert ", mainly because any injustice" in statement.final_decision[0]
    for clause in (
        "we could not add significantly to the Council’s own investigation",
        "the court is the right place for these matters",
        "there is not enough evidence of fault",
        ICO,
    ):
        assert clause in statement.summary
        assert clause in statement.final_decision[0]


def test_a_shared_reason_is_said_once_for_the_points_sharing_it(rulebook: Rulebook) -> None:
    statement = statement_for(seed("24-022-031", rulebook), rulebook)
    text = markdown(statement, rulebook)
    assert text.count("there is not enough evidence of significant injustice to Mr X") == 1
    assert "On points a), c) and e), there is not enough evidence of significant injustice" in text
    assert "On points b) and c), the Council has already looked into this" in text
    assert repeated(statement) == []


def examples(rulebook: Rulebook) -> list[Complaint]:
    """Every example complaint, the real decisions re-encoded in examples/real included."""
    return [
        load_case(path, rulebook).complaint
        if path.parent.name == "real"
        else load_complaint(path, rulebook)
        for path in sorted(EXAMPLES.rglob("*.yaml"))
    ]


def test_no_sentence_is_repeated_in_any_example(rulebook: Rulebook) -> None:
    cases = examples(rulebook)
    assert len(cases) > 40
    for case in cases:
        statement = statement_for(case, rulebook)
        assert repeated(statement) == [], case.reference


def test_every_example_names_its_reasons_in_summary_and_final_decision(rulebook: Rulebook) -> None:
    from tests.core.test_statement_properties import reasons_relied_on

    for case in examples(rulebook):
        assessment = assess(case, rulebook)
        statement = statement_for(case, rulebook, None, assessment)
        for clause in reasons_relied_on(case, assessment):
            assert clean(clause) in statement.summary, (case.reference, clause)
            assert clean(clause) in statement.final_decision[0], (case.reference, clause)


def test_nothing_is_asserted_beyond_the_facts(rulebook: Rulebook) -> None:
    for case in examples(rulebook):
        text = markdown(statement_for(case, rulebook), rulebook)
        assert "acted as it should" not in text, case.reference
    statement = statement_for(seed("24-022-031", rulebook), rulebook)
    assert "There is not enough evidence of fault by the Council" in " ".join(statement.assessment)


def complaint(**changes: Any) -> Complaint:
    """A planning enforcement complaint written for these tests."""
    data: dict[str, Any] = {
        "reference": "25 010 101",
        "organisation": "Thornbury District Council",
        "category": "Planning > Enforcement",
        "complainant": "Ms K",
        "subject": "how the Council dealt with a breach of planning control next door",
        "considered": ["the complainant", "the Council"],
        "dates": {
            "first_knew": "2024-05-01",
            "complained_to_body": "2024-05-20",
            "final_response": "2024-08-01",
            "received": "2024-10-01",
            "decision": "2025-01-15",
        },
        "points": [
            {
                "label": "a",
                "alleged": "did not take enforcement action against her neighbour's fence",
                "outcome_sought": "the Council to make her neighbour take the fence down",
                "facts": {"related_proceedings": True},
            }
        ],
    }
    data.update(changes)
    return Complaint.model_validate(data)


def test_no_hard_coded_context(rulebook: Rulebook) -> None:
    statement = statement_for(complaint(), rulebook)
    assert "related_legal_proceedings" in assess(complaint(), rulebook).tests
    text = markdown(statement, rulebook)
    assert "family" not in text
    assert "legal proceedings about a closely related matter" in " ".join(statement.assessment)


def test_one_point_complaint_is_prose_and_uses_the_outcome_sought(rulebook: Rulebook) -> None:
    statement = statement_for(complaint(), rulebook)
    assert statement.points == []
    assert statement.complaint == [
        "Ms K complained about how the Council dealt with a breach of planning control next "
        "door. Ms K said the Council did not take enforcement action against her neighbour’s "
        "fence."
    ]
    assert statement.complaint_after == [
        "Ms K wants the Council to make her neighbour take the fence down."
    ]
    assert not re.search(r"^\s+a\) ", markdown(statement, rulebook), re.M)
    assert not any(p.startswith("On point") for p in statement.assessment)


def test_outcome_not_achievable_says_what_is_wanted(rulebook: Rulebook) -> None:
    statement = statement_for(seed("24-003-230", rulebook), rulebook)
    text = " ".join(statement.assessment)
    assert "Ms X wants the Council to investigate her ex-partner" in text
    assert "but that is not something we could achieve or recommend" in text
    assert "I understand what" not in text


def test_quotes_and_apostrophes_are_typographic(rulebook: Rulebook) -> None:
    text = markdown(statement_for(seed("24-022-031", rulebook), rulebook), rulebook)
    body = text.split("\n", 3)[3]  # below the header: the category is printed as recorded
    assert "'" not in body and '"' not in body
    assert "‘maladministration’" in body and "Mr X’s" in body


def test_the_2020_house_style(rulebook: Rulebook) -> None:
    statement = statement_for(seed("20-003-494", rulebook), rulebook)
    text = markdown(statement, rulebook)
    assert statement.summary.startswith("The Ombudsman will not investigate Miss B’s complaint")
    assert "In this statement, I have used the word ‘fault’ to refer to these." in text
    assert "I refer to this as ‘injustice’." in text
    assert "We may decide not to start or continue with an investigation if we believe:" in text
    assert "it is unlikely we could add to any previous investigation by the Council" in text
    assert "raised within a court of law" in text
    assert statement.complaint[0].startswith("The complainant, who I will refer to as Miss B,")
    assert statement.how_considered == [
        "I have considered what Miss B has said in support of the complaint."
    ]
    assert "Assessment Code" not in text
    assert "## What I found" in text
    later = markdown(
        statement_for(seed("20-003-494", rulebook), rulebook, date(2025, 1, 6)), rulebook
    )
    assert "We do not start or continue an investigation if we decide:" in later
    assert "I considered the Ombudsman’s Assessment Code." in later
    middle = markdown(
        statement_for(seed("20-003-494", rulebook), rulebook, date(2022, 3, 1)), rulebook
    )
    assert "which we call ‘fault’" in middle
    assert "We may decide not to start or continue with an investigation if we believe:" in middle


def test_word_has_numbering_title_and_the_organisation_as_author(rulebook: Rulebook) -> None:
    statement = statement_for(seed("24-022-031", rulebook), rulebook)
    word = render(statement, rulebook, "docx")
    assert isinstance(word, bytes)
    doc = Document(io.BytesIO(word))
    props = doc.core_properties
    assert props.title == "Cambridgeshire County Council (24 022 031)"
    assert props.author == "Local Government and Social Care Ombudsman"
    assert props.last_modified_by == "Local Government and Social Care Ombudsman"
    assert b"python-docx" not in word and "python-docx" not in (props.comments or "")
    numbered = [p for p in doc.paragraphs if p.style.name == "List Number"]
    in_markdown = re.findall(r"^\d+\. ", markdown(statement, rulebook), re.M)
    assert len(numbered) == len(in_markdown) > 10  # the Markdown statement's numbered paragraphs
    assert not any(re.match(r"\d+\. ", p.text) for p in doc.paragraphs)  # no typed numbers
    lettered = [
        p.text
        for p in doc.paragraphs
        if p.style.name != "List Number" and p._p.pPr is not None and p._p.pPr.numPr is not None
    ]
    assert [t.split(" ", 1)[0] for t in lettered] == ["put", "did", "did", "said", "ignored"]
    assert b'w:numFmt w:val="lowerLetter"' in numbering_xml(word)
    assert numbered[0].text.startswith("Mr X complained")


def numbering_xml(word: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(word)) as package:
        return package.read("word/numbering.xml")


# ------------------------------------------------------------------ further reasons and parts


def with_results(assessment: Assessment, **by_label: dict[str, Any]) -> Assessment:
    points = [p.model_copy(update=by_label.get(p.label, {})) for p in assessment.points]
    return assessment.model_copy(update={"points": points})


def test_a_further_reason_follows_the_bar(rulebook: Rulebook) -> None:
    case = complaint()
    base = assess(case, rulebook)
    changed = with_results(base, a={"co_applicable": ["outcome_not_achievable"]})
    statement = statement_for(case, rulebook, None, changed)
    reasons = " ".join(statement.assessment)
    bar = reasons.index("legal proceedings about a closely related matter")
    further = reasons.index(
        "In any event, Ms K wants the Council to make her neighbour take the fence down, but "
        "that is not something we could achieve or recommend."
    )
    assert bar < further
    for text in (statement.summary, statement.final_decision[0]):
        assert "the court is the right place for these matters" in text
        assert "we could not achieve the outcome Ms K wants" in text
    assert "we cannot achieve the outcome someone wants" in " ".join(
        b for p in statement.role_and_powers for b in p.bullets
    )
    assert repeated(statement) == []


def two_points(rulebook: Rulebook) -> Complaint:
    base = complaint()
    second = {
        "label": "b",
        "alleged": "ignored her reports that the fence was blocking a right of way",
        "facts": {"evidence_of_fault": True, "injustice": "significant"},
        "parts": [
            {
                "description": "the events before May 2023",
                "facts": {"known_for_more_than_12_months": True},
                "notes": ["Ms K first reported the fence in 2022."],
            }
        ],
    }
    return complaint(
        points=[base.points[0].model_dump(exclude_none=True), second],
    )


def part_result(decision: Recommendation = Recommendation.CLOSED_AFTER_INITIAL_ENQUIRIES) -> Any:
    return PartResult(
        description="the events before May 2023", decision=decision, tests=["late_complaint"]
    )


def test_a_closure_says_which_part_is_not_considered_and_why(rulebook: Rulebook) -> None:
    case = two_points(rulebook)
    base = assess(case, rulebook)
    closed = with_results(
        base,
        b={
            "decision": Recommendation.CLOSED_AFTER_INITIAL_ENQUIRIES,
            "tests": ["insufficient_evidence_of_fault"],
            "parts": [part_result()],
        },
    ).model_copy(update={"decision": Recommendation.CLOSED_AFTER_INITIAL_ENQUIRIES})
    statement = statement_for(case, rulebook, None, closed)
    text = " ".join(statement.assessment)
    assert "On point b), we will not consider the events before May 2023." in text
    assert "Ms K first reported the fence in 2022." in text
    assert "so this is a late complaint we will not look at now" in text
    assert "it is late, with no good reason to look at it now" in statement.summary
    assert any("sections 26B and 34D" in (p.citation or "") for p in statement.role_and_powers)
    assert repeated(statement) == []


def test_an_investigation_says_what_is_and_is_not_investigated(rulebook: Rulebook) -> None:
    case = two_points(rulebook)
    base = assess(case, rulebook)
    assert base.decision == Recommendation.INVESTIGATE
    changed = with_results(base, b={"parts": [part_result()]})
    statement = statement_for(case, rulebook, None, changed)
    assert statement.investigated == [
        "We will investigate point b) of Ms K’s complaint. The next section explains why we "
        "will not investigate the rest."
    ]
    left = " ".join(statement.not_investigated)
    assert "On point a), this concerns matters that were" in left
    assert "On point b), we will not consider the events before May 2023." in left
    assert "we will not consider" not in " ".join(statement.assessment)
    assert "We will not investigate point a) and the events before May 2023 (point b))" in (
        statement.summary
    )
    text = markdown(statement, rulebook)
    positions = [
        text.index(h)
        for h in (
            "## The complaint",
            "## What I have investigated",
            "## What I have not investigated",
            "## The Ombudsman’s role and powers",
            "## My assessment",
        )
    ]
    assert positions == sorted(positions)
    html = render(statement, rulebook, "html")
    assert "<h2>What I have not investigated</h2>" in str(html)
    word = render(statement, rulebook, "docx")
    assert isinstance(word, bytes)
    headings = [
        p.text for p in Document(io.BytesIO(word)).paragraphs if p.style.name == "Heading 2"
    ]
    assert "What I have investigated" in headings and "What I have not investigated" in headings
    record = parse_text(text)
    assert record.decision == "investigate"
    assert {"related_legal_proceedings", "late_complaint"} <= set(record.tests)
    assert repeated(statement) == []


def closed_with(rulebook: Rulebook, facts: dict[str, Any], tests: list[str]) -> Statement:
    """A one-point closure of the test complaint with these facts and reasons."""
    point = {**complaint().points[0].model_dump(exclude_none=True), "facts": facts}
    case = complaint(points=[point])
    base = assess(case, rulebook)
    closed = with_results(
        base, a={"decision": Recommendation.CLOSED_AFTER_INITIAL_ENQUIRIES, "tests": tests}
    ).model_copy(update={"decision": Recommendation.CLOSED_AFTER_INITIAL_ENQUIRIES})
    return statement_for(case, rulebook, None, closed)


def test_a_stated_absence_of_public_interest_is_a_reason(rulebook: Rulebook) -> None:
    statement = closed_with(
        rulebook,
        {"injustice": "minor", "no_wider_public_interest": True},
        ["injustice_not_significant", "public_interest_factor"],
    )
    text = " ".join(statement.assessment)
    assert "There is no wider public interest that would justify investigating it." in text
    assert "there is a public interest" not in text
    for said in (statement.summary, statement.final_decision[0]):
        assert "there is no wider public interest in investigating it" in said


def test_the_newer_facts_have_their_own_words(rulebook: Rulebook) -> None:
    late = closed_with(rulebook, {"evidence_too_old": True}, ["late_complaint"])
    assert "the evidence would not let us reach sound conclusions" in " ".join(late.assessment)
    assert "the evidence is now too old for sound conclusions" in late.summary
    conflict = closed_with(
        rulebook,
        {"accounts_conflict": True, "body_investigated_complaint": True},
        ["cannot_add_to_council_investigation"],
    )
    assert "The accounts of what happened conflict" in " ".join(conflict.assessment)
    apology = closed_with(
        rulebook,
        {"about_complaint_handling": True, "only_outcome_sought_is_apology": True},
        ["complaint_handling_only"],
    )
    assert "The only outcome Ms K seeks" in " ".join(apology.assessment)


def test_undecided_statements_are_not_published(rulebook: Rulebook) -> None:
    case = complaint()
    undecided = with_results(
        assess(case, rulebook), a={"decision": Recommendation.NEEDS_INFORMATION, "tests": []}
    ).model_copy(update={"decision": Recommendation.NEEDS_INFORMATION})
    statement = statement_for(case, rulebook, None, undecided)
    assert not statement.publishable
    assert statement.summary.startswith("We have not yet decided whether to investigate Ms K’s")
    assert repeated(statement) == []


def test_a_further_reason_stays_with_the_bars_it_follows(rulebook: Rulebook) -> None:
    first = complaint().points[0].model_dump(exclude_none=True)
    points = [
        {**first, "label": "a", "facts": {"related_proceedings": True, "injustice": "minor"}},
        {**first, "label": "b", "facts": {"about_court_action": True, "injustice": "minor"}},
        {**first, "label": "c", "facts": {"injustice": "minor"}},
    ]
    case = complaint(points=points)
    closed = Recommendation.CLOSED_AFTER_INITIAL_ENQUIRIES
    changed = with_results(
        assess(case, rulebook),
        a={"decision": closed, "tests": ["related_legal_proceedings"]},
        b={"decision": closed, "tests": ["court_proceedings"]},
        c={"decision": closed, "tests": ["injustice_not_significant"]},
    ).model_copy(update={"decision": closed})
    changed = with_results(
        changed,
        a={"co_applicable": ["injustice_not_significant"]},
        b={"co_applicable": ["injustice_not_significant"]},
    )
    statement = statement_for(case, rulebook, None, changed)
    text = "\n".join(statement.assessment)
    assert (
        "In any event, on points a) and b), there is not enough evidence of significant "
        "injustice to Ms K to warrant our involvement." in text
    )
    assert "On point c), there is not enough evidence of significant injustice" in text
    assert repeated(statement) == []
    assert set(parse_text(markdown(statement, rulebook)).tests) == {
        "related_legal_proceedings",
        "court_proceedings",
        "injustice_not_significant",
    }


def with_a_late_part(good_reasons: dict[str, bool]) -> Complaint:
    """Point b) has a part, the events before May 2023, that is more than 12 months old."""
    second = {
        "label": "b",
        "alleged": "ignored her reports that the fence blocked a right of way",
        "facts": {"evidence_of_fault": True, "injustice": "significant"},
        "parts": [
            {
                "description": "the events before May 2023",
                "before": "2023-05-01",
                "facts": good_reasons,
                "notes": ["Ms K first reported the fence in 2022."],
            }
        ],
    }
    return complaint(points=[complaint().points[0].model_dump(exclude_none=True), second])


def test_the_engine_s_late_part_is_drafted_end_to_end(rulebook: Rulebook) -> None:
    no_good_reason = dict.fromkeys(
        ["delay_due_to_illness_or_incapacity", "believed_body_was_acting", "continuing_injustice"],
        False,
    )
    case = with_a_late_part(no_good_reason)
    assessment = assess(case, rulebook)
    assert assessment.decision == Recommendation.INVESTIGATE
    assert assessment.points[1].parts[0].tests == ["late_complaint"]
    statement = statement_for(case, rulebook, None, assessment)
    left = "\n".join(statement.not_investigated)
    assert "On point b), we will not consider the events before May 2023." in left
    assert "so this is a late complaint we will not look at now" in left
    assert "the events before May 2023 (point b))" in statement.summary
    assert "it is late" in statement.final_decision[0]
    assert set(parse_text(markdown(statement, rulebook)).tests) == set(assessment.tests)


def test_a_part_that_needs_information_is_named(rulebook: Rulebook) -> None:
    case = with_a_late_part({})
    assessment = assess(case, rulebook)
    assert assessment.decision == Recommendation.NEEDS_INFORMATION
    statement = statement_for(case, rulebook, None, assessment)
    assert "we need more information about the events before May 2023 (point b))" in (
        statement.summary
    )
    assert (
        "On point b), we need more information before we can decide whether to consider the "
        "events before May 2023. Ms K first reported the fence in 2022."
    ) in statement.assessment
    assert statement.draft_banner and not statement.publishable
    assert repeated(statement) == []


def test_the_engine_s_further_reason_is_drafted_end_to_end(rulebook: Rulebook) -> None:
    case = load_complaint(EXAMPLES / "complaints" / "parking-pcn-adjudicator.yaml", rulebook)
    assessment = assess(case, rulebook)
    assert assessment.points[0].co_applicable == ["outcome_not_achievable"]
    statement = statement_for(case, rulebook, None, assessment)
    paragraphs = statement.assessment
    bar = next(i for i, p in enumerate(paragraphs) if "right of appeal" in p)
    assert paragraphs[bar + 1].startswith("In any event, Ms X wants the penalty charge notice")
    for said in (statement.summary, statement.final_decision[0]):
        assert "Ms X can appeal to the Traffic Penalty Tribunal" in said
        assert "we could not achieve the outcome Ms X wants" in said
