"""Apply a rulebook to a complaint, point by point, with a trace of every test.

Three values all the way: a fact nobody recorded is unknown, never false; the rulebook may
presume some (the trace lists every presumption a result relied on). Order: preliminary ->
jurisdiction -> discretion, each in rulebook order. A bar that applies ends the point; the tests
after it are still judged on what is known, and those that apply are co-applicable reasons
(they never change the decision). A ``forward`` test (public interest) sets aside the closures it
names. Tests in the ``after_substantive`` phase (complaint handling) are judged once the
substantive points are decided. A part of a point (an aspect, or the events before a date) is
judged apart, on the point's facts plus its own. When an unknown fact could change a decision,
that point, and the complaint, need information, and the questions that settle it come with
the assessment. Nothing is scored.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from ombuds.domain.assessment import Assessment, PartResult, PointResult, Question
from ombuds.domain.complaint import Complaint, Point, PointPart
from ombuds.domain.outcomes import Recommendation
from ombuds.engine.evaluate import evaluate, trace_only
from ombuds.engine.known import Known, known_facts
from ombuds.engine.questions import next_question, rank_questions
from ombuds.engine.unit import Unit
from ombuds.rulebook.model import Rulebook, Test

R = Recommendation
UNDERLYING = "underlying_matter_investigated"


def judge_all(known: list[Known], rulebook: Rulebook) -> list[Unit]:
    """Judge every point and part: substantive tests first, then complaint handling once the
    substantive points are decided (it depends on whether any goes forward)."""
    substantive_tests, later_tests = _phases(rulebook)
    points = [k for k in known if k.part is None]
    is_substantive = [rulebook.substantive_point.evaluate(k.facts, {}) is True for k in points]
    first = [
        evaluate(substantive_tests, k.facts, k.presumed, rulebook) if sub else None
        for k, sub in zip(points, is_substantive, strict=True)
    ]
    decided = [u for u in first if u is not None]
    underlying: bool | None
    if any(u.settled and u.decision is R.INVESTIGATE for u in decided):
        underlying = True
    elif all(R.INVESTIGATE not in u.possible for u in decided):
        underlying = False
    else:
        underlying = None
    units: list[Unit] = []
    for k, unit in zip(points, first, strict=True):
        facts = {**k.facts, UNDERLYING: underlying}
        if unit is None:
            units.append(evaluate(rulebook.tests, facts, k.presumed, rulebook))
            continue
        unit.facts = facts
        unit.entries.update(trace_only(later_tests, facts, k.presumed))
        units.append(unit)
    for k in known:
        if k.part is not None:
            units.append(evaluate(substantive_tests, k.facts, k.presumed, rulebook))
    return units


_PHASES: dict[int, tuple[Rulebook, tuple[Test, ...], tuple[Test, ...]]] = {}


def _phases(rulebook: Rulebook) -> tuple[tuple[Test, ...], tuple[Test, ...]]:
    """The substantive tests and the after-substantive ones (worked out once per rulebook)."""
    known = _PHASES.get(id(rulebook))
    if known is None or known[0] is not rulebook:
        known = (
            rulebook,
            tuple(t for t in rulebook.tests if t.phase == "substantive"),
            tuple(t for t in rulebook.tests if t.phase == "after_substantive"),
        )
        _PHASES[id(rulebook)] = known
    return known[1], known[2]


def assess(complaint: Complaint, rulebook: Rulebook) -> Assessment:
    """Recommend a decision on ``complaint`` under ``rulebook``; pure and deterministic."""
    known = known_facts(complaint, rulebook)
    units = judge_all(known, rulebook)
    by_point = len(complaint.points)
    points = [
        _point_result(point, unit, units[by_point:], known[by_point:], rulebook)
        for point, unit in zip(complaint.points, units[:by_point], strict=True)
    ]
    open_ = not all(u.settled for u in units)
    listed: set[str] = set()
    for p in points:
        listed.update(p.tests, p.co_applicable, *(part.tests for part in p.parts))
    return Assessment(
        reference=complaint.reference,
        organisation=complaint.organisation,
        category=complaint.category,
        decision=R.NEEDS_INFORMATION if open_ else _overall([p.decision for p in points], rulebook),
        tests=[t.id for t in rulebook.tests if t.id in listed],
        points=points,
        rulebook=f"{rulebook.id}@{rulebook.version}",
        questions=rank_questions(known, units, rulebook) if open_ else [],
    )


def questions(complaint: Complaint, rulebook: Rulebook) -> list[Question]:
    """The questions that settle ``complaint``'s recommendation, most useful first (empty when
    it is settled): what the casework app's guided interview asks."""
    return assess(complaint, rulebook).questions


def ask_next(
    complaint: Complaint,
    rulebook: Rulebook,
    skipped: Collection[tuple[str, str]] = (),
    first: Mapping[str, int] | None = None,
) -> tuple[Question, str] | None:
    """The next question of a guided interview and the point to ask it about, leaving out the
    (fact, point label) pairs nobody could answer; None once the recommendation is settled or
    nothing answerable is left. ``first`` ranks facts to ask before the others (the engine
    still decides which questions matter). Pure and deterministic."""
    known = known_facts(complaint, rulebook)
    return next_question(known, judge_all(known, rulebook), rulebook, set(skipped), first)


def _point_result(
    point: Point, unit: Unit, part_units: list[Unit], part_known: list[Known], rulebook: Rulebook
) -> PointResult:
    parts = [
        _part_result(point.parts[k.part], u, rulebook)
        for k, u in zip(part_known, part_units, strict=True)
        if k.label == point.label and k.part is not None
    ]
    return PointResult(
        label=point.label,
        decision=unit.decision,
        tests=[t.id for t in unit.tests],
        refer_to=unit.refer_to(),
        trace=[unit.entries[t.id] for t in rulebook.tests],
        co_applicable=[t.id for t in unit.co_applicable],
        parts=parts,
    )


def _part_result(part: PointPart, unit: Unit, rulebook: Rulebook) -> PartResult:
    tests = [t.id for t in unit.tests] + [t.id for t in unit.co_applicable]
    return PartResult(
        description=part.description,
        decision=unit.decision,
        tests=[t.id for t in rulebook.tests if t.id in tests],
        refer_to=unit.refer_to(),
        trace=[unit.entries[t.id] for t in rulebook.tests if t.id in unit.entries],
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
