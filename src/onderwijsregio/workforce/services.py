"""Writes of strategic personnel planning: every change atomic, validated and in the audit log.

A snapshot upload stores everything or nothing: the file is validated whole first
(`importers.parse_snapshot`), and the snapshot with all its rows is written in one transaction.
Versions count per (board, reference date); the board's row is locked while numbering, so two
uploads at the same moment get different versions. Callers check permissions (views do).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from onderwijsregio.core.errors import StaleVersion, version_check
from onderwijsregio.core.services import audit_record
from onderwijsregio.organisations.models import Organisation, SchoolLocation

from . import assumptions as assumption_catalogue
from .importers import ParseResult, Problem, parse_snapshot
from .models import AssumptionSet, PupilForecast, Scenario, StaffRow, StaffSnapshot
from .scenarios import LEVERS_BY_KEY, validate_levers

MAX_PUPILS = 100_000
BULK_BATCH = 1000


class SnapshotRejected(ValidationError):
    """The file has problems; nothing was stored. `problems` lists every one with line and column."""

    def __init__(self, result: ParseResult) -> None:
        self.result = result
        self.problems: list[Problem] = result.problems
        super().__init__(
            _("Het bestand is afgekeurd: %(count)s problemen gevonden. Er is niets opgeslagen.")
            % {"count": len(result.problems)}
        )


def _actor(actor: Any) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _require_board(board: Organisation) -> None:
    if board.kind != Organisation.Kind.BOARD:
        raise ValidationError(_("Een personeelsbestand hoort bij een schoolbestuur."))


def _require_region(region: Organisation) -> None:
    if region.kind != Organisation.Kind.REGION:
        raise ValidationError(_("Aannames horen bij een onderwijsregio."))


def _read(file: Any) -> tuple[bytes, str]:
    if isinstance(file, bytes | bytearray):
        return bytes(file), ""
    name = getattr(file, "name", "") or ""
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read(), name.rsplit("/", 1)[-1]


def _next_version(board: Organisation, reference_date: date) -> int:
    # Lock the board row: concurrent uploads for this board wait here, so versions never collide.
    Organisation.objects.select_for_update().filter(pk=board.pk).first()
    latest = StaffSnapshot.objects.filter(board=board, reference_date=reference_date).aggregate(v=Max("version"))["v"]
    return (latest or 0) + 1


def snapshot_upload(
    *,
    board: Organisation,
    reference_date: date,
    file: Any,
    actor: Any,
    filename: str = "",
    note: str = "",
) -> StaffSnapshot:
    """Validate the whole file and store it as the next version for (board, date), or raise SnapshotRejected."""
    _require_board(board)
    data, name = _read(file)
    filename = (filename or name)[:255]
    result = parse_snapshot(data, filename, board=board, reference_date=reference_date)
    if not result.ok:
        raise SnapshotRejected(result)
    return _snapshot_store(
        board=board,
        reference_date=reference_date,
        rows=result.rows,
        actor=actor,
        filename=filename,
        note=note,
        is_synthetic=False,
        file_kind=result.file_kind,
    )


@transaction.atomic
def _snapshot_store(
    *,
    board: Organisation,
    reference_date: date,
    rows: list[dict[str, Any]],
    actor: Any,
    filename: str,
    note: str,
    is_synthetic: bool,
    file_kind: str = "",
) -> StaffSnapshot:
    version = _next_version(board, reference_date)
    snapshot = StaffSnapshot(
        board=board,
        reference_date=reference_date,
        version=version,
        source_filename=filename,
        row_count=len(rows),
        total_fte=sum((Decimal(row["fte"]) for row in rows), Decimal("0")).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        ),
        is_synthetic=is_synthetic,
        note=note[:300],
        uploaded_by=_actor(actor),
    )
    snapshot.full_clean()
    snapshot.save()
    StaffRow.objects.bulk_create([StaffRow(snapshot=snapshot, **row) for row in rows], batch_size=BULK_BATCH)
    audit_record(
        actor=actor,
        action="workforce.snapshot_uploaded",
        obj=snapshot,
        organisation_id=board.pk,
        details={
            "reference_date": reference_date.isoformat(),
            "version": version,
            "rows": len(rows),
            "total_fte": str(snapshot.total_fte),
            "file_kind": file_kind,
            "is_synthetic": is_synthetic,
        },
    )
    return snapshot


def snapshot_store_rows(
    *,
    board: Organisation,
    reference_date: date,
    rows: list[dict[str, Any]],
    actor: Any = None,
    note: str = "",
    is_synthetic: bool = True,
) -> StaffSnapshot:
    """Store already validated rows (the synthetic demo generator uses this)."""
    _require_board(board)
    return _snapshot_store(
        board=board,
        reference_date=reference_date,
        rows=rows,
        actor=actor,
        filename="",
        note=note,
        is_synthetic=is_synthetic,
    )


@transaction.atomic
def snapshot_delete(*, snapshot: StaffSnapshot, actor: Any) -> None:
    """Remove a snapshot with all its rows; the audit log keeps that it existed."""
    audit_record(
        actor=actor,
        action="workforce.snapshot_deleted",
        obj=snapshot,
        organisation_id=snapshot.board_id,
        details={
            "reference_date": snapshot.reference_date.isoformat(),
            "version": snapshot.version,
            "rows": snapshot.row_count,
        },
    )
    snapshot.delete()


@transaction.atomic
def pupil_forecast_set(*, location: SchoolLocation, year: int, pupils: int | None, actor: Any) -> PupilForecast | None:
    """Enter (or with pupils=None remove) the expected pupils of a location in a year."""
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("Kies een jaar van 2000 tot en met 2100.")})
    existing = PupilForecast.objects.select_for_update().filter(school_location=location, year=year).first()
    if pupils is None:
        if existing is not None:
            existing.delete()
            audit_record(
                actor=actor,
                action="workforce.pupil_forecast_removed",
                object_type="workforce.pupilforecast",
                object_id=f"{location.vestiging_code}-{year}",
                object_repr=f"{location} {year}",
                organisation_id=location.board_id,
                details={"year": int(year)},
            )
        return None
    if not 0 <= int(pupils) <= MAX_PUPILS:
        raise ValidationError({"pupils": _("Vul een aantal leerlingen van 0 tot en met 100.000 in.")})
    forecast = existing or PupilForecast(school_location=location, year=year)
    previous = forecast.pupils if existing else None
    forecast.pupils = int(pupils)
    forecast.entered_by = _actor(actor)
    forecast.full_clean()
    forecast.save()
    audit_record(
        actor=actor,
        action="workforce.pupil_forecast_set",
        obj=forecast,
        organisation_id=location.board_id,
        details={"year": int(year), "pupils": int(pupils), "previous": previous},
    )
    return forecast


@transaction.atomic
def assumptions_update(
    *, region: Organisation, values: dict[str, Any], actor: Any, expected_version: int | None
) -> AssumptionSet:
    """Change some or all of a region's assumptions (display units).

    `expected_version` is the version the user saw (0 when the region had none stored yet); when someone
    else saved in between, StaleVersion is raised and nothing changes.
    """
    _require_region(region)
    errors = assumption_catalogue.validate_values(values)
    if errors:
        raise ValidationError(errors)
    assumption_set = AssumptionSet.objects.select_for_update().filter(region=region).first()
    current = assumption_set.version if assumption_set else 0
    stale = _("Iemand anders heeft de aannames intussen gewijzigd. Bekijk de nieuwe waarden; er is niets overschreven.")
    if assumption_set is not None:
        version_check(assumption_set, expected_version, stale)
    elif expected_version not in (None, 0):
        # Nothing stored yet is version 0: a page that showed stored values is out of date.
        raise StaleVersion(stale)
    before = assumption_catalogue.clean_values(assumption_set.values if assumption_set else None)
    after = dict(before)
    after.update({key: float(value) for key, value in values.items()})
    changed = sorted(key for key in after if after[key] != before[key])
    if assumption_set is None:
        assumption_set = AssumptionSet(region=region, version=1)
    else:
        assumption_set.version = current + 1
    assumption_set.values = after
    assumption_set.updated_by = _actor(actor)
    assumption_set.save()
    audit_record(
        actor=actor,
        action="workforce.assumptions_updated",
        obj=assumption_set,
        organisation_id=region.pk,
        details={"changed": {key: [before[key], after[key]] for key in changed}, "version": assumption_set.version},
    )
    return assumption_set


def _check_levers(levers: dict[str, Any]) -> dict[str, float]:
    errors = validate_levers(levers)
    if errors:
        raise ValidationError(errors)
    return {key: float(value) for key, value in levers.items() if key in LEVERS_BY_KEY}


def _check_name(owner: Organisation, name: str, exclude_pk: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Geef het scenario een naam.")})
    clash = Scenario.objects.filter(owner=owner, name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": _("Er is al een scenario met deze naam.")})
    return name


@transaction.atomic
def scenario_create(
    *, owner: Organisation, name: str, levers: dict[str, Any], actor: Any, description: str = ""
) -> Scenario:
    if owner.kind not in (Organisation.Kind.BOARD, Organisation.Kind.REGION):
        raise ValidationError(_("Een scenario hoort bij een schoolbestuur of een onderwijsregio."))
    scenario = Scenario(
        owner=owner,
        name=_check_name(owner, name),
        description=description.strip(),
        levers=_check_levers(levers),
        created_by=_actor(actor),
    )
    scenario.full_clean()
    try:
        with transaction.atomic():
            scenario.save()
    except IntegrityError as error:
        raise ValidationError({"name": _("Er is al een scenario met deze naam.")}) from error
    audit_record(
        actor=actor,
        action="workforce.scenario_created",
        obj=scenario,
        organisation_id=owner.pk,
        details={"levers": scenario.levers},
    )
    return scenario


@transaction.atomic
def scenario_update(
    *,
    scenario: Scenario,
    actor: Any,
    expected_version: int | None = None,
    name: str | None = None,
    description: str | None = None,
    levers: dict[str, Any] | None = None,
) -> Scenario:
    locked = Scenario.objects.select_for_update().get(pk=scenario.pk)
    version_check(
        locked,
        expected_version,
        _("Iemand anders heeft dit scenario intussen gewijzigd. Laad de pagina opnieuw; er is niets overschreven."),
    )
    if name is not None:
        locked.name = _check_name(locked.owner, name, exclude_pk=locked.pk)
    if description is not None:
        locked.description = description.strip()
    if levers is not None:
        locked.levers = _check_levers(levers)
    locked.full_clean()
    locked.version += 1
    locked.save()
    audit_record(
        actor=actor,
        action="workforce.scenario_updated",
        obj=locked,
        organisation_id=locked.owner_id,
        details={"levers": locked.levers, "version": locked.version},
    )
    return locked


@transaction.atomic
def scenario_delete(*, scenario: Scenario, actor: Any) -> None:
    audit_record(
        actor=actor,
        action="workforce.scenario_deleted",
        obj=scenario,
        organisation_id=scenario.owner_id,
        details={"levers": scenario.levers},
    )
    scenario.delete()
