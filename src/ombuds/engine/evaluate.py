"""Judge a rulebook's tests on what is known about one point (or one part of a point).

Three values all the way: a fact nobody recorded is unknown, so a test applies, does not apply,
or is undecided. An undecided test matters only if some answer to its unknown facts could
change the decision; that is found exactly by trying every answer (:func:`possible`), which
stays cheap because the rulebook presumes the rare circumstances and only the few facts read
by undecided tests are tried. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product
from typing import Literal

from ombuds.domain.assessment import TraceEntry
from ombuds.domain.complaint import FactValue
from ombuds.domain.outcomes import Recommendation, TestResult
from ombuds.rulebook.model import Exception_, Rulebook, Test, refer_names

R = Recommendation
Facts = dict[str, FactValue]
Verdict = Literal["applies", "does_not_apply", "exception", "undecided"]

#: Most combinations of unknown answers tried for one point before it is simply called open.
MAX_WORLDS = 4096


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


Shown = tuple[tuple[str, FactValue], ...]
#: test -> the facts its conditions read (keyed by identity; the test is kept alive with it)
_NAMES: dict[int, tuple[Test, tuple[str, ...]]] = {}
#: (test, the values of those facts) -> its judgement: complaints repeat the same few values
_JUDGED: dict[tuple[int, tuple[FactValue, ...]], tuple[Verdict, Exception_ | None, Shown]] = {}
_JUDGED_MAX = 200_000


def _judged(test: Test, facts: Mapping[str, FactValue]) -> tuple[Verdict, Exception_ | None, Shown]:
    """:func:`judge`, remembered for the values of the facts the test reads."""
    known = _NAMES.get(id(test))
    if known is None or known[0] is not test:
        names = tuple(sorted(set().union(*(c.fact_names() for c in test.conditions()))))
        _NAMES[id(test)] = (test, names)
    else:
        names = known[1]
    key = (id(test), tuple(map(facts.get, names)))
    hit = _JUDGED.get(key)
    if hit is None:
        used: dict[str, FactValue] = {}
        verdict, exception = judge(test, facts, used)
        hit = (verdict, exception, tuple(used.items()))
        if len(_JUDGED) >= _JUDGED_MAX:
            _JUDGED.clear()
        _JUDGED[key] = hit
    return hit


def _leaned(shown: Shown, presumed: frozenset[str]) -> tuple[str, ...]:
    """The presumed facts among those a test looked at."""
    if not shown or presumed.isdisjoint(name for name, _ in shown):
        return ()
    return tuple(name for name, _ in shown if name in presumed)


@lru_cache(maxsize=65536)
def _entry(
    test: str,
    result: TestResult,
    facts: tuple[tuple[str, FactValue], ...],
    exception: str | None = None,
    note: str | None = None,
    presumed: tuple[str, ...] = (),
) -> TraceEntry:
    """Trace entries are immutable and repeat a great deal across points: build each once."""
    return TraceEntry(
        test=test,
        result=result,
        facts=dict(facts),
        exception=exception,
        note=note,
        presumed=list(presumed),
    )


def evaluate(
    tests: tuple[Test, ...] | list[Test],
    facts: Facts,
    presumed: frozenset[str],
    rulebook: Rulebook,
) -> Unit:
    """Judge ``tests`` in order on one point's facts: trace, decision, what could change it."""
    unit = Unit(facts, presumed, tuple(tests))
    forward_after_bar: list[Test] = []
    for test in tests:
        bar = unit.bar
        if bar is not None and bar.outcome is not R.CLOSED_AFTER_INITIAL_ENQUIRIES:
            unit.entries[test.id] = _entry(
                test.id, TestResult.NOT_REACHED, (), None, f"ended by {bar.id}"
            )
            continue
        verdict, exception, shown = _judged(test, facts)
        leaned = _leaned(shown, presumed)
        if bar is not None:
            if verdict == "applies" and test.effect == "forward":
                forward_after_bar.append(test)
            if (
                verdict == "applies"
                and test.effect == "close"
                and bar.outcome is R.CLOSED_AFTER_INITIAL_ENQUIRIES
                and (not test.bar or test.outcome == bar.outcome)
            ):
                unit.co_applicable.append(test)
                unit.entries[test.id] = _entry(
                    test.id,
                    TestResult.APPLIES,
                    shown,
                    None,
                    f"also applies; the point was ended by {bar.id}",
                    leaned,
                )
                continue
            unit.entries[test.id] = _entry(
                test.id, TestResult.NOT_REACHED, (), None, f"ended by {bar.id}"
            )
            continue
        if verdict == "undecided":
            missing = sorted(k for k, v in shown if v is None)
            for name in missing:
                unit.unknown.setdefault(name, []).append(test.id)
            unit.undecided.append(test)
            unit.entries[test.id] = _entry(
                test.id,
                TestResult.DOES_NOT_APPLY,
                shown,
                None,
                f"not established: {', '.join(missing)}",
                leaned,
            )
        elif verdict == "does_not_apply":
            unit.entries[test.id] = _entry(
                test.id, TestResult.DOES_NOT_APPLY, shown, None, None, leaned
            )
        elif exception is not None:
            unit.entries[test.id] = _entry(
                test.id, TestResult.EXCEPTION, shown, exception.id, exception.says, leaned
            )
        else:
            unit.entries[test.id] = _entry(test.id, TestResult.APPLIES, shown, None, None, leaned)
            unit.applied.append(test)
            if test.bar:
                unit.bar = test
    _settle(unit)
    if forward_after_bar:
        aside = {t for f in forward_after_bar for t in f.sets_aside}
        unit.co_applicable = [t for t in unit.co_applicable if t.id not in aside]
    unit.possible, unit.relevant = possible(tests, unit, rulebook)
    _stated(tests, unit)
    return unit


