"""Writes of organisations: every change goes through here, atomic, validated and audited."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onderwijsregio.core.errors import DomainError, actor_or_none, version_check
from onderwijsregio.core.jobs import job_create, job_enqueue, job_running
from onderwijsregio.core.models import Job
from onderwijsregio.core.services import audit_record

from . import audit
from .importers import boards as board_parser
from .importers import duo as duo_parser
from .importers.duo import RowProblem
from .importers.reference import read_reference
from .importers.store import (
    OutOfScope,
    Refused,
    plan_within_regions,
    store_board_names,
    store_duo,
    store_reference,
)
from .models import (
    LabourMarketRegion,
    Municipality,
    NameSource,
    Organisation,
    RegionMember,
    RegionSchoolLocation,
    SchoolLocation,
    SubRegion,
)

EDITABLE_PROFILE_FIELDS = ("name", "website", "description")


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, actor: Any, expected_version: int | None = None, **changes: Any
) -> Organisation:
    """Change an organisation's profile (name, website, description).

    `expected_version` is the version the editor read (the page's hidden field, the API's If-Match);
    when someone else saved in between, StaleVersion is raised and nothing changes. None: no check.
    """
    unknown = set(changes) - set(EDITABLE_PROFILE_FIELDS)
    if unknown:
        raise DomainError(
            _("Deze velden kunnen niet worden gewijzigd: %(fields)s") % {"fields": ", ".join(sorted(unknown))},
            code="field_not_editable",
        )
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    version_check(locked, expected_version)
    before = {name: getattr(locked, name) for name in changes}
    name_before = {"name": locked.name, "source": locked.name_source, "source_detail": locked.name_source_detail}
    for name, value in changes.items():
        setattr(locked, name, value)
    if "name" in changes:
        # A board that names itself confirms (or corrects) the name: no import replaces it again.
        locked.name_is_provisional = False
        if locked.kind == Organisation.Kind.BOARD:
            locked.name_source = NameSource.BOARD
            locked.name_source_detail = ""
            locked.name_confirmed_at = timezone.now()
            locked.name_confirmed_by = actor_or_none(actor)
    locked.full_clean()
    locked.version += 1
    locked.save()
    audit_record(
        actor=actor,
        action=audit.ORGANISATION_UPDATED,
        obj=locked,
        organisation_id=locked.pk,
        details={"before": before, "after": {name: getattr(locked, name) for name in changes}},
    )
    if "name" in changes and locked.kind == Organisation.Kind.BOARD:
        audit_record(
            actor=actor,
            action=audit.BOARD_NAME_CONFIRMED,
            obj=locked,
            organisation_id=locked.pk,
            details={
                "before": name_before,
                "after": {"name": locked.name, "source": locked.name_source},
                "corrected": locked.name != name_before["name"],
            },
        )
    return locked


def board_name_confirm(
    *, board: Organisation, actor: Any, name: str | None = None, expected_version: int | None = None
) -> Organisation:
    """A board's HR (or the regional team) confirms the board's name as shown, or corrects it to `name`.

    The name then ranks above every import (decision 23). Refused for anything but a board.
    """
    if board.kind != Organisation.Kind.BOARD:
        raise DomainError(_("Alleen de naam van een schoolbestuur kan worden bevestigd."), code="not_a_board")
    return organisation_update(
        organisation=board, actor=actor, expected_version=expected_version, name=board.name if name is None else name
    )


@transaction.atomic
def region_member_add(
    *, region: Organisation, member: Organisation, role: str, actor: Any, is_applicant: bool = False
) -> RegionMember:
    if region.kind != Organisation.Kind.REGION:
        raise DomainError(_("Alleen een onderwijsregio kan deelnemers hebben."), code="not_a_region")
    if member.pk == region.pk:
        raise DomainError(_("Een onderwijsregio kan geen deelnemer van zichzelf zijn."), code="region_member_of_itself")
    region_member = RegionMember(
        region=region, member=member, role=role, is_applicant=is_applicant, joined_on=date.today()
    )
    region_member.full_clean()
    region_member.save()
    audit_record(actor=actor, action=audit.REGION_MEMBER_ADDED, obj=region_member, organisation_id=region.pk)
    return region_member


@transaction.atomic
def subregion_create(
    *, region: Organisation, name: str, municipalities: Iterable[Municipality], actor: Any
) -> SubRegion:
    municipalities = list(municipalities)
    # A municipality in two sub-regions would be counted twice (or arbitrarily once) in the analysis.
    taken = SubRegion.municipalities.through.objects.filter(
        subregion__region=region, municipality__in=municipalities
    ).select_related("municipality", "subregion")
    if taken:
        raise DomainError(
            {
                "municipalities": _("Deze gemeenten horen al bij een andere subregio: %(names)s")
                % {"names": ", ".join(f"{link.municipality} ({link.subregion})" for link in taken)}
            },
            code="municipality_in_other_subregion",
        )
    subregion = SubRegion(region=region, name=name)
    subregion.full_clean()
    subregion.save()
    subregion.municipalities.set(municipalities)
    audit_record(actor=actor, action=audit.REGION_SUBREGION_CREATED, obj=subregion, organisation_id=region.pk)
    return subregion


@transaction.atomic
def school_location_assign_region(
    *, school_location: SchoolLocation, region: Organisation, actor: Any, on: date | None = None
) -> RegionSchoolLocation:
    """Place a school location in a region, ending its current region (at most one at a time)."""
    on = on or timezone.localdate()
    current = (
        RegionSchoolLocation.objects.select_for_update()
        .filter(school_location=school_location, ended_on__isnull=True)
        .first()
    )
    if current is not None:
        if current.region_id == region.pk:
            return current
        current.ended_on = on
        current.save(update_fields=["ended_on"])
    link = RegionSchoolLocation(region=region, school_location=school_location, started_on=on)
    link.full_clean()
    link.save()
    audit_record(
        actor=actor,
        action=audit.REGION_SCHOOL_LOCATION_ASSIGNED,
        obj=school_location,
        organisation_id=region.pk,
        details={"region": region.pk, "previous_region": current.region_id if current else None},
    )
    return link


@transaction.atomic
def organisation_create(
    *,
    kind: str,
    name: str,
    slug: str,
    actor: Any,
    sectors: list[str] | None = None,
    website: str = "",
    description: str = "",
    is_synthetic: bool = False,
) -> Organisation:
    """Register an organisation that DUO's files do not give us (a region, an institute, ...)."""
    organisation = Organisation(
        kind=kind,
        name=name,
        slug=slug,
        sectors=sectors or [],
        website=website,
        description=description,
        is_synthetic=is_synthetic,
    )
    organisation.full_clean()
    organisation.save()
    audit_record(actor=actor, action=audit.ORGANISATION_CREATED, obj=organisation, organisation_id=organisation.pk)
    return organisation


