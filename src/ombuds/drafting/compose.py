"""Assessment -> Statement: choose what the statement says; the templates say it.

The summary and the final decision name every reason the statement relies on, the main one
(the one closing most points) first, "mainly because" when there are three or more. The points
and parts become units (`units`); their reasons are written by `paragraphs` (in "What I have
not investigated" when part of a complaint is investigated, else in "My assessment"); the
role-and-powers section by `powers`. Every string is cleaned once as it is built (`text`).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from ombuds.domain.assessment import Assessment
from ombuds.domain.complaint import Complaint
from ombuds.domain.outcomes import Recommendation
from ombuds.domain.statement import Statement, StatementPoint
from ombuds.drafting.paragraphs import write
from ombuds.drafting.powers import role_and_powers
from ombuds.drafting.text import clean, sanitise
from ombuds.drafting.units import OPEN, Unit, point_units
from ombuds.drafting.wording import (
    capitalize_first,
    closed_clause,
    module,
    points_phrase,
    possessive,
    reason_clause,
    say,
    unique,
)
from ombuds.engine.derive import complaint_facts
from ombuds.rulebook.model import Rulebook

# not published: the body still has to answer, the complaint is not valid, or it is undecided
UNPUBLISHED = {
    Recommendation.PREMATURE,
    Recommendation.INCOMPLETE_INVALID,
    Recommendation.NEEDS_INFORMATION,
}


def compose(
    complaint: Complaint, assessment: Assessment, rulebook: Rulebook, decision_date: date
) -> Statement:
    """Build the structured statement for an assessment."""
    parts = module(rulebook.folder, "parts.j2")
    body = rulebook.short_name(complaint.organisation)
    who = complaint.complainant
    edition = rulebook.edition(decision_date)
    results = {p.label: p for p in assessment.points}
    considered = [_considered(name, body) for name in complaint.considered]
    context: dict[str, Any] = {
        "who": who,
        "whose": possessive(who),
        "body": body,
        "Body": capitalize_first(body),
        "style": edition.style,
        "subject": complaint.subject,
        "representative": complaint.representative,
        "single_alleged": complaint.points[0].alleged.rstrip(" .;"),
        "decision": assessment.decision.value,
        "n_points": len(complaint.points),
        "considered": considered,
        "considered_others": [n for n in considered if n not in (who, "the complainant")],
        "complaint_facts": {**complaint_facts(complaint), **complaint.facts},
        "outcomes": unique(
            p.outcome_sought.rstrip(" .") for p in complaint.points if p.outcome_sought
        ),
    }

    units = [
        unit
        for point in complaint.points
        for unit in point_units(rulebook, context, complaint, point, results[point.label])
    ]
    _clauses(rulebook, context, units, complaint.main_reason)
    several = len(complaint.points) > 1
    investigating = assessment.decision == Recommendation.INVESTIGATE
    left = [u for u in units if u.decision not in OPEN]
    split = investigating and bool(left)
    assessed = [u for u in units if u.decision in OPEN] if split else units
    said: dict[str, list[str]] = {}
    printed: set[str] = set()
    investigated: list[str] = []
    not_investigated: list[str] = []
    if split:
        investigated = [say(parts.investigated, context)]
        not_investigated = write(parts, rulebook, left, several, said, printed)
    assessment_paragraphs = write(parts, rulebook, assessed, several, said, printed)

    role = role_and_powers(parts, context, units, rulebook, edition.discretion_citation)
    # every string sanitised for Word/XML and set in the house typography, once; the header
    # fields are identifiers (the taxonomy's category, the organisation's own name): printed as
    # recorded, only made safe
    return Statement(
        reasons=context["reasons"],
        organisation=sanitise(complaint.organisation),
        reference=complaint.reference,
        category=sanitise(complaint.category),
        decision=assessment.decision,
        decision_label=assessment.decision.label,
        decision_date=decision_date,
        summary=clean(say(parts.summary, context)),
        complaint=[clean(say(parts.complaint_intro, context))],
        points=[StatementPoint(label=p.label, text=clean(p.alleged)) for p in complaint.points]
        if several
        else [],
        complaint_after=_cleaned([say(parts.complaint_after, context)]),
        investigated=_cleaned(investigated),
        not_investigated=_cleaned(not_investigated),
        role_and_powers=role,
        how_considered=_cleaned(
            [say(parts.how_considered, context), say(parts.assessment_code, context)]
        ),
        assessment_heading=edition.assessment_heading,
        assessment=_cleaned(assessment_paragraphs),
        final_decision=_cleaned([say(parts.final_decision, context)]),
        closing=clean(say(parts.closing)),
        author=rulebook.name,
        publishable=assessment.decision not in UNPUBLISHED and not assessment.questions,
        draft_banner=clean(say(parts.draft_banner)) if assessment.questions else None,
        missing_information=[clean(q.question) for q in assessment.questions],
    )


def _considered(name: str, body: str) -> str:
    return body if name.lower() in {"the council", "the organisation", "the body"} else name


def _cleaned(paragraphs: list[str]) -> list[str]:
    return [clean(p) for p in paragraphs if p]


class StatementError(ValueError):
    """The complaint asks for something the statement cannot say; the message says what."""


def _clauses(
    rulebook: Rulebook, context: dict[str, Any], units: list[Unit], chosen: str | None = None
) -> None:
    """Put the reasons the summary and final decision give into the statement context.

    Every closing reason relied on is named: the bars and discretionary reasons of points and
    parts not investigated, and the further reasons found after a bar. The main reason is the
    assessor's ``chosen`` one (the complaint's ``main_reason``), else the one that closes most
    points and parts (a further reason counts half); ties go to rulebook order, which puts
    jurisdiction before discretion.
    """
    weight: Counter[str] = Counter()
    where: dict[str, list[Unit]] = {}
    forward: dict[str, Unit] = {}
    for unit in units:
        if unit.decision in OPEN:
            if unit.decision == Recommendation.INVESTIGATE:
                for test in unit.main:
                    if test.effect == "forward":
                        forward.setdefault(test.id, unit)
            continue
        for test in unit.main:
            if test.effect == "close":
                weight[test.id] += 2
                where.setdefault(test.id, []).append(unit)
        for test in unit.further:
            if test.effect == "close":
                weight[test.id] += 1
                where.setdefault(test.id, []).append(unit)
    order = {t.id: i for i, t in enumerate(rulebook.tests)}
    ranked = sorted(weight, key=lambda t: (t != chosen, -weight[t], order[t]))
    context["reasons"] = ranked
    settled = all(u.decision is not Recommendation.NEEDS_INFORMATION for u in units)
    if chosen is not None and chosen not in weight and settled:
        given = ", ".join(ranked) or "none"
        raise StatementError(
            f"main_reason {chosen!r} is not a reason this statement gives (it gives: {given}); "
            "choose one of those, or remove main_reason"
        )
    # a test can read differently where it applies (it names where each point should go)
    clauses = unique(
        reason_clause(rulebook, rulebook.test(t), unit.context) for t in ranked for unit in where[t]
    )
    # a forward test whose absence is stated on a closed point is a reason too (given last)
    clauses += unique(
        clause
        for unit in units
        if unit.decision not in OPEN
        for test in unit.main
        if test.effect == "forward"
        for clause in [closed_clause(rulebook, test, unit.context)]
        if clause and clause not in clauses
    )
    context["main"] = clauses[0] if clauses else ""
    context["others"] = clauses[1:]
    context["forward_clauses"] = unique(
        reason_clause(rulebook, rulebook.test(t), u.context) for t, u in forward.items()
    )
    points_left = unique(u.label for u in units if u.part is None and u.decision not in OPEN)
    parts_left = [
        f"{u.part} (point {u.label}))" if len(units) > 1 else u.part
        for u in units
        if u.part is not None and u.decision not in OPEN and u.label not in points_left
    ]
    context["excluded"] = ([points_phrase(points_left)] if points_left else []) + [
        p for p in parts_left if p
    ]
    # what still needs information: whole points, then parts of points otherwise settled
    undecided = Recommendation.NEEDS_INFORMATION
    open_labels = [u.label for u in units if u.part is None and u.decision == undecided]
    every = 1 < len(open_labels) == context["n_points"]
    context["open_units"] = ([points_phrase(open_labels, every)] if open_labels else []) + [
        f"{u.part} (point {u.label}))" if context["n_points"] > 1 else str(u.part)
        for u in units
        if u.part is not None and u.decision == undecided and u.label not in open_labels
    ]
    investigated_points = [
        u.label for u in units if u.part is None and u.decision == Recommendation.INVESTIGATE
    ]
    context["investigated_units"] = (
        [points_phrase(investigated_points)] if investigated_points else []
    ) + [
        f"{u.part} (point {u.label}))"
        for u in units
        if u.part is not None
        and u.decision == Recommendation.INVESTIGATE
        and u.label not in investigated_points
    ]
