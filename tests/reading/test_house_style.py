"""Reason phrasings in the house style (fixtures/house_style.yaml): wording the development
corpus does not contain, so a rule fitted too closely to that corpus shows here."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.reading.test_reasons import _tests

FILE = Path(__file__).parent / "fixtures" / "house_style.yaml"
DATA = yaml.safe_load(FILE.read_text(encoding="utf-8"))
CLOSURE = "We will not investigate this complaint. "
GIVES = [(sentence, test) for test, sentences in DATA["gives"].items() for sentence in sentences]


@pytest.mark.parametrize(("sentence", "test_id"), GIVES)
def test_the_phrasing_gives_its_test(sentence: str, test_id: str) -> None:
    assert test_id in _tests(CLOSURE + sentence)


@pytest.mark.parametrize("sentence", DATA["nothing"])
def test_reported_words_give_no_reason(sentence: str) -> None:
    assert _tests(CLOSURE + sentence) == set()


def test_the_file_names_only_tests_of_the_rulebook() -> None:
    from ombuds.rulebook import load_rulebook

    known = {t.id for t in load_rulebook().tests}
    assert set(DATA["gives"]) <= known
    assert len(GIVES) > 80
