"""Background tasks of the organisations app, run by the worker (`manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task

from onderwijsregio.core.models import Job

from . import services


@task()
def duo_import_task(
    job_id: str, paths: list[str], area: list[str] | None = None, editable_regions: list[int] | None = None
) -> dict:
    """Import DUO files for a Job; the Job carries progress and the counts or rejected rows.

    `editable_regions` (fixed when the import started) limits what it may change; None: what the
    job's user may change now.
    """
    job = Job.objects.select_related("created_by").get(pk=job_id)
    return services.duo_import_run_job(
        job_id=job.pk,
        paths=paths,
        actor=job.created_by,
        area=set(area) if area else None,
        editable_regions=set(editable_regions) if editable_regions is not None else services.FROM_ACTOR,
    )