def _settle(unit: Unit) -> None:
    """Let a ``forward`` test that applied set aside the closures it names (never a bar)."""
    if unit.bar is not None:
        return
    for forward in [t for t in unit.applied if t.effect == "forward"]:
        for test in unit.applied:
            entry = unit.entries[test.id]
            if test.id in forward.sets_aside and entry.result is TestResult.APPLIES:
                unit.entries[test.id] = entry.model_copy(
                    update={
                        "result": TestResult.EXCEPTION,
                        "exception": forward.id,
                        "note": f"set aside by {forward.id}",
                    }
                )


def _stated(tests: tuple[Test, ...] | list[Test], unit: Unit) -> None:
    """On a closed point, a test whose absence is stated ("no wider public interest") is a
    reason too; after a bar, a co-applicable one."""
    if unit.decision is not R.CLOSED_AFTER_INITIAL_ENQUIRIES:
        return
    for test in tests:
        if test.stated_when is None or test.stated_when.evaluate(unit.facts, {}) is not True:
            continue
        if judge(test, unit.facts, {})[0] != "does_not_apply":
            continue
        entry = unit.entries[test.id]
        unit.entries[test.id] = entry.model_copy(
            update={"result": TestResult.APPLIES, "note": "its absence is stated as a reason"}
        )
        if unit.bar is None:
            unit.applied.append(test)
        else:
            unit.co_applicable.append(test)


def _nominal(unit: Unit) -> Recommendation:
    """The decision on what is known, reading every undecided test as not applying."""
    return _outcome(sorted(unit.applied, key=lambda t: t.order), {}, ())


def answered(unit: Unit, fact: str, value: FactValue, rulebook: Rulebook) -> Unit:
    """The unit as it would be with ``fact`` answered: only the undecided tests that read it
    are judged again (the others cannot change), so trying an answer stays cheap."""
    facts = {**unit.facts, fact: value}
    after = Unit(facts, unit.presumed, unit.judged)
    after.applied = list(unit.applied)
    for test in unit.undecided:
        if fact not in unit.unknown or test.id not in unit.unknown[fact]:
            after.undecided.append(test)
            continue
        used: dict[str, FactValue] = {}
        verdict, _ = judge(test, facts, used)
        if verdict == "applies":
            after.applied.append(test)
        elif verdict == "undecided":
            after.undecided.append(test)
    bars = [t for t in after.applied if t.bar]
    if bars:
        after.bar = min(bars, key=lambda t: t.order)
        limit = after.bar.order
        after.applied = [t for t in after.applied if t.order <= limit]
        after.undecided = [t for t in after.undecided if t.order < limit]
    for test in after.undecided:
        used = {}
        judge(test, facts, used)
        for name, known in used.items():
            if known is None:
                after.unknown.setdefault(name, []).append(test.id)
    after.possible, after.relevant = possible(unit.judged, after, rulebook)
    return after


