"""What to ask next: the unknown facts whose answers could change a recommendation, ordered so
that the fewest questions lead to a settled recommendation.

Pure and deterministic (the casework app's guided interview and ``ombuds interview`` call it):
each candidate question is tried with every answer it can have, and ranked by how many
questions would still matter after its worst answer, then after all its answers together,
then by the rulebook order of the tests it decides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ombuds.domain.assessment import Assessment, Question
from ombuds.engine.evaluate import answered, evaluate
from ombuds.engine.known import Known
from ombuds.engine.unit import Unit
from ombuds.rulebook.model import Rulebook, Test


def _askable(fact: str, rulebook: Rulebook) -> bool:
    known = rulebook.facts.get(fact)
    return known is not None and known.answerable


def _open_facts(units: list[Unit], rulebook: Rulebook) -> set[str]:
    return {f for u in units for f in u.relevant if _askable(f, rulebook)}


#: How many candidate questions are tried with each of their answers; the rest follow in the
#: order of the points they concern and the tests they decide (bounds the cost of a thin file).
LOOKAHEAD = 8


def rank_questions(known: list[Known], units: list[Unit], rulebook: Rulebook) -> list[Question]:
    """Questions for the open points and parts of an assessment, most useful first."""
    where: dict[str, list[int]] = {}
    for index, unit in enumerate(units):
        for fact in unit.relevant:
            if _askable(fact, rulebook):
                where.setdefault(fact, []).append(index)
    order = {t.id: t.order for t in rulebook.tests}
    first_test: dict[str, int] = {}
    for fact, indexes in where.items():
        tests = [t for i in indexes for t in units[i].unknown.get(fact, [])]
        first_test[fact] = min((order[t] for t in tests), default=10**6)
    candidates = sorted(where, key=lambda f: (-len(where[f]), first_test[f], f))
    ranked: list[tuple[tuple[int, int, int, str], Question]] = []
    for rank, fact in enumerate(candidates):
        indexes = where[fact]
        after: list[int] = []
        if rank < LOOKAHEAD:
            for value in rulebook.domains.get(fact, (True, False)):
                trial = list(units)
                for i in indexes:
                    trial[i] = answered(units[i], fact, value, rulebook)
                after.append(len(_open_facts(trial, rulebook)))
        else:
            after = [10**6]
        reading = {t for i in indexes for t in units[i].unknown.get(fact, [])}
        ordered = [t for t in rulebook.tests if t.id in reading]
        first = first_test[fact]
        question = Question(
            fact=fact,
            question=rulebook.facts[fact].ask,
            points=sorted({known[i].label for i in indexes}),
            tests=[t.id for t in ordered],
        )
        ranked.append(((max(after), sum(after), first, fact), question))
    ranked.sort(key=lambda item: item[0])
    return [q for _, q in ranked]


def presumption_questions(
    known: list[Known], units: list[Unit], rulebook: Rulebook
) -> list[Question]:
    """Presumed facts whose contrary answer would change an open point's possible decisions:
    what to check once the unknown facts are answered or nobody knows them (a presumption is
    never relied on silently). The ones that settle most points first, then rulebook order."""
    found: dict[str, tuple[set[int], set[str]]] = {}
    for index, unit in enumerate(units):
        if unit.settled:
            continue
        for fact in sorted(unit.presumed):
            presumption = rulebook.presumptions[fact]
            for value in rulebook.domains.get(fact, (True, False)):
                if value == presumption:
                    continue
                trial = evaluate(
                    rulebook.tests, {**unit.facts, fact: value}, unit.presumed - {fact}, rulebook
                )
                # it changes what could be decided, or opens questions that could
                if trial.possible != unit.possible or set(trial.relevant) - set(unit.relevant):
                    reading = {t.id for t in rulebook.tests if fact in _reads(t)}
                    points, tests = found.setdefault(fact, (set(), set()))
                    points.add(index)
                    tests.update(reading)
                    break
    ranked: list[tuple[tuple[int, int, str], Question]] = []
    for fact, (indexes, test_ids) in found.items():
        ordered = [t for t in rulebook.tests if t.id in test_ids]
        question = Question(
            fact=fact,
            question=rulebook.facts[fact].ask,
            points=sorted({known[i].label for i in indexes}),
            tests=[t.id for t in ordered],
        )
        first = ordered[0].order if ordered else 10**6
        ranked.append(((-len(indexes), first, fact), question))
    ranked.sort(key=lambda item: item[0])
    return [q for _, q in ranked]


def presumption_checks(assessment: Assessment, rulebook: Rulebook) -> list[Question]:
    """The presumptions an assessment's results rely on, as questions: per fact, the points
    and tests that relied on it (in rulebook order)."""
    found: dict[str, tuple[set[str], set[str]]] = {}
    for point in assessment.points:
        for entry in point.trace:
            for fact in entry.presumed:
                if _askable(fact, rulebook):
                    points, tests = found.setdefault(fact, (set(), set()))
                    points.add(point.label)
                    tests.add(entry.test)
    return [
        Question(
            fact=fact,
            question=rulebook.facts[fact].ask,
            points=sorted(points),
            tests=[t.id for t in rulebook.tests if t.id in tests],
        )
        for fact, (points, tests) in found.items()
    ]


def _reads(test: Test) -> set[str]:
    return set().union(*(c.fact_names() for c in test.conditions()))


def put_first(questions: Sequence[Question], first: Mapping[str, int]) -> list[Question]:
    """The questions about the facts in ``first`` ahead of the others, in ``first``'s order
    (e.g. the facts a complaint's likely reasons ask about); the rest keep their order."""
    return sorted(questions, key=lambda q: first.get(q.fact, len(first)))


def next_question(
    known: list[Known],
    units: list[Unit],
    rulebook: Rulebook,
    skipped: set[tuple[str, str]],
    first: Mapping[str, int] | None = None,
) -> tuple[Question, str] | None:
    """The question to ask next and the point to ask it about, leaving out what nobody can
    answer (``skipped``: (fact, point label) pairs): the best ranked unknown fact, else a
    presumption worth checking; None once nothing is left. Facts in ``first`` (those a
    complaint's likely reasons ask about) go before all others, presumptions included: a
    likely reason is a reason to check its presumption first. Asked one point at a time, as
    the answer may differ from point to point."""
    if all(u.settled for u in units):
        return None
    if first:
        both = [*rank_questions(known, units, rulebook)]
        both += presumption_questions(known, units, rulebook)
        return _first_askable(put_first(both, first), skipped)
    for ranking in (rank_questions, presumption_questions):
        found = _first_askable(ranking(known, units, rulebook), skipped)
        if found is not None:
            return found
    return None


def _first_askable(
    questions: Sequence[Question], skipped: set[tuple[str, str]]
) -> tuple[Question, str] | None:
    """The first question with a point nobody has said they cannot answer it for."""
    for question in questions:
        label = next((p for p in question.points if (question.fact, p) not in skipped), None)
        if label is not None:
            return question, label
    return None
