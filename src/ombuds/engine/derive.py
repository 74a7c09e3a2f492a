"""Facts ombuds computes from a complaint's structured fields (dates, representative).

The rulebook declares these facts with ``derived: true``; this module is the one place that
computes them, so the rules never do date arithmetic themselves. A date nobody recorded leaves
its facts unknown (None), never false: no ``complained_to_body`` date does not mean the person
did not complain.
"""

from __future__ import annotations

from datetime import date

from ombuds.domain.complaint import Complaint, FactValue, Point, PointPart

COMPLAINT_LEVEL = (
    "has_representative",
    "written_consent_given",
    "person_affected_cannot_authorise",
    "representative_suitable",
    "person_affected_is_child",
)
POINT_LEVEL = (
    "complained_to_body",
    "body_final_response_given",
    "weeks_since_complaint_to_body",
    "months_since_first_knowledge",
    "known_for_more_than_12_months",
)
DERIVED = (*COMPLAINT_LEVEL, *POINT_LEVEL, "underlying_matter_investigated")


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (clamped to the month's last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


def whole_months(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def complaint_facts(complaint: Complaint) -> dict[str, FactValue]:
    """Complaint-level derived facts: who is complaining, for whom."""
    rep = complaint.representative
    affected = complaint.person_affected
    return {
        "has_representative": rep is not None,
        "written_consent_given": bool(rep and rep.written_consent),
        "person_affected_cannot_authorise": affected.has_died or affected.lacks_capacity,
        "representative_suitable": rep.suitable if rep is not None else None,
        "person_affected_is_child": affected.is_child,
    }


def point_facts(complaint: Complaint, point: Point) -> dict[str, FactValue]:
    """Point-level derived facts: a point's own dates, else the complaint's.

    The 12-month clock runs from first knowledge of the point; prematurity is judged on when
    the point was put to the body and whether the body has answered it.
    """
    dates = complaint.dates
    received = dates.received
    first_knew = point.first_knew or dates.first_knew
    complained = point.complained_to_body or dates.complained_to_body
    # A point put to the body on its own date has only its own final response.
    final = (
        point.final_response
        if point.complained_to_body
        else point.final_response or dates.final_response
    )
    return {
        "complained_to_body": True if complained is not None else None,
        "body_final_response_given": True if final is not None else None,
        "weeks_since_complaint_to_body": (
            (received - complained).days // 7 if complained is not None else None
        ),
        "months_since_first_knowledge": (
            whole_months(first_knew, received) if first_knew is not None else None
        ),
        "known_for_more_than_12_months": (
            received > add_months(first_knew, 12) if first_knew is not None else None
        ),
    }


def part_facts(complaint: Complaint, point: Point, part: PointPart) -> dict[str, FactValue]:
    """A part's derived facts: its point's, with the 12-month clock of a period part (events
    before ``part.before``) running from that date at the latest."""
    facts = point_facts(complaint, point)
    if part.before is None:
        return facts
    first_knew = point.first_knew or complaint.dates.first_knew
    start = min(first_knew, part.before) if first_knew is not None else part.before
    received = complaint.dates.received
    facts["months_since_first_knowledge"] = whole_months(start, received)
    facts["known_for_more_than_12_months"] = received > add_months(start, 12)
    return facts
