"""Pages of organisations: regions and their analysis, boards, school locations, region management
and the DUO import.

Regions, boards, school locations and pupil counts are public DUO data, so their pages need no
login. Changes go through organisations.services; permissions are asked of request.user.has_perm
(django-rules, registered by the accounts app) so this app does not import accounts.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from onderwijsregio.core.forms import add_service_errors
from onderwijsregio.core.guards import require_perm
from onderwijsregio.core.models import Job

from . import charts, selectors, services
from .forms import (
    BoardFilterForm,
    BoardNameForm,
    BoardProfileForm,
    DistanceForm,
    DuoImportForm,
    RegionMemberAddForm,
    SchoolLocationFilterForm,
    SectorFilterForm,
    SubRegionCreateForm,
    bundled_duo_files,
)
from .models import NameSource, Organisation, RegionMember, SchoolLocation, Sector, VoLevel

PAGE_SIZE = 50
IMPORT_JOB_KINDS = ("duo_import",)


def _page(request: HttpRequest, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _count_date(year: int | None) -> str:
    # DUO counts pupils on 1 October; the label names the teldatum as the sources do.
    return _("1 oktober %(year)s") % {"year": year} if year else ""


def _format_number(value: float) -> str:
    # Charts write numbers as the page does, in the reader's language.
    return number_format(value, decimal_pos=0 if float(value).is_integer() else 1, force_grouping=True)


# --- Regions -----------------------------------------------------------------------------------


def region_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.regions_overview()
    sector_labels = dict(Sector.choices)
    for row in rows:
        row.sector_labels = [str(sector_labels.get(code, code)) for code in (row.region.sectors or [])]
        row.uncounted = row.location_count - row.pupils.locations if row.latest_year else 0
    return render(request, "organisations/region_list.html", {"rows": rows})


def _members_by_role(region: Organisation) -> list[tuple[str, list[RegionMember]]]:
    grouped: dict[str, list[RegionMember]] = {role: [] for role in RegionMember.Role.values}
    for member in selectors.region_members(region=region):
        grouped.setdefault(member.role, []).append(member)
    labels = dict(RegionMember.Role.choices)
    return [(str(labels.get(role, role)), members) for role, members in grouped.items() if members]


def _series_rows(analysis: selectors.RegionAnalysis, keys: list[str]):
    """Rows (year, [PupilTotal or None per key]) for the table next to the line chart."""
    return [(year, [analysis.series.get(key, {}).get(year) for key in keys]) for year in analysis.years]


def region_detail(request: HttpRequest, slug: str) -> HttpResponse:
    region = get_object_or_404(selectors.regions(), slug=slug)
    filter_form = SectorFilterForm(request.GET or None)
    sector = filter_form.cleaned_data["sector"] if filter_form.is_valid() else ""
    analysis = selectors.region_analysis(region=region, sector=sector or None)
    # Locations without a count in the latest year are shown as such, not silently left out.
    for row in [analysis.total, *analysis.by_sector, *analysis.by_municipality, *analysis.by_subregion]:
        row.uncounted = row.locations - row.pupils.locations

    sector_labels = {code: str(label) for code, label in Sector.choices}
    series_keys = [row.key for row in analysis.by_sector]
    # A total over the years only means something when every sector was counted in the same
    # years; otherwise it jumps where a sector's series starts (DUO publishes VO for fewer years).
    years_per_sector = {frozenset(analysis.series.get(key, {})) for key in series_keys}
    total_over_years = len(series_keys) > 1 and len(years_per_sector) == 1
    if total_over_years:
        series_keys.append("total")
    series_labels = {**sector_labels, "total": _("Totaal")}
    year_labels = [str(year) for year in analysis.years]
    series_rows = _series_rows(analysis, series_keys)
    line_chart = charts.line_chart(
        year_labels,
        [
            charts.Series(
                label=series_labels.get(key, key),
                values=[totals[index].known if totals[index] else None for _year, totals in series_rows],
            )
            for index, key in enumerate(series_keys)
        ],
        chart_id="leerlingen-per-jaar",
        title=_("Leerlingen per jaar en sector in %(region)s") % {"region": region.name},
        description=_(
            "Bekende leerlingaantallen op 1 oktober van elk jaar. De tabel onder de grafiek geeft dezelfde "
            "cijfers, met het aantal vestigingen met minder dan 5 leerlingen."
        ),
        empty_text=_("Geen leerlingaantallen bekend."),
        number_format=_format_number,
    )
    municipality_chart = charts.bar_chart(
        [(row.label, row.pupils.known) for row in analysis.by_municipality],
        chart_id="leerlingen-per-gemeente",
        title=_("Leerlingen per gemeente in %(region)s, %(date)s")
        % {"region": region.name, "date": _count_date(analysis.latest_year)},
        description=_("Bekende leerlingaantallen per gemeente. De tabel ernaast geeft dezelfde cijfers."),
        empty_text=_("Geen leerlingaantallen bekend."),
        number_format=_format_number,
    )
    context = {
        "region": region,
        "filter_form": filter_form,
        "sector": sector,
        "sector_label": sector_labels.get(sector, ""),
        "analysis": analysis,
        "count_date": _count_date(analysis.latest_year),
        "series_keys": series_keys,
        "total_over_years_omitted": len(series_keys) > 1 and not total_over_years,
        "series_headers": [series_labels.get(key, key) for key in series_keys],
        "series_rows": series_rows,
        # organisations.charts escapes every text it is given, so its markup is safe.
        "line_chart": mark_safe(line_chart),
        "municipality_chart": mark_safe(municipality_chart),
        "outside_subregions": (
            analysis.total.locations - sum(row.locations for row in analysis.by_subregion)
            if analysis.by_subregion
            else 0
        ),
        "members_by_role": _members_by_role(region),
        "can_manage": request.user.has_perm("organisations.manage_region", region),
    }
    return render(request, "organisations/region_detail.html", context)


def _managed_region(request: HttpRequest, slug: str) -> Organisation:
    region = get_object_or_404(selectors.regions(), slug=slug)
    require_perm(request, "organisations.manage_region", region, hide=True)
    return region


@require_http_methods(["GET", "POST"])
def region_manage(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    region = _managed_region(request, slug)
    action = request.POST.get("action") if request.method == "POST" else None
    member_form = RegionMemberAddForm(request.POST if action == "add_member" else None, region=region, prefix="lid")
    subregion_form = SubRegionCreateForm(
        request.POST if action == "create_subregion" else None, region=region, prefix="subregio"
    )
    if action == "add_member" and member_form.is_valid():
        try:
            added = services.region_member_add(
                region=region,
                member=member_form.cleaned_data["organisation"],
                role=member_form.cleaned_data["role"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(member_form, error)
        else:
            messages.success(request, _("%(name)s is toegevoegd aan de regio.") % {"name": added.member.name})
            return redirect("organisations:region_manage", slug=region.slug)
    elif action == "create_subregion" and subregion_form.is_valid():
        try:
            created = services.subregion_create(
                region=region,
                name=subregion_form.cleaned_data["name"],
                municipalities=subregion_form.cleaned_data["municipalities"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(subregion_form, error)
        else:
            messages.success(request, _("Subregio %(name)s is aangemaakt.") % {"name": created.name})
            return redirect("organisations:region_manage", slug=region.slug)
    elif request.method == "POST" and action not in {"add_member", "create_subregion"}:
        messages.error(request, _("Onbekende actie; er is niets gewijzigd."))
    subregions = region.subregions.prefetch_related("municipalities").order_by("name")
    return render(
        request,
        "organisations/region_manage.html",
        {
            "region": region,
            "members_by_role": _members_by_role(region),
            "subregions": subregions,
            "member_form": member_form,
            "subregion_form": subregion_form,
        },
    )


# --- Boards ------------------------------------------------------------------------------------


def board_list(request: HttpRequest) -> HttpResponse:
    form = BoardFilterForm(request.GET or None)
    region, query = None, ""
    if form.is_valid():
        region = form.cleaned_data["region"]
        query = form.cleaned_data["q"]
    page = _page(request, selectors.board_search(region=region, query=query))
    return render(
        request,
        "organisations/board_list.html",
        {"form": form, "page": page, "region": region, "query": query},
    )


def _with_level_labels(locations):
    labels = dict(VoLevel.choices)
    for location in locations:
        location.level_labels = [str(labels.get(level, level)) for level in location.vo_levels or []]
    return locations


def board_detail(request: HttpRequest, pk: int) -> HttpResponse:
    board = get_object_or_404(selectors.boards(), pk=pk)
    locations = _with_level_labels(
        list(selectors.with_latest_pupils(locations=selectors.board_school_locations(board=board)))
    )
    return render(
        request,
        "organisations/board_detail.html",
        {
            "board": board,
            "locations": locations,
            "memberships": selectors.board_regions(board=board),
            "can_edit": request.user.has_perm("organisations.change_organisation", board),
            "can_confirm_name": request.user.has_perm("organisations.confirm_board_name", board),
        },
    )


@require_http_methods(["GET", "POST"])
def board_name_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The board's HR or the regional team confirms the board's name, or corrects it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    board = get_object_or_404(selectors.boards(), pk=pk)
    require_perm(request, "organisations.confirm_board_name", board, hide=True)
    form = BoardNameForm(
        request.POST if request.method == "POST" else None, initial={"name": board.name, "version": board.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.board_name_confirm(
                board=board,
                actor=request.user,
                name=form.cleaned_data["name"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("De naam %(name)s is bevestigd.") % {"name": form.cleaned_data["name"]})
            return redirect("organisations:board_detail", pk=board.pk)
    return render(request, "organisations/board_name.html", {"board": board, "form": form})


@require_http_methods(["GET", "POST"])
def board_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    board = get_object_or_404(selectors.boards(), pk=pk)
    # Not telling others which boards exist for editing is not the point (boards are public);
    # a 404 keeps the answer the same as for any page a user has no business on.
    require_perm(request, "organisations.change_organisation", board, hide=True)
    initial = {
        "name": board.name,
        "website": board.website,
        "description": board.description,
        "version": board.version,
    }
    form = BoardProfileForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        name_confirmable=board.name_rank_source != NameSource.BOARD,
    )
    if request.method == "POST" and form.is_valid():
        # Only what changed goes to the service: saving a description must not silently confirm
        # a provisional name the board never looked at.
        changes = form.changes(board)
        if not changes:
            messages.info(request, _("Er is niets gewijzigd."))
            return redirect("organisations:board_detail", pk=board.pk)
        try:
            services.organisation_update(
                organisation=board, actor=request.user, expected_version=form.cleaned_data["version"], **changes
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Het profiel van %(name)s is opgeslagen.") % {"name": form.cleaned_data["name"]}
            )
            return redirect("organisations:board_detail", pk=board.pk)
    return render(request, "organisations/board_edit.html", {"board": board, "form": form})


# --- School locations --------------------------------------------------------------------------


def school_location_list(request: HttpRequest) -> HttpResponse:
    form = SchoolLocationFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        filters = {
            "region": form.cleaned_data["region"],
            "sector": form.cleaned_data["sector"],
            "municipality": form.cleaned_data["municipality"],
            "level": form.cleaned_data["level"],
            "query": form.cleaned_data["q"],
        }
    page = _page(request, selectors.school_location_search(**filters))
    _with_level_labels(page.object_list)
    return render(
        request,
        "organisations/school_location_list.html",
        {"form": form, "page": page},
    )


def school_location_detail(request: HttpRequest, vestiging_code: str) -> HttpResponse:
    location = get_object_or_404(
        SchoolLocation.objects.select_related("board", "municipality", "municipality__labour_market_region"),
        vestiging_code=vestiging_code.upper(),
    )
    _with_level_labels([location])
    distance_form = DistanceForm(request.GET if "postcode" in request.GET else None)
    distance = None
    distance_unknown = False
    if distance_form.is_valid():
        distance = selectors.pc4_distance_km(from_pc4=distance_form.cleaned_data["postcode"], to_pc4=location.pc4)
        distance_unknown = distance is None
    return render(
        request,
        "organisations/school_location_detail.html",
        {
            "location": location,
            "region": selectors.region_of_school_location(school_location=location),
            "pupil_counts": selectors.school_location_pupil_counts(school_location=location),
            "distance_form": distance_form,
            "distance": distance,
            "distance_unknown": distance_unknown,
        },
    )


# --- DUO import --------------------------------------------------------------------------------


def _save_uploads(files) -> list[Path]:
    """Store uploads under a new directory with names we generate, never the sender's path."""
    directory = Path(settings.IMPORT_UPLOAD_DIR) / uuid.uuid4().hex
    directory.mkdir(parents=True, exist_ok=False)
    paths = []
    for number, upload in enumerate(files, start=1):
        # Keep a cleaned stem: importers and people recognise DUO files by their names.
        stem = get_valid_filename(Path(upload.name).stem)[:80] or "bestand"
        stem = "".join(char for char in stem if char.isalnum() or char in "-_") or "bestand"
        path = directory / f"{number:02d}-{stem}.csv"
        with path.open("wb") as destination:
            for chunk in upload.chunks():
                destination.write(chunk)
        paths.append(path)
    return paths


@require_http_methods(["GET", "POST"])
def duo_import(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require_perm(request, "core.start_import")
    form = DuoImportForm(request.POST, request.FILES) if request.method == "POST" else DuoImportForm()
    if request.method == "POST" and form.is_valid():
        paths = _save_uploads(form.cleaned_data["files"]) if form.cleaned_data["files"] else []
        if form.cleaned_data["use_bundled"]:
            paths.extend(bundled_duo_files())
        job = services.duo_import_start(paths=paths, actor=request.user)
        messages.success(request, _("De import is gestart. Deze pagina toont de voortgang."))
        return redirect("core:job_detail", pk=job.pk)
    jobs = Job.objects.filter(created_by=request.user, kind__in=IMPORT_JOB_KINDS).order_by("-created_at")[:10]
    return render(
        request,
        "organisations/import.html",
        {"form": form, "jobs": jobs, "bundled_files": [path.name for path in bundled_duo_files()]},
    )
