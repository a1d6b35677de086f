"""Background work of the substitute pool, run by the worker (`manage.py db_worker`).

- batch_task: one batch (engine run) for a pool, with progress on its core Job;
- housekeeping_task: `services.housekeeping_run` (expire offers past their time, widen release tiers,
  close requests whose period ended unfilled, start the scheduled batch of every pool with auto_batch).

`manage.py pool_housekeeping` runs the housekeeping now or enqueues it; the operator guide shows
how to schedule it.
"""

from __future__ import annotations

from django_tasks import task

from . import services
from .models import Batch


@task()
def batch_task(batch_id: int) -> dict:
    batch = Batch.objects.select_related("pool", "created_by").get(pk=batch_id)
    if batch.status != Batch.Status.RUNNING:
        return {"batch": batch.pk, "skipped": True}
    batch = services.batch_run(pool=batch.pool, actor=batch.created_by, batch=batch, scheduled=batch.is_scheduled)
    return {"batch": batch.pk, "status": batch.status}


@task()
def housekeeping_task() -> dict:
    return services.housekeeping_run()
