"""Background work of the substitute pool, run by the worker (`manage.py db_worker`).

- batch_task: one batch (engine run) for a pool, with progress on its core Job;
- housekeeping: expire offers past their time, widen release tiers, close requests whose period
  ended unfilled, and start the scheduled batch of every pool with auto_batch (once per working day).

`manage.py pool_housekeeping` runs the housekeeping now or enqueues it; the operator guide shows
how to schedule it.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django_tasks import task

from . import services
from .models import Batch, Pool


@task()
def batch_task(batch_id: int) -> dict:
    batch = Batch.objects.select_related("pool", "created_by").get(pk=batch_id)
    if batch.status != Batch.Status.RUNNING:
        return {"batch": batch.pk, "skipped": True}
    batch = services.batch_run(pool=batch.pool, actor=batch.created_by, batch=batch, scheduled=batch.is_scheduled)
    return {"batch": batch.pk, "status": batch.status}


def scheduled_batches_start(*, now: datetime | None = None) -> list[int]:
    """Start a batch for each active pool with auto_batch, on working days, at most once a day."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if today.weekday() >= 5:
        return []
    started = []
    for pool in Pool.objects.filter(is_active=True, auto_batch=True).order_by("pk"):
        if pool.batches.filter(is_scheduled=True, created_at__date=today).exists():
            continue
        if not services.batch_requests(pool, today=today).exists():
            continue
        try:
            batch = services.batch_start(pool=pool, actor=None, scheduled=True)
        except services.PoolError:
            continue  # a batch is running already; tomorrow is another day
        started.append(batch.pk)
    return started


def housekeeping_run(*, now: datetime | None = None, batches: bool = True) -> dict:
    now = now or timezone.now()
    result = {
        "offers_expired": services.offers_expire(now=now),
        "requests_released": services.release_tiers_widen(now=now),
        "requests_closed": services.requests_close_ended(today=timezone.localdate(now)),
        "batches_started": scheduled_batches_start(now=now) if batches else [],
    }
    return result


@task()
def housekeeping_task() -> dict:
    return housekeeping_run()
