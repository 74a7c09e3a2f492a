"""Random and mangled input: the reader returns a record or raises ParseError, nothing else."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ombuds.domain.record import DecisionRecord
from ombuds.reading import ParseError, parse_html, parse_text
from ombuds.reading.sources import Parsed, ParseFailure, parse_one

FIXTURES = Path(__file__).resolve().parent / "fixtures"
STATEMENT = (FIXTURES / "closed_statement.txt").read_text()
UPHELD = (FIXTURES / "upheld_statement.txt").read_text()
PAGE = (FIXTURES / "decision_page.html").read_text()
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read(text: str, *, html: bool = False) -> None:
    try:
        record = parse_html(text) if html else parse_text(text)
    except ParseError as error:
        assert str(error)
        return
    assert isinstance(record, DecisionRecord)
    DecisionRecord.model_validate(record.model_dump(mode="json"))  # serialisable, valid


@SETTINGS
@given(st.text(max_size=3000))
def test_random_text(text: str) -> None:
    _read(text)


@SETTINGS
@given(st.sampled_from([STATEMENT, UPHELD]), st.integers(min_value=0, max_value=5000))
def test_truncations(text: str, cut: int) -> None:
    _read(text[:cut])


@SETTINGS
@given(st.sampled_from([STATEMENT, UPHELD]), st.randoms(use_true_random=False))
def test_shuffled_lines(text: str, rnd: random.Random) -> None:
    lines = text.splitlines()
    rnd.shuffle(lines)
    _read("\n".join(lines))


@SETTINGS
@given(
    st.sampled_from([STATEMENT, UPHELD]),
    st.lists(st.tuples(st.integers(0, 5000), st.text(max_size=40)), max_size=8),
)
def test_mangled_statement(text: str, edits: list[tuple[int, str]]) -> None:
    for position, insert in edits:
        text = text[:position] + insert + text[position + len(insert) :]
    _read(text)


_TAGS = st.sampled_from(
    [
        "p",
        "div",
        "h2",
        "li",
        "ol",
        "ul",
        "span",
        "a",
        "main",
        "nav",
        "br",
        "table",
        "td",
        "script",
        "strong",
    ]
)


@st.composite
def random_html(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 30))):
        tag = draw(_TAGS)
        body = draw(
            st.sampled_from(
                [
                    "",
                    "Summary: We will not investigate.",
                    "The complaint",
                    "Back to top",
                    "Mr X (24 000 001)",
                    "Decision : Upheld",
                    "<",
                    "&amp;",
                    "</li>",
                    "My assessment",
                ]
            )
        )
        closing = draw(st.booleans())
        parts.append(f"<{tag}>{body}" + (f"</{tag}>" if closing else ""))
    return "<html><body>" + "".join(parts)


@SETTINGS
@given(random_html())
def test_random_html(html: str) -> None:
    _read(html, html=True)


@SETTINGS
@given(st.integers(0, len(PAGE)), st.text(max_size=30))
def test_mangled_page(cut: int, junk: str) -> None:
    _read(PAGE[:cut] + junk, html=True)


@SETTINGS
@given(st.text(max_size=500))
def test_parse_one_never_raises(text: str) -> None:
    result = parse_one(text, None, "x")
    assert isinstance(result, Parsed | ParseFailure)
