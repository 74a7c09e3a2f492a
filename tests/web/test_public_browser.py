"""The public register and analytics in a real browser: search, filter, read, count."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ombuds.corpus.store import open_store
from ombuds.web.app import create_public_app

from .browser import check_page, live_server
from .corpus import fill


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = open_store(Path(tmp_path_factory.mktemp("public")) / "corpus.db")
    fill(store)
    with live_server(create_public_app(store)) as url:
        yield url
    store.close()


def test_search_filter_and_open_a_decision(site: str, page: Page) -> None:
    page.goto(f"{site}/decisions")
    check_page(page, "register-search")
    page.get_by_label("Words or case reference").fill("council tax")
    page.get_by_label("Reason").select_option("alternative_remedy_tribunal")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 decision")).to_be_visible()
    check_page(page, "register-results")
    page.get_by_role("link", name="Eastbridge City Council (24 100 003)").click()
    expect(page).to_have_url(f"{site}/decisions/24-100-003")
    expect(page.get_by_role("heading", name="Reasons")).to_be_visible()
    expect(page.locator("#reasons")).to_contain_text("Alternative remedy tribunal")
    check_page(page, "register-decision")


def test_bad_date_shows_the_error_summary(site: str, page: Page) -> None:
    page.goto(f"{site}/decisions")
    page.locator("#from-day").fill("31")
    page.locator("#from-month").fill("2")
    page.locator("#from-year").fill("2024")
    page.get_by_role("button", name="Search").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Decided from must be a real date")
    expect(page).to_have_title("Error: Search decisions – ombuds")
    check_page(page, "register-error")


def test_missing_decision_page(site: str, page: Page) -> None:
    response = page.goto(f"{site}/decisions/99-999-999")
    assert response is not None and response.status == 404
    check_page(page, "not-found")


def test_analytics_shows_charts_without_javascript(site: str, page: Page) -> None:
    browser = page.context.browser
    assert browser is not None
    plain = browser.new_context(java_script_enabled=False)
    no_js = plain.new_page()
    no_js.goto(f"{site}/analytics")
    expect(no_js.locator("svg.app-chart")).to_have_count(4)
    plain.close()
    page.goto(f"{site}/analytics")
    expect(page.locator("#table-reason")).to_contain_text("Alternative remedy tribunal")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download “Upheld rate by organisation” as CSV").click()
    assert download.value.suggested_filename == "ombuds-organisation.csv"
    check_page(page, "analytics")
