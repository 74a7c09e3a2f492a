"""What is known about each point and part of a complaint before any test is judged."""

from __future__ import annotations

from dataclasses import dataclass

from ombuds.domain.complaint import Complaint, FactValue
from ombuds.engine.derive import complaint_facts, part_facts, point_facts
from ombuds.engine.unit import Facts
from ombuds.rulebook.model import Rulebook


@dataclass(frozen=True, slots=True)
class Known:
    """What is known about one point or part before any test: facts, and which are presumed."""

    label: str
    part: int | None
    facts: Facts
    presumed: frozenset[str]


def known_facts(complaint: Complaint, rulebook: Rulebook) -> list[Known]:
    """The facts of every point, then of every part, in the order the units are judged.

    Recorded facts win over presumptions (a recorded ``null`` means "not established"); a
    derived fact wins over a recorded one, unless it is unknown (its date is missing).
    """
    derived_complaint = complaint_facts(complaint)
    units: list[Known] = []
    for point in complaint.points:
        recorded = {**complaint.facts, **point.facts}
        units.append(
            _known(
                point.label,
                None,
                recorded,
                derived_complaint,
                point_facts(complaint, point),
                rulebook,
            )
        )
    for point in complaint.points:
        for index, part in enumerate(point.parts):
            recorded = {**complaint.facts, **point.facts, **part.facts}
            derived = part_facts(complaint, point, part)
            units.append(_known(point.label, index, recorded, derived_complaint, derived, rulebook))
    return units


def _known(
    label: str,
    part: int | None,
    recorded: dict[str, FactValue],
    derived_complaint: dict[str, FactValue],
    derived_point: dict[str, FactValue],
    rulebook: Rulebook,
) -> Known:
    facts: Facts = {**rulebook.presumptions, **recorded}
    for name, value in (*derived_complaint.items(), *derived_point.items()):
        if value is not None or name not in recorded:
            facts[name] = value
    presumed = frozenset(rulebook.presumptions.keys() - recorded.keys())
    return Known(label, part, facts, presumed)
