"""Assessment -> Statement: choose what the statement says; the templates say it.

The role-and-powers section explains exactly the tests used: one general paragraph listing the
discretionary reasons (closed by the general-discretion citation of the house-style edition in
force), then one paragraph per jurisdictional or separately explained test, each closed by its
own citation, none twice.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, select_autoescape

from ombuds.domain.assessment import Assessment, PointResult
from ombuds.domain.complaint import Complaint, Point
from ombuds.domain.outcomes import Recommendation
from ombuds.domain.statement import RoleParagraph, Statement, StatementPoint
from ombuds.engine.derive import complaint_facts, point_facts
from ombuds.rulebook.model import Rulebook, Test, refer_names

UNPUBLISHED = {Recommendation.PREMATURE, Recommendation.INCOMPLETE_INVALID}


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


def compose(
    complaint: Complaint, assessment: Assessment, rulebook: Rulebook, decision_date: date
) -> Statement:
    """Build the structured statement for an assessment."""
    parts = _module(rulebook.folder, "parts.j2")
    body = rulebook.short_name(complaint.organisation)
    who = complaint.complainant
    edition = rulebook.edition(decision_date)
    results = {p.label: p for p in assessment.points}

    closing_tests = _closing_tests(assessment, rulebook)
    closed = [p.label for p in assessment.points if p.decision != Recommendation.INVESTIGATE]
    forward = [p.label for p in assessment.points if p.decision == Recommendation.INVESTIGATE]
    context = {
        "who": who,
        "whose": possessive(who),
        "body": body,
        "Body": capitalize_first(body),
        "subject": complaint.subject,
        "representative": complaint.representative,
        "single_alleged": complaint.points[0].alleged.rstrip(" .;"),
        "decision": assessment.decision.value,
        "n_points": len(complaint.points),
        "considered": [_considered(name, body) for name in complaint.considered],
        "outcomes": [p.outcome_sought for p in complaint.points if p.outcome_sought],
        "closed_labels": closed if forward else [],
        "forward_labels": forward,
        "all_forward": not closed,
    }
    context["clauses"] = [
        _say(_wording(rulebook, t).summary, _point_context(context, complaint, None, None))
        for t in closing_tests[:2]
    ]

    assessment_paragraphs: list[str] = []
    for point in complaint.points:
        result = results[point.label]
        assessment_paragraphs.extend(
            _assess_point(parts, context, complaint, point, result, rulebook)
        )

    return Statement(
        organisation=complaint.organisation,
        reference=complaint.reference,
        category=complaint.category,
        decision=assessment.decision,
        decision_label=assessment.decision.label,
        decision_date=decision_date,
        summary=_say(parts.summary, context),
        complaint=[_say(parts.complaint_intro, context)],
        points=[StatementPoint(label=p.label, text=p.alleged) for p in complaint.points]
        if len(complaint.points) > 1
        else [],
        complaint_after=[t for t in [_say(parts.complaint_after, context)] if t],
        role_and_powers=_role_and_powers(parts, assessment, rulebook, edition.discretion_citation),
        how_considered=[_say(parts.how_considered, context), _say(parts.assessment_code)],
        assessment_heading=edition.assessment_heading,
        assessment=assessment_paragraphs,
        final_decision=[_say(parts.final_decision, context)],
        closing=_say(parts.closing),
        publishable=assessment.decision not in UNPUBLISHED and not assessment.questions,
        draft_banner=_say(parts.draft_banner) if assessment.questions else None,
        missing_information=[q.question for q in assessment.questions],
    )


def _considered(name: str, body: str) -> str:
    return body if name.lower() in {"the council", "the organisation", "the body"} else name


def _closing_tests(assessment: Assessment, rulebook: Rulebook) -> list[Test]:
    """Tests that closed points, the most used first (ties in rulebook order)."""
    counts = Counter(
        t for p in assessment.points if p.decision != Recommendation.INVESTIGATE for t in p.tests
    )
    tests = [t for t in rulebook.tests if t.id in counts and t.effect == "close"]
    return sorted(tests, key=lambda t: -counts[t.id])


def _point_context(
    context: dict[str, Any], complaint: Complaint, point: Point | None, result: PointResult | None
) -> dict[str, Any]:
    affected = complaint.person_affected.name or "the person affected"
    facts: dict[str, Any] = {**complaint_facts(complaint), **complaint.facts}
    if point is not None:
        facts.update(point_facts(complaint, point))
        facts.update(point.facts)
    if result is not None:
        for entry in result.trace:
            for name, value in entry.facts.items():
                facts.setdefault(name, value)
    return {
        **context,
        "facts": _Facts(facts),
        "refer_text": "",
        "affected": affected,
        "affected_cap": capitalize_first(affected),
        "label": point.label if point else None,
    }


class _Facts(dict[str, Any]):
    """Facts for templates: an absent fact reads as None rather than failing the render."""

    def __getattr__(self, name: str) -> Any:
        return self.get(name)


def _assess_point(
    parts: Any,
    context: dict[str, Any],
    complaint: Complaint,
    point: Point,
    result: PointResult,
    rulebook: Rulebook,
) -> list[str]:
    c = _point_context(context, complaint, point, result)
    prefix = _say(parts.point_prefix, point.label) + " " if len(complaint.points) > 1 else ""
    paragraphs = [*point.notes]
    tests = [rulebook.test(t) for t in result.tests]
    forward = [t for t in tests if t.effect == "forward"]
    if result.decision == Recommendation.INVESTIGATE:
        paragraphs.append(
            " ".join(_reason(rulebook, t, c) for t in forward)
            if forward
            else _say(parts.point_forward, c)
        )
    else:
        reasons = [_reason(rulebook, t, c) for t in tests if t.effect == "close"]
        # a public interest that did not outweigh the reasons to close is still said
        reasons += [_say(parts.outweighed, _reason(rulebook, t, c)) for t in forward]
        paragraphs.append(" ".join(r for r in reasons if r))
    if prefix and paragraphs:
        first = paragraphs[0]
        paragraphs[0] = (
            prefix + first[:1].lower() + first[1:] if _lowerable(first) else (prefix + first)
        )
    return [p for p in paragraphs if p]


def _reason(rulebook: Rulebook, test: Test, c: dict[str, Any]) -> str:
    """A test's reason sentence, naming where this test (not the point's others) refers to."""
    refer = and_join(refer_names(test, c["facts"]))
    return _say(_wording(rulebook, test).reason, {**c, "refer_text": refer})


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
    ]
)


def _role_and_powers(
    parts: Any, assessment: Assessment, rulebook: Rulebook, discretion_citation: str
) -> list[RoleParagraph]:
    used = [t for t in rulebook.tests if t.id in assessment.tests and t.role != "none"]
    bullets: list[str] = []
    bullet_tests: list[str] = []
    for test in used:
        if test.role in ("bullet", "both"):
            text = _say(_wording(rulebook, test).bullet)
            bullet_tests.append(test.id)
            if text and text not in bullets:
                bullets.append(text)
    paragraphs: list[RoleParagraph] = []
    own = [t for t in used if t.role in ("paragraph", "both")]
    if any(t.stage != "discretion" for t in own):
        paragraphs.append(RoleParagraph(text=_say(parts.role_opening)))
    paragraphs.append(
        RoleParagraph(
            text=_say(parts.role_general, bool(bullets)),
            bullets=[b + (", or" if i < len(bullets) - 1 else ".") for i, b in enumerate(bullets)],
            citation=discretion_citation if bullets else rulebook.general_citation,
            tests=bullet_tests,
        )
    )
    for test in sorted(own, key=lambda t: t.stage == "discretion"):
        paragraphs.append(
            RoleParagraph(
                text=_say(_wording(rulebook, test).paragraph),
                citation=test.citation,
                tests=[test.id],
            )
        )
    return paragraphs
