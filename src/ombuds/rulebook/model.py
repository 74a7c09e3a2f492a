"""The rulebook as the engine sees it: tests with conditions, exceptions and citations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from ombuds.domain.complaint import FactValue
from ombuds.domain.outcomes import Recommendation
from ombuds.rulebook.conditions import Condition, comparisons

Stage = Literal["preliminary", "jurisdiction", "discretion"]
Role = Literal["paragraph", "bullet", "both", "none"]
STAGES: tuple[Stage, ...] = ("preliminary", "jurisdiction", "discretion")


@dataclass(frozen=True, slots=True)
class Fact:
    """One entry of the fact vocabulary."""

    name: str
    type: Literal["bool", "int", "text", "enum"]
    ask: str
    #: What the rulebook presumes when nobody recorded the fact (None: no presumption, the
    #: fact is unknown). A presumption is shown as such in the trace.
    presume: FactValue = None
    values: tuple[str, ...] = ()
    derived: bool = False
    source: str | None = None
    #: A derived fact an assessor may record directly when its source (a date) is not known.
    recordable: bool = False
    #: The point's date it is worked out from (first_knew...): answering with that date
    #: records the date itself, from which the fact follows.
    date: str | None = None

    @property
    def answerable(self) -> bool:
        """Whether an assessor can be asked it (and record the answer as a fact)."""
        return not self.derived or self.recordable


@dataclass(frozen=True, slots=True)
class Exception_:
    """A labelled exception: when its condition holds, the test is set aside."""

    id: str
    when: Condition
    says: str


@dataclass(frozen=True, slots=True)
class ReferTo:
    """Where to send the person: a fixed name, or the value of a fact; ``when`` a fact holds.

    ``unconfirmed`` marks a destination the domain specification gives as background knowledge
    (K): it is shown to rulebook readers, never printed in a statement.
    """

    text: str | None = None
    fact: str | None = None
    when: str | None = None
    unconfirmed: bool = False

    def resolve(self, facts: Mapping[str, FactValue]) -> str | None:
        if self.when is not None and facts.get(self.when) is not True:
            return None
        if self.fact is not None:
            value = facts.get(self.fact)
            return str(value) if value else None
        return self.text


def refer_names(test: Test, facts: Mapping[str, FactValue]) -> list[str]:
    """Where a test sends the person, on these facts, in rulebook order, once each."""
    names: list[str] = []
    for target in test.refer_to:
        name = target.resolve(facts)
        if name and name not in names:
            names.append(name)
    return names


@dataclass(frozen=True, slots=True)
class Test:
    """One Assessment Code test: a rule with its legal reference."""

    __test__ = False  # not a pytest class

    id: str
    stage: Stage
    order: int
    question: str
    citation: str
    applies_when: Condition
    unless: tuple[Exception_, ...] = ()
    bar: bool = False
    outcome: Recommendation = Recommendation.CLOSED_AFTER_INITIAL_ENQUIRIES
    effect: Literal["close", "forward"] = "close"
    phase: Literal["substantive", "after_substantive"] = "substantive"
    sets_aside: tuple[str, ...] = ()
    role: Role = "paragraph"
    refer_to: tuple[ReferTo, ...] = ()
    published: bool | None = None
    confidence: str = "V"
    notes: str | None = None
    #: When the test does not apply and this holds, its absence is itself a stated reason
    #: (e.g. "there is no wider public interest"), given on a closed point.
    stated_when: Condition | None = None
    #: Closing tests that, when they apply too, are the reason given instead of this one (one
    #: refusal made without fault is insufficient evidence of fault, not also section 34(3)).
    yields_to: tuple[str, ...] = ()

    def conditions(self) -> list[Condition]:
        """The test's condition and its exceptions' conditions."""
        return [self.applies_when, *(e.when for e in self.unless)]

    @property
    def unconfirmed(self) -> bool:
        """True where the domain spec marks the test, or part of it, as not confirmed."""
        return self.confidence != "V" or "(K)" in self.citation


@dataclass(frozen=True, slots=True)
class Edition:
    """House style in force from a date."""

    start: date
    discretion_citation: str
    assessment_heading: str
    style: str = "current"
    """Which wording the templates use (they branch on it): role and powers, how considered."""


@dataclass(frozen=True, slots=True)
class OverallRule:
    decision: Recommendation
    when_any_point: frozenset[Recommendation] = frozenset()
    when_all_points: frozenset[Recommendation] = frozenset()
    otherwise: bool = False


@dataclass(frozen=True)
class Rulebook:
    """A scheme's rulebook, validated: facts, tests in evaluation order, and house style."""

    id: str
    name: str
    version: int
    facts: Mapping[str, Fact]
    tests: tuple[Test, ...]
    substantive_point: Condition
    overall: tuple[OverallRule, ...]
    editions: tuple[Edition, ...]
    general_citation: str
    short_names: tuple[tuple[str, str], ...]
    categories: Mapping[str, tuple[str, ...]]
    folder: str
    #: facts no longer in the vocabulary -> what to record instead
    retired: Mapping[str, str] = field(default_factory=dict)
    by_id: Mapping[str, Test] = field(init=False)
    presumptions: Mapping[str, FactValue] = field(init=False)
    domains: Mapping[str, tuple[FactValue, ...]] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {t.id: t for t in self.tests})
        object.__setattr__(
            self,
            "presumptions",
            {n: f.presume for n, f in self.facts.items() if f.presume is not None},
        )
        object.__setattr__(self, "domains", _domains(self))

    def test(self, test_id: str) -> Test:
        try:
            return self.by_id[test_id]
        except KeyError:
            raise KeyError(
                f"unknown test id {test_id!r}; `ombuds rulebook show` lists the ids"
            ) from None

    def edition(self, on: date) -> Edition:
        """The house style in force on a decision date (the oldest edition before any)."""
        for edition in self.editions:
            if on >= edition.start:
                return edition
        return self.editions[-1]

    def short_name(self, organisation: str) -> str:
        for needle, name in self.short_names:
            if needle in organisation:
                return name
        return "the organisation"

    def category_known(self, category: str) -> bool:
        top, _, sub = category.partition(" > ")
        return sub in self.categories.get(top, ())


def _domains(rulebook: Rulebook) -> dict[str, tuple[FactValue, ...]]:
    """For each fact, the values worth trying when it is unknown: every value that can change a
    condition (both truth values, every enum value, each side of every number compared)."""
    thresholds: dict[str, set[int]] = {}
    for test in rulebook.tests:
        for condition in test.conditions():
            for compare in comparisons(condition):
                if isinstance(compare.operand, int) and not isinstance(compare.operand, bool):
                    thresholds.setdefault(compare.fact, set()).update(
                        {compare.operand - 1, compare.operand, compare.operand + 1}
                    )
    domains: dict[str, tuple[FactValue, ...]] = {}
    for name, fact in rulebook.facts.items():
        if fact.type == "bool":
            domains[name] = (True, False)
        elif fact.type == "enum":
            domains[name] = fact.values
        elif fact.type == "int":
            domains[name] = tuple(sorted(v for v in thresholds.get(name, {0}) if v >= 0))
        else:
            domains[name] = ("", "named")
    return domains
