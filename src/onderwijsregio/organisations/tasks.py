"""Background tasks of the organisations app, run by the worker (`manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task

from onderwijsregio.core.models import Job

from . import services


@task()
def duo_import_task(job_id: str, paths: list[str], area: list[str] | None = None) -> dict:
    """Import DUO files for a Job; the Job carries progress and the counts or rejected rows."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    return services.duo_import_run_job(
        job_id=job.pk, paths=paths, actor=job.created_by, area=set(area) if area else None
    )
