"""Calendar arithmetic of the pool engine: ISO weeks, working days, day-parts and monthly windows.

Every check and every model constraint that talks about time goes through these helpers, so the
eligibility check, the bulk screen, the MILP and the heuristics agree on what "a week" and "a clash"
are:

- A week is an ISO week, numbered by `week_index` (days since 0001-01-01 // 7, Monday-based, so
  consecutive integers are consecutive ISO weeks across year ends).
- A day-part slot is one bit of a 10-bit mask: bit `weekday * 2 + part` (Monday morning is bit 0).
  Work occupies a slot in a week only when the slot's calendar date lies inside the work's period,
  so two pieces of work clash exactly when they share a day-part on the same date.
- Hours are spread evenly over the day-parts that actually fall inside the period: a request of 12
  hours on four day-parts that starts on a Wednesday counts 6 hours in its first week (2 of its 4
  day-parts). Without day-parts, hours are spread over the working days in the period.
- Lesson hours of a period are `hours_per_week * working days / 5` (no school-holiday calendar: a
  holiday inside a period counts as a working week, as the schools' own requests do).
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

from .types import DayPart

WEEKDAY_NAMES = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag")
PART_NAMES = ("ochtend", "middag")
ALL_DAY_PARTS: frozenset[DayPart] = frozenset((weekday, part) for weekday in range(5) for part in range(2))
SLOT_COUNT = 10


def day_part_bit(day_part: DayPart) -> int:
    weekday, part = day_part
    return 1 << (weekday * 2 + part)


def day_part_mask(day_parts: Iterable[DayPart]) -> int:
    mask = 0
    for day_part in day_parts:
        mask |= day_part_bit(day_part)
    return mask


def mask_day_parts(mask: int) -> list[DayPart]:
    """The day-parts of a 10-bit mask, in week order."""
    return [(bit // 2, bit % 2) for bit in range(SLOT_COUNT) if mask >> bit & 1]


def day_part_name(day_part: DayPart) -> str:
    """'dinsdagochtend' for (1, 0)."""
    weekday, part = day_part
    return f"{WEEKDAY_NAMES[weekday]}{PART_NAMES[part]}"


def week_index(day: date) -> int:
    """Monday-based week number since 0001-01-01; consecutive ISO weeks get consecutive integers."""
    return (day.toordinal() - 1) // 7


def week_monday(index: int) -> date:
    return date.fromordinal(index * 7 + 1)


def week_label(index: int) -> str:
    """The ISO week as people in Dutch schools say it, e.g. 'week 5 van 2026'."""
    year, week, _ = week_monday(index).isocalendar()
    return f"week {week} van {year}"


def overlaps(start_a: date, end_a: date, start_b: date, end_b: date) -> bool:
    return start_a <= end_b and start_b <= end_a


@lru_cache(maxsize=65_536)
def working_days(start: date, end: date) -> int:
    """Monday-Friday dates in start..end (inclusive)."""
    if end < start:
        return 0
    total = (end - start).days + 1
    full_weeks, rest = divmod(total, 7)
    days = full_weeks * 5
    weekday = start.weekday()
    for offset in range(rest):
        if (weekday + offset) % 7 < 5:
            days += 1
    return days


def period_weeks(start: date, end: date) -> float:
    """Length of a period in working weeks (working days / 5): the unit of 'lesson hours'."""
    return working_days(start, end) / 5


def lesson_hours(hours_per_week: float, start: date, end: date) -> float:
    return hours_per_week * period_weeks(start, end)


@lru_cache(maxsize=262_144)
def weekly_profile(start: date, end: date, day_parts: frozenset[DayPart]) -> tuple[tuple[int, float, int], ...]:
    """Per ISO week touched by the period: (week index, share of the weekly hours, occupied slot mask).

    Weeks in which the work has nothing to do (only weekend days, or none of its day-parts fall in
    the period) are left out. The shares of full weeks are exactly 1.0, so identical weeks produce
    identical model rows (the MILP deduplicates them).
    """
    if end < start:
        return ()
    parts_by_weekday: dict[int, list[int]] = {}
    for weekday, part in day_parts:
        if 0 <= weekday < 5 and part in (0, 1):
            parts_by_weekday.setdefault(weekday, []).append(part)
    total_parts = sum(len(parts) for parts in parts_by_weekday.values())
    result = []
    for index in range(week_index(start), week_index(end) + 1):
        monday = week_monday(index)
        mask = 0
        active_parts = 0
        active_days = 0
        for weekday in range(5):
            day = monday + timedelta(days=weekday)
            if day < start or day > end:
                continue
            active_days += 1
            for part in parts_by_weekday.get(weekday, ()):
                mask |= 1 << (weekday * 2 + part)
                active_parts += 1
        share = active_parts / total_parts if total_parts else active_days / 5
        if share > 0:
            result.append((index, 1.0 if share == 1 else share, mask))
    return tuple(result)


def add_months(day: date, months: int) -> date:
    """Calendar month arithmetic, clamping the day (31 March - 1 month = 28/29 February)."""
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    last = _stdlib_calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def in_window(contract_start: date, reference: date, window_months: int) -> bool:
    """Whether a contract that started on `contract_start` counts for the chain at `reference`.

    The window is the `window_months` before the reference date: (reference - window, reference].
    """
    return add_months(reference, -window_months) < contract_start <= reference
