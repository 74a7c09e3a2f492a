"""The assessor's journey in a real browser, end to end, with axe-core on every page type.

Sign in -> new case -> answer the questions until the recommendation is settled -> draft ->
send to review -> the reviewer returns it with comments -> sent again -> a second person signs
it off -> publish (anonymisation findings first) -> found in the public register -> counted
in analytics. And a user whose role may not do a thing is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from ombuds.server.app import create_app

from .browser import WIDE, check_page, live_server
from .office import PASSWORD, open_office

REFERENCE = "25 300 001"
# Answers the test gives, by fact: yes to these, no to every other yes/no question.
YES = {"complained_to_body", "body_final_response_given"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    office = open_office(Path(tmp_path_factory.mktemp("office")))
    with live_server(create_app(office, cookie_secure=False)) as url:
        yield url
    office.store.close()


def submit(page: Page, button: str) -> None:
    """Press a form's button and wait for the page it leads to."""
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def signed_in(browser: Browser, site: str, name: str) -> Page:
    page = browser.new_context(viewport=WIDE).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{site}/cases")
    expect(page).to_have_url(re.compile(r"/sign-in\?next="))
    check_page(page, "sign-in")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Cases", exact=True)).to_be_visible()
    return page


def open_case(page: Page, site: str) -> None:
    page.get_by_role("button", name="Open a new case").click()
    check_page(page, "new-case")
    page.get_by_role("button", name="Open the case").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the case reference")
    check_page(page, "new-case-errors")
    page.get_by_label("The complaint as received").fill(
        "a) The Council lost the council tax reduction form I sent in March.\n\n"
        "b) Nobody answered my two letters about it."
    )
    page.get_by_label("Case reference").fill(REFERENCE)
    page.get_by_label("Organisation complained about").fill("Wilderby Borough Council")
    page.get_by_label("Category").fill("Benefits and tax > Council tax support")
    page.get_by_label("Complainant, as the statement names them").fill("Mr K")
    page.get_by_label("What the complaint is about").fill("how the Council handled his claim")
    page.get_by_label("Day").fill("19")
    page.get_by_label("Month").fill("5")
    page.get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_role("heading", name=f"Case {REFERENCE}")).to_be_visible()
    expect(page.locator("#history")).to_contain_text("Opened the case")
    check_page(page, "case")


def answer_with_date(page: Page) -> None:
    """The date itself, rather than yes or no: kept on the point, the fact follows from it."""
    check_page(page, "assessment-date-question")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2025")
    submit(page, "Save and continue")
    assert page.locator("input[name=fact]").input_value() != "known_for_more_than_12_months"


def answer_until_settled(page: Page) -> None:
    page.get_by_role("link", name="Assessment: questions and recommendation").click()
    expect(page.locator("#recommendation")).to_contain_text("Needs information")
    check_page(page, "assessment")
    if page.locator("input[name=fact]").input_value() == "known_for_more_than_12_months":
        answer_with_date(page)
    # "Don't know" moves on to the next question; the skipped one stays open.
    first = page.locator("input[name=fact]").input_value()
    page.get_by_label("I don't know yet").check()
    submit(page, "Save and continue")
    expect(page.locator("#open-questions")).to_be_visible()
    assert page.locator("input[name=fact]").count() == 0 or (
        page.locator("input[name=fact]").input_value() != first
    )
    for _ in range(30):
        if page.locator("#settled").count():
            break
        if page.locator("input[name=fact]").count() == 0:
            with page.expect_navigation():
                page.get_by_role("link", name="Ask the questions you did not know again").click()
            continue
        fact = page.locator("input[name=fact]").input_value()
        if fact == "known_for_more_than_12_months":
            answer_with_date(page)
            continue
        answer = "Yes" if fact in YES else "No"
        page.get_by_label(answer, exact=True).check()
        submit(page, "Save and continue")
    expect(page.locator("#settled")).to_be_visible()
    expect(page.locator("#recommendation")).to_contain_text("Closed after initial enquiries")
    expect(page.locator("#recommendation")).to_contain_text("Insufficient evidence of fault")
    check_page(page, "assessment-settled")


