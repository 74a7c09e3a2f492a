"""A point (or a part of one) as the engine judges it, and how one test is judged on it.

Three values all the way: a fact nobody recorded is unknown, so a test applies, does not apply,
or is undecided. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from ombuds.domain.assessment import TraceEntry
from ombuds.domain.complaint import FactValue
from ombuds.domain.outcomes import Recommendation, TestResult
from ombuds.rulebook.model import Exception_, Test, refer_names

R = Recommendation
Facts = dict[str, FactValue]
Verdict = Literal["applies", "does_not_apply", "exception", "undecided"]


@dataclass(slots=True)
class Unit:
    """What follows from the facts of one point or part."""

    facts: Facts
    presumed: frozenset[str]
    judged: tuple[Test, ...] = ()
    entries: dict[str, TraceEntry] = field(default_factory=dict)
    applied: list[Test] = field(default_factory=list)
    co_applicable: list[Test] = field(default_factory=list)
    bar: Test | None = None
    #: unknown fact -> ids of the undecided tests that read it (before any bar)
    unknown: dict[str, list[str]] = field(default_factory=dict)
    undecided: list[Test] = field(default_factory=list)
    possible: frozenset[Recommendation] = frozenset()
    #: unknown facts an answer to which could change the decision
    relevant: tuple[str, ...] = ()

    @property
    def settled(self) -> bool:
        return len(self.possible) == 1

    @property
    def decision(self) -> Recommendation:
        return next(iter(self.possible)) if self.settled else R.NEEDS_INFORMATION

    @property
    def tests(self) -> list[Test]:
        """Tests that applied (and were not set aside), in rulebook order."""
        return sorted(
            (t for t in self.applied if self.entries[t.id].result is TestResult.APPLIES),
            key=lambda t: t.order,
        )

    def refer_to(self) -> list[str]:
        names: list[str] = []
        for test in [*self.tests, *self.co_applicable]:
            names.extend(n for n in refer_names(test, self.facts) if n not in names)
        return names


def judge(
    test: Test, facts: Mapping[str, FactValue], used: dict[str, FactValue]
) -> tuple[Verdict, Exception_ | None]:
    """Whether ``test`` applies on ``facts``; ``used`` collects the facts looked at."""
    value = test.applies_when.evaluate(facts, used)
    if value is False:
        return "does_not_apply", None
    undecided = value is None
    for exception in test.unless:
        holds = exception.when.evaluate(facts, used)
        if holds is True:
            return "exception", exception
        undecided = undecided or holds is None
    return ("undecided" if undecided else "applies"), None


def decide(tests: tuple[Test, ...] | list[Test], facts: Mapping[str, FactValue]) -> Recommendation:
    """The decision on facts that settle every test read (NEEDS_INFORMATION if they do not)."""
    closing: list[Test] = []
    aside: set[str] = set()
    for test in tests:
        verdict, _ = judge(test, facts, {})
        if verdict == "undecided":
            return R.NEEDS_INFORMATION
        if verdict != "applies":
            continue
        if test.bar:
            return test.outcome
        if test.effect == "forward":
            aside.update(test.sets_aside)
        else:
            closing.append(test)
    if any(t.id not in aside for t in closing):
        return R.CLOSED_AFTER_INITIAL_ENQUIRIES
    return R.INVESTIGATE
