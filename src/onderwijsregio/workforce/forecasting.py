"""Asking for a forecast: gather the inputs, name them with a key, reuse a stored answer or queue a job.

A forecast is fully determined by its inputs: the snapshots (id and version), the pupil projection,
the region's assumption values and their version, the scenario's levers, horizon, runs, seed and the
engine's code. `input_key` is a SHA-256 over exactly those, so an unchanged question is answered
from the `ForecastRun` that already holds (or is computing) the answer; the database's partial
unique constraint on live runs makes that a rule even when two people ask at the same moment. A
new snapshot version, another assumption or a changed lever gives a new key and a new run.

The inputs are frozen into the run when it is requested (`ForecastRun.inputs`): the worker computes
what was asked, even if someone edits an assumption while the job waits in the queue. The result is
stored as compact JSON (`compact_result`); the summary the pages render from it is kept in Django's
cache under the same key, since a stored result never changes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onderwijsregio.core.services import audit_record, job_attach_task, job_create
from onderwijsregio.loket.selectors import teachers_started_count
from onderwijsregio.organisations.models import Organisation, RegionMember

from . import assumptions as assumption_catalogue
from . import pupils as pupil_projection
from .engine.types import Forecast, PupilProjection
from .engine.types import Scenario as EngineScenario
from .engine_input import AGE_BANDS, SnapshotCounts, age_band_label, base_year
from .models import AssumptionSet, ForecastRun, Scenario, StaffSnapshot
from .scenarios import clean_levers
from .selectors import latest_snapshot, latest_snapshots_for_region, scenarios_usable_for

JOB_KIND = "workforce_forecast"
DEFAULT_SEED = 2026
DEFAULT_HORIZON = 10
DEFAULT_RUNS = 1000
LIVE = (ForecastRun.Status.QUEUED, ForecastRun.Status.RUNNING, ForecastRun.Status.SUCCEEDED)
METRICS = ("headcount", "supply", "demand", "gap", "retirements", "outflow", "inflow")
BAND_METRICS = ("supply", "demand", "gap")
GENDERS = ("v", "m", "x")
SUMMARY_CACHE_SECONDS = 7 * 24 * 3600


class ForecastUnavailable(Exception):
    """The forecast cannot be asked for (no snapshot, a scenario of someone else); the text is Dutch."""


@lru_cache(maxsize=1)
def engine_version() -> str:
    """A fingerprint of the engine's source: changed engine code never answers from an old result."""
    digest = hashlib.sha256()
    for path in sorted((Path(__file__).parent / "engine").glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def is_region(organisation: Organisation) -> bool:
    return organisation.kind == Organisation.Kind.REGION


def assumption_region(organisation: Organisation) -> Organisation | None:
    """Whose assumptions apply: a region's own; for a board those of its (first, by name) region."""
    if is_region(organisation):
        return organisation
    member = (
        RegionMember.objects.filter(member=organisation, region__kind=Organisation.Kind.REGION)
        .select_related("region")
        .order_by("region__name", "region_id")
        .first()
    )
    return member.region if member else None


@dataclass
class ForecastInputs:
    """Everything a forecast depends on, in JSON-able form (stored on the run as `inputs`)."""

    organisation: Organisation
    scenario: Scenario | None
    snapshots: list[StaffSnapshot]
    base_year: int
    region: Organisation | None
    assumption_values: dict[str, float]
    assumption_version: int
    side_entrants_source: str  # "region": the region's own figure; "desk": counted at the candidate desk
    levers: dict[str, float]
    pupils: dict[int, dict[int, float]]
    horizon: int
    runs: int
    seed: int
    engine: str = field(default_factory=engine_version)

    @property
    def is_synthetic(self) -> bool:
        return any(snapshot.is_synthetic for snapshot in self.snapshots)

    def as_json(self) -> dict[str, Any]:
        return {
            "organisation_id": self.organisation.pk,
            "organisation_kind": self.organisation.kind,
            "scenario_id": self.scenario.pk if self.scenario else None,
            "scenario_name": self.scenario.name if self.scenario else "",
            "snapshots": [
                {
                    "id": snapshot.pk,
                    "board_id": snapshot.board_id,
                    "reference_date": snapshot.reference_date.isoformat(),
                    "version": snapshot.version,
                    "is_synthetic": snapshot.is_synthetic,
                    "row_count": snapshot.row_count,
                }
                for snapshot in self.snapshots
            ],
            "base_year": self.base_year,
            "region_id": self.region.pk if self.region else None,
            "assumption_values": {key: self.assumption_values[key] for key in sorted(self.assumption_values)},
            "assumption_version": self.assumption_version,
            "side_entrants_source": self.side_entrants_source,
            "levers": {key: self.levers[key] for key in sorted(self.levers)},
            "pupils": {
                str(board): {str(year): round(float(value), 3) for year, value in sorted(years.items())}
                for board, years in sorted(self.pupils.items())
            },
            "horizon": self.horizon,
            "runs": self.runs,
            "seed": self.seed,
            "engine_version": self.engine,
            "is_synthetic": self.is_synthetic,
        }


def input_key(inputs: dict[str, Any]) -> str:
    """SHA-256 over the inputs that determine the answer (JSON with sorted keys).

    The scenario's id is part of it so a page about scenario X never shows a run labelled Y that
    happens to have the same levers; its name is not, so renaming a scenario keeps its results.
    """
    material = {key: value for key, value in inputs.items() if key not in ("scenario_name", "is_synthetic")}
    material["snapshots"] = [
        {key: snapshot[key] for key in ("id", "board_id", "reference_date", "version")}
        for snapshot in inputs["snapshots"]
    ]
    encoded = json.dumps(material, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(encoded.encode()).hexdigest()


def snapshots_for(organisation: Organisation) -> list[StaffSnapshot]:
    if is_region(organisation):
        return latest_snapshots_for_region(organisation)
    snapshot = latest_snapshot(organisation)
    return [snapshot] if snapshot else []


def forecast_inputs(
    organisation: Organisation,
    scenario: Scenario | None,
    *,
    horizon: int = DEFAULT_HORIZON,
    runs: int = DEFAULT_RUNS,
    seed: int = DEFAULT_SEED,
) -> ForecastInputs:
    """Gather the current inputs of a forecast for a board or a region; ForecastUnavailable if it cannot run."""
    if scenario is not None and not scenarios_usable_for(organisation).filter(pk=scenario.pk).exists():
        raise ForecastUnavailable(_("Dit scenario hoort niet bij dit bestuur of deze regio."))
    snapshots = snapshots_for(organisation)
    if not snapshots:
        if is_region(organisation):
            raise ForecastUnavailable(
                _(
                    "Nog geen enkel bestuur in deze regio heeft een personeelsbestand geüpload; een prognose kan nog niet."
                )
            )
        raise ForecastUnavailable(_("Upload eerst een personeelsbestand; zonder personeel is er niets te voorspellen."))
    # A region's boards may have uploaded on different dates; the newest sets the base year and older
    # snapshots are taken as they are for that year (their people are a year older, nobody has left).
    year = max(base_year(snapshot) for snapshot in snapshots)
    region = assumption_region(organisation)
    assumption_set = AssumptionSet.objects.filter(region=region).first() if region else None
    board_ids = [snapshot.board_id for snapshot in snapshots]
    if is_region(organisation):
        projection = pupil_projection.board_projection(board_ids, year, horizon, region=organisation)
    else:
        projection = pupil_projection.board_projection(board_ids, year, horizon)
    values = assumption_catalogue.values_for(region)
    source = "region"
    region_set_it = region is not None and SIDE_ENTRANTS in assumption_catalogue.overridden_keys(region)
    if not region_set_it:
        # The region has not set its own figure: take the candidate desk's pipeline of the last 12 months
        # (side-entrants and refugee teachers who started at a school), for this board or the whole region.
        values = {**values, SIDE_ENTRANTS: float(desk_inflow(organisation))}
        source = "desk"
    return ForecastInputs(
        organisation=organisation,
        scenario=scenario,
        snapshots=snapshots,
        base_year=year,
        region=region,
        assumption_values=values,
        assumption_version=assumption_set.version if assumption_set else 0,
        side_entrants_source=source,
        levers=clean_levers(scenario.levers if scenario else None),
        pupils={board: dict(years) for board, years in projection.by_board.items()},
        horizon=int(horizon),
        runs=int(runs),
        seed=int(seed),
    )


SIDE_ENTRANTS = "side_entrants_per_year"


def desk_inflow(organisation: Organisation, *, today=None) -> int:
    """Side-entrants and refugee teachers the candidate desk saw start at a school in the last 365 days."""
    since = (today or timezone.now()) - timedelta(days=365)
    if is_region(organisation):
        return teachers_started_count(since=since, region_id=organisation.pk)
    return teachers_started_count(since=since, board_id=organisation.pk)


def run_label(organisation: Organisation, scenario: Scenario | None) -> str:
    return (
        _("Prognose %(organisation)s (%(scenario)s)")
        % {"organisation": organisation.name, "scenario": scenario.name if scenario else _("basis")}
    )[:255]


def live_run(key: str) -> ForecastRun | None:
    return ForecastRun.objects.filter(input_key=key, status__in=LIVE).select_related("job").first()


def forecast_request(
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
    inputs = forecast_inputs(subject_organisation, scenario, horizon=horizon, runs=runs, seed=seed)
    stored = inputs.as_json()
    key = input_key(stored)
    existing = live_run(key)
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
            authenticated = actor is not None and getattr(actor, "is_authenticated", False)
            run = ForecastRun(
                subject_organisation=subject_organisation,
                scenario=scenario,
                input_key=key,
                horizon=horizon,
                runs=runs,
                seed=seed,
                job=job,
                inputs=stored,
                created_by=actor if authenticated else None,
            )
            # The unique rule on live runs is left to the database (IntegrityError below), race included.
            run.full_clean(exclude=["job", "created_by"], validate_constraints=False)
            run.save()
            audit_record(
                actor=actor,
                action="workforce.forecast_requested",
                obj=run,
                organisation_id=subject_organisation.pk,
                details={"scenario": scenario.pk if scenario else None, "runs": runs, "horizon": horizon},
            )
            transaction.on_commit(lambda: _enqueue(run.pk, job.pk))
    except IntegrityError:
        # Someone asked the same question a moment earlier: theirs is the answer.
        existing = live_run(key)
        if existing is None:
            raise
        return existing
    return run


def _enqueue(run_id: int, job_id) -> None:
    from onderwijsregio.core.models import Job

    from .tasks import forecast_task

    result = forecast_task.enqueue(run_id=run_id)
    job_attach_task(job=Job(pk=job_id), task_result_id=str(result.id))


def current_run(organisation: Organisation, scenario: Scenario | None) -> tuple[ForecastRun | None, bool]:
    """The run to show for a board or region and scenario, and whether it answers today's inputs.

    The run for the current inputs when there is one; otherwise the latest finished run of the
    same organisation and scenario, flagged as out of date (False). (None, False) when there is none.
    """
    try:
        inputs = forecast_inputs(organisation, scenario)
    except ForecastUnavailable:
        inputs = None
    if inputs is not None:
        run = live_run(input_key(inputs.as_json()))
        if run is not None:
            return run, True
    older = (
        ForecastRun.objects.filter(
            subject_organisation=organisation, scenario=scenario, status=ForecastRun.Status.SUCCEEDED
        )
        .select_related("job")
        .order_by("-finished_at", "-pk")
        .first()
    )
    return older, False


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


def cached_summary(run: ForecastRun, *, regional: bool) -> dict[str, Any]:
    """The summary the pages and exports render (reports.summarise), cached by input key: a result never changes."""
    from django.utils.translation import get_language

    from .reports import summarise

    # Labels in the summary are translated: one entry per language.
    key = f"workforce:forecast-summary:v1:{run.input_key}:{'region' if regional else 'board'}:{get_language()}"
    summary = cache.get(key)
    if summary is None:
        summary = summarise(run.result, regional=regional)
        cache.set(key, summary, SUMMARY_CACHE_SECONDS)
    return summary
