"""Hostile and giant inputs are read in linear time (no timing asserted here).

Each shape is parsed at two sizes and the work counted as function calls, Python's and C's
(every regex search is one): at four times the size the count may grow about four times,
never sixteen. Each input also runs under a generous alarm, so a return of quadratic
behaviour fails instead of hanging. Times up to 5 MB: benchmarks/parse_pathological.py.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import pytest

from ombuds.reading.sources import Parsed, parse_one

from .pathological import SHAPES

SMALL = 25_000
LARGE = 4 * SMALL
ALARM_S = 60  # a bound on a hang, not a speed target: these take well under a second


@contextmanager
def _bounded(seconds: int) -> Iterator[None]:
    def fail(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"parsing ran past {seconds} s: superlinear again?")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _calls(raw: str) -> int:
    count = 0

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        parse_one(raw, None, "pathological")
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_work_grows_linearly(name: str) -> None:
    make: Callable[[int], str] = SHAPES[name]
    parse_one(make(1000), None, "warm-up")  # patterns loaded and compiled once
    with _bounded(ALARM_S):
        small, large = _calls(make(SMALL)), _calls(make(LARGE))
    assert large <= 5 * small + 2000, (name, small, large)


@pytest.mark.parametrize("name", ["ordinary", "reasons", "nested_html"])
def test_giant_input_still_read(name: str) -> None:
    with _bounded(ALARM_S):
        result = parse_one(SHAPES[name](1_000_000), None, name)
    assert isinstance(result, Parsed), result
    assert result.record.decision == "closed_after_initial_enquiries"
