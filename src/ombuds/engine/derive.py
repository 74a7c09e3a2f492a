"""Facts ombuds computes from a complaint's structured fields (dates, representative).

The rulebook declares these facts with ``derived: true``; this module is the one place that
computes them, so the rules never do date arithmetic themselves.
"""

from __future__ import annotations

from datetime import date

from ombuds.domain.complaint import Complaint, FactValue, Point

COMPLAINT_LEVEL = (
    "has_representative",
    "written_consent_given",
    "person_affected_cannot_authorise",
    "representative_suitable",
    "person_affected_is_child",
    "complained_to_body",
    "body_final_response_given",
    "weeks_since_complaint_to_body",
)
POINT_LEVEL = ("months_since_first_knowledge", "known_for_more_than_12_months")
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
    """Complaint-level derived facts."""
    rep = complaint.representative
    affected = complaint.person_affected
    dates = complaint.dates
    weeks = (
        (dates.received - dates.complained_to_body).days // 7
        if dates.complained_to_body is not None
        else None
    )
    return {
        "has_representative": rep is not None,
        "written_consent_given": bool(rep and rep.written_consent),
        "person_affected_cannot_authorise": affected.has_died or affected.lacks_capacity,
        "representative_suitable": rep.suitable if rep is not None else None,
        "person_affected_is_child": affected.is_child,
        "complained_to_body": dates.complained_to_body is not None,
        "body_final_response_given": dates.final_response is not None,
        "weeks_since_complaint_to_body": weeks,
    }


def point_facts(complaint: Complaint, point: Point) -> dict[str, FactValue]:
    """Point-level derived facts: the 12-month clock runs from first knowledge of the point."""
    first_knew = point.first_knew or complaint.dates.first_knew
    if first_knew is None:
        return {"months_since_first_knowledge": None, "known_for_more_than_12_months": None}
    received = complaint.dates.received
    return {
        "months_since_first_knowledge": whole_months(first_knew, received),
        "known_for_more_than_12_months": received > add_months(first_knew, 12),
    }
