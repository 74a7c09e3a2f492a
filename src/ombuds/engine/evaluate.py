"""Judge a rulebook's tests on what is known about one point (or one part of a point): the
trace, the tests that apply, the co-applicable reasons after a bar, and (through
:mod:`ombuds.engine.possible`) what could still change the decision. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from ombuds.domain.assessment import TraceEntry
from ombuds.domain.complaint import FactValue
from ombuds.domain.outcomes import Recommendation, TestResult
from ombuds.engine.possible import possible
from ombuds.engine.unit import Facts, Unit, judge
from ombuds.rulebook.model import Rulebook, Test

R = Recommendation


Shown = tuple[tuple[str, FactValue], ...]
#: test -> the facts its conditions read (keyed by identity; the test is kept alive with it)
_NAMES: dict[int, tuple[Test, tuple[str, ...]]] = {}


class _Judgement:
    """A test judged on some values of the facts it reads, with its trace entries."""

    __slots__ = (
        "by_presumed",
        "deciding",
        "entries",
        "exception",
        "looked_at",
        "missing",
        "shown",
        "test",
        "verdict",
    )

    def __init__(
        self,
        test: Test,
        facts: Mapping[str, FactValue],
        domains: Mapping[str, tuple[FactValue, ...]],
    ) -> None:
        used: dict[str, FactValue] = {}
        self.test = test
        self.verdict, self.exception = judge(test, facts, used)
        self.shown: Shown = tuple(used.items())
        self.looked_at = frozenset(used)
        self.missing = tuple(sorted(k for k, v in used.items() if v is None))
        self.deciding = _deciding(test, facts, self.missing, domains)
        self.entries: dict[tuple[str, ...], TraceEntry] = {}
        self.by_presumed: dict[frozenset[str], tuple[tuple[str, ...], TraceEntry]] = {}

    def for_unit(self, presumed: frozenset[str]) -> tuple[tuple[str, ...], TraceEntry]:
        """The presumed facts this judgement relied on, and its entry, for a point's
        presumptions (remembered: most points share the same few sets)."""
        found = self.by_presumed.get(presumed)
        if found is None:
            leaned = _leaned(self.looked_at, presumed)
            found = (leaned, self.entry(leaned))
            if len(self.by_presumed) < 64:
                self.by_presumed[presumed] = found
        return found

    def entry(self, leaned: tuple[str, ...]) -> TraceEntry:
        """The trace entry before any bar, given the presumed facts it relied on."""
        found = self.entries.get(leaned)
        if found is None:
            test = self.test
            if self.verdict == "undecided":
                note = f"not established: {', '.join(self.missing)}"
                found = _entry(test.id, TestResult.DOES_NOT_APPLY, self.shown, None, note, leaned)
            elif self.verdict == "does_not_apply":
                found = _entry(test.id, TestResult.DOES_NOT_APPLY, self.shown, None, None, leaned)
            elif self.exception is not None:
                exception = self.exception
                found = _entry(
                    test.id, TestResult.EXCEPTION, self.shown, exception.id, exception.says, leaned
                )
            else:
                found = _entry(test.id, TestResult.APPLIES, self.shown, None, None, leaned)
            self.entries[leaned] = found
        return found


#: Most unknown facts of one test whose answers are tried together to find those that decide it.
MAX_TEST_UNKNOWNS = 8


def _deciding(
    test: Test,
    facts: Mapping[str, FactValue],
    missing: tuple[str, ...],
    domains: Mapping[str, tuple[FactValue, ...]],
) -> tuple[str, ...]:
    """The unknown facts whose answer can decide whether ``test`` applies: one already settled
    by another part of its condition (an ``any`` that already holds) is left out."""
    if len(missing) <= 1 or len(missing) > MAX_TEST_UNKNOWNS:
        return missing
    grids = [domains.get(n, (True, False)) for n in missing]
    outcome: dict[tuple[FactValue, ...], bool] = {}
    world = dict(facts)
    for values in product(*grids):
        world.update(zip(missing, values, strict=True))
        outcome[values] = judge(test, world, {})[0] == "applies"
    deciding = []
    for i, name in enumerate(missing):
        seen: dict[tuple[FactValue, ...], bool] = {}
        for values, applies in outcome.items():
            if seen.setdefault(values[:i] + values[i + 1 :], applies) != applies:
                deciding.append(name)
                break
    return tuple(deciding)


#: (test, the values of those facts) -> its judgement: complaints repeat the same few values
_JUDGED: dict[tuple[int, tuple[FactValue, ...]], _Judgement] = {}
_JUDGED_MAX = 50_000


def _names(test: Test) -> tuple[str, ...]:
    known = _NAMES.get(id(test))
    if known is not None and known[0] is test:
        return known[1]
    names = tuple(sorted(set().union(*(c.fact_names() for c in test.conditions()))))
    _NAMES[id(test)] = (test, names)
    return names


def _judged(
    test: Test,
    facts: Mapping[str, FactValue],
    domains: Mapping[str, tuple[FactValue, ...]],
    names: tuple[str, ...] | None = None,
) -> _Judgement:
    """:func:`judge`, remembered for the values of the facts the test reads."""
    key = (id(test), tuple(map(facts.get, names if names is not None else _names(test))))
    hit = _JUDGED.get(key)
    if hit is None:
        hit = _Judgement(test, facts, domains)
        if len(_JUDGED) >= _JUDGED_MAX:
            _JUDGED.clear()
        _JUDGED[key] = hit
    return hit


def _leaned(looked_at: frozenset[str], presumed: frozenset[str]) -> tuple[str, ...]:
    """The presumed facts among those a test looked at."""
    both = presumed & looked_at
    return tuple(sorted(both)) if both else ()


@dataclass(frozen=True, slots=True)
class _Plan:
    """What is worked out once per sequence of tests under a rulebook's presumptions.

    Most tests do not apply on the presumptions alone (no court action, no tribunal appeal...):
    their trace entry is the same on every point whose file does not record those facts, so a
    point only judges the tests that read something it records or does not know.
    """

    tests: tuple[Test, ...]
    names: dict[str, tuple[str, ...]]
    #: test id -> its entry when its condition reads only presumptions and does not apply
    baseline: dict[str, TraceEntry]
    #: tests judged on every point (they read a fact the rulebook does not presume)
    always: frozenset[str]
    #: presumed fact -> tests whose condition reads it (judged when the fact is recorded)
    readers: dict[str, frozenset[str]]
    order: dict[str, int]
    #: tests whose absence can be a stated reason, and tests that can yield to another
    stated: tuple[Test, ...] = ()
    yielding: frozenset[str] = frozenset()


_PLANS: dict[int, tuple[object, _Plan]] = {}


def _plan(tests: tuple[Test, ...], rulebook: Rulebook) -> _Plan:
    known = _PLANS.get(id(tests))
    if known is not None and known[0] is tests:
        return known[1]
    presumptions = dict(rulebook.presumptions)
    baseline: dict[str, TraceEntry] = {}
    always: set[str] = set()
    readers: dict[str, set[str]] = {}
    for test in tests:
        condition = test.applies_when.fact_names()
        if not condition <= presumptions.keys():
            always.add(test.id)
            continue
        used: dict[str, FactValue] = {}
        if test.applies_when.evaluate(presumptions, used) is not False:
            always.add(test.id)
            continue
        baseline[test.id] = _entry(
            test.id,
            TestResult.DOES_NOT_APPLY,
            tuple(used.items()),
            None,
            None,
            tuple(sorted(used)),
        )
        for name in condition:
            readers.setdefault(name, set()).add(test.id)
    plan = _Plan(
        tests=tests,
        names={t.id: _names(t) for t in tests},
        baseline=baseline,
        always=frozenset(always),
        readers={k: frozenset(v) for k, v in readers.items()},
        order={t.id: i for i, t in enumerate(tests)},
        stated=tuple(t for t in tests if t.stated_when is not None),
        yielding=frozenset(t.id for t in tests if t.yields_to),
    )
    if len(_PLANS) > 256:
        _PLANS.clear()
    _PLANS[id(tests)] = (tests, plan)
    return plan


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


@lru_cache(maxsize=1024)
def _not_reached(test: str, bar: str) -> TraceEntry:
    return TraceEntry(test=test, result=TestResult.NOT_REACHED, note=f"ended by {bar}")


def evaluate(
    tests: tuple[Test, ...] | list[Test],
    facts: Facts,
    presumed: frozenset[str],
    rulebook: Rulebook,
) -> Unit:
    """Judge ``tests`` in order on one point's facts: trace, decision, what could change it."""
    tests = tests if isinstance(tests, tuple) else tuple(tests)
    unit = Unit(facts, presumed, tests)
    plan = _plan(tests, rulebook)
    judged = set(plan.always)
    for name in rulebook.presumptions.keys() - presumed:  # presumable facts the file records
        judged.update(plan.readers.get(name, ()))
    entries = unit.entries
    entries.update(plan.baseline)
    forward_after_bar: list[Test] = []
    names_of, domains, memo = plan.names, rulebook.domains, _JUDGED
    for test in tests:
        if test.id not in judged:
            continue
        bar = unit.bar
        if bar is not None and bar.outcome is not R.CLOSED_AFTER_INITIAL_ENQUIRIES:
            break
        names = names_of[test.id]
        judgement = memo.get((id(test), tuple(map(facts.get, names))))
        if judgement is None:
            judgement = _judged(test, facts, domains, names)
        verdict = judgement.verdict
        leaned, entry = judgement.for_unit(presumed)
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
                entries[test.id] = _entry(
                    test.id,
                    TestResult.APPLIES,
                    judgement.shown,
                    None,
                    f"also applies; the point was ended by {bar.id}",
                    leaned,
                )
                continue
            entries[test.id] = _not_reached(test.id, bar.id)
            continue
        entries[test.id] = entry
        if verdict == "undecided":
            for name in judgement.deciding:
                unit.unknown.setdefault(name, []).append(test.id)
            unit.undecided.append(test)
        elif verdict == "applies":
            unit.applied.append(test)
            if test.bar:
                unit.bar = test
    if unit.bar is not None:
        bar = unit.bar
        for test in tests[plan.order[bar.id] + 1 :]:
            if test.id not in judged or bar.outcome is not R.CLOSED_AFTER_INITIAL_ENQUIRIES:
                entries[test.id] = _not_reached(test.id, bar.id)
    _settle(unit)
    if plan.yielding and any(t.id in plan.yielding for t in unit.applied + unit.co_applicable):
        _yield(unit)
    if forward_after_bar:
        aside = {t for f in forward_after_bar for t in f.sets_aside}
        unit.co_applicable = [t for t in unit.co_applicable if t.id not in aside]
    unit.possible, unit.relevant = possible(tests, unit, rulebook)
    if plan.stated:
        _stated(plan.stated, unit)
    return unit


