"""Text clean-up: the fast paths give exactly what the plain regexes would."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from ombuds.reading.textnorm import ODD_SPACES, normalise, sentences, strip_marker


def test_odd_spaces_are_every_space_but_the_plain_ones() -> None:
    every = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert set(ODD_SPACES) == every - {" ", "\n"}


def _plain_normalise(text: str) -> str:
    table = str.maketrans({"\u2019": "'", "\u201c": '"', "\u2013": "-", "\u00a0": " "})
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(table)
    return re.sub(r"[^\S\n]+", " ", text)


_ALPHABET = "ab .!?\"')]([\n\t\r\x0b\u00a0\u2019\u201c\u2013\u3000AZ09£"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=80))
def test_normalise_is_the_plain_replacements(text: str) -> None:
    assert normalise(text) == _plain_normalise(text)


def _plain_sentences(text: str) -> list[str]:
    end = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]]))\s+(?=[\"'(\[]?[A-Z0-9£])")
    return [piece.strip() for piece in end.split(text) if piece.strip()]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab .!?\"')]([AZ09£", max_size=80))
def test_sentences_end_where_the_look_behind_regex_says(text: str) -> None:
    """Without abbreviations or line breaks, a sentence ends at punctuation + space + capital
    (after the line's list marker, "1. ", is taken off)."""
    assert sentences(text) == _plain_sentences(strip_marker(text))


def test_an_abbreviation_does_not_end_a_sentence() -> None:
    assert sentences("We spoke to Mr. X about it. Then Dr. Y wrote.") == [
        "We spoke to Mr. X about it.",
        "Then Dr. Y wrote.",
    ]
    assert sentences("It was Amr. Then we left.") == ["It was Amr.", "Then we left."]


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 40),
    st.sampled_from(["Jan", "january", "Sept", "SEP", "June", "Junee", "may", "Febr"]),
    st.integers(0, 2100),
)
def test_header_dates_read_as_strptime_would(day: int, month: str, year: int) -> None:
    """The quick path for '13 Nov 2024' gives what the date formats give through strptime."""
    from datetime import datetime

    from ombuds.reading.header import parse_date
    from ombuds.reading.patterns import load_patterns

    patterns = load_patterns()
    printed = f"{day} {month} {year:04d}"
    expected = None
    for fmt in patterns.date_formats:
        try:
            expected = datetime.strptime(printed.replace("Sept", "Sep"), fmt).date()
            break
        except ValueError:
            continue
    assert parse_date(printed, patterns) == expected


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "section 26",
                "SECTION 24A(6)",
                "\u017fection 34B",  # a long s: the case-blind regex takes it as "section"
                "subsection 3",
                " of the Local Government Act 1974",
                " of the Care Act 2014",
                ", and ",
                " ",
                ".",
                "\u0130",  # a capital dotted I: lower-cases to two characters
            ]
        ),
        max_size=12,
    )
)
def test_running_citations_are_found_where_the_regex_finds_them(pieces: list[str]) -> None:
    """Citations in running text are looked for only where "section" occurs: the same
    matches as the case-blind regex tried at every character."""
    from ombuds.reading.citations import _running, _running_matches
    from ombuds.reading.patterns import load_patterns

    acts = load_patterns().acts
    text = "".join(pieces)
    expected = [m.span() for m in _running(acts).finditer(text)]
    assert [m.span() for m in _running_matches(text, acts)] == expected
