"""Which decisions are still possible on a point, and which unknown facts could change it.

Each undecided test is first taken as free to apply or not, walking the tests in order through
the few states a decision can be in (cheap, and never misses a decision); when that leaves the
decision open and two undecided tests share a fact, every combination of answers to their facts
is tried, so that a shared fact cannot make a settled point look open. Pure: no I/O.
"""

from __future__ import annotations

from itertools import product

from ombuds.domain.complaint import FactValue
from ombuds.domain.outcomes import Recommendation
from ombuds.engine.unit import Unit, decide
from ombuds.rulebook.model import Rulebook, Test

R = Recommendation

#: Most combinations of unknown answers tried for one point before it is simply called open.
MAX_WORLDS = 4096


def nominal(unit: Unit) -> Recommendation:
    """The decision on what is known, reading every undecided test as not applying."""
    return _outcome(sorted(unit.applied, key=lambda t: t.order), {}, ())


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
        return frozenset({nominal(unit)}), ()
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
        if outcome is R.NEEDS_INFORMATION or (seen is not None and outcome != seen):
            return None
        seen = outcome
    return seen
