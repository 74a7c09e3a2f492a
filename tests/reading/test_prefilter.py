"""The RE2 prefilter only ever filters: whatever a rule's regex matches, it lets through."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from ombuds.reading.patterns import load_patterns
from ombuds.reading.prefilter import Guarded, Prefilter, relaxed
from ombuds.reading.textnorm import normalise, sentences


def test_relaxed_drops_lookarounds_and_widens_classes() -> None:
    assert relaxed(r"(?<!to )\bappeal(?!ed)") == r"\bappeal"
    # looked behind for at the start, or ahead for at the end: kept, as text to match
    assert relaxed(r"(?<=not )\bappeal(?=ed)") == r"(?:not )\bappeal(?:ed)"
    assert relaxed(r"a(?=b)c") == r"ac"
    # counted repeats made open: one DFA state instead of one per count
    assert relaxed(r"a[^.]{0,80}b{2}c{1,}") == r"a[^.]*b+c+"
    assert relaxed(r"a\{2}") == r"a\{2}"  # an escaped brace is text
    assert relaxed(r"[\w.]+") == r"[\w\x{80}-\x{10ffff}.]+"
    assert relaxed(r"[^\w]") == r"[^\w]"
    assert relaxed(r"a\d") == r"a(?:\d|[^\x00-\x7f])"
    assert relaxed(r"[(?=x)]") == r"[(?=x)]"  # a class is not a group


def test_guarded_never_hides_a_match_of_non_ascii_text() -> None:
    guarded = Guarded(re.compile(r"\bcaf\w+ (?=bar)"), usually_absent=True)
    assert guarded.search("le café bar") is not None
    assert guarded.search("le café pub") is None
    assert guarded.sub("X", "le café bar") == "le X" + "bar"


def _sentences(fixtures: Path) -> list[str]:
    out = []
    for path in sorted(fixtures.glob("*.txt")):
        out.extend(s.lower() for s in sentences(normalise(path.read_text())))
    return out


def test_every_rule_match_passes_the_prefilter(fixtures: Path) -> None:
    patterns = load_patterns()
    rules = [*patterns.tests, *(h.rule for h in patterns.hinted), patterns.generic_appeal.rule]
    prefilter = patterns.prefilter
    checked = 0
    for sentence in _sentences(fixtures):
        hits = prefilter.hits(sentence)
        for group, rule in enumerate(rules):
            for local, trigger in enumerate(rule.triggers):
                if re.search(trigger, sentence, re.IGNORECASE):
                    checked += 1
                    assert local in hits.get(group, ()), (rule.id, trigger, sentence)
    assert checked > 10


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcdéfgh .,'-0123456789\u00e9\u0660", max_size=60))
def test_relaxed_matches_wherever_python_does(text: str) -> None:
    for pattern in (
        r"\b\w+ed\b",
        r"(?<!no )fault\b",
        r"[\w']+ \d+",
        r"\bcafé\b(?! au)",
        r"(?<=a )\w{1,3}(?=\.)",
        r"\bb[^.]{0,5}\bd",
    ):
        if re.search(pattern, text, re.IGNORECASE):
            assert re2.search(relaxed(pattern), text, re2.I if hasattr(re2, "I") else 0)


def test_a_trigger_re2_cannot_read_is_always_tried() -> None:
    prefilter = Prefilter([["plain"], [r"(a)\1"]])  # a back-reference: not RE2
    assert prefilter.hits("nothing here") == {1: (0,)}
    assert prefilter.hits("plain text") == {0: (0,), 1: (0,)}


def test_short_and_long_text_find_the_same_triggers(fixtures: Path) -> None:
    """Sentences are filtered on their words; long text on the full triggers: both let
    through every trigger that matches."""
    patterns = load_patterns()
    rules = [*patterns.tests, *(h.rule for h in patterns.hinted), patterns.generic_appeal.rule]
    for sentence in _sentences(fixtures)[:300]:
        padded = sentence + " " + "x " * 1500  # past the length where the full set decides
        for hits in (patterns.prefilter.hits(sentence), patterns.prefilter.hits(padded)):
            for group, rule in enumerate(rules):
                for local, trigger in enumerate(rule.triggers):
                    if re.search(trigger, sentence, re.IGNORECASE):
                        assert local in hits.get(group, ()), (rule.id, trigger, sentence)


def test_possible_is_a_superset_for_a_whole_paragraph() -> None:
    prefilter = Prefilter([["not investigate (?:this|that)"], [r"\bgp\b"], ["court"]])
    assert prefilter.possible("we will not investigate this. the gp said") >= {0, 1}
    assert 2 not in prefilter.possible("we will not investigate this. the gp said")


@pytest.mark.parametrize("text", ["", "x" * 10_000])
def test_empty_and_long_text(text: str) -> None:
    assert isinstance(load_patterns().prefilter.hits(text), dict)
