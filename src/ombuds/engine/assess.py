"""Apply a rulebook to a complaint, point by point, with a trace of every test.

Order: preliminary -> jurisdiction -> discretion, each in rulebook order. A bar that applies
ends the point (later tests are ``not_reached``). Discretionary tests are all evaluated, because
a statement gives every reason that applies. A ``forward`` test (public interest) sets aside the
discretionary closures of its point. Tests in the ``after_substantive`` phase (complaint
handling) are judged once the complaint's substantive points are decided. Nothing is scored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ombuds.domain.assessment import Assessment, PointResult, TraceEntry
from ombuds.domain.complaint import Complaint, FactValue
from ombuds.domain.outcomes import Recommendation, TestResult
from ombuds.engine.derive import complaint_facts, point_facts
from ombuds.rulebook.model import Rulebook, Test, refer_names

R = Recommendation


@dataclass
class _PointState:
    """What has been decided on one point so far."""

    facts: dict[str, FactValue]
    entries: dict[str, TraceEntry] = field(default_factory=dict)
    applied: list[Test] = field(default_factory=list)
    bar: Test | None = None


def assess(complaint: Complaint, rulebook: Rulebook) -> Assessment:
    """Recommend a decision on ``complaint`` under ``rulebook``; pure and deterministic."""
    base = {**rulebook.defaults, **complaint_facts(complaint), **complaint.facts}
    states = [
        _PointState({**base, **point_facts(complaint, point), **point.facts})
        for point in complaint.points
    ]
    substantive_tests = [t for t in rulebook.tests if t.phase == "substantive"]
    later_tests = [t for t in rulebook.tests if t.phase == "after_substantive"]

    for state in states:
        _run(substantive_tests, state)
        _settle(state)
    substantive = [rulebook.substantive_point.evaluate(s.facts, {}) is True for s in states]
    underlying = any(
        is_sub and _decision(s, rulebook) == R.INVESTIGATE
        for s, is_sub in zip(states, substantive, strict=True)
    )
    for state in states:
        state.facts["underlying_matter_investigated"] = underlying
        _run(later_tests, state)
        _settle(state)

    points = [
        _result(point.label, state, rulebook)
        for point, state in zip(complaint.points, states, strict=True)
    ]
    applied = {t for p in points for t in p.tests}
    return Assessment(
        reference=complaint.reference,
        organisation=complaint.organisation,
        category=complaint.category,
        decision=_overall([p.decision for p in points], rulebook),
        tests=[t.id for t in rulebook.tests if t.id in applied],
        points=points,
        rulebook=f"{rulebook.id}@{rulebook.version}",
    )


@lru_cache(maxsize=65536)
def _entry(
    test: str,
    result: TestResult,
    facts: tuple[tuple[str, FactValue], ...],
    exception: str | None = None,
    note: str | None = None,
) -> TraceEntry:
    """Trace entries are immutable and repeat a great deal across points: build each once."""
    return TraceEntry(test=test, result=result, facts=dict(facts), exception=exception, note=note)


def _run(tests: list[Test], state: _PointState) -> None:
    for test in tests:
        if state.bar is not None:
            state.entries[test.id] = _entry(
                test.id, TestResult.NOT_REACHED, (), None, f"ended by {state.bar.id}"
            )
            continue
        used: dict[str, FactValue] = {}
        value = test.applies_when.evaluate(state.facts, used)
        if value is not True:
            note = None
            if value is None:
                missing = sorted(k for k, v in used.items() if v is None)
                note = f"not established: {', '.join(missing)}"
            state.entries[test.id] = _entry(
                test.id, TestResult.DOES_NOT_APPLY, tuple(used.items()), None, note
            )
            continue
        exception = next((e for e in test.unless if e.when.evaluate(state.facts, used)), None)
        if exception is not None:
            state.entries[test.id] = _entry(
                test.id, TestResult.EXCEPTION, tuple(used.items()), exception.id, exception.says
            )
            continue
        state.entries[test.id] = _entry(test.id, TestResult.APPLIES, tuple(used.items()))
        state.applied.append(test)
        if test.bar:
            state.bar = test


def _applied(state: _PointState, rulebook: Rulebook) -> list[Test]:
    """Tests that applied (and were not set aside), in rulebook order."""
    return sorted(
        (t for t in state.applied if state.entries[t.id].result is TestResult.APPLIES),
        key=lambda t: t.order,
    )


def _settle(state: _PointState) -> None:
    """Let a ``forward`` test that applied set aside the closures it names (never a bar)."""
    if state.bar is not None:
        return
    for forward in [t for t in state.applied if t.effect == "forward"]:
        for test in state.applied:
            entry = state.entries[test.id]
            if test.id in forward.sets_aside and entry.result is TestResult.APPLIES:
                state.entries[test.id] = entry.model_copy(
                    update={
                        "result": TestResult.EXCEPTION,
                        "exception": forward.id,
                        "note": f"set aside by {forward.id}",
                    }
                )


def _decision(state: _PointState, rulebook: Rulebook) -> Recommendation:
    """A bar's outcome; else closed if a closing test still applies; else investigate."""
    if state.bar is not None:
        return state.bar.outcome
    if any(t.effect == "close" for t in _applied(state, rulebook)):
        return R.CLOSED_AFTER_INITIAL_ENQUIRIES
    return R.INVESTIGATE


def _result(label: str, state: _PointState, rulebook: Rulebook) -> PointResult:
    applied = _applied(state, rulebook)
    refer_to: list[str] = []
    for test in applied:
        refer_to.extend(n for n in refer_names(test, state.facts) if n not in refer_to)
    return PointResult(
        label=label,
        decision=_decision(state, rulebook),
        tests=[t.id for t in applied],
        refer_to=refer_to,
        trace=[state.entries[t.id] for t in rulebook.tests],
    )


def _overall(decisions: list[Recommendation], rulebook: Rulebook) -> Recommendation:
    outcomes = set(decisions)
    for rule in rulebook.overall:
        if rule.when_any_point and outcomes & rule.when_any_point:
            return rule.decision
        if rule.when_all_points and outcomes <= rule.when_all_points:
            return rule.decision
        if rule.otherwise:
            return rule.decision
    raise ValueError(f"scheme {rulebook.id}: no 'overall' rule matched {sorted(outcomes)}")