def draft(page: Page, site: str) -> None:
    page.get_by_role("link", name=f"Case {REFERENCE}").click()
    # the date given in the interview, in the case's history
    expect(page.locator("#history")).to_contain_text("point a): first knew 3 March 2025")
    page.get_by_role("button", name="Move to: Being assessed").click()
    expect(page.locator("#status")).to_have_text("Being assessed")
    page.get_by_role("button", name="Move to: Drafting the decision").click()
    expect(page.locator("#status")).to_have_text("Drafting the decision")
    page.get_by_role("link", name="Decision statement: draft, edit, compare, Word").click()
    page.get_by_role("button", name="Draft the statement").click()
    expect(page.locator("#statement-preview")).to_contain_text("Mr K")
    check_page(page, "statement")
    with page.expect_download() as word:
        page.get_by_role("link", name="Download the drafted statement (Word)").click()
    assert word.value.suggested_filename.endswith(".docx") or word.value.path() is not None
    text = page.get_by_label("Edit the statement")
    text.fill(text.input_value() + "\n\nThe Council has since apologised to Mr K.")
    page.get_by_role("button", name="Save the edit").click()
    expect(page.locator("#diff ins").last).to_contain_text(
        "The Council has since apologised to Mr K."
    )
    check_page(page, "statement-edited")
    page.get_by_role("button", name="Send to review").click()
    expect(page.locator("#status")).to_have_text("Awaiting sign-off")


def test_case_from_intake_to_the_public_register(browser: Browser, site: str) -> None:
    public = browser.new_context(viewport=WIDE).new_page()
    before = public.request.get(f"{site}/analytics/reason.csv").text()
    assert "Insufficient evidence of fault" not in before  # counted (and cached) before
    assessor = signed_in(browser, site, "asha")
    check_page(assessor, "cases")
    open_case(assessor, site)
    case_url = assessor.url
    answer_until_settled(assessor)
    draft(assessor, site)

    reviewer = signed_in(browser, site, "rita")
    reviewer.goto(case_url)
    reviewer.get_by_label("Comments for the assessor").fill("Say which form was lost.")
    reviewer.get_by_role("button", name="Return with comments").click()
    expect(reviewer.locator("#status")).to_have_text("Drafting the decision")
    expect(reviewer.locator("#history")).to_contain_text(
        "Moved the case: from awaiting sign-off to drafting the decision: "
        "“Say which form was lost.”"
    )

    assessor.goto(case_url)
    expect(assessor.locator("#history")).to_contain_text("Say which form was lost.")
    assessor.get_by_role("button", name="Send to review").click()
    expect(assessor.locator("#status")).to_have_text("Awaiting sign-off")

    reviewer.goto(case_url)
    check_page(reviewer, "case-review")
    reviewer.get_by_role("button", name="Approve and sign off").click()
    expect(reviewer.locator("#status")).to_have_text("Decided")
    reviewer.get_by_role("link", name="Publish: check anonymisation first").click()
    expect(reviewer.locator("#anonymisation-clean")).to_be_visible()
    check_page(reviewer, "publish")
    reviewer.get_by_role("button", name="Publish").click()
    expect(reviewer.locator("#status")).to_have_text("Published")

    reviewer.get_by_role("link", name="See it in the public register").click()
    expect(reviewer).to_have_url(f"{site}/decisions/25-300-001")
    expect(reviewer.locator("#reasons")).to_contain_text("Insufficient evidence of fault")

    public.goto(f"{site}/decisions?q=council+tax+reduction+form")
    expect(
        public.get_by_role("link", name=f"Wilderby Borough Council ({REFERENCE})")
    ).to_be_visible()
    public.goto(f"{site}/analytics")
    expect(public.locator("#table-year-outcome")).to_contain_text("2025")
    csv = public.request.get(f"{site}/analytics/organisation.csv").text()
    assert "Wilderby Borough Council" in csv
    total = public.request.get(f"{site}/analytics/reason.csv").text()
    assert "Insufficient evidence of fault,1" in total


def test_reviewer_cannot_sign_off_own_draft_and_auditor_cannot_open_cases(
    browser: Browser, site: str
) -> None:
    auditor = signed_in(browser, site, "aud")
    auditor.goto(f"{site}/cases/new")
    expect(auditor.get_by_role("heading", name="Not allowed for your role")).to_be_visible()
    expect(auditor.locator("#refusal")).to_contain_text("may not open cases")
    check_page(auditor, "refused")
    expect(auditor.get_by_role("button", name="Open a new case")).to_have_count(0)
