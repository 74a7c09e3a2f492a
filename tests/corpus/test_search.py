"""Search ranks by relevance, filters, counts facets and finds references first."""

from __future__ import annotations

from datetime import date

import pytest

from ombuds.corpus.ingest import ingest
from ombuds.corpus.query import parse_query
from ombuds.corpus.search import MARK_END, MARK_START, SearchFilters, search
from ombuds.corpus.store import Store

from .builders import Decision

CORPUS = [
    Decision(
        "23 100 001",
        "Mr A complained about a penalty charge notice. The Traffic Penalty Tribunal can hear "
        "his appeal against the penalty charge, so we will not investigate.",
        organisation="Wilderby Borough Council",
        category="Transport and highways > Parking and other penalties",
        decided=date(2023, 2, 14),
        tests=["alternative_remedy_tribunal"],
    ),
    Decision(
        "24 100 002",
        "Ms B said the Council refused her parking permit. Parking was mentioned once.",
        organisation="Eastbridge City Council",
        category="Transport and highways > Parking and other penalties",
        decision="upheld",
        decided=date(2024, 6, 1),
    ),
    Decision(
        "24 100 003",
        "Mrs C complained about council tax on an empty flat. The Valuation Tribunal decides "
        "council tax appeals and she can appeal there.",
        organisation="Eastbridge City Council",
        category="Benefits and tax > Council tax",
        decided=date(2024, 9, 5),
        tests=["alternative_remedy_tribunal"],
    ),
    Decision(
        "24 100 004",
        "Mr D complained about homelessness accommodation. He can appeal to the county court.",
        organisation="Northmere District Council",
        category="Housing > Homelessness",
        decided=date(2024, 3, 12),
        tests=["alternative_remedy_court"],
    ),
    Decision(
        "25 100 005",
        "Mrs E complained about barking dog noise; there is not enough evidence of fault.",
        organisation="Northmere District Council",
        category="Environment and regulation > Noise",
        decision="not_upheld",
        decided=date(2025, 1, 30),
        tests=["insufficient_evidence_of_fault"],
    ),
]


@pytest.fixture
def corpus(store: Store) -> Store:
    ingest(store, [d.parsed(f"{n}.txt") for n, d in enumerate(CORPUS)])
    return store


def refs(store: Store, query: str, filters: SearchFilters | None = None) -> list[str]:
    return [hit.reference for hit in search(store, query, filters).hits]


def test_more_relevant_decision_ranks_first(corpus: Store) -> None:
    result = search(corpus, "penalty charge")
    assert [h.reference for h in result.hits] == ["23 100 001"]  # every word required
    hits = search(corpus, "parking").hits
    assert hits[0].score >= hits[-1].score
    assert {h.reference for h in hits} == {"23 100 001", "24 100 002"}


def test_snippet_marks_the_matched_words(corpus: Store) -> None:
    hit = search(corpus, "valuation tribunal").hits[0]
    assert f"{MARK_START}Valuation{MARK_END} {MARK_START}Tribunal{MARK_END}" in hit.snippet.marked
    assert "<mark>Valuation</mark>" in hit.snippet.html()


def test_stemming_matches_other_word_forms(corpus: Store) -> None:
    assert refs(corpus, "appeals") == refs(corpus, "appeal")
    assert len(refs(corpus, "appealed")) == 3


def test_filters_narrow_results_and_facets(corpus: Store) -> None:
    assert refs(corpus, "appeal", SearchFilters(category="Council tax")) == ["24 100 003"]
    assert refs(corpus, "appeal", SearchFilters(organisation="northmere")) == ["24 100 004"]
    assert refs(corpus, "appeal", SearchFilters(test="alternative_remedy_court")) == ["24 100 004"]
    assert refs(corpus, "tribunal", SearchFilters(since=date(2024, 1, 1))) == ["24 100 003"]
    assert refs(corpus, "tribunal", SearchFilters(until=date(2023, 12, 31))) == ["23 100 001"]
    assert refs(corpus, "complained", SearchFilters(decision="Not upheld")) == ["25 100 005"]
    assert refs(corpus, "complained", SearchFilters(category="transport and highways")) != []


def test_facets_count_every_match_not_just_the_page(corpus: Store) -> None:
    result = search(corpus, "complained", limit=1)
    assert result.total == 4 and len(result.hits) == 1
    assert result.facets["decision"] == {"closed_after_initial_enquiries": 3, "not_upheld": 1}
    assert result.facets["year"] == {"2024": 2, "2023": 1, "2025": 1}
    assert result.facets["test"]["alternative_remedy_tribunal"] == 2
    assert sum(result.facets["category"].values()) == 4


@pytest.mark.parametrize("typed", ["24 100 004", "24-100-004", "24100004"])
def test_reference_lookup_puts_that_case_first(corpus: Store, typed: str) -> None:
    result = search(corpus, typed)
    assert [h.reference for h in result.hits] == ["24 100 004"]
    assert result.hits[0].match == "reference"


def test_reference_with_words_ranks_reference_then_text_matches(corpus: Store) -> None:
    hits = search(corpus, "25-100-005 tribunal").hits
    assert hits[0].reference == "25 100 005"
    assert {h.reference for h in hits[1:]} == {"23 100 001", "24 100 003"}


def test_no_decision_with_every_word_falls_back_to_any(corpus: Store) -> None:
    result = search(corpus, "homelessness barking")
    assert result.mode == "any_word"
    assert {h.reference for h in result.hits} == {"24 100 004", "25 100 005"}


def test_filters_alone_list_newest_first(corpus: Store) -> None:
    result = search(corpus, "", SearchFilters(organisation="Council"))
    assert result.mode == "filters" and result.total == 5
    assert [h.decision_date for h in result.hits] == sorted(
        (h.decision_date for h in result.hits), reverse=True
    )


def test_query_syntax_is_never_passed_through(corpus: Store) -> None:
    assert search(corpus, 'NEAR( "unclosed - : * ^').total == 0
    assert parse_query('"county court" appeal').terms == ("county court", "appeal")
