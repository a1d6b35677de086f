"""Fill the monthly figures of the monitor (decision 22) from the requests, hours and assignments there.

Written against the historical models (not `services.figures`, which may change later); it groups the
rows exactly as `figures_refresh` does.
"""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.db import migrations
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth


def working_days(start, end):
    """Monday-Friday dates in start..end: a copy of engine.calendar.working_days, frozen with this migration."""
    if end < start:
        return 0
    full_weeks, rest = divmod((end - start).days + 1, 7)
    return full_weeks * 5 + sum(1 for offset in range(rest) if (start.weekday() + offset) % 7 < 5)


def add_month(month):
    return month.replace(year=month.year + 1, month=1) if month.month == 12 else month.replace(month=month.month + 1)


def fill(apps, schema_editor):
    ReplacementRequest = apps.get_model("pool", "ReplacementRequest")
    FiguresMonth = apps.get_model("pool", "FiguresMonth")
    RequestMonthFigures = apps.get_model("pool", "RequestMonthFigures")
    RequestLocationFigures = apps.get_model("pool", "RequestLocationFigures")
    HoursEntry = apps.get_model("pool", "HoursEntry")
    HoursMonthFigures = apps.get_model("pool", "HoursMonthFigures")
    Assignment = apps.get_model("pool", "Assignment")
    AssignmentMonthFigures = apps.get_model("pool", "AssignmentMonthFigures")

    def month_of(value):
        return (value.date() if hasattr(value, "date") and callable(value.date) else value).replace(day=1)

    requests = ReplacementRequest.objects.order_by().annotate(m=TruncMonth("start_date"))
    entries = HoursEntry.objects.order_by().annotate(m=TruncMonth("week_start"), pool_id=F("assignment__request__pool_id"))
    months = {(row["pool_id"], month_of(row["m"])) for row in requests.values("pool_id", "m").distinct()}
    months |= {(row["pool_id"], month_of(row["m"])) for row in entries.values("pool_id", "m").distinct()}
    # Planned lesson hours per month, member and receiving board, of the assignments that were not cancelled.
    planned = defaultdict(Decimal)
    for pool_id, member_id, board_id, start, end, hours in (
        Assignment.objects.exclude(status="cancelled")
        .order_by()
        .values_list("request__pool_id", "member_id", "request__board_id", "start_date", "end_date", "hours_per_week")
    ):
        month = start.replace(day=1)
        while month <= end:
            last = add_month(month) - timedelta(days=1)
            planned[(pool_id, month, member_id, board_id)] += hours * working_days(max(start, month), min(end, last)) / 5
            months.add((pool_id, month))
            month = add_month(month)
    for start, end, pool_id in Assignment.objects.filter(status="cancelled").values_list(
        "start_date", "end_date", "request__pool_id"
    ):
        month = start.replace(day=1)
        while month <= end:
            months.add((pool_id, month))
            month = add_month(month)
    AssignmentMonthFigures.objects.bulk_create(
        [
            AssignmentMonthFigures(pool_id=p, month=m, member_id=member, board_id=board, lesson_hours=value)
            for (p, m, member, board), value in planned.items()
        ],
        batch_size=2000,
    )
    FiguresMonth.objects.bulk_create(
        [FiguresMonth(pool_id=pool_id, month=month) for pool_id, month in sorted(months)], batch_size=2000
    )
    RequestMonthFigures.objects.bulk_create(
        [
            RequestMonthFigures(
                pool_id=row["pool_id"],
                month=month_of(row["m"]),
                subject_id=row["subject_id"],
                reason=row["reason"],
                status=row["status"],
                levels=row["levels"],
                requests=row["n"],
                hours=row["hours"],
                filled_hours=row["filled"],
            )
            for row in requests.values("pool_id", "m", "subject_id", "reason", "status", "levels").annotate(
                n=Count("pk"), hours=Sum("hours_per_week"), filled=Sum("filled_hours_per_week")
            )
        ],
        batch_size=2000,
    )
    RequestLocationFigures.objects.bulk_create(
        [
            RequestLocationFigures(
                pool_id=row["pool_id"],
                month=month_of(row["m"]),
                school_location_id=row["school_location_id"],
                status=row["status"],
                requests=row["n"],
                hours=row["hours"],
            )
            for row in requests.values("pool_id", "m", "school_location_id", "status").annotate(
                n=Count("pk"), hours=Sum("hours_per_week")
            )
        ],
        batch_size=2000,
    )


    HoursMonthFigures.objects.bulk_create(
        [
            HoursMonthFigures(
                pool_id=row["pool_id"], month=month_of(row["m"]), board_id=row["assignment__request__board_id"], hours=row["h"]
            )
            for row in entries.filter(status="confirmed")
            .values("pool_id", "m", "assignment__request__board_id")
            .annotate(h=Sum("hours"))
        ],
        batch_size=2000,
    )


def empty(apps, schema_editor):
    for name in (
        "RequestMonthFigures",
        "RequestLocationFigures",
        "HoursMonthFigures",
        "AssignmentMonthFigures",
        "FiguresMonth",
    ):
        apps.get_model("pool", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("pool", "0002_monitoring_figures")]

    operations = [migrations.RunPython(fill, empty)]
