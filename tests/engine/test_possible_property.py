"""Property: what the engine says could still be decided is exactly what some answers give.

For generated complaints, every point's possible decisions are checked against brute force:
each combination of answers to the unknown facts its undecided tests read. A settled point has
one decision whatever the answers; an open one lists every decision some answers reach, and
its questions are answerable facts.
"""

from __future__ import annotations

from itertools import product

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ombuds.domain.outcomes import Recommendation
from ombuds.engine import assess
from ombuds.engine.assess import judge_all
from ombuds.engine.known import known_facts
from ombuds.engine.unit import decide
from ombuds.intake.synthetic import random_complaints
from ombuds.rulebook import load_rulebook

RULEBOOK = load_rulebook()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_possible_decisions_match_brute_force(seed: int) -> None:
    complaint = next(random_complaints(1, seed=seed, rulebook=RULEBOOK))
    units = judge_all(known_facts(complaint, RULEBOOK), RULEBOOK)
    for unit in units:
        names = sorted(unit.unknown)
        domains = [RULEBOOK.domains[n] for n in names]
        size = 1
        for domain in domains:
            size *= len(domain)
        if size > 4096:
            continue
        found = set()
        for values in product(*domains):
            found.add(decide(unit.judged, {**unit.facts, **dict(zip(names, values, strict=True))}))
        assert Recommendation.NEEDS_INFORMATION not in found
        assert unit.possible == frozenset(found), (seed, names)
        assert set(unit.relevant) <= set(names)
        if not unit.settled:
            assert unit.relevant


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_settled_means_no_questions_and_open_means_questions(seed: int) -> None:
    complaint = next(random_complaints(1, seed=seed, rulebook=RULEBOOK))
    assessment = assess(complaint, RULEBOOK)
    needs = Recommendation.NEEDS_INFORMATION
    open_points = [
        p
        for p in assessment.points
        if p.decision is needs or any(part.decision is needs for part in p.parts)
    ]
    if assessment.decision is Recommendation.NEEDS_INFORMATION:
        assert open_points and assessment.questions
        labels = {p.label for p in open_points}
        for question in assessment.questions:
            assert RULEBOOK.facts[question.fact].answerable
            assert set(question.points) <= labels and question.tests
    else:
        assert not open_points and not assessment.questions