def trace_only(
    tests: tuple[Test, ...], facts: Facts, presumed: frozenset[str]
) -> dict[str, TraceEntry]:
    """Trace entries of tests that cannot apply on this point (complaint handling on a
    substantive point): what they looked at, without judging the decision again."""
    entries: dict[str, TraceEntry] = {}
    for test in tests:
        judgement = _judged(test, facts, {})
        entries[test.id] = judgement.entry(_leaned(judgement.looked_at, presumed))
    return entries


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


def _yield(unit: Unit) -> None:
    """A test that yields to another that also applies is not given as a reason."""
    given = {t.id for t in unit.applied if unit.entries[t.id].result is TestResult.APPLIES}
    given.update(t.id for t in unit.co_applicable)
    for test in [*unit.applied, *unit.co_applicable]:
        instead = next((y for y in test.yields_to if y in given), None)
        if instead is None:
            continue
        entry = unit.entries[test.id]
        unit.entries[test.id] = entry.model_copy(
            update={
                "result": TestResult.EXCEPTION,
                "exception": instead,
                "note": f"{instead} is the reason given instead",
            }
        )
    unit.co_applicable = [t for t in unit.co_applicable if not any(y in given for y in t.yields_to)]


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
        verdict = _judged(test, facts, rulebook.domains).verdict
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
        for name in _judged(test, facts, rulebook.domains).deciding:
            after.unknown.setdefault(name, []).append(test.id)
    after.possible, after.relevant = possible(unit.judged, after, rulebook)
    return after
