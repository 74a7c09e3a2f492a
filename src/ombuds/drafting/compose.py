"""Assessment -> Statement: choose what the statement says; the templates say it.

The summary and the final decision name every reason the statement relies on, the main one
(the one closing most points) first. "My assessment" goes point by point, but a reason shared
by several points is said once, for all of them ("On points b) and c), ..."), so no sentence is
printed twice. Further reasons found after a bar ended a point follow the bar ("In any event,
..."). Parts of a point assessed apart are said not to be considered, with why; a decision to
investigate part of a complaint says what is and is not investigated in sections of their own.

The role-and-powers section explains exactly the tests used: one general paragraph listing the
discretionary reasons (closed by the general-discretion citation of the house-style edition in
force), then one paragraph per jurisdictional or separately explained test, each closed by its
own citation, none twice.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, select_autoescape

from ombuds.domain.assessment import Assessment, PartResult, PointResult
from ombuds.domain.complaint import Complaint, Point, PointPart
from ombuds.domain.outcomes import Recommendation
from ombuds.domain.statement import RoleParagraph, Statement, StatementPoint
from ombuds.drafting.text import clean, sanitise
from ombuds.engine.derive import complaint_facts, point_facts
from ombuds.rulebook.model import Rulebook, Test, refer_names

# not published: the body still has to answer, the complaint is not valid, or it is undecided
UNPUBLISHED = {
    Recommendation.PREMATURE,
    Recommendation.INCOMPLETE_INVALID,
    Recommendation.NEEDS_INFORMATION,
}
OPEN = {Recommendation.INVESTIGATE, Recommendation.NEEDS_INFORMATION}


def and_join(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def points_phrase(labels: list[str], all_points: bool = False) -> str:
    if all_points:
        return "all points"
    marked = [f"{label})" for label in labels]
    return ("point " if len(marked) == 1 else "points ") + and_join(marked)


def capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def long_date(day: date) -> str:
    return f"{day.day} {day.strftime('%b %Y')}"


@lru_cache(maxsize=8)
def environment(folder: str) -> Environment:
    """The Jinja environment over a scheme's templates (cached: templates compile once)."""
    env = Environment(
        loader=FileSystemLoader(str(Path(folder) / "templates")),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates are package data: compile once, never stat them again
    )
    env.filters.update(
        and_join=and_join,
        points_phrase=points_phrase,
        capitalize_first=capitalize_first,
        long_date=long_date,
    )
    return env


@lru_cache(maxsize=256)
def _module(folder: str, name: str) -> Any:
    template: Template = environment(folder).get_template(name)
    return template.module


def _wording(rulebook: Rulebook, test: Test) -> Any:
    return _module(rulebook.folder, f"tests/{test.id}.j2")


def _say(macro: Any, *args: Any) -> str:
    return " ".join(str(macro(*args)).split())


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


class _Facts(dict[str, Any]):
    """Facts for templates: an absent fact reads as None rather than failing the render."""

    def __getattr__(self, name: str) -> Any:
        return self.get(name)


@dataclass(slots=True)
class _Unit:
    """A point, or a part of one, with what the statement says about it."""

    label: str
    decision: Recommendation
    notes: list[str]
    main: list[Test]
    further: list[Test]
    context: dict[str, Any]
    part: str | None = None
    texts: dict[str, str] = field(default_factory=dict)  # test id -> reason sentence(s)


def compose(
    complaint: Complaint, assessment: Assessment, rulebook: Rulebook, decision_date: date
) -> Statement:
    """Build the structured statement for an assessment."""
    parts = _module(rulebook.folder, "parts.j2")
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
        "outcomes": _unique(
            p.outcome_sought.rstrip(" .") for p in complaint.points if p.outcome_sought
        ),
    }

    units = [
        unit
        for point in complaint.points
        for unit in _units(rulebook, context, complaint, point, results[point.label])
    ]
    _clauses(rulebook, context, units)
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
        investigated = [_say(parts.investigated, context)]
        not_investigated = _write(parts, rulebook, left, several, said, printed)
    assessment_paragraphs = _write(parts, rulebook, assessed, several, said, printed)

    role = _role_and_powers(parts, context, units, rulebook, edition.discretion_citation)
    # every string sanitised for Word/XML and set in the house typography, once; the header
    # fields are identifiers (the taxonomy's category, the organisation's own name): printed as
    # recorded, only made safe
    return Statement(
        organisation=sanitise(complaint.organisation),
        reference=complaint.reference,
        category=sanitise(complaint.category),
        decision=assessment.decision,
        decision_label=assessment.decision.label,
        decision_date=decision_date,
        summary=clean(_say(parts.summary, context)),
        complaint=[clean(_say(parts.complaint_intro, context))],
        points=[StatementPoint(label=p.label, text=clean(p.alleged)) for p in complaint.points]
        if several
        else [],
        complaint_after=_cleaned([_say(parts.complaint_after, context)]),
        investigated=_cleaned(investigated),
        not_investigated=_cleaned(not_investigated),
        role_and_powers=role,
        how_considered=_cleaned(
            [_say(parts.how_considered, context), _say(parts.assessment_code, context)]
        ),
        assessment_heading=edition.assessment_heading,
        assessment=_cleaned(assessment_paragraphs),
        final_decision=_cleaned([_say(parts.final_decision, context)]),
        closing=clean(_say(parts.closing)),
        author=rulebook.name,
        publishable=assessment.decision not in UNPUBLISHED and not assessment.questions,
        draft_banner=clean(_say(parts.draft_banner)) if assessment.questions else None,
        missing_information=[clean(q.question) for q in assessment.questions],
    )


