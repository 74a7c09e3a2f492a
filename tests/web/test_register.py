"""The public register and analytics, through HTTP (no browser): what a visitor gets back."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ombuds.corpus.store import Store, open_store
from ombuds.web.app import create_public_app

from .corpus import fill


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store: Store = open_store(Path(tmp_path_factory.mktemp("register")) / "corpus.db")
    fill(store)
    with TestClient(create_public_app(store)) as test_client:
        yield test_client
    store.close()


def test_search_finds_words_with_snippet_and_facets(client: TestClient) -> None:
    page = client.get("/decisions", params={"q": "council tax"})
    assert page.status_code == 200
    assert "24 100 003" in page.text and "24 100 004" in page.text
    assert "25 100 005" not in page.text
    assert "<mark>council</mark>" in page.text.lower()
    # Facet counts in the filter options, in plain words.
    assert "Council tax support (1)" in page.text
    assert "Alternative remedy tribunal (1)" in page.text
    # Organisation type-ahead: a datalist of the organisations of published decisions.
    assert '<option value="Northmere District Council">' in page.text


def test_filters_narrow_by_organisation_decision_reason_and_dates(client: TestClient) -> None:
    upheld = client.get("/decisions", params={"decision": "upheld", "organisation": "wilderby"})
    assert "25 100 005" in upheld.text and "25 100 008" in upheld.text
    assert "24 100 002" not in upheld.text and "25 100 006" not in upheld.text
    assert "2 decisions" in upheld.text
    reason = client.get("/decisions", params={"reason": "alternative_remedy_tribunal"})
    assert "23 100 001" in reason.text and "24 100 003" in reason.text
    assert "25 100 006" not in reason.text
    dated = client.get(
        "/decisions", params={"from-year": "2025", "to-month": "4", "to-year": "2025"}
    )
    assert "25 100 005" in dated.text and "25 100 006" in dated.text
    assert "25 100 007" not in dated.text and "24 100 004" not in dated.text


def test_bad_date_shows_error_summary(client: TestClient) -> None:
    page = client.get(
        "/decisions", params={"from-day": "31", "from-month": "2", "from-year": "2024"}
    )
    assert page.status_code == 400
    assert "govuk-error-summary" in page.text
    assert "Decided from must be a real date" in page.text
    assert page.text.count("Error: ") == 1  # the title says so
    backwards = client.get("/decisions", params={"from-year": "2025", "to-year": "2024"})
    assert "must be the same as or before" in backwards.text


def test_reference_search_and_decision_page(client: TestClient) -> None:
    found = client.get("/decisions", params={"q": "24-100-002"})
    assert 'href="/decisions/24-100-002"' in found.text
    page = client.get("/decisions/24-100-002")
    assert page.status_code == 200
    assert "Eastbridge City Council" in page.text and "Upheld" in page.text
    assert "The Council will apologise to Ms B." in page.text
    assert "Similar decisions" in page.text and "/decisions/25-100-007" in page.text
    tribunal = client.get("/decisions/23-100-001")
    # The reason in plain words, the rulebook's question, and the law cited.
    assert "Alternative remedy tribunal" in tribunal.text
    assert "right of appeal to a tribunal" in tribunal.text
    assert "section 26(6)(a)" in tribunal.text


def test_decision_address_is_stable(client: TestClient) -> None:
    moved = client.get("/decisions/24 100 002", follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["location"] == "/decisions/24-100-002"
    missing = client.get("/decisions/99-999-999")
    assert missing.status_code == 404 and "No published decision has the reference" in missing.text


def test_hostile_text_is_escaped(client: TestClient) -> None:
    page = client.get("/decisions/25-100-007")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    listing = client.get("/decisions", params={"q": "<b>badge</b>"})
    assert "<b>badge</b>" not in listing.text


def test_analytics_charts_tables_and_csv(client: TestClient) -> None:
    page = client.get("/analytics")
    assert page.status_code == 200
    assert page.text.count("<svg") >= 4
    assert 'role="img"' in page.text
    for name in ("year-outcome", "category", "reason", "organisation"):
        assert f'id="table-{name}"' in page.text and f"/analytics/{name}.csv" in page.text
    by_org = client.get("/analytics/organisation.csv")
    assert by_org.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(by_org.text)))
    assert rows[0] == ["Organisation", "Upheld", "Not upheld", "Upheld rate", "All decisions"]
    assert ["Wilderby Borough Council", "2", "2", "50%", "6"] in rows
    # Fewer than 3 investigated decisions: no rate.
    assert not any(row[0] == "Eastbridge City Council" for row in rows)
    years = list(csv.reader(io.StringIO(client.get("/analytics/year-outcome.csv").text)))
    by_year = {row[0]: row for row in years[1:]}
    assert by_year["2025"][-1] == "4" and by_year["2024"][-1] == "3" and by_year["2023"][-1] == "1"
    reasons = dict(csv.reader(io.StringIO(client.get("/analytics/reason.csv").text)))
    assert reasons["Alternative remedy tribunal"] == "2"
    assert client.get("/analytics/nothing.csv").status_code == 404


def test_static_assets_are_shipped_with_licence(client: TestClient) -> None:
    css = client.get("/static/govuk/govuk-frontend.min.css")
    assert css.status_code == 200 and ".govuk-header" in css.text
    assert "GDS Transport" not in css.text
    assert client.get("/static/govuk/govuk-frontend.min.js").status_code == 200
    assert "MIT License" in client.get("/static/govuk/LICENCE.txt").text
