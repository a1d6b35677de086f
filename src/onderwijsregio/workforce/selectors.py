"""Reads for strategic personnel planning: which boards and regions a user sees, their snapshots, forecasts.

Every function here returns only what the caller may see; views never build these querysets themselves.
Reading a snapshot's rows (pseudonymous personal data) is audited here, so every reader logs it.

A forecast is fully determined by its inputs: the snapshots (id and version), the pupil projection,
the region's assumption values and their version, the scenario's levers, horizon, runs, seed and the
engine's code. `input_key` is a SHA-256 over exactly those, so an unchanged question is answered
from the `ForecastRun` that already holds (or is computing) the answer (`services.forecasts`). The
summary the pages render from a stored result is kept in Django's cache under the same key, since a
stored result never changes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from onderwijsregio.core.services import audit_record
from onderwijsregio.loket.selectors import teachers_started_count
from onderwijsregio.organisations.models import Organisation, RegionMember

from . import assumptions as assumption_catalogue
from . import audit
from . import pupils as pupil_projection
from .engine_input import base_year
from .errors import ForecastUnavailable
from .models import AssumptionSet, ForecastRun, Scenario, StaffSnapshot
from .permissions import board_ids_managed, region_ids_managed, region_ids_viewable
from .scenarios import clean_levers

ROWS_PAGE_SIZE = 50


def visible_boards(*, user: Any) -> QuerySet[Organisation]:
    """Boards whose own detail (snapshots, rows, board forecast) the user may see: its HR, or an admin."""
    return Organisation.objects.filter(pk__in=board_ids_managed(user)).order_by("name")


def visible_regions(*, user: Any) -> QuerySet[Organisation]:
    """Regions whose aggregated figures the user may see (regional team, HR of a member board, admin)."""
    return Organisation.objects.filter(pk__in=region_ids_viewable(user)).order_by("name")


def managed_regions(*, user: Any) -> QuerySet[Organisation]:
    """Regions whose assumptions and scenarios the user may change (regional team, admin)."""
    return Organisation.objects.filter(pk__in=region_ids_managed(user)).order_by("name")


def snapshots_for_board(*, board: Organisation) -> QuerySet[StaffSnapshot]:
    """All versions of all reference dates of a board, newest first."""
    return StaffSnapshot.objects.filter(board=board).order_by("-reference_date", "-version")


def latest_snapshot(*, board: Organisation) -> StaffSnapshot | None:
    """The newest version of the board's latest reference date, or None."""
    return snapshots_for_board(board=board).first()


def region_board_ids(*, region: Organisation) -> list[int]:
    """Member boards of a region."""
    return list(
        RegionMember.objects.filter(region=region, member__kind=Organisation.Kind.BOARD)
        .order_by("member_id")
        .values_list("member_id", flat=True)
    )


def latest_snapshots_for_region(*, region: Organisation) -> list[StaffSnapshot]:
    """The latest snapshot of each member board of the region that has one, ordered by board name (two queries)."""
    latest: dict[int, int] = {}
    for pk, board_id in (
        StaffSnapshot.objects.filter(board_id__in=region_board_ids(region=region))
        .order_by("board_id", "-reference_date", "-version")
        .values_list("pk", "board_id")
    ):
        latest.setdefault(board_id, pk)
    snapshots = StaffSnapshot.objects.filter(pk__in=latest.values()).select_related("board")
    return sorted(snapshots, key=lambda s: (s.board.name, s.board_id))


def boards_with_snapshots(*, region: Organisation) -> int:
    """How many member boards of the region have at least one snapshot."""
    return (
        StaffSnapshot.objects.filter(board_id__in=region_board_ids(region=region)).values("board_id").distinct().count()
    )


def scenarios_for_owner(*, owner: Organisation) -> QuerySet[Scenario]:
    return Scenario.objects.filter(owner=owner).order_by("name")


def scenarios_usable_for(*, organisation: Organisation) -> QuerySet[Scenario]:
    """Scenarios a forecast of `organisation` can use: its own, and for a board also those of its regions."""
    owners = [organisation.pk]
    if organisation.kind == Organisation.Kind.BOARD:
        owners += list(RegionMember.objects.filter(member=organisation).values_list("region_id", flat=True))
    return Scenario.objects.filter(owner_id__in=owners).select_related("owner").order_by("owner__name", "name")