def _unique(items: Any) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def _considered(name: str, body: str) -> str:
    return body if name.lower() in {"the council", "the organisation", "the body"} else name


def _cleaned(paragraphs: list[str]) -> list[str]:
    return [clean(p) for p in paragraphs if p]


# ------------------------------------------------------------------ points and their parts


def _point_context(
    context: dict[str, Any],
    complaint: Complaint,
    point: Point,
    result: PointResult | PartResult,
    part: PointPart | None = None,
) -> dict[str, Any]:
    affected = complaint.person_affected.name or "the person affected"
    facts: dict[str, Any] = dict(context["complaint_facts"])
    facts.update(point_facts(complaint, point))
    facts.update(point.facts)
    if part is not None:
        facts.update(part.facts)
    for entry in result.trace:
        if entry.facts:
            for name, value in entry.facts.items():
                if name not in facts:
                    facts[name] = value
    return {
        **context,
        "facts": _Facts(facts),
        "refer_text": "",
        "affected": affected,
        "affected_cap": capitalize_first(affected),
        "label": point.label,
        "outcome_sought": (point.outcome_sought or "").rstrip(" ."),
    }


def _units(
    rulebook: Rulebook,
    context: dict[str, Any],
    complaint: Complaint,
    point: Point,
    result: PointResult,
) -> list[_Unit]:
    """The point, then each of its parts the engine assessed apart."""
    tests = [rulebook.test(t) for t in result.tests]
    main_ids = set(result.tests)
    further = [rulebook.test(t) for t in result.co_applicable if t not in main_ids]
    units = [
        _Unit(
            label=point.label,
            decision=result.decision,
            notes=list(point.notes),
            main=tests,
            further=further,
            context=_point_context(context, complaint, point, result),
        )
    ]
    for index, part_result in enumerate(result.parts):
        part = _matching_part(point, part_result, index)
        units.append(
            _Unit(
                label=point.label,
                decision=part_result.decision,
                notes=list(part.notes) if part else [],
                main=[rulebook.test(t) for t in part_result.tests],
                further=[],
                context=_point_context(context, complaint, point, part_result, part),
                part=part_result.description,
            )
        )
    return units


def _matching_part(point: Point, result: PartResult, index: int) -> PointPart | None:
    for part in point.parts:
        if part.description == result.description:
            return part
    return point.parts[index] if index < len(point.parts) else None


def _reason(rulebook: Rulebook, test: Test, c: dict[str, Any]) -> str:
    """A test's reason sentence, naming where this test (not the point's others) refers to."""
    refer = and_join(refer_names(test, c["facts"]))
    return _say(_wording(rulebook, test).reason, {**c, "refer_text": refer})


def reason_clause(rulebook: Rulebook, test: Test, c: dict[str, Any]) -> str:
    """A test's reason as a clause to follow "because", for the summary and final decision."""
    refer = and_join(refer_names(test, c["facts"]))
    return _say(_wording(rulebook, test).summary, {**c, "refer_text": refer})


