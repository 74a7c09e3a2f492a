"""The synonyms file and the snippet text: acronyms people type, and no stock sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from ombuds.corpus.stock import particular_text
from ombuds.corpus.synonyms import (
    SynonymsError,
    alternatives,
    expand_terms,
    synonym_groups,
    synonyms_of,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("EHCP", "education health and care plan"),
        ("penalty charge notice", "pcn"),
        ("DFG", "disabled facilities grant"),
        ("DoLS", "deprivation of liberty safeguards"),
        ("CIN", "child in need"),
        ("CP", "child protection"),
        ("SEND", "special educational needs and disabilities"),
    ],
)
def test_acronyms_and_their_long_forms_are_one_group(typed: str, expected: str) -> None:
    assert expected in synonyms_of(typed)


def test_a_phrase_typed_as_separate_words_is_recognised() -> None:
    options = alternatives(["EHC", "plan", "delay"])
    assert "ehcp" in options[0] and options[2] == ["delay"]
    assert "disabled facilities grant" in expand_terms(["DFG", "stairlift"])


def test_a_malformed_synonyms_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "synonyms.yaml"
    bad.write_text("groups:\n  - [lonely]\n")
    with pytest.raises(SynonymsError, match="group 1"):
        synonym_groups(bad)


def test_snippet_text_drops_header_lines_and_stock_sentences_but_keeps_the_case() -> None:
    text = (
        "Northmere Council (24 512 001)\nCategory : Housing > Homelessness\n"
        "Decision : Upheld\nDecision date : 3 Dec 2024\nThe complaint\n"
        "1. The complainant, Ms K, says the Council left her family in a hotel for 14 weeks.\n"
        "The Ombudsman's role and powers\n"
        "2. We investigate complaints about 'maladministration' and 'service failure'. "
        "The hotel had no cooking facilities.\n"
    )
    kept = particular_text(text)
    assert "Category" not in kept and "Decision" not in kept and "24 512 001" not in kept
    assert "maladministration" not in kept
    assert "The complainant, Ms K, says" in kept  # "The complaint..." is not a heading here
    assert "The hotel had no cooking facilities." in kept
