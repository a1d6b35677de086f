"""The monthly figures of the monitoring dashboard, kept equal to the requests and hours (decision 22).

`RequestMonthFigures` and `RequestLocationFigures` hold, per pool and month in which replacements start,
the counts and hour sums of the requests by subject, reason, status and levels, and by school location and
status; `HoursMonthFigures` the confirmed hours per month (of the week's Monday) and receiving board;
`AssignmentMonthFigures` the planned lesson hours of the assignments per month, member and receiving board. They
are never updated by arithmetic on old values: a refresh recomputes the touched months from the requests
and hours themselves, inside the transaction of the service that changed them, so the figures are what the
rows say the moment that transaction commits, and a rebuild gives the same rows as the services.

Every change of a request calls `figures_touch`, of an hours entry `figures_touch_hours`, of an assignment
`figures_touch_assignment`. A service that changes several of them runs inside
`figures_kept()`: the touched months are then refreshed once, at the end, after all the row locks the
service takes, so the lock on a month's figures is always the last one taken and two services cannot wait
for each other. A touch outside `figures_kept()` refreshes at once (still correct, just not batched).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from contextlib import ContextDecorator
from contextvars import ContextVar
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum

from ..engine.calendar import add_months, working_days
from ..models import (
    Assignment,
    AssignmentMonthFigures,
    FiguresMonth,
    HoursEntry,
    HoursMonthFigures,
    Pool,
    ReplacementRequest,
    RequestLocationFigures,
    RequestMonthFigures,
)

FIGURE_TABLES = (RequestMonthFigures, RequestLocationFigures, HoursMonthFigures, AssignmentMonthFigures)
# What a touch names, so that a refresh recomputes only the rows it can have changed: the figures of one
# subject and one school location (a request), one receiving board (hours), one member (an assignment).
SUBJECT, LOCATION, BOARD, MEMBER = "subject", "location", "board", "member"
Part = tuple[str, int]
_touched: ContextVar[dict[tuple[int, date], set[Part]] | None] = ContextVar("pool_figures_touched", default=None)


def month_of(day: date) -> date:
    return day.replace(day=1)


def figures_refresh(*, pool_id: int, months: Iterable[date], parts: Iterable[Part] | None = None) -> None:
    """Recompute the stored figures of these months from the pool's rows (in the caller's transaction).

    `parts` limits the work to the figures of some subjects, school locations, boards and members (what
    the touches name); None recomputes the months whole.
    """
    wanted = sorted({month_of(month) for month in months})
    if not wanted:
        return
    for month in wanted:
        FiguresMonth.objects.get_or_create(pool_id=pool_id, month=month)
    # Lock the months (in order): a second refresh of the same month waits for this transaction and then
    # recomputes from what it committed, instead of both deleting and inserting side by side.
    locked = FiguresMonth.objects.select_for_update().filter(pool_id=pool_id, month__in=wanted)
    list(locked.order_by("month").values_list("pk", flat=True))
    keys: dict[str, set[int] | None] = {SUBJECT: None, LOCATION: None, BOARD: None, MEMBER: None}
    if parts is not None:
        keys = {kind: set() for kind in keys}
        for kind, key in parts:
            keys[kind].add(key)

    def only(queryset, field: str, kind: str):
        return queryset if keys[kind] is None else queryset.filter(**{f"{field}__in": keys[kind]})

    made: dict[type, list] = {model: [] for model in FIGURE_TABLES}
    for model, field, kind in (
        (RequestMonthFigures, "subject_id", SUBJECT),
        (RequestLocationFigures, "school_location_id", LOCATION),
        (HoursMonthFigures, "board_id", BOARD),
        (AssignmentMonthFigures, "member_id", MEMBER),
    ):
        if keys[kind] is None or keys[kind]:
            only(model.objects.filter(pool_id=pool_id, month__in=wanted), field, kind).delete()
    for month in wanted:
        last = add_months(month, 1) - timedelta(days=1)
        requests = ReplacementRequest.objects.filter(
            pool_id=pool_id, start_date__gte=month, start_date__lte=last
        ).order_by()
        if keys[SUBJECT] is None or keys[SUBJECT]:
            made[RequestMonthFigures] += [
                RequestMonthFigures(
                    pool_id=pool_id,
                    month=month,
                    subject_id=row["subject_id"],
                    reason=row["reason"],
                    status=row["status"],
                    levels=row["levels"],
                    requests=row["n"],
                    hours=row["hours"],
                    filled_hours=row["filled"],
                )
                for row in only(requests, "subject_id", SUBJECT)
                .values("subject_id", "reason", "status", "levels")
                .annotate(n=Count("pk"), hours=Sum("hours_per_week"), filled=Sum("filled_hours_per_week"))
            ]
        if keys[LOCATION] is None or keys[LOCATION]:
            made[RequestLocationFigures] += [
                RequestLocationFigures(
                    pool_id=pool_id,
                    month=month,
                    school_location_id=row["school_location_id"],
                    status=row["status"],
                    requests=row["n"],
                    hours=row["hours"],
                )
                for row in only(requests, "school_location_id", LOCATION)
                .values("school_location_id", "status")
                .annotate(n=Count("pk"), hours=Sum("hours_per_week"))
            ]
        if keys[BOARD] is None or keys[BOARD]:
            entries = HoursEntry.objects.filter(
                assignment__request__pool_id=pool_id,
                status=HoursEntry.Status.CONFIRMED,
                week_start__gte=month,
                week_start__lte=last,
            ).order_by()
            made[HoursMonthFigures] += [
                HoursMonthFigures(
                    pool_id=pool_id, month=month, board_id=row["assignment__request__board_id"], hours=row["h"]
                )
                for row in only(entries, "assignment__request__board_id", BOARD)
                .values("assignment__request__board_id")
                .annotate(h=Sum("hours"))
            ]
        if keys[MEMBER] is None or keys[MEMBER]:
            assignments = Assignment.objects.filter(
                request__pool_id=pool_id, start_date__lte=last, end_date__gte=month
            ).exclude(status=Assignment.Status.CANCELLED)
            made[AssignmentMonthFigures] += _planned_hours(pool_id, month, last, only(assignments, "member_id", MEMBER))
    for model, rows in made.items():
        model.objects.bulk_create(rows, batch_size=2000)


def _planned_hours(pool_id: int, month: date, last: date, assignments) -> list[AssignmentMonthFigures]:
    """Lesson hours of the assignments in the month, per member and receiving board (the utilisation's unit)."""
    totals: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for member_id, board_id, start, end, hours in assignments.order_by().values_list(
        "member_id", "request__board_id", "start_date", "end_date", "hours_per_week"
    ):
        totals[(member_id, board_id)] += hours * working_days(max(start, month), min(end, last)) / 5
    return [
        AssignmentMonthFigures(pool_id=pool_id, month=month, member_id=member_id, board_id=board_id, lesson_hours=value)
        for (member_id, board_id), value in totals.items()
    ]


def figures_touch(*, request: ReplacementRequest) -> None:
    """A request changed (or will: call it before a change that may move it to another month or subject)."""
    _touch(
        (request.pool_id, month_of(request.start_date)),
        [(SUBJECT, request.subject_id), (LOCATION, request.school_location_id)],
    )


def figures_touch_hours(*, entry: HoursEntry) -> None:
    """An hours entry changed (its figures count confirmed hours in the month of the week's Monday)."""
    request = entry.assignment.request
    _touch((request.pool_id, month_of(entry.week_start)), [(BOARD, request.board_id)])


def figures_touch_assignment(*, assignment: Assignment) -> None:
    """An assignment was made, stopped or cancelled (call before a change that shortens it): its months."""
    month, last = month_of(assignment.start_date), month_of(assignment.end_date)
    while month <= last:
        _touch((assignment.request.pool_id, month), [(MEMBER, assignment.member_id)])
        month = add_months(month, 1)


def _touch(key: tuple[int, date], parts: list[Part]) -> None:
    touched = _touched.get()
    if touched is None:
        figures_refresh(pool_id=key[0], months=[key[1]], parts=parts)
    else:
        touched.setdefault(key, set()).update(parts)


class figures_kept(ContextDecorator):
    """Collect the touches of a service and refresh them once when it ends without an error.

    Use inside the service's transaction (`@transaction.atomic` above `@figures_kept()`), so the refresh
    commits or rolls back with the change. Nested uses join the outermost one.
    """

    def _recreate_cm(self):
        # A fresh instance per call: the decorated service may run in several threads, or inside itself.
        return type(self)()

    def __enter__(self):
        self._token = _touched.set({}) if _touched.get() is None else None
        return self

    def __exit__(self, exc_type, exc, tb):
        if self._token is None:
            return False
        touched = _touched.get() or {}
        _touched.reset(self._token)
        if exc_type is None:
            # Month by month in order (the lock order), each with the parts touched in it.
            for (pool_id, month), parts in sorted(touched.items()):
                figures_refresh(pool_id=pool_id, months=[month], parts=parts)
        return False


def _months_with_rows(pool_id: int) -> set[date]:
    starts = ReplacementRequest.objects.filter(pool_id=pool_id).values_list("start_date", flat=True).distinct()
    weeks = (
        HoursEntry.objects.filter(assignment__request__pool_id=pool_id).values_list("week_start", flat=True).distinct()
    )
    months = {month_of(day) for day in [*starts, *weeks]}
    for start, end in Assignment.objects.filter(request__pool_id=pool_id).values_list("start_date", "end_date"):
        month = month_of(start)
        while month <= end:
            months.add(month)
            month = add_months(month, 1)
    return months


@transaction.atomic
def figures_rebuild(*, pool: Pool | None = None) -> int:
    """Throw the stored figures away and compute them again from the rows; returns the months stored.

    For `manage.py pool_figures` and data written around the services (bulk loads such as the benchmark's
    and the demo pool's past hours).
    """
    pools = [pool.pk] if pool is not None else list(Pool.objects.order_by("pk").values_list("pk", flat=True))
    stored = 0
    for pool_id in pools:
        months = _months_with_rows(pool_id)
        for model in FIGURE_TABLES:
            model.objects.filter(pool_id=pool_id).delete()
        FiguresMonth.objects.filter(pool_id=pool_id).exclude(month__in=months).delete()
        figures_refresh(pool_id=pool_id, months=months)
        stored += len(months)
    return stored


@transaction.atomic
def figures_differences(*, pool: Pool) -> list[str]:
    """Where the stored figures differ from a fresh computation (empty: they agree). For `pool_figures --check`."""

    def rows(model, fields) -> list[tuple[str, ...]]:
        return sorted(
            tuple(str(value) for value in row)
            for row in model.objects.filter(pool=pool).values_list("month", *fields).order_by()
        )

    tables = {
        "by subject": (
            RequestMonthFigures,
            ("subject_id", "reason", "status", "levels", "requests", "hours", "filled_hours"),
        ),
        "by location": (RequestLocationFigures, ("school_location_id", "status", "requests", "hours")),
        "hours": (HoursMonthFigures, ("board_id", "hours")),
        "planned": (AssignmentMonthFigures, ("member_id", "board_id", "lesson_hours")),
    }
    stored = {label: rows(model, fields) for label, (model, fields) in tables.items()}
    months = sorted(FiguresMonth.objects.filter(pool=pool).values_list("month", flat=True))
    fresh_months = _months_with_rows(pool.pk)
    problems = [f"{month:%Y-%m}: no stored figures" for month in sorted(fresh_months - set(months))]
    # Recompute in a savepoint that is rolled back: the stored rows stay as they were.
    sid = transaction.savepoint()
    try:
        figures_refresh(pool_id=pool.pk, months=fresh_months | set(months))
        fresh = {label: rows(model, fields) for label, (model, fields) in tables.items()}
    finally:
        transaction.savepoint_rollback(sid)
    for label in tables:
        if stored[label] != fresh[label]:
            problems.append(f"{label}: {len(set(stored[label]) ^ set(fresh[label]))} rows differ")
    return problems