def _clauses(rulebook: Rulebook, context: dict[str, Any], units: list[_Unit]) -> None:
    """Put the reasons the summary and final decision give into the statement context.

    Every closing reason relied on is named: the bars and discretionary reasons of points and
    parts not investigated, and the further reasons found after a bar. The main reason is the
    one that closes most points and parts (a further reason counts half); ties go to rulebook
    order, which puts jurisdiction before discretion.
    """
    weight: Counter[str] = Counter()
    where: dict[str, list[_Unit]] = {}
    forward: dict[str, _Unit] = {}
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
    ranked = sorted(weight, key=lambda t: (-weight[t], order[t]))
    # a test can read differently where it applies (it names where each point should go)
    clauses = _unique(
        reason_clause(rulebook, rulebook.test(t), unit.context) for t in ranked for unit in where[t]
    )
    # a forward test whose absence is stated on a closed point is a reason too (given last)
    clauses += _unique(
        clause
        for unit in units
        if unit.decision not in OPEN
        for test in unit.main
        if test.effect == "forward"
        for clause in [_closed_clause(rulebook, test, unit.context)]
        if clause and clause not in clauses
    )
    context["main"] = clauses[0] if clauses else ""
    context["others"] = clauses[1:]
    context["forward_clauses"] = _unique(
        reason_clause(rulebook, rulebook.test(t), u.context) for t, u in forward.items()
    )
    points_left = _unique(u.label for u in units if u.part is None and u.decision not in OPEN)
    parts_left = [
        f"{u.part} (point {u.label}))" if len(units) > 1 else u.part
        for u in units
        if u.part is not None and u.decision not in OPEN and u.label not in points_left
    ]
    context["excluded"] = ([points_phrase(points_left)] if points_left else []) + [
        p for p in parts_left if p
    ]
    context["open_labels"] = [
        u.label for u in units if u.part is None and u.decision == Recommendation.NEEDS_INFORMATION
    ]
    context["all_open"] = 1 < len(context["open_labels"]) == context["n_points"]
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


# ------------------------------------------------------------------ My assessment


def _write(
    parts: Any,
    rulebook: Rulebook,
    units: list[_Unit],
    several: bool,
    said: dict[str, list[str]],
    printed: set[str],
) -> list[str]:
    """Paragraphs for these units, point by point, each reason said once.

    A reason several points share is said once, at the first of them, for all of them; a
    reason that comes up again for a part refers back to where it was given.
    """
    for unit in units:
        unit.texts = _texts(parts, rulebook, unit)
    paragraphs: list[str] = []
    for index, unit in enumerate(units):
        prefix = _say(parts.point_prefix, unit.label) if several else ""
        own: list[str] = []  # one paragraph per reason, as the Ombudsman sets them out
        groups: list[str] = []
        notes = [n for n in unit.notes if n.strip()]
        further = 0
        if unit.part is not None:
            # the part is named first, then what the assessor found about it, then why
            head = (
                parts.part_considered_apart if unit.decision in OPEN else parts.part_not_considered
            )
            own.append(" ".join([_say(head, unit.part, prefix), *notes]))
            notes, prefix = [], ""
        for test_id, text in unit.texts.items():
            # a further reason (after a bar) is grouped only with the same further reason, so
            # it stays with the bar it follows ("In any event, ...")
            kind = "further" if _is_further(unit, test_id) else "main"
            key = f"{kind}:{text}"
            if key in said:
                if unit.part is not None or unit.label not in said[key]:
                    clause = _clause_of(rulebook, test_id, unit)
                    part = f"{unit.part} (point {unit.label}))" if unit.part and several else ""
                    own.append(_say(parts.again, said[key], clause, part or unit.part or ""))
                    said[key] = _unique([*said[key], unit.label])
                continue
            sharers = _unique(
                [unit.label]
                + [
                    u.label
                    for u in units[index + 1 :]
                    if u.part is None
                    and unit.part is None
                    and any(
                        t == text and _is_further(u, i) == (kind == "further")
                        for i, t in u.texts.items()
                    )
                ]
            )
            said[key] = list(sharers)
            if len(sharers) > 1:
                shared = parts.shared_further if kind == "further" else parts.shared
                groups.append(_say(shared, sharers, _lower(text)))
            elif kind == "further" and (own or unit.main):
                own.append(_say(parts.further_reason, _lower(text), further == 0))
                further += 1
            else:
                own.append(text)
        if notes:
            notes[0] = _prefixed(prefix, notes[0])
            paragraphs.extend(notes)
            prefix = ""
        if own:
            own[0] = _prefixed(prefix, own[0])
            paragraphs.extend(own)
        paragraphs.extend(groups)
    return [p for p in (_fresh(p, printed) for p in paragraphs) if p]


_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-Z‘“'\"])")


def _fresh(paragraph: str, printed: set[str]) -> str:
    """The paragraph without sentences the statement has already printed word for word.

    Two reasons can share a sentence ("This is mainly about matters another ombudsman deals
    with.") while differing in the next (where to go); the shared one is said once.
    """
    kept: list[str] = []
    for sentence in _SENTENCE_END.split(paragraph):
        key = " ".join(sentence.split())
        if key and key not in printed:
            printed.add(key)
            kept.append(sentence)
    return " ".join(kept)


def _closed_clause(rulebook: Rulebook, test: Test, c: dict[str, Any]) -> str:
    wording = _wording(rulebook, test)
    return _say(wording.closed_summary, c) if hasattr(wording, "closed_summary") else ""


def _is_further(unit: _Unit, test_id: str) -> bool:
    return any(t.id == test_id for t in unit.further)