# --- Reference data and DUO import -------------------------------------------------------------
#
# The import services are deliberately not @transaction.atomic as a whole: progress must be
# visible to other connections while files are read and checked, so only the write phase is
# one atomic block (nothing is written when any row is rejected).

ProgressCallback = Callable[[int, int, str], None]


class DuoImportRejected(DomainError):
    """A DUO import wrote nothing because rows were rejected; `report` lists every one."""

    default_code = "duo_import_rejected"

    def __init__(self, report: DuoImportReport) -> None:
        super().__init__(
            ngettext("%(count)s rij afgekeurd", "%(count)s rijen afgekeurd", len(report.errors))
            % {"count": len(report.errors)}
        )
        self.report = report


@dataclass
class DuoImportReport:
    files: list[dict] = field(default_factory=list)
    errors: list[RowProblem] = field(default_factory=list)
    notices: list[RowProblem] = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "files": self.files,
            "counts": self.counts,
            "errors": [error.as_dict() for error in self.errors],
            "notices": [notice.as_dict() for notice in self.notices],
        }


@transaction.atomic
def reference_import(*, actor: Any = None, data_dir: Path | None = None) -> dict:
    """Labour-market regions, municipalities and PC4 centroids from data/geo/ (idempotent)."""
    data = read_reference(Path(data_dir) if data_dir else Path(settings.DATA_DIR) / "geo")
    counts = store_reference(data).as_dict()
    audit_record(actor=actor, action=audit.REFERENCE_IMPORTED, details={"counts": counts})
    return counts


