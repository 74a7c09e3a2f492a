"""The case pages over HTTP: sign-in, CSRF, roles, a new case's validation, the list's order."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi.testclient import TestClient

from ombuds.office import cases, people
from tests.server.conftest import seed_document

from .office import BASE, PASSWORD, form_token, sign_in


def new_case_form(csrf: str, **changes: str) -> dict[str, str]:
    form = {
        "csrf_token": csrf,
        "complaint": "a) The Council lost my housing benefit form.\n\nb) It ignored my letters.",
        "points": "",
        "reference": "25 200 001",
        "organisation": "Wilderby Borough Council",
        "category": "Benefits and tax > Housing benefit and council tax benefit",
        "complainant": "Mr K",
        "subject": "how the Council handled his housing benefit claim",
        "received-day": "19",
        "received-month": "5",
        "received-year": "2025",
    }
    return {**form, **changes}


def council_tax_case(office: Any, reference: str, complainant: str) -> tuple[Any, Any]:
    """A one-point council tax case opened by the assessor asha: (asha, the case)."""
    with office.store.engine.connect() as conn:
        asha = people.find_user(conn, "asha")
    document = {
        "reference": reference,
        "organisation": "Northmere District Council",
        "category": "Benefits and tax > Council tax",
        "complainant": complainant,
        "subject": "her council tax bill",
        "dates": {"received": "2025-05-20"},
        "points": [{"label": "a", "alleged": "billed twice for one month"}],
    }
    return asha, cases.create_case(office, asha, document)


def test_pages_need_sign_in_and_come_back(client: TestClient) -> None:
    for path in ("/cases", "/cases/new", "/cases/1", "/cases/1/assess", "/cases/1/statement"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/sign-in?next=")
    token = form_token(client)
    wrong = client.post(
        "/sign-in", data={"username": "asha", "password": "nope", "csrf_token": token}
    )
    assert wrong.status_code == 400 and "The user name or password is not right" in wrong.text
    back = client.post(
        "/sign-in",
        data={"username": "asha", "password": PASSWORD, "next": "/cases/new", "csrf_token": token},
        follow_redirects=False,
    )
    assert back.headers["location"] == "/cases/new"
    elsewhere = client.post(
        "/sign-in",
        data={
            "username": "asha",
            "password": PASSWORD,
            "next": "//evil.example/",
            "csrf_token": form_token(client),
        },
        follow_redirects=False,
    )
    assert elsewhere.headers["location"] == "/cases"


def test_forms_need_the_csrf_token(client: TestClient) -> None:
    csrf = sign_in(client, "asha")
    refused = client.post("/cases/new", data=new_case_form("wrong"))
    assert refused.status_code == 403 and "CSRF" in refused.text
    made = client.post("/cases/new", data=new_case_form(csrf), follow_redirects=False)
    assert made.status_code == 303


def test_new_case_splits_points_and_shows_errors(client: TestClient) -> None:
    csrf = sign_in(client, "asha")
    form = client.get("/cases/new")
    assert '<datalist id="category-list">' in form.text
    assert "Benefits and tax &gt; Council tax" in form.text  # taxonomy type-ahead
    assert "Wilderby Borough Council" in form.text  # organisations of published decisions
    bad = client.post(
        "/cases/new",
        data=new_case_form(
            csrf, reference="25-2", complainant="Kevin Smith", **{"received-day": "32"}
        ),
    )
    assert bad.status_code == 400
    assert "There is a problem" in bad.text and "Date received must be a real date" in bad.text
    invalid = client.post("/cases/new", data=new_case_form(csrf, complainant="Kevin Smith"))
    assert invalid.status_code == 422
    assert 'href="#complainant"' in invalid.text and "not an anonymised name" in invalid.text
    made = client.post("/cases/new", data=new_case_form(csrf), follow_redirects=True)
    assert "Case 25 200 001" in made.text
    assert "The Council lost my housing benefit form." in made.text
    assert "<strong>b)</strong> It ignored my letters." in made.text
    assert "Opened the case" in made.text  # the history


def test_the_complaint_as_received_is_kept_as_written(client: TestClient) -> None:
    """The points are the assessor's split; the person's own text stays on the case (escaped,
    line breaks kept) and is never printed in the statement."""
    office = client.app_state  # type: ignore[attr-defined]
    csrf = sign_in(client, "asha")
    written = "Dear Ombudsman,\n\n<script>alert(1)</script> The Council lost my form.\n\nb) x"
    made = client.post(
        "/cases/new",
        data=new_case_form(csrf, complaint=written, points="a) lost the form"),
        follow_redirects=True,
    )
    assert made.status_code == 200
    assert 'id="as-received"' in made.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; The Council lost my form." in made.text
    assert "<script>alert(1)" not in made.text
    with office.store.engine.connect() as conn:
        asha = people.find_user(conn, "asha")
    case_id = int(made.url.path.rsplit("/", 1)[-1])
    stored = cases.get_case(office, asha, case_id)
    assert stored.document["received_text"] == written
    assert [p["alleged"] for p in stored.document["points"]] == ["lost the form"]
    statement = cases.statement_of(office, asha, case_id)
    assert isinstance(statement, str) and "Dear Ombudsman" not in statement


def test_sign_in_needs_the_form_s_own_token(client: TestClient) -> None:
    """Another site can post a sign-in form but not read the cookie it must match: no one can
    be signed into someone else's account (login CSRF)."""
    data = {"username": "asha", "password": PASSWORD, "next": "/cases"}
    forged = client.post("/sign-in", data={**data, "csrf_token": "x" * 43})
    assert forged.status_code == 400 and "This sign-in page has expired" in forged.text
    assert "ombuds_session" not in client.cookies
    token = re.search(r'name="csrf_token" value="([^"]+)"', forged.text)
    assert token is not None  # the page offers a fresh form, with its cookie
    signed = client.post(
        "/sign-in", data={**data, "csrf_token": token.group(1)}, follow_redirects=False
    )
    assert signed.status_code == 303 and "ombuds_session" in client.cookies