def snapshot_rows_page(*, user: Any, snapshot: StaffSnapshot, page: Any) -> Any:
    """One page of a snapshot's rows for its board's HR; the read of personal data is audited."""
    rows = snapshot.rows.select_related("school_location").order_by("line_number")
    page_obj = Paginator(rows, ROWS_PAGE_SIZE).get_page(page)
    audit_record(
        actor=user,
        action=audit.SNAPSHOT_ROWS_READ,
        obj=snapshot,
        organisation_id=snapshot.board_id,
        personal_data_read=True,
        details={"page": page_obj.number, "rows": len(page_obj.object_list)},
    )
    return page_obj


def snapshot_rows_for_forecast(*, run: ForecastRun) -> list[StaffSnapshot]:
    """The snapshots frozen into a forecast run, for the engine to read; the read is audited for the run."""
    snapshot_ids = [entry["id"] for entry in run.inputs["snapshots"]]
    snapshots = list(StaffSnapshot.objects.filter(pk__in=snapshot_ids).order_by("pk"))
    if len(snapshots) != len(snapshot_ids):
        raise ForecastUnavailable(_("Een personeelsbestand van deze prognose bestaat niet meer."))
    # The rows are pseudonymous personal data: reading them for a forecast is logged like any read.
    audit_record(
        actor=run.created_by,
        action=audit.SNAPSHOT_ROWS_READ,
        obj=run,
        organisation_id=run.subject_organisation_id,
        personal_data_read=True,
        details={"snapshots": snapshot_ids, "purpose": "forecast"},
    )
    return snapshots


AGE_BANDS = ((0, 24), (25, 29), (30, 34), (35, 39), (40, 44), (45, 49), (50, 54), (55, 59), (60, 64), (65, 120))


def age_band_label(band: tuple[int, int]) -> str:
    low, high = band
    if low == 0:
        return f"< {high + 1}"
    if high >= 120:
        return f"{low}+"
    return f"{low}-{high}"


@dataclass
class SnapshotSummary:
    heads: int
    fte: float
    mean_age: float | None
    mean_fte: float | None
    mean_absence: float | None
    absence_known: int
    planned_exits: int
    by_function: list[dict]
    by_contract: list[dict]
    pyramid: list[dict]  # oldest band first: label, v, m, x, total
    by_subject: list[dict]  # subject, name, heads, first, second, other


def snapshot_summary(*, snapshot: StaffSnapshot) -> SnapshotSummary:
    """Aggregates of one snapshot for its board's own pages (no row-level data)."""
    from onderwijsregio.organisations.models import Subject

    from .models import ContractType, Function, Gender

    rows = list(
        snapshot.rows.values_list(
            "birth_year", "gender", "function", "subjects", "fte", "contract_type", "absence_pct", "planned_exit_date"
        )
    )
    ref_year = snapshot.reference_date.year
    heads = len(rows)
    fte_total = float(sum((row[4] for row in rows), Decimal("0")))
    ages = [ref_year - row[0] for row in rows]
    absences = [float(row[6]) for row in rows if row[6] is not None]

    functions = []
    for value, label in Function.choices:
        selected = [row for row in rows if row[2] == value]
        functions.append(
            {"key": value, "label": label, "heads": len(selected), "fte": float(sum(r[4] for r in selected))}
        )
    contracts = []
    for value, label in ContractType.choices:
        selected = [row for row in rows if row[5] == value]
        contracts.append(
            {"key": value, "label": label, "heads": len(selected), "fte": float(sum(r[4] for r in selected))}
        )
    pyramid = []
    for band in reversed(AGE_BANDS):
        in_band = [row for row, age in zip(rows, ages, strict=True) if band[0] <= age <= band[1]]
        counts = {gender: sum(1 for row in in_band if row[1] == gender) for gender in Gender.values}
        pyramid.append({"label": age_band_label(band), **counts, "total": len(in_band)})
    subjects: dict[str, dict] = {}
    for row in rows:
        for item in row[3] or []:
            entry = subjects.setdefault(
                item.get("subject", ""),
                {"subject": item.get("subject", ""), "heads": 0, "first": 0, "second": 0, "other": 0},
            )
            entry["heads"] += 1
            degree = item.get("degree")
            entry["first" if degree == "first" else "second" if degree == "second" else "other"] += 1
    names = dict(Subject.objects.filter(code__in=list(subjects)).values_list("code", "name"))
    by_subject = sorted(
        ({**entry, "name": names.get(code, code)} for code, entry in subjects.items()),
        key=lambda e: (-e["heads"], e["name"]),
    )
    return SnapshotSummary(
        heads=heads,
        fte=fte_total,
        mean_age=(sum(ages) / heads) if heads else None,
        mean_fte=(fte_total / heads) if heads else None,
        mean_absence=(sum(absences) / len(absences)) if absences else None,
        absence_known=len(absences),
        planned_exits=sum(1 for row in rows if row[7] is not None),
        by_function=functions,
        by_contract=contracts,
        pyramid=pyramid,
        by_subject=by_subject,
    )


