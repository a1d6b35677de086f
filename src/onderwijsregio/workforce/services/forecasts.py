"""Asking for a forecast and computing it: reuse a stored answer or queue a job, then run the engine.

A forecast is named by the key over its inputs (`selectors.input_key`): an unchanged question is
answered from the `ForecastRun` that already holds (or is computing) the answer; the database's
partial unique constraint on live runs makes that a rule even when two people ask at the same moment.
The inputs are frozen into the run when it is requested (`ForecastRun.inputs`): the worker computes
what was asked, even if someone edits an assumption while the job waits in the queue. The result is
stored as compact JSON (`compact_result`). Failures are kept on the run and its Job with a Dutch
message; the run's key is then free for a new attempt.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onderwijsregio.core.errors import actor_or_none
from onderwijsregio.core.jobs import job_create, job_enqueue, job_running
from onderwijsregio.core.services import audit_record
from onderwijsregio.organisations.models import Organisation

from .. import audit
from ..assumptions import assumptions_from_values
from ..engine import forecast
from ..engine.types import Forecast, PupilProjection
from ..engine.types import Scenario as EngineScenario
from ..engine_input import AGE_BANDS, SnapshotCounts, age_band_label, snapshot_counts, snapshot_records
from ..models import ForecastRun, Scenario
from ..selectors import (
    DEFAULT_HORIZON,
    DEFAULT_RUNS,
    DEFAULT_SEED,
    forecast_inputs,
    input_key,
    live_run,
    snapshot_rows_for_forecast,
)

JOB_KIND = "workforce_forecast"
METRICS = ("headcount", "supply", "demand", "gap", "retirements", "outflow", "inflow")
BAND_METRICS = ("supply", "demand", "gap")
GENDERS = ("v", "m", "x")
# Steps of our own around the engine's: reading the staff, and storing the result.
OWN_STEPS = 2


def run_label(organisation: Organisation, scenario: Scenario | None) -> str:
    return (
        _("Prognose %(organisation)s (%(scenario)s)")
        % {"organisation": organisation.name, "scenario": scenario.name if scenario else _("basis")}
    )[:255]


def forecast_request(
    *,
    subject_organisation: Organisation,
    scenario: Scenario | None,
    actor: Any,
    horizon: int = DEFAULT_HORIZON,
    runs: int = DEFAULT_RUNS,
    seed: int = DEFAULT_SEED,
) -> ForecastRun:
    """The run answering this question: a queued, running or finished one with the same inputs, or a new one.

    A new run gets a core Job and its task is queued when the transaction commits (a rolled-back
    request leaves no job for the worker). Raises ForecastUnavailable with a Dutch message.
    """
    inputs = forecast_inputs(
        organisation=subject_organisation, scenario=scenario, horizon=horizon, runs=runs, seed=seed
    )
    stored = inputs.as_json()
    key = input_key(stored)
    existing = live_run(key=key)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            job = job_create(
                kind=JOB_KIND,
                label=run_label(subject_organisation, scenario),
                created_by=actor,
                organisation_id=subject_organisation.pk,
            )
            run = ForecastRun(
                subject_organisation=subject_organisation,
                scenario=scenario,
                input_key=key,
                horizon=horizon,
                runs=runs,
                seed=seed,
                job=job,
                inputs=stored,
                created_by=actor_or_none(actor),
            )
            # The unique rule on live runs is left to the database (IntegrityError below), race included.
            run.full_clean(exclude=["job", "created_by"], validate_constraints=False)
            run.save()
            audit_record(
                actor=actor,
                action=audit.FORECAST_REQUESTED,
                obj=run,
                organisation_id=subject_organisation.pk,
                details={"scenario": scenario.pk if scenario else None, "runs": runs, "horizon": horizon},
            )
            job_enqueue(job=job, task=_forecast_task(), run_id=run.pk)
    except IntegrityError:
        # Someone asked the same question a moment earlier: theirs is the answer.
        existing = live_run(key=key)
        if existing is None:
            raise
        return existing
    return run


def _forecast_task() -> Any:
    # The task module calls this one, so it is imported when needed.
    from ..tasks import forecast_task

    return forecast_task


def forecast_run(*, run_id: int) -> dict:
    """Compute one ForecastRun for its Job (the task calls this; tests may call it directly).

    The worker computes exactly the inputs frozen into the run when it was requested (snapshots are
    immutable; assumptions, pupils and levers are copied into `ForecastRun.inputs`).
    """
    run = ForecastRun.objects.select_related("job", "created_by", "subject_organisation").get(pk=run_id)
    if run.status == ForecastRun.Status.SUCCEEDED:
        return {"run": run.pk, "status": run.status}
    started = time.perf_counter()
    ForecastRun.objects.filter(pk=run.pk).update(status=ForecastRun.Status.RUNNING)

    def failed(message: str) -> None:
        ForecastRun.objects.filter(pk=run.pk).update(
            status=ForecastRun.Status.FAILED, message=message, finished_at=timezone.now()
        )

    with job_running(
        run.job_id,
        failure=_("De prognose kon niet worden berekend"),
        hint=_("controleer de aannames en het personeelsbestand"),
        total=OWN_STEPS + 6,
        message=_("Personeelsgegevens lezen"),
        on_failure=failed,
    ) as job:
        inputs = run.inputs
        base = int(inputs["base_year"])
        snapshots = snapshot_rows_for_forecast(run=run)
        records = [record for snapshot in snapshots for record in snapshot_records(snapshot, base=base)]
        counts = snapshot_counts(snapshots, base=base)

        def progress(done: int, total: int) -> None:
            job.step(
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
        with transaction.atomic():
            ForecastRun.objects.filter(pk=run.pk).update(
                status=ForecastRun.Status.SUCCEEDED,
                result=stored,
                message="",
                wall_time_s=round(time.perf_counter() - started, 3),
                finished_at=timezone.now(),
            )
            job.finish(result={"forecast_run": run.pk}, message=_("Prognose klaar"))
    return {"run": run.pk, "status": ForecastRun.Status.SUCCEEDED}


# --- The stored result ---------------------------------------------------------------------------


def _r(values: np.ndarray) -> list:
    return np.round(np.asarray(values, dtype=float), 2).tolist()


def _paths(forecast: Forecast, rows: np.ndarray) -> dict[str, list[float]]:
    """Expected paths of the groups selected by a boolean mask, summed."""
    return {
        "headcount": _r(forecast.headcount[rows].sum(axis=0)),
        "supply": _r(forecast.supply_fte[rows].sum(axis=0)),
        "demand": _r(forecast.demand_fte[rows].sum(axis=0)),
        "gap": _r(forecast.gap_fte[rows].sum(axis=0)),
        "retirements": _r(forecast.retirements[rows].sum(axis=0)),
        "outflow": _r(forecast.other_outflow[rows].sum(axis=0)),
        "inflow": _r(forecast.inflow[rows].sum(axis=0)),
    }


def compact_result(forecast: Forecast, counts: SnapshotCounts) -> dict[str, Any]:
    """The forecast as compact JSON: expected paths per (function, subject), board and in total, the
    P10/P50/P90 bands of every aggregate, and the snapshot's persons for the age pyramid and suppression."""
    groups = forecast.groups
    every = np.ones(len(groups), dtype=bool)
    total = _paths(forecast, every) if len(groups) else {metric: [0.0] * len(forecast.years) for metric in METRICS}
    total["persons"] = counts.persons
    by_group = []
    for function, subject in sorted({(g.function, g.subject) for g in groups}):
        mask = np.array([g.function == function and g.subject == subject for g in groups])
        boards = counts.by_group_board.get((function, subject), {})
        by_group.append(
            {
                "function": function,
                "subject": subject,
                "persons": counts.by_group.get((function, subject), 0),
                "largest_board_persons": max(boards.values(), default=0),
                **_paths(forecast, mask),
            }
        )
    by_board = []
    for board_id in sorted({g.board_id for g in groups}):
        mask = np.array([g.board_id == board_id for g in groups])
        by_board.append({"board_id": board_id, **_paths(forecast, mask)})
    bands: dict[str, dict[str, Any]] = {}
    for name, band in forecast.bands.items():
        entry: dict[str, Any] = {"keys": [key if isinstance(key, str) else int(key) for key in band.keys]}
        for metric, array in (("supply", band.supply_fte), ("demand", band.demand_fte), ("gap", band.gap_fte)):
            # engine: (3 percentiles, keys, years) -> stored per key: (3, years)
            entry[metric] = _r(np.transpose(np.asarray(array), (1, 0, 2)))
        bands[name] = entry
    pyramid = [[counts.age_pyramid.get(index, {}).get(g, 0) for g in GENDERS] for index in range(len(AGE_BANDS))]
    largest = [
        [
            max((bands_of.get(index, {}).get(g, 0) for bands_of in counts.age_pyramid_by_board.values()), default=0)
            for g in GENDERS
        ]
        for index in range(len(AGE_BANDS))
    ]
    return {
        "years": [int(year) for year in forecast.years],
        "runs": int(forecast.runs),
        "seed": int(forecast.seed),
        "total": total,
        "by_function": {
            function: counts.by_function.get(function, 0) for function in ("teaching", "support", "management")
        },
        "by_group": by_group,
        "by_board": by_board,
        "bands": bands,
        "age_pyramid": {
            "bands": [age_band_label(band) for band in AGE_BANDS],
            "genders": list(GENDERS),
            "counts": pyramid,
            "largest_board": largest,
        },
    }


def engine_inputs(inputs: dict[str, Any]) -> tuple[PupilProjection, EngineScenario]:
    """The pupil projection and scenario frozen into a run (JSON keys back to ints)."""
    pupils = PupilProjection(
        by_board={
            int(board): {int(year): float(value) for year, value in years.items()}
            for board, years in inputs["pupils"].items()
        }
    )
    scenario = EngineScenario(name=inputs.get("scenario_name") or "basis", **inputs["levers"])
    return pupils, scenario
