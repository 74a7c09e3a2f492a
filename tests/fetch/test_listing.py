from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from ombuds.importer.listing import decision_slug, parse_listing, search_url
from ombuds.importer.site import SiteError, load_site

from .siteserver import decision_path, load_decisions, render_listing

SITE = load_site()
BASE = "http://127.0.0.1:8000"


def _page(items: list[dict[str, object]], total: int) -> str:
    return render_listing(items, total=total, page=1, pages=2, query_without_page="fd=x")


def test_reads_every_result_with_its_listing_details() -> None:
    decisions = load_decisions()[:3]
    listing = parse_listing(SITE, _page(decisions, total=5), BASE + "/Decisions/SearchResults")
    assert listing.total == 5
    assert [i.url for i in listing.items] == [BASE + decision_path(d) for d in decisions]
    first = listing.items[0]
    assert first.slug == "24-101-202"
    assert first.reference == "24 101 202"
    assert first.organisation == "Thornbury Vale Council"
    assert (first.category_slug, first.subcategory_slug) == ("housing", "homelessness")
    assert first.kind == "Statement"
    assert first.outcome == "Closed after initial enquiries"
    assert first.subcategory == "Homelessness"
    assert first.decision_date == date(2024, 3, 4)
    assert first.summary is not None and first.summary.startswith("We will not investigate Mr D")
    assert listing.items[2].outcome == "Not upheld"  # not mistaken for 'Upheld'
    assert listing.items[2].subcategory == "School transport"


def test_navigation_and_pagination_links_are_not_results() -> None:
    listing = parse_listing(SITE, _page([], total=0), BASE + "/Decisions/SearchResults")
    assert listing.items == []
    assert listing.total == 0


def test_a_decision_linked_twice_is_listed_once_and_absolute() -> None:
    html = """<html><body><p>Your search has 1,204 results</p><ul>
      <li><a href="/decisions/housing/homelessness/24-101-202/">Thornbury Vale Council
      (24 101 202)</a> <a href="https://example.org/decisions/housing/homelessness/24-101-202">
      again</a> Statement Upheld Homelessness 4-Mar-2024</li>
      <li><a href="../decisions/education/other/25-000-001b?x=1#top">
        A Council (25 000 001b)</a></li>
    </ul></body></html>"""
    listing = parse_listing(SITE, html, BASE + "/Decisions/SearchResults?page=3")
    assert listing.total == 1204
    assert [i.url for i in listing.items] == [
        BASE + "/decisions/housing/homelessness/24-101-202",
        "https://example.org/decisions/housing/homelessness/24-101-202",
        BASE + "/decisions/education/other/25-000-001b",
    ]
    assert listing.items[2].reference == "25 000 001b"
    assert listing.items[2].decision_date is None  # no listing line: nothing guessed


def test_search_url_asks_for_the_date_range_and_page() -> None:
    url = search_url(SITE, BASE + "/", date(2024, 3, 1), date(2024, 4, 30), 2)
    parts = urlsplit(url)
    assert parts.path == "/Decisions/SearchResults"
    assert parse_qs(parts.query) == {
        "fd": ["2024-03-01"],
        "td": ["2024-04-30"],
        "page": ["2"],
        "sortOrder": ["ascending"],
    }


def test_decision_slug_only_for_decision_pages() -> None:
    assert decision_slug(SITE, BASE + "/decisions/planning/enforcement/24-105-119") == "24-105-119"
    assert decision_slug(SITE, BASE + "/decisions/planning") is None


def test_user_agent_names_ombuds_and_a_contact() -> None:
    agent = SITE.user_agent_for("9.9", "mailto:corpus@example.org")
    assert agent.startswith("ombuds/9.9") and "mailto:corpus@example.org" in agent
    assert SITE.contact in SITE.user_agent_for("9.9")


def test_a_broken_site_file_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    text = resources.files("ombuds.importer").joinpath("site.yaml").read_text("utf-8")
    path.write_text(text.replace("decision_path: '^", "decision_path: '(^"), "utf-8")
    with pytest.raises(SiteError, match=r"site.yaml: field 'decision_path'"):
        load_site(path)