# --- Forecasts ---------------------------------------------------------------------------------

DEFAULT_SEED = 2026
DEFAULT_HORIZON = 10
DEFAULT_RUNS = 1000
LIVE = (ForecastRun.Status.QUEUED, ForecastRun.Status.RUNNING, ForecastRun.Status.SUCCEEDED)
SUMMARY_CACHE_SECONDS = 7 * 24 * 3600


def engine_version() -> str:
    """A fingerprint of the engine's source: changed engine code never answers from an old result."""
    digest = hashlib.sha256()
    for path in sorted((Path(__file__).parent / "engine").glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def is_region(organisation: Organisation) -> bool:
    return organisation.kind == Organisation.Kind.REGION


def assumption_region(*, organisation: Organisation) -> Organisation | None:
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


def snapshots_for(*, organisation: Organisation) -> list[StaffSnapshot]:
    if is_region(organisation):
        return latest_snapshots_for_region(region=organisation)
    snapshot = latest_snapshot(board=organisation)
    return [snapshot] if snapshot else []


def forecast_inputs(
    *,
    organisation: Organisation,
    scenario: Scenario | None,
    horizon: int = DEFAULT_HORIZON,
    runs: int = DEFAULT_RUNS,
    seed: int = DEFAULT_SEED,
) -> ForecastInputs:
    """Gather the current inputs of a forecast for a board or a region; ForecastUnavailable if it cannot run."""
    if scenario is not None and not scenarios_usable_for(organisation=organisation).filter(pk=scenario.pk).exists():
        raise ForecastUnavailable(_("Dit scenario hoort niet bij dit bestuur of deze regio."))
    snapshots = snapshots_for(organisation=organisation)
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
    region = assumption_region(organisation=organisation)
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
        values = {**values, SIDE_ENTRANTS: float(desk_inflow(organisation=organisation))}
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


def desk_inflow(*, organisation: Organisation, today: datetime | None = None) -> int:
    """Side-entrants and refugee teachers the candidate desk saw start at a school in the last 365 days."""
    since = (today or timezone.now()) - timedelta(days=365)
    if is_region(organisation):
        return teachers_started_count(since=since, region_id=organisation.pk)
    return teachers_started_count(since=since, board_id=organisation.pk)


def live_run(*, key: str) -> ForecastRun | None:
    return ForecastRun.objects.filter(input_key=key, status__in=LIVE).select_related("job").first()


def current_run(*, organisation: Organisation, scenario: Scenario | None) -> tuple[ForecastRun | None, bool]:
    """The run to show for a board or region and scenario, and whether it answers today's inputs.

    The run for the current inputs when there is one; otherwise the latest finished run of the
    same organisation and scenario, flagged as out of date (False). (None, False) when there is none.
    """
    try:
        inputs = forecast_inputs(organisation=organisation, scenario=scenario)
    except ForecastUnavailable:
        inputs = None
    if inputs is not None:
        run = live_run(key=input_key(inputs.as_json()))
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


def cached_summary(*, run: ForecastRun, regional: bool) -> dict[str, Any]:
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
