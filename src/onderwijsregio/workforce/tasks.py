"""Background tasks of strategic personnel planning, run by the worker (`manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def forecast_task(run_id: int) -> dict:
    """Background task: compute a forecast run (see `services.forecast_run`)."""
    return services.forecast_run(run_id=run_id)
