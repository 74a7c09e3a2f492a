"""Reading the GOV.UK date input (day, month, year boxes) into a date, with its error message."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DateParts:
    day: str = ""
    month: str = ""
    year: str = ""

    @property
    def empty(self) -> bool:
        return not (self.day.strip() or self.month.strip() or self.year.strip())


def read_date(parts: DateParts, what: str, *, end_of_period: bool = False) -> date | str | None:
    """The date typed, ``None`` when left blank, or a GOV.UK-style error message.

    A year alone (or a month and year) means the start of that period, or its end when
    ``end_of_period`` (for the "to" side of a range).
    """
    if parts.empty:
        return None
    text = {"day": parts.day.strip(), "month": parts.month.strip(), "year": parts.year.strip()}
    if not text["year"]:
        return f"{what} must include a year"
    if not all(value.isdigit() for value in text.values() if value):
        return f"{what} must be a real date, written in numbers"
    if len(text["year"]) != 4:
        return f"Year in {what.lower()} must include 4 numbers"
    year = int(text["year"])
    if text["day"] and not text["month"]:
        return f"{what} must include a month"
    month = int(text["month"]) if text["month"] else (12 if end_of_period else 1)
    if not 1 <= month <= 12 or year < 1900:
        return f"{what} must be a real date"
    last = calendar.monthrange(year, month)[1]
    day = int(text["day"]) if text["day"] else (last if end_of_period else 1)
    if not 1 <= day <= last:
        return f"{what} must be a real date"
    return date(year, month, day)
