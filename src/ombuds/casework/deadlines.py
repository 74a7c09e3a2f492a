"""Working-day deadlines, counting England and Wales bank holidays from the `holidays` library.

The library ships the calendar in the package (no network at run time) and is kept up to date
with announced changes (a coronation, a moved May Day).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=1)
def _bank_holidays() -> holidays.HolidayBase:
    # England's calendar is England and Wales's: the two share every bank holiday.
    return holidays.country_holidays("GB", subdiv="ENG")


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays()


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (start itself is not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    counted = 0
    while counted < days:
        current += timedelta(days=1)
        if is_working_day(current):
            counted += 1
    return current


@lru_cache(maxsize=8192)
def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if end is earlier).

    Cached: every case list asks it for each case against the same today.
    """
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + timedelta(n)))
