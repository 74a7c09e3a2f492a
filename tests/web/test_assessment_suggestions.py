"""The assessment page uses published decisions: the likely outcome and reasons from the
complaint's words, the questions those reasons ask put first (and said why), and the closest
published decisions with why each is close."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ombuds.domain.assessment import Assessment, Question
from ombuds.office import cases, people
from ombuds.office.office import Office
from ombuds.web.suggestions import next_question

from .office import open_office, serving, sign_in

PARKING = (
    "I got a penalty charge notice for parking outside my own house and want the fine cancelled."
)


def parking_case(office: Office) -> Any:
    with office.store.engine.connect() as conn:
        asha = people.find_user(conn, "asha")
    document = {
        "reference": "25 200 077",
        "organisation": "Wilderby Borough Council",
        "category": "Transport and highways > Parking and other penalties",
        "complainant": "Mr Q",
        "subject": "a parking penalty charge notice",
        "dates": {"received": "2025-05-20"},
        "received_text": PARKING,
        "points": [{"label": "a", "alleged": "the Council wrongly issued a penalty charge notice"}],
    }
    view = cases.create_case(office, asha, document)
    cases.transition(office, asha, view.id, "assessment")
    return view


def test_likely_reasons_put_their_questions_first_and_say_why(client: TestClient) -> None:
    office = client.app_state  # type: ignore[attr-defined]
    view = parking_case(office)
    csrf = sign_in(client, "asha")
    page = client.get(f"/cases/{view.id}/assess")
    assert page.status_code == 200
    text = html.unescape(page.text)
    outcome = re.search(r'id="likely-outcome">([^<]+)<', text)
    assert outcome is not None and outcome.group(1).startswith("Closed after initial enquiries (")
    assert "Alternative remedy tribunal (" in text  # a likely reason, with its probability
    assert "Insufficient evidence of fault (" in text
    # The recommendation presumes no tribunal appeal; the likely reason is a reason to check
    # that first, and the page says why.
    assert 'name="fact" value="tribunal_appeal_available"' in page.text
    assert (
        "Asked first: complaints like this were often decided on alternative remedy tribunal"
        in text
    )
    check_first = text[text.index('id="check-first"') :]
    check_first = check_first[: check_first.index("</ul>")]
    assert "right of appeal to a tribunal" in check_first
    assert "the recommendation presumes the answer" in check_first
    assert "is there evidence of fault" in check_first
    # The closest published decision is the parking appeal, and why it is close is said.
    precedents = " ".join(text[text.index('id="precedents"') :].split())
    assert precedents.index("23 100 001") < precedents.index("</li>")
    assert "Why close: ended for reasons likely here (Alternative remedy tribunal)" in precedents
    assert "shares the words penalty charge notice, parking" in precedents

    # Yes: the point is closed for the tribunal, as the published decisions suggested.
    form = {
        "csrf_token": csrf,
        "fact": "tribunal_appeal_available",
        "point": "a",
        "points": "a",
        "answer": "yes",
    }
    after = client.post(f"/cases/{view.id}/assess", data=form, follow_redirects=True)
    recommendation = html.unescape(after.text)
    recommendation = recommendation[recommendation.index('id="recommendation"') :]
    assert "Alternative remedy tribunal" in recommendation[: recommendation.index("</aside>")]

    # The assessor may take any open question instead, from the list of those still open.
    page = client.get(f"/cases/{view.id}/assess")
    offered = re.findall(r'href="(/cases/\d+/assess\?[^"]*ask=[^"]+)"', page.text)
    late = next(h for h in offered if "known_for_more_than_12_months" in h)
    chosen = client.get(html.unescape(late))
    assert 'name="fact" value="known_for_more_than_12_months"' in chosen.text
    assert "Asked first" not in chosen.text  # chosen by the assessor, not by a likely reason


def test_a_question_already_answered_or_not_for_the_point_is_not_asked() -> None:
    def q(fact: str, points: list[str]) -> Question:
        return Question(fact=fact, question=f"{fact}?", points=points, tests=[])

    assessment = Assessment.model_construct(
        questions=[q("engine_first", ["a"]), q("b_only", ["b"]), q("likely", ["a", "b"])]
    )
    first = {"b_only": "premature", "likely": "alternative_remedy_tribunal"}
    assert next_question(assessment, "a", set(), first) == (
        assessment.questions[2],
        "alternative_remedy_tribunal",
    )
    assert next_question(assessment, "a", {"likely"}, first) == (assessment.questions[0], None)
    assert (
        next_question(assessment, "a", set(), first, ask="engine_first")[0]
        == (assessment.questions[0])
    )
    assert (
        next_question(assessment, "a", set(), first, ask="b_only")[0]
        == (
            assessment.questions[2]  # not a question for point a): the suggested one instead
        )
    )
    assert next_question(assessment, "a", {"likely", "engine_first"}, first) == (None, None)
    # A presumption is checked when a likely reason asks about it, or when chosen; never
    # just because nothing else is left.
    tribunal = q("tribunal_appeal_available", ["a"])
    assert (
        next_question(assessment, "a", set(), first, checks=[tribunal])[0]
        == (assessment.questions[2])
    )
    with_tribunal = {"tribunal_appeal_available": "alternative_remedy_tribunal", **first}
    assert next_question(assessment, "a", set(), with_tribunal, checks=[tribunal]) == (
        tribunal,
        "alternative_remedy_tribunal",
    )
    done = {"likely", "engine_first"}
    assert next_question(assessment, "a", done, first, checks=[tribunal]) == (None, None)
    chosen = next_question(assessment, "a", done, first, "tribunal_appeal_available", [tribunal])
    assert chosen == (tribunal, None)


@pytest.fixture
def broken_model_client(tmp_path: Path) -> Iterator[TestClient]:
    bogus = tmp_path / "model.npz"
    bogus.write_text("not a model")
    office = open_office(tmp_path)
    with serving(Office(office.store, today=office.today, suggest_model=bogus)) as test_client:
        yield test_client


def test_an_unreadable_model_leaves_the_assessment_working(
    broken_model_client: TestClient,
) -> None:
    view = parking_case(broken_model_client.app_state)  # type: ignore[attr-defined]
    sign_in(broken_model_client, "asha")
    page = broken_model_client.get(f"/cases/{view.id}/assess")
    assert page.status_code == 200
    assert "Suggestions are unavailable: the model cannot be read." in page.text
    assert 'name="fact" value="' in page.text  # the engine's questions are still asked
