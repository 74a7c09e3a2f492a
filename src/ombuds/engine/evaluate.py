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


class _Judgement:
    """A test judged on some values of the facts it reads, with its trace entries."""

    __slots__ = ("entries", "exception", "looked_at", "missing", "shown", "test", "verdict")

    def __init__(self, test: Test, facts: Mapping[str, FactValue]) -> None:
        used: dict[str, FactValue] = {}
        self.test = test
        self.verdict, self.exception = judge(test, facts, used)
        self.shown: Shown = tuple(used.items())
        self.looked_at = frozenset(used)
        self.missing = tuple(sorted(k for k, v in used.items() if v is None))
        self.entries: dict[tuple[str, ...], TraceEntry] = {}

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


#: (test, the values of those facts) -> its judgement: complaints repeat the same few values
_JUDGED: dict[tuple[int, tuple[FactValue, ...]], _Judgement] = {}
_JUDGED_MAX = 200_000


def _names(test: Test) -> tuple[str, ...]:
    known = _NAMES.get(id(test))
    if known is not None and known[0] is test:
        return known[1]
    names = tuple(sorted(set().union(*(c.fact_names() for c in test.conditions()))))
    _NAMES[id(test)] = (test, names)
    return names


def _judged(
    test: Test, facts: Mapping[str, FactValue], names: tuple[str, ...] | None = None
) -> _Judgement:
    """:func:`judge`, remembered for the values of the facts the test reads."""
    key = (id(test), tuple(map(facts.get, names if names is not None else _names(test))))
    hit = _JUDGED.get(key)
    if hit is None:
        hit = _Judgement(test, facts)
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
    for test in tests:
        if test.id not in judged:
            continue
        bar = unit.bar
        if bar is not None and bar.outcome is not R.CLOSED_AFTER_INITIAL_ENQUIRIES:
            break
        judgement = _judged(test, facts, plan.names[test.id])
        verdict = judgement.verdict
        leaned = _leaned(judgement.looked_at, presumed)
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
        entries[test.id] = judgement.entry(leaned)
        if verdict == "undecided":
            for name in judgement.missing:
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
    _yield(unit)
    if forward_after_bar:
        aside = {t for f in forward_after_bar for t in f.sets_aside}
        unit.co_applicable = [t for t in unit.co_applicable if t.id not in aside]
    unit.possible, unit.relevant = possible(tests, unit, rulebook)
    _stated(tests, unit)
    return unit


def trace_only(
    tests: tuple[Test, ...], facts: Facts, presumed: frozenset[str]
) -> dict[str, TraceEntry]:
    """Trace entries of tests that cannot apply on this point (complaint handling on a
    substantive point): what they looked at, without judging the decision again."""
    entries: dict[str, TraceEntry] = {}
    for test in tests:
        judgement = _judged(test, facts)
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

    First each undecided test is taken as free to apply or not, walking the tests in order
    with the few states a decision can be in (cheap, and never misses a decision); when that
    leaves the decision open and two undecided tests share a fact, every combination of answers
    to their facts is tried, so that a shared fact cannot make a settled point look open. The
    facts that matter are those read by a test whose outcome alone can change the decision.
    """
    if not unit.undecided:
        return frozenset({_nominal(unit)}), ()
    known = [t for t in unit.applied if t is unit.bar or not t.bar]
    sequence = sorted([*known, *unit.undecided], key=lambda t: t.order)
    free = frozenset(t.id for t in unit.undecided)
    settable = frozenset(i for t in sequence if t.effect == "forward" for i in t.sets_aside)
    found = frozenset(_final(s) for s in _walk(sequence, free, settable))
    if len(found) == 1:
        return found, ()
    shared = any(len(ids) > 1 for ids in unit.unknown.values())
    exact = _settled_exactly(tests, unit, rulebook) if shared else None
    if exact is not None:
        return frozenset({exact}), ()
    mattering = {
        t.id
        for t in unit.undecided
        if any(_final(a) != _final(b) for a, b in _walk_pair(sequence, free, settable, t.id))
    }
    relevant = sorted(
        name for name, ids in unit.unknown.items() if any(i in mattering for i in ids)
    )
    return found, tuple(relevant)


#: Where a walk through the tests stands: the bar's outcome once one applied, whether a
#: closure nothing can set aside applied, the closures a forward test could set aside, and
#: what forward tests have set aside.
_State = tuple[Recommendation | None, bool, frozenset[str], frozenset[str]]
_START: _State = (None, False, frozenset(), frozenset())


def _step(state: _State, test: Test, settable: frozenset[str]) -> _State:
    ended, sure, closers, aside = state
    if ended is not None:
        return state
    if test.bar:
        return (test.outcome, sure, closers, aside)
    if test.effect == "forward":
        return (None, sure, closers, aside.union(test.sets_aside))
    if test.id in settable:
        return (None, sure, closers | {test.id}, aside)
    return (None, True, closers, aside)


def _final(state: _State) -> Recommendation:
    ended, sure, closers, aside = state
    if ended is not None:
        return ended
    if sure or closers - aside:
        return R.CLOSED_AFTER_INITIAL_ENQUIRIES
    return R.INVESTIGATE


def _walk(sequence: list[Test], free: frozenset[str], settable: frozenset[str]) -> set[_State]:
    states = {_START}
    for test in sequence:
        applied = {_step(s, test, settable) for s in states}
        states = applied | states if test.id in free else applied
    return states


def _walk_pair(
    sequence: list[Test], free: frozenset[str], settable: frozenset[str], flipped: str
) -> set[tuple[_State, _State]]:
    """States reached with ``flipped`` applying and not applying, the rest taken alike."""
    pairs = {(_START, _START)}
    for test in sequence:
        if test.id == flipped:
            pairs = {(_step(a, test, settable), b) for a, b in pairs}
            continue
        applied = {(_step(a, test, settable), _step(b, test, settable)) for a, b in pairs}
        pairs = applied | pairs if test.id in free else applied
    return pairs


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
