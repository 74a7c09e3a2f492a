"""Points and the parts of points assessed apart, as units the statement speaks about."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ombuds.domain.assessment import PartResult, PointResult, TraceEntry
from ombuds.domain.complaint import Complaint, Point, PointPart
from ombuds.domain.outcomes import Recommendation
from ombuds.drafting.wording import capitalize_first
from ombuds.engine.derive import point_facts
from ombuds.rulebook.model import Rulebook, Test

#: Decisions that leave a point open: investigated, or not decided yet.
OPEN = {Recommendation.INVESTIGATE, Recommendation.NEEDS_INFORMATION}


class Facts(Mapping[str, Any]):
    """Facts for templates, looked up where they were recorded, first match wins: the part's,
    the point's, the point's derived dates, the complaint's, then what the engine's trace used.

    Lookups are lazy (a template reads a handful of facts; building the merged mapping for
    every point would cost more than the reading). An absent fact reads as None rather than
    failing the render.
    """

    __slots__ = ("_layers", "_trace", "_traced")

    def __init__(self, layers: list[Mapping[str, Any]], trace: list[TraceEntry]) -> None:
        self._layers = layers
        self._trace = trace
        self._traced: dict[str, Any] | None = None

    def _from_trace(self) -> dict[str, Any]:
        if self._traced is None:
            self._traced = {}
            for entry in self._trace:
                for name, value in entry.facts.items():
                    self._traced.setdefault(name, value)
        return self._traced

    def __getitem__(self, name: str) -> Any:
        for layer in self._layers:
            if name in layer:
                return layer[name]
        return self._from_trace()[name]

    def __iter__(self) -> Iterator[str]:
        seen: set[str] = set()
        for layer in [*self._layers, self._from_trace()]:
            for name in layer:
                if name not in seen:
                    seen.add(name)
                    yield name

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self.get(name)


@dataclass(slots=True)
class Unit:
    """A point, or a part of one, with what the statement says about it."""

    label: str
    decision: Recommendation
    notes: list[str]
    main: list[Test]
    further: list[Test]
    context: dict[str, Any]
    part: str | None = None
    texts: dict[str, str] = field(default_factory=dict)  # test id -> reason sentence(s)


def point_context(
    context: dict[str, Any],
    complaint: Complaint,
    point: Point,
    result: PointResult | PartResult,
    part: PointPart | None = None,
) -> dict[str, Any]:
    affected = complaint.person_affected.name or "the person affected"
    layers: list[Mapping[str, Any]] = [point.facts, point_facts(complaint, point)]
    if part is not None:
        layers.insert(0, part.facts)
        if part.before is not None:  # the point's own dates do not measure this part
            layers.insert(1, {"months_since_first_knowledge": None})
    layers.append(context["complaint_facts"])
    return {
        **context,
        "facts": Facts(layers, result.trace),
        "refer_text": "",
        "affected": affected,
        "affected_cap": capitalize_first(affected),
        "label": point.label,
        "outcome_sought": (point.outcome_sought or "").rstrip(" ."),
    }


def point_units(
    rulebook: Rulebook,
    context: dict[str, Any],
    complaint: Complaint,
    point: Point,
    result: PointResult,
) -> list[Unit]:
    """The point, then each of its parts the engine assessed apart."""
    tests = [rulebook.test(t) for t in result.tests]
    main_ids = set(result.tests)
    further = [rulebook.test(t) for t in result.co_applicable if t not in main_ids]
    units = [
        Unit(
            label=point.label,
            decision=result.decision,
            notes=list(point.notes),
            main=tests,
            further=further,
            context=point_context(context, complaint, point, result),
        )
    ]
    for index, part_result in enumerate(result.parts):
        part = matching_part(point, part_result, index)
        units.append(
            Unit(
                label=point.label,
                decision=part_result.decision,
                notes=list(part.notes) if part else [],
                main=[rulebook.test(t) for t in part_result.tests],
                further=[],
                context=point_context(context, complaint, point, part_result, part),
                part=part_result.description,
            )
        )
    return units


def matching_part(point: Point, result: PartResult, index: int) -> PointPart | None:
    for part in point.parts:
        if part.description == result.description:
            return part
    return point.parts[index] if index < len(point.parts) else None


def is_further(unit: Unit, test_id: str) -> bool:
    return any(t.id == test_id for t in unit.further)