def _clause_of(rulebook: Rulebook, test_id: str, unit: _Unit) -> str:
    if test_id.startswith("_"):  # wording of the statement itself, not a test's
        return "of what we have said above"
    return reason_clause(rulebook, rulebook.test(test_id), unit.context)


def _texts(parts: Any, rulebook: Rulebook, unit: _Unit) -> dict[str, str]:
    """The unit's reason sentences by test, main reasons first, then further ones."""
    c = unit.context
    texts: dict[str, str] = {}
    forward = [t for t in unit.main if t.effect == "forward"]
    if unit.decision == Recommendation.INVESTIGATE:
        for test in forward:
            texts[test.id] = _reason(rulebook, test, c)
        if not forward:
            texts["_forward"] = _say(parts.point_forward, c)
        return texts
    for test in unit.main:
        if test.effect == "close":
            texts[test.id] = _reason(rulebook, test, c)
    for test in unit.further:
        texts[test.id] = _reason(rulebook, test, c)
    # a public interest that did not outweigh the reasons to close is still said, and so is
    # its stated absence ("no wider public interest"), in the test's own words for a closure
    for test in forward:
        wording = _wording(rulebook, test)
        if hasattr(wording, "on_closed"):
            texts[test.id] = _say(wording.on_closed, c)
        else:
            texts[test.id] = _say(parts.outweighed, _reason(rulebook, test, c))
    if unit.decision == Recommendation.NEEDS_INFORMATION:
        texts["_needs_information"] = _say(parts.needs_information, c)
    return {k: v for k, v in texts.items() if v}


def _prefixed(prefix: str, sentence: str) -> str:
    if not prefix:
        return sentence
    return f"{prefix} {_lower(sentence)}"


def _lower(sentence: str) -> str:
    """Lower-case the first word where the sentence now continues a clause ("On point a), the")."""
    return sentence[:1].lower() + sentence[1:] if _lowerable(sentence) else sentence


def _lowerable(sentence: str) -> bool:
    first_word = sentence.split(" ", 1)[0]
    return first_word in _LOWERABLE


_LOWERABLE = frozenset(
    [
        "A",
        "An",
        "The",
        "This",
        "That",
        "These",
        "Those",
        "There",
        "It",
        "Its",
        "In",
        "On",
        "From",
        "Even",
        "Any",
        "We",
        "Our",
        "As",
        "Although",
        "After",
        "When",
        "If",
        "Since",
        "Nor",
        "However",
        "Circumstances",
        "Investigating",
        "Information",
        "Having",
        "Before",
        "What",
    ]
)


# ------------------------------------------------------------------ role and powers


def _role_and_powers(
    parts: Any,
    context: dict[str, Any],
    units: list[_Unit],
    rulebook: Rulebook,
    discretion_citation: str,
) -> list[RoleParagraph]:
    """The role-and-powers paragraphs for the tests the statement uses.

    Their wording depends only on the house style and the body's short name, so each is
    rendered once per (style, body) and reused.
    """
    style, body, folder = context["style"], context["body"], rulebook.folder
    ids = {t.id for u in units for t in (*u.main, *u.further)}
    used = [t for t in rulebook.tests if t.id in ids and t.role != "none"]
    bullets: list[str] = []
    bullet_tests: list[str] = []
    for test in used:
        if test.role in ("bullet", "both"):
            text = _role_wording(folder, f"tests/{test.id}.j2", "bullet", style, body)
            bullet_tests.append(test.id)
            if text and text not in bullets:
                bullets.append(text)
    paragraphs: list[RoleParagraph] = []
    own = [t for t in used if t.role in ("paragraph", "both")]
    if any(t.stage != "discretion" for t in own):
        opening = _role_wording(folder, "parts.j2", "role_opening", style, body)
        paragraphs.append(RoleParagraph(text=opening))
    paragraphs.append(
        RoleParagraph(
            text=_role_wording(folder, "parts.j2", "role_general", style, body, bool(bullets)),
            bullets=[
                clean(b + (", or" if i < len(bullets) - 1 else ".")) for i, b in enumerate(bullets)
            ],
            citation=discretion_citation if bullets else rulebook.general_citation,
            tests=bullet_tests,
        )
    )
    for test in sorted(own, key=lambda t: t.stage == "discretion"):
        paragraphs.append(
            RoleParagraph(
                text=_role_wording(folder, f"tests/{test.id}.j2", "paragraph", style, body),
                citation=test.citation,
                tests=[test.id],
            )
        )
    return paragraphs


@lru_cache(maxsize=1024)
def _role_wording(folder: str, template: str, macro: str, style: str, body: str, *args: Any) -> str:
    """One role-and-powers text, cleaned; its macro sees only the house style and the body."""
    wording = getattr(_module(folder, template), macro)
    return clean(_say(wording, {"style": style, "body": body}, *args))
