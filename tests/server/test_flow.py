"""A case through its whole workflow over HTTP, on SQLite and on PostgreSQL."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from docx import Document
from typer.testing import CliRunner

from ombuds.cli.main import app as cli
from ombuds.corpus.search import SearchFilters, search
from ombuds.office import cases
from ombuds.office.office import Office

from .conftest import SEEDS, seed_document

BOTH = pytest.mark.parametrize("store", ["sqlite", "postgresql"], indirect=True)


def created(as_user: Any, document: dict[str, Any] | None = None) -> dict[str, Any]:
    response = as_user("assessor").post("/api/cases", json=document or seed_document())
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def move(api: Any, case_id: int, to: str, **extra: Any) -> Any:
    return api.post(f"/api/cases/{case_id}/transitions", json={"to": to, **extra})


@BOTH
def test_a_case_goes_from_received_to_published_and_is_searchable(
    as_user: Any, office: Office
) -> None:
    assessor, reviewer = as_user("assessor"), as_user("reviewer")
    case = created(as_user)
    case_id = case["id"]
    assert case["status"] == "received"
    assert case["recommendation"] == "closed_after_initial_enquiries"
    assert case["due"] == "2025-04-01"  # 20 working days after 4 March 2025
    assert case["working_days_left"] == 16  # after Monday 10 March (the tests' today)

    read = assessor.get(f"/api/cases/{case_id}")
    assert read.headers["ETag"] == '"1"'
    facts = assessor.patch(
        f"/api/cases/{case_id}/facts",
        json={"point": "e", "facts": {"body_investigated_complaint": True}},
        headers={"If-Match": read.headers["ETag"]},
    )
    assert facts.status_code == 200, facts.text
    assert facts.json()["document"]["points"][4]["facts"]["body_investigated_complaint"] is True

    assert move(assessor, case_id, "assessment").json()["assignee"] == "assessor"
    assert move(assessor, case_id, "draft").status_code == 200
    assert assessor.post(f"/api/cases/{case_id}/draft", json={}).status_code == 200
    assert move(assessor, case_id, "review").json()["submitted_by"] == "assessor"

    refused = move(reviewer, case_id, "published")
    assert refused.status_code == 409 and "cannot move to published" in refused.json()["detail"]
    assert move(assessor, case_id, "decided").status_code == 403  # an assessor cannot sign off
    decided = move(reviewer, case_id, "decided")
    assert decided.status_code == 200, decided.text
    assert decided.json()["decided_by"] == "reviewer"
    published = move(reviewer, case_id, "published")
    assert published.status_code == 200, published.text
    assert published.json()["status"] == "published"

    found = search(office.store, "24 022 031", SearchFilters())
    assert found.hits and found.hits[0].reference == "24 022 031"

    history = reviewer.get(f"/api/cases/{case_id}/history").json()
    actions = [(e["actor"], e["action"]) for e in history]
    assert actions[0] == ("assessor", "case.created")
    assert ("assessor", "case.facts_set") in actions
    assert ("assessor", "case.drafted") in actions
    assert actions[-1] == ("reviewer", "case.transition")
    assert history[-1]["before"] == {"status": "decided"}
    assert history[-1]["after"]["status"] == "published"


def test_the_assessment_is_what_ombuds_assess_prints(as_user: Any) -> None:
    case = created(as_user)
    over_http = as_user("auditor").get(f"/api/cases/{case['id']}/assessment").json()
    printed = CliRunner().invoke(cli, ["assess", str(SEEDS / "24-022-031.yaml"), "-f", "json"])
    assert printed.exit_code == 0, printed.output
    assert over_http == json.loads(printed.stdout)


def test_needs_information_blocks_drafting_until_the_facts_are_in(as_user: Any) -> None:
    document = seed_document()
    document["points"][0]["facts"] = {}
    case = created(as_user, document)
    assessor = as_user("assessor")
    move(assessor, case["id"], "assessment")
    assessment = assessor.get(f"/api/cases/{case['id']}/assessment").json()
    if assessment["decision"] != "needs_information":
        pytest.skip("this engine version does not yet recommend needs_information")
    refused = move(assessor, case["id"], "draft")
    assert refused.status_code == 409
    assert "not settled" in refused.json()["detail"]


def test_the_person_who_drafted_cannot_sign_off(as_user: Any, tokens: dict[str, str]) -> None:
    case = created(as_user)
    assessor, reviewer, reviewer2 = as_user("assessor"), as_user("reviewer"), as_user("reviewer2")
    for to in ("assessment", "draft"):
        move(assessor, case["id"], to)
    assessor.post(f"/api/cases/{case['id']}/draft", json={})
    move(assessor, case["id"], "review")
    edited = reviewer.put(
        f"/api/cases/{case['id']}/statement", json={"text": "# Edited by the reviewer\n"}
    )
    assert edited.status_code == 200
    refused = move(reviewer, case["id"], "decided")
    assert refused.status_code == 409
    assert refused.json()["guard"] == "four_eyes"
    assert move(reviewer2, case["id"], "decided").status_code == 200


def test_departing_from_the_recommendation_needs_a_reason(as_user: Any) -> None:
    case = created(as_user)
    assessor = as_user("assessor")
    for to in ("assessment", "draft"):
        move(assessor, case["id"], to)
    bare = assessor.post(f"/api/cases/{case['id']}/draft", json={"decision": "investigate"})
    assert bare.status_code == 422
    assert bare.json()["errors"][0]["field"] == "reason"
    reasoned = assessor.post(
        f"/api/cases/{case['id']}/draft",
        json={"decision": "investigate", "reason": "The Council's letter shows a pattern."},
    )
    assert reasoned.status_code == 200
    assert reasoned.json()["decision"] == "investigate"
    move(assessor, case["id"], "review")
    decided = move(as_user("reviewer"), case["id"], "decided")
    assert decided.json()["decision"] == "investigate"
    not_published = move(as_user("reviewer"), case["id"], "published")
    assert not_published.status_code == 409
    assert not_published.json()["guard"] == "decision_published"
    assert move(as_user("reviewer"), case["id"], "investigation").status_code == 200


def test_nothing_is_published_that_fails_the_anonymisation_check(
    as_user: Any, office: Office
) -> None:
    case = created(as_user)
    assessor, reviewer = as_user("assessor"), as_user("reviewer")
    for to in ("assessment", "draft"):
        move(assessor, case["id"], to)
    assessor.post(f"/api/cases/{case['id']}/draft", json={})
    generated = assessor.get(f"/api/cases/{case['id']}/statement").text
    leaked = generated + "\nContact Mr X at john.smith@example.com or 07700 900123.\n"
    assert assessor.put(f"/api/cases/{case['id']}/statement", json={"text": leaked}).is_success
    move(assessor, case["id"], "review")
    move(reviewer, case["id"], "decided")
    refused = move(reviewer, case["id"], "published")
    assert refused.status_code == 409, refused.text
    assert refused.json()["guard"] == "anonymisation_clean"
    assert any("john.smith@example.com" in f for f in refused.json()["findings"])
    assert search(office.store, "24 022 031", SearchFilters()).total == 0


def test_edited_statement_is_kept_beside_the_generated_one(as_user: Any) -> None:
    case = created(as_user)
    assessor = as_user("assessor")
    move(assessor, case["id"], "assessment")
    assert assessor.post(f"/api/cases/{case['id']}/draft", json={}).status_code == 200
    generated = assessor.get(f"/api/cases/{case['id']}/statement?version=generated").text
    edited = generated.replace("We will not investigate", "We shall not investigate", 1)
    assert assessor.put(f"/api/cases/{case['id']}/statement", json={"text": edited}).is_success
    assert assessor.get(f"/api/cases/{case['id']}/statement").text == edited
    assert assessor.get(f"/api/cases/{case['id']}/statement?version=generated").text == generated
    diff = assessor.get(f"/api/cases/{case['id']}/statement/diff").json()
    assert diff["generated"] == generated and diff["edited"] == edited
    assert "-Summary: We will not" in diff["diff"] and "+Summary: We shall not" in diff["diff"]
    html = assessor.get(f"/api/cases/{case['id']}/statement?format=html&version=generated")
    assert html.headers["content-type"].startswith("text/html") and "<h" in html.text
    docx = assessor.get(f"/api/cases/{case['id']}/statement?format=docx&version=generated")
    assert docx.content[:2] == b"PK"
    # the edit itself as a page and as Word, for the reviewer who signs it off
    page = assessor.get(f"/api/cases/{case['id']}/statement?format=html")
    assert page.status_code == 200 and "We shall not investigate" in page.text
    word = assessor.get(f"/api/cases/{case['id']}/statement?format=docx&version=edited")
    assert word.status_code == 200 and word.content[:2] == b"PK"
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "We shall not investigate" in text


def test_premature_complaints_are_referred_back(as_user: Any) -> None:
    document = seed_document()
    case = created(as_user, document)
    assessor, reviewer = as_user("assessor"), as_user("reviewer")
    for to in ("assessment", "draft"):
        move(assessor, case["id"], to)
    assessor.post(
        f"/api/cases/{case['id']}/draft",
        json={"decision": "premature", "reason": "The Council has not yet replied."},
    )
    move(assessor, case["id"], "review")
    move(reviewer, case["id"], "decided")
    assert move(reviewer, case["id"], "investigation").status_code == 409
    assert move(reviewer, case["id"], "referred_back").json()["status"] == "referred_back"


@BOTH
def test_a_case_s_suggestion_is_what_ombuds_suggest_says_for_its_words(
    as_user: Any, office: Office
) -> None:
    """GET /api/cases/{id}/suggestion: the same JSON as `ombuds suggest --json` for the case's
    words (never its facts)."""
    from ombuds.office.case_view import load_case
    from ombuds.suggest.inputs import complaint_words

    assessor = as_user("assessor")
    case = created(as_user)
    answer = assessor.get(f"/api/cases/{case['id']}/suggestion")
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert set(data) == {"decision", "outcome", "tests", "questions", "precedents"}
    assert abs(sum(data["outcome"].values()) - 1.0) < 1e-3
    with office.store.engine.connect() as conn:
        view = load_case(conn, office, case["id"])
    words = complaint_words(cases.complaint_of(office, view))
    (expected,) = office.suggester().suggest_many([words])
    assert data == json.loads(json.dumps(expected.to_json(), default=str))
    assert assessor.get("/api/cases/999999/suggestion").status_code == 404