def area_municipality_codes(
    *, municipality_codes: list[str] | None = None, labour_market_regions: list[str] | None = None
) -> set[str] | None:
    """The CBS codes of an area given as municipalities and/or labour-market regions; None = all."""
    if not municipality_codes and not labour_market_regions:
        return None
    codes: set[str] = set()
    if municipality_codes:
        wanted = {code.strip().zfill(4) for code in municipality_codes if code.strip()}
        known = set(Municipality.objects.filter(cbs_code__in=wanted).values_list("cbs_code", flat=True))
        if wanted - known:
            raise DomainError(
                _("Onbekende gemeentecode(s): %(codes)s") % {"codes": ", ".join(sorted(wanted - known))},
                code="unknown_municipality",
            )
        codes |= known
    if labour_market_regions:
        wanted = {code.strip().upper() for code in labour_market_regions if code.strip()}
        known = set(LabourMarketRegion.objects.filter(code__in=wanted).values_list("code", flat=True))
        if wanted - known:
            raise DomainError(
                _("Onbekende arbeidsmarktregio('s): %(codes)s") % {"codes": ", ".join(sorted(wanted - known))},
                code="unknown_labour_market_region",
            )
        codes |= set(
            Municipality.objects.filter(labour_market_region__code__in=known).values_list("cbs_code", flat=True)
        )
    return codes


# `duo_import(editable_regions=...)` left out: work out from the actor what it may change.
FROM_ACTOR: Any = object()


def duo_import_scope(*, actor: Any) -> set[int] | None:
    """The regions whose reference data `actor` may change by import; None: every region.

    The command line (no actor) and the platform administrator change everything; a regional
    team only the school locations and boards of its own regions.
    """
    if actor is None or actor.has_perm("organisations.change_reference_data"):
        return None
    return {
        region.pk
        for region in Organisation.objects.filter(kind=Organisation.Kind.REGION)
        if actor.has_perm("organisations.manage_region", region)
    }


def _boards_in_regions(region_ids: set[int]) -> set[int]:
    """The boards a regional team may rename by import: members of its regions or with a location there."""
    return set(RegionMember.objects.filter(region_id__in=region_ids).values_list("member_id", flat=True)) | set(
        RegionSchoolLocation.objects.filter(region_id__in=region_ids, ended_on__isnull=True).values_list(
            "school_location__board_id", flat=True
        )
    )


def _refused_notice(refused: Refused) -> RowProblem:
    record = refused.record
    values = {"code": refused.code, "board": refused.board_number}
    if refused.why == OutOfScope.NEW_LOCATION:
        reason = _(
            "niet aangemaakt: vestiging %(code)s valt buiten uw regio (ze staat nog in geen regio); "
            "alleen een platformbeheerder kan vestigingen aanmaken"
        )
    elif refused.why == OutOfScope.BOARD_OUTSIDE:
        reason = _(
            "ongewijzigd gelaten: vestiging %(code)s zou overgaan naar bestuur %(board)s, dat buiten uw regio valt; "
            "alleen een platformbeheerder kan dat wijzigen"
        )
    else:
        reason = _(
            "ongewijzigd gelaten: vestiging %(code)s valt buiten uw regio; alleen een platformbeheerder kan haar "
            "gegevens wijzigen"
        )
    return RowProblem(record.file, record.line, reason % values)