def test_wrong_role_is_refused(client: TestClient) -> None:
    csrf = sign_in(client, "aud")
    page = client.get("/cases/new")
    assert page.status_code == 403 and "may not open cases" in page.text
    posted = client.post("/cases/new", data=new_case_form(csrf))
    assert posted.status_code == 403


def test_my_cases_lists_overdue_first(client: TestClient) -> None:
    office = client.app_state  # type: ignore[attr-defined]
    with office.store.engine.connect() as conn:
        asha = people.find_user(conn, "asha")
    for ref, received in (("25 200 010", "2025-05-20"), ("25 200 011", "2025-04-01")):
        document = {
            "reference": ref,
            "organisation": "Northmere District Council",
            "category": "Benefits and tax > Council tax",
            "complainant": "Ms L",
            "subject": "her council tax bill",
            "dates": {"received": received},
            "points": [{"label": "a", "alleged": "billed twice for one month"}],
        }
        cases.create_case(office, asha, document)
    sign_in(client, "asha")
    page = client.get("/cases")
    assert page.text.index("25 200 011") < page.text.index("25 200 010")
    assert "days overdue" in page.text
    only_late = client.get("/cases", params={"overdue": "yes"})
    assert "25 200 011" in only_late.text and "25 200 010" not in only_late.text
    assert office.today() == date(2025, 6, 2)


