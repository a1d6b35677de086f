"""Fill the monthly figures of the monitor (decision 21) from the requests and hours already there.

Written against the historical models (not `services.figures`, which may change later); it groups the
rows exactly as `figures_refresh` does.
"""

from django.db import migrations
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth


def fill(apps, schema_editor):
    ReplacementRequest = apps.get_model("pool", "ReplacementRequest")
    FiguresMonth = apps.get_model("pool", "FiguresMonth")
    RequestMonthFigures = apps.get_model("pool", "RequestMonthFigures")
    RequestLocationFigures = apps.get_model("pool", "RequestLocationFigures")
    HoursEntry = apps.get_model("pool", "HoursEntry")
    HoursMonthFigures = apps.get_model("pool", "HoursMonthFigures")

    def month_of(value):
        return (value.date() if hasattr(value, "date") and callable(value.date) else value).replace(day=1)

    requests = ReplacementRequest.objects.order_by().annotate(m=TruncMonth("start_date"))
    entries = HoursEntry.objects.order_by().annotate(m=TruncMonth("week_start"), pool_id=F("assignment__request__pool_id"))
    months = {(row["pool_id"], month_of(row["m"])) for row in requests.values("pool_id", "m").distinct()}
    months |= {(row["pool_id"], month_of(row["m"])) for row in entries.values("pool_id", "m").distinct()}
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
    for name in ("RequestMonthFigures", "RequestLocationFigures", "HoursMonthFigures", "FiguresMonth"):
        apps.get_model("pool", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("pool", "0002_monitoring_figures")]

    operations = [migrations.RunPython(fill, empty)]