def duo_import(
    *,
    paths: list[str | Path],
    actor: Any = None,
    area: set[str] | None = None,
    year: int | None = None,
    progress: ProgressCallback | None = None,
    display_names: list[str] | None = None,
    editable_regions: set[int] | None = FROM_ACTOR,
) -> DuoImportReport:
    """Import DUO files: check every row first, then write all of it in one transaction or nothing.

    Raises DuoImportRejected (with the full report) when any row is rejected. `area` limits the
    import to those municipality codes. `progress(done, total, message)` is called every
    ~200 rows while reading, outside any transaction.

    `editable_regions` are the regions whose school locations (and their boards and pupil
    counts) the import may change, None for all; by default `duo_import_scope(actor=actor)`.
    A row that would change anything else is left alone and listed in the report's notices
    with its line: the rest of the file is still imported.
    """
    if editable_regions is FROM_ACTOR:
        editable_regions = duo_import_scope(actor=actor)
    municipality_codes = set(Municipality.objects.values_list("cbs_code", flat=True))
    report = DuoImportReport()
    if not municipality_codes:
        report.errors.append(
            RowProblem("", 0, _("Er zijn nog geen gemeenten: draai eerst 'manage.py import_reference'."))
        )
        raise DuoImportRejected(report)

    totals = [duo_parser.count_lines(path) for path in paths]
    total = sum(totals)
    parsed_files = []
    board_files: list[board_parser.ParsedBoardFile] = []
    offset = 0
    for number, path in enumerate(paths):
        name = display_names[number] if display_names else Path(path).name
        message = _("Controleren: %(file)s") % {"file": name}
        if progress:
            progress(offset, total, message)

        def report_rows(rows: int, offset=offset, message=message, limit=totals[number]) -> None:
            if progress:
                progress(offset + min(rows, limit), total, message)

        if board_parser.is_board_file(path):
            # Board files name the boards; they hold no locations, so the area does not apply to them.
            parsed_board = board_parser.parse_board_file(path, display_name=name)
            board_files.append(parsed_board)
            report.files.append(parsed_board.summary())
            report.errors.extend(parsed_board.errors)
            offset += totals[number]
            continue
        parsed = duo_parser.parse_file(
            path, municipality_codes=municipality_codes, area=area, year=year, progress=report_rows, display_name=name
        )
        parsed_files.append(parsed)
        report.files.append(parsed.summary())
        report.errors.extend(parsed.errors)
        report.notices.extend(parsed.notices)
        offset += totals[number]
    if report.errors:
        raise DuoImportRejected(report)

    if progress:
        progress(total, total, _("Wegschrijven"))
    plan = duo_parser.merge(parsed_files)
    with transaction.atomic():
        scoped = plan_within_regions(plan, editable_regions) if editable_regions is not None else None
        if scoped is not None:
            plan = scoped.plan
        report.counts = store_duo(plan).as_dict()
        if board_files:
            # After the locations, so that boards this run creates get their names too.
            report.counts["board_names"] = store_board_names(
                board_parser.merge_boards(board_files),
                board_ids=_boards_in_regions(editable_regions) if editable_regions is not None else None,
            ).as_dict()
        if scoped is not None:
            report.counts["school_locations"]["unchanged"] += scoped.unchanged_locations
            report.counts["pupil_counts"]["unchanged"] += scoped.unchanged_counts
            summaries = {summary["file"]: summary for summary in report.files}
            for refused in scoped.refused:
                report.notices.append(_refused_notice(refused))
                if refused.record.file in summaries:
                    summaries[refused.record.file]["outside_region"] += 1
        audit_record(
            actor=actor,
            action=audit.DUO_IMPORTED,
            details={
                "files": report.files,
                "counts": report.counts,
                "area": sorted(area) if area else None,
                "regions": sorted(editable_regions) if editable_regions is not None else None,
            },
        )
    return report


def duo_import_run_job(
    *,
    job_id: Any,
    paths: list[str | Path],
    actor: Any = None,
    area: set[str] | None = None,
    display_names: list[str] | None = None,
    editable_regions: set[int] | None = FROM_ACTOR,
) -> dict:
    """Run a DUO import for a core.Job: progress on the Job, counts or every rejected row in its result.

    Rejected rows end the job as failed with the rejected rows in its result; anything unexpected
    fails it with a Dutch hint (the technical detail stays in the job's result) and is raised again.
    """
    total = sum(duo_parser.count_lines(path) for path in paths)
    with job_running(
        job_id,
        failure=_("Import afgebroken"),
        hint=_("controleer de bestanden en probeer het opnieuw"),
        total=total,
        message=_("Bestanden lezen"),
    ) as job:

        def progress(done: int, total: int, message: str) -> None:
            job.step(done=min(done, total), total=total, message=message)

        try:
            report = duo_import(
                paths=paths,
                actor=actor,
                area=area,
                progress=progress,
                display_names=display_names,
                editable_regions=editable_regions,
            )
        except DuoImportRejected as rejected:
            job.fail(message=" ".join(rejected.messages), result=rejected.report.as_dict())
            return rejected.report.as_dict()
        job.finish(result=report.as_dict(), message=_("Import klaar"))
    return report.as_dict()


def duo_import_start(*, paths: list[str | Path], actor: Any, organisation_id: int | None = None) -> Job:
    """Queue a DUO import as a background job; the worker (`manage.py db_worker`) runs it.

    The regions the import may change are fixed now, from the user who starts it, so that the
    worker never widens them (for example when that account is gone by the time it runs).
    """
    from .tasks import duo_import_task

    scope = duo_import_scope(actor=actor)
    names = ", ".join(Path(path).name for path in paths)
    job = job_create(
        kind="duo_import",
        label=(_("DUO-import: %(files)s") % {"files": names})[:255],
        created_by=actor,
        organisation_id=organisation_id,
    )
    job_enqueue(
        job=job,
        task=duo_import_task,
        job_id=str(job.pk),
        paths=[str(path) for path in paths],
        editable_regions=sorted(scope) if scope is not None else None,
    )
    job.refresh_from_db()
    return job