def test_hostile_case_text_is_escaped_everywhere(client: TestClient) -> None:
    csrf = sign_in(client, "asha")
    hostile = '<img src=x onerror="alert(1)"> the Council'
    made = client.post(
        "/cases/new",
        data=new_case_form(csrf, points=hostile, subject=f"how {hostile} acted"),
        follow_redirects=True,
    )
    assert made.status_code == 200
    case_path = str(made.url).removeprefix(BASE)
    for path in (case_path, f"{case_path}/assess", f"{case_path}/statement", "/cases"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "<img src=x" not in page.text, path


def test_statement_preview_escapes_html() -> None:
    from ombuds.web.preview import statement_html

    html = statement_html("# Heading\n\n<script>alert(1)</script> and *text*")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<h3 class="govuk-heading-s">Heading</h3>' in html and "<em>text</em>" in html


def test_every_page_for_every_role_answers_without_server_error(client: TestClient) -> None:
    office = client.app_state  # type: ignore[attr-defined]
    _, view = council_tax_case(office, "25 200 020", "Ms L")
    pages = [
        "/cases",
        "/cases/new",
        f"/cases/{view.id}",
        f"/cases/{view.id}/assess",
        f"/cases/{view.id}/statement",
        f"/cases/{view.id}/publish",
        "/cases/999",
        "/decisions",
        "/decisions/24-100-002",
        "/analytics",
    ]
    expected_refusals = {
        ("reviewer", "/cases/new"),
        ("admin", "/cases/new"),
        ("auditor", "/cases/new"),
    }
    for name, role in (
        ("asha", "assessor"),
        ("rita", "reviewer"),
        ("ada", "admin"),
        ("aud", "auditor"),
    ):
        client.cookies.clear()
        sign_in(client, name)
        for path in pages:
            status = client.get(path).status_code
            if path == "/cases/999":
                assert status == 404, (role, path)
            elif (role, path) in expected_refusals:
                assert status == 403, (role, path)
            else:
                assert status == 200, (role, path, status)


SETTLING = {
    "known_for_more_than_12_months": False,
    "complained_to_body": True,
    "body_final_response_given": True,
    "evidence_of_fault": False,
}


def test_publish_page_shows_anonymisation_findings_first(client: TestClient) -> None:
    office = client.app_state  # type: ignore[attr-defined]
    asha, view = council_tax_case(office, "25 200 030", "Ms L")
    with office.store.engine.connect() as conn:
        rita = people.find_user(conn, "rita")
    cases.transition(office, asha, view.id, "assessment")
    cases.set_facts(office, asha, view.id, SETTLING, None, None)
    cases.transition(office, asha, view.id, "draft")
    drafted = cases.draft_statement(office, asha, view.id)
    assert drafted.generated_statement is not None
    leaky = drafted.generated_statement + "\n\nMs L can be reached on 07700 900123.\n"
    cases.edit_statement(office, asha, view.id, leaky)
    cases.transition(office, asha, view.id, "review")
    cases.transition(office, rita, view.id, "decided")
    csrf = sign_in(client, "rita")
    page = client.get(f"/cases/{view.id}/publish")
    assert page.status_code == 200
    assert 'id="findings"' in page.text and "07700 900123" in page.text
    assert ">Publish</button>" not in page.text.replace("\n", "").replace("  ", "")
    forced = client.post(f"/cases/{view.id}/move", data={"csrf_token": csrf, "to": "published"})
    assert forced.status_code == 409 and "anonymisation" in forced.text
    assert client.get(f"/cases/{view.id}").text.count("Decided") >= 1


def test_a_statement_edit_from_an_old_page_is_refused_not_lost(client: TestClient) -> None:
    office = client.app_state  # type: ignore[attr-defined]
    asha, view = council_tax_case(office, "25 200 031", "Ms M")
    cases.transition(office, asha, view.id, "assessment")
    cases.set_facts(office, asha, view.id, SETTLING, None, None)
    cases.transition(office, asha, view.id, "draft")
    cases.draft_statement(office, asha, view.id)
    csrf = sign_in(client, "asha")
    page = client.get(f"/cases/{view.id}/statement")
    read_at = re.search(r'name="version" value="(\d+)"', page.text)
    assert read_at is not None
    cases.edit_statement(office, asha, view.id, "The edit made meanwhile.")
    stale = client.post(
        f"/cases/{view.id}/statement",
        data={
            "csrf_token": csrf,
            "version": read_at.group(1),
            "text": "An edit from the old page.",
        },
    )
    assert stale.status_code == 412
    assert cases.get_case(office, asha, view.id).edited_statement == "The edit made meanwhile."


def test_a_date_answers_the_questions_worked_out_from_it(client: TestClient) -> None:
    """Asked whether the person knew of the matter for over a year, the assessor can give
    the date instead: it is kept on the point and the question is answered from it."""
    office = client.app_state  # type: ignore[attr-defined]
    asha, view = council_tax_case(office, "25 200 040", "Ms L")
    cases.transition(office, asha, view.id, "assessment")
    csrf = sign_in(client, "asha")
    page = client.get(f"/cases/{view.id}/assess?ask=known_for_more_than_12_months")
    assert 'value="known_for_more_than_12_months"' in page.text  # asked, with a date to give
    assert 'name="date-day"' in page.text

    def answer(day: str, month: str, year: str) -> str:
        form = {
            "csrf_token": csrf,
            "fact": "known_for_more_than_12_months",
            "point": "a",
            "points": "a",
            "answer": "",
            "date-day": day,
            "date-month": month,
            "date-year": year,
        }
        return client.post(f"/cases/{view.id}/assess", data=form, follow_redirects=True).text

    after_receipt = answer("2", "6", "2025")
    assert "The date must be on or before 20 May 2025" in after_receipt
    assert 'href="#date-day"' in after_receipt  # the error summary leads to the date
    assert "must include a day, month and year" in answer("", "", "2024")
    assert "must be a real date" in answer("31", "2", "2024")
    assert cases.get_case(office, asha, view.id).document["points"][0].get("first_knew") is None

    # out of order with a date the point already has: refused, saying which two
    point = cases.get_case(office, asha, view.id).document["points"][0]
    earlier = {**point, "complained_to_body": "2025-01-10"}
    cases.patch_case(office, asha, view.id, {"points": [earlier]}, None)
    said = answer("3", "3", "2025")
    assert "first_knew (2025-03-03) is after complained_to_body (2025-01-10)" in said
    cases.patch_case(office, asha, view.id, {"points": [point]}, None)

    answer("3", "3", "2025")
    stored = cases.get_case(office, asha, view.id)
    assert stored.document["points"][0]["first_knew"] == "2025-03-03"
    page = client.get(f"/cases/{view.id}/assess")
    assert 'value="known_for_more_than_12_months"' not in page.text  # answered by the date
    history = client.get(f"/cases/{view.id}").text
    assert "point a): first knew 3 March 2025" in history


def test_the_assessor_chooses_which_reason_the_statement_gives_first(
    client: TestClient,
) -> None:
    office = client.app_state  # type: ignore[attr-defined]
    with office.store.engine.connect() as conn:
        asha = people.find_user(conn, "asha")
    document = seed_document("24-022-031")
    document.pop("main_reason")  # the seed file chooses one; start from the default rule
    document["reference"] = "25 200 050"
    view = cases.create_case(office, asha, document)
    cases.transition(office, asha, view.id, "assessment")
    csrf = sign_in(client, "asha")
    page = client.get(f"/cases/{view.id}/statement").text
    assert 'name="main_reason"' in page
    assert "The reason that closes most points" in page

    def draft_with(main: str) -> Any:
        form = {"csrf_token": csrf, "decision": "", "reason": "", "main_reason": main}
        return client.post(f"/cases/{view.id}/draft", data=form, follow_redirects=True)

    draft_with("")
    assert "mainly because any injustice to Mr X" in cases.get_case(
        office, asha, view.id
    ).statement_text.replace("\n", " ")
    draft_with("cannot_add_to_council_investigation")
    stored = cases.get_case(office, asha, view.id)
    assert stored.document["main_reason"] == "cannot_add_to_council_investigation"
    assert "This is mainly because we could not add significantly" in stored.statement_text
    refused = draft_with("late_complaint")  # not a reason any point is closed for
    assert refused.status_code == 422
    assert "is not a reason this statement gives" in refused.text
    assert 'href="#main_reason"' in refused.text  # the error summary leads to the choice
    kept = cases.get_case(office, asha, view.id).document["main_reason"]
    assert kept == "cannot_add_to_council_investigation"  # nothing stored from the refusal