def possible(
    tests: tuple[Test, ...] | list[Test], unit: Unit, rulebook: Rulebook
) -> tuple[frozenset[Recommendation], tuple[str, ...]]:
    """Every decision some answer to the unknown facts could give, and the facts that matter.

    First each undecided test is taken as free to apply or not (cheap, and never misses a
    decision); when that leaves the decision open, every combination of answers to the facts
    those tests read is tried, so that facts two tests share cannot make a settled point look
    open. The facts that matter are those read by a test whose outcome alone can change the
    decision.
    """
    if not unit.undecided:
        return frozenset({_nominal(unit)}), ()
    if len(unit.undecided) > MAX_FREE_TESTS:
        return frozenset({_nominal(unit), R.NEEDS_INFORMATION}), tuple(sorted(unit.unknown))
    known = [t for t in unit.applied if t is unit.bar or not t.bar]
    sequence = sorted([*known, *unit.undecided], key=lambda t: t.order)
    free = {t.id: i for i, t in enumerate(unit.undecided)}
    outcomes: dict[tuple[bool, ...], Recommendation] = {}
    for bits in product((True, False), repeat=len(unit.undecided)):
        outcomes[bits] = _outcome(sequence, free, bits)
    found = frozenset(outcomes.values())
    if len(found) == 1:
        return found, ()
    mattering: set[str] = set()
    for i, test in enumerate(unit.undecided):
        for bits, outcome in outcomes.items():
            if bits[i] and outcomes[(*bits[:i], False, *bits[i + 1 :])] != outcome:
                mattering.add(test.id)
                break
    shared = any(len(ids) > 1 for ids in unit.unknown.values())
    exact = _settled_exactly(tests, unit, rulebook) if shared else None
    if exact is not None:
        return frozenset({exact}), ()
    relevant = sorted(
        name for name, ids in unit.unknown.items() if any(i in mattering for i in ids)
    )
    return found, tuple(relevant)


#: Most undecided tests on one point taken apart before the point is simply called open.
MAX_FREE_TESTS = 12


def _outcome(sequence: list[Test], free: dict[str, int], bits: tuple[bool, ...]) -> Recommendation:
    aside: set[str] = set()
    closers: list[str] = []
    for test in sequence:
        index = free.get(test.id)
        if index is not None and not bits[index]:
            continue
        if test.bar:
            return test.outcome
        if test.effect == "forward":
            aside.update(test.sets_aside)
        else:
            closers.append(test.id)
    closing = any(t not in aside for t in closers)
    return R.CLOSED_AFTER_INITIAL_ENQUIRIES if closing else R.INVESTIGATE


def _worlds(unit: Unit, rulebook: Rulebook) -> tuple[list[str], list[tuple[FactValue, ...]]] | None:
    names = sorted(unit.unknown)
    domains = [rulebook.domains.get(n, (True, False)) for n in names]
    size = 1
    for domain in domains:
        size *= len(domain)
    if size > MAX_WORLDS:
        return None
    return names, list(product(*domains))


def _settled_exactly(
    tests: tuple[Test, ...] | list[Test], unit: Unit, rulebook: Rulebook
) -> Recommendation | None:
    """The one decision every combination of answers gives, or None (stops at a second)."""
    worlds = _worlds(unit, rulebook)
    if worlds is None:
        return None
    names, combinations = worlds
    world = dict(unit.facts)
    seen: Recommendation | None = None
    for values in combinations:
        world.update(zip(names, values, strict=True))
        outcome = decide(tests, world)
        if seen is not None and outcome != seen:
            return None
        seen = outcome
    return seen
