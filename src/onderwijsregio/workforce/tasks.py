"""The forecast job: run the engine for a queued ForecastRun on the worker, with progress on its Job.

The worker computes exactly the inputs frozen into the run when it was requested (snapshots are
immutable; assumptions, pupils and levers are copied into `ForecastRun.inputs`). Failures are kept
on the run and its Job with a Dutch message; the run's key is then free for a new attempt.
"""

from __future__ import annotations

import time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from onderwijsregio.core.services import audit_record, job_fail, job_finish, job_progress, job_start

from .assumptions import assumptions_from_values
from .engine import forecast
from .engine_input import snapshot_counts, snapshot_records
from .forecasting import ForecastUnavailable, compact_result, engine_inputs
from .models import ForecastRun, StaffSnapshot

# Steps of our own around the engine's: reading the staff, and storing the result.
OWN_STEPS = 2


def forecast_run(run_id: int) -> dict:
    """Compute one ForecastRun (called by the task; tests may call it directly)."""
    run = ForecastRun.objects.select_related("job", "created_by", "subject_organisation").get(pk=run_id)
    if run.status == ForecastRun.Status.SUCCEEDED:
        return {"run": run.pk, "status": run.status}
    job_id = run.job_id
    started = time.perf_counter()
    ForecastRun.objects.filter(pk=run.pk).update(status=ForecastRun.Status.RUNNING)
    if job_id:
        job_start(job_id=job_id, total=OWN_STEPS + 6, message=_("Personeelsgegevens lezen"))
    try:
        inputs = run.inputs
        snapshot_ids = [entry["id"] for entry in inputs["snapshots"]]
        snapshots = list(StaffSnapshot.objects.filter(pk__in=snapshot_ids).order_by("pk"))
        if len(snapshots) != len(snapshot_ids):
            raise ForecastUnavailable(_("Een personeelsbestand van deze prognose bestaat niet meer."))
        base = int(inputs["base_year"])
        records = [record for snapshot in snapshots for record in snapshot_records(snapshot, base=base)]
        counts = snapshot_counts(snapshots, base=base)
        # The rows are pseudonymous personal data: reading them for a forecast is logged like any read.
        audit_record(
            actor=run.created_by,
            action="workforce.snapshot_rows_read",
            obj=run,
            organisation_id=run.subject_organisation_id,
            personal_data_read=True,
            details={"snapshots": snapshot_ids, "purpose": "forecast"},
        )

        def progress(done: int, total: int) -> None:
            if job_id:
                job_progress(
                    job_id=job_id,
                    done=1 + done,
                    total=OWN_STEPS + total,
                    message=_("Prognose berekenen (stap %(done)s van %(total)s)") % {"done": done, "total": total},
                )

        pupils, scenario = engine_inputs(inputs)
        result = forecast(
            records,
            pupils,
            assumptions_from_values(inputs["assumption_values"], base),
            scenario,
            horizon=run.horizon,
            runs=run.runs,
            seed=run.seed,
            progress=progress,
        )
        stored = compact_result(result, counts)
    except Exception as error:
        # Every failure reaches the user in Dutch; the technical detail goes to the job's result and the log.
        reason = (
            str(error)
            if isinstance(error, ForecastUnavailable)
            else _("controleer de aannames en het personeelsbestand")
        )
        message = (_("De prognose kon niet worden berekend: %(reason)s.") % {"reason": reason.rstrip(".")})[:500]
        ForecastRun.objects.filter(pk=run.pk).update(
            status=ForecastRun.Status.FAILED, message=message, finished_at=timezone.now()
        )
        if job_id:
            job_fail(job_id=job_id, message=message, result={"error": f"{type(error).__name__}: {error}"[:1000]})
        raise
    with transaction.atomic():
        ForecastRun.objects.filter(pk=run.pk).update(
            status=ForecastRun.Status.SUCCEEDED,
            result=stored,
            message="",
            wall_time_s=round(time.perf_counter() - started, 3),
            finished_at=timezone.now(),
        )
        if job_id:
            job_finish(job_id=job_id, result={"forecast_run": run.pk}, message=_("Prognose klaar"))
    return {"run": run.pk, "status": ForecastRun.Status.SUCCEEDED}


@task()
def forecast_task(run_id: int) -> dict:
    """Background task: compute a forecast run (see `forecast_run`)."""
    return forecast_run(run_id)
