"""Workforce data pages: the planning home, staff snapshots (upload, detail, rows), pupil
projections, the region's assumptions and scenarios.

Views parse input, check one permission (workforce/permissions.py), call one service or selector
and render. A board's snapshots and rows are its own HR's only: the regional team sees aggregated
figures on the forecast pages, never a board's detail. Reading rows is audit-logged as a read of
personal data.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from onderwijsregio.core.services import audit_record
from onderwijsregio.organisations import charts
from onderwijsregio.organisations.models import Organisation

from . import assumptions as catalogue
from . import importers, pupils, selectors, services
from .forms import AssumptionsForm, PupilForecastForm, ScenarioForm, SnapshotUploadForm
from .models import AssumptionSet, Scenario, StaffDegree, StaffSnapshot
from .scenarios import LEVERS, levers_summary

ROWS_PAGE_SIZE = 50
LOCATIONS_PAGE_SIZE = 50
PUPIL_HISTORY_YEARS = 5
PUPIL_HORIZON = 10


def _require(request: HttpRequest, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _board(board_id: int) -> Organisation:
    return get_object_or_404(Organisation, pk=board_id, kind=Organisation.Kind.BOARD)


def _region(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug, kind=Organisation.Kind.REGION)


def _optional_url(name: str, **kwargs) -> str | None:
    """A URL of the forecast pages when they exist (they live in another module)."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


def _base_year() -> int:
    from datetime import date

    return pupils.latest_duo_year() or date.today().year - 1


# --- Home --------------------------------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    _require(request, "workforce.use_planning")
    boards = selectors.visible_boards(request.user)
    if request.user.is_superuser:
        # An admin may open every board; the home page lists those that have data.
        boards = boards.filter(staff_snapshots__isnull=False).distinct()
    board_items = [
        {
            "board": board,
            "latest": selectors.latest_snapshot(board),
            "forecast_url": _optional_url("workforce:forecast_board", board_id=board.pk),
        }
        for board in boards
    ]
    region_items = [
        {
            "region": region,
            "can_manage": request.user.has_perm("workforce.manage_region", region),
            "snapshots": selectors.boards_with_snapshots(region),
            "forecast_url": _optional_url("workforce:forecast_region", region_slug=region.slug),
        }
        for region in selectors.visible_regions(request.user)
    ]
    return render(request, "workforce/home.html", {"boards": board_items, "regions": region_items})


# --- Snapshots ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def board(request: HttpRequest, board_id: int) -> HttpResponse:
    """A board's snapshots with their versions, and the upload form with the full problem report."""
    organisation = _board(board_id)
    _require(request, "workforce.manage_board", organisation)
    problems: list[importers.Problem] = []
    rejected_lines = 0
    if request.method == "POST":
        form = SnapshotUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                snapshot = services.snapshot_upload(
                    board=organisation,
                    reference_date=form.cleaned_data["reference_date"],
                    file=upload,
                    filename=upload.name,
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except services.SnapshotRejected as rejected:
                problems = rejected.problems
                rejected_lines = len(rejected.result.bad_lines)
                form.add_error(
                    "file",
                    _(
                        "Het bestand is afgekeurd: %(count)s problemen op %(lines)s regels. Er is niets opgeslagen. "
                        "Herstel de regels hieronder en upload het bestand opnieuw."
                    )
                    % {"count": len(problems), "lines": rejected_lines},
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Het bestand is opgeslagen als versie %(version)s van %(date)s met %(rows)s medewerkers.")
                    % {
                        "version": snapshot.version,
                        "date": snapshot.reference_date.strftime("%d-%m-%Y"),
                        "rows": snapshot.row_count,
                    },
                )
                return redirect("workforce:snapshot_detail", board_id=organisation.pk, snapshot_id=snapshot.pk)
    else:
        form = SnapshotUploadForm()
    return render(
        request,
        "workforce/board.html",
        {
            "board": organisation,
            "snapshots": selectors.snapshots_for_board(organisation).select_related("uploaded_by"),
            "form": form,
            "problems": problems,
            "rejected_lines": rejected_lines,
            "columns": importers.columns(),
            "forecast_url": _optional_url("workforce:forecast_board", board_id=organisation.pk),
        },
        status=200,
    )


def _snapshot(request: HttpRequest, board_id: int, snapshot_id: int) -> tuple[Organisation, StaffSnapshot]:
    organisation = _board(board_id)
    _require(request, "workforce.manage_board", organisation)
    snapshot = get_object_or_404(StaffSnapshot, pk=snapshot_id, board=organisation)
    return organisation, snapshot


@login_required
@require_GET
def snapshot_detail(request: HttpRequest, board_id: int, snapshot_id: int) -> HttpResponse:
    organisation, snapshot = _snapshot(request, board_id, snapshot_id)
    summary = selectors.snapshot_summary(snapshot)
    chart = charts.bar_chart(
        [(band["label"], band["total"]) for band in summary.pyramid],
        chart_id="leeftijdsopbouw",
        title=_("Leeftijdsopbouw"),
        description=_(
            "Aantal medewerkers per leeftijdsgroep, oudste groep bovenaan; de tabel eronder geeft dezelfde cijfers."
        ),
        label_width=80,
    )
    return render(
        request,
        "workforce/snapshot_detail.html",
        {"board": organisation, "snapshot": snapshot, "summary": summary, "age_chart": mark_safe(chart)},
    )


@login_required
@require_GET
def snapshot_rows(request: HttpRequest, board_id: int, snapshot_id: int) -> HttpResponse:
    organisation, snapshot = _snapshot(request, board_id, snapshot_id)
    rows = snapshot.rows.select_related("school_location").order_by("line_number")
    page = Paginator(rows, ROWS_PAGE_SIZE).get_page(request.GET.get("page"))
    degrees = dict(StaffDegree.choices)
    for row in page.object_list:
        row.subject_labels = [f"{item.get('subject')}: {degrees.get(item.get('degree'), '')}" for item in row.subjects]
    audit_record(
        actor=request.user,
        action="workforce.snapshot_rows_read",
        obj=snapshot,
        organisation_id=organisation.pk,
        personal_data_read=True,
        details={"page": page.number, "rows": len(page.object_list)},
    )
    return render(
        request, "workforce/snapshot_rows.html", {"board": organisation, "snapshot": snapshot, "page_obj": page}
    )


@login_required
@require_http_methods(["GET", "POST"])
def snapshot_delete(request: HttpRequest, board_id: int, snapshot_id: int) -> HttpResponse:
    organisation, snapshot = _snapshot(request, board_id, snapshot_id)
    if request.method == "POST":
        label = str(snapshot)
        services.snapshot_delete(snapshot=snapshot, actor=request.user)
        messages.success(request, _("Personeelsbestand %(label)s is verwijderd.") % {"label": label})
        return redirect("workforce:board", board_id=organisation.pk)
    return render(request, "workforce/snapshot_delete.html", {"board": organisation, "snapshot": snapshot})


@login_required
@require_GET
def template_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The upload template; with ?bestuur=<id> the XLSX also lists that board's school locations."""
    board_obj = None
    if board_id := request.GET.get("bestuur"):
        board_obj = _board(int(board_id)) if board_id.isdigit() else None
        if board_obj is not None and not request.user.has_perm("workforce.manage_board", board_obj):
            board_obj = None
    if fmt == "xlsx":
        response = HttpResponse(
            importers.template_xlsx(board_obj),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="sjabloon-personeelsbestand.xlsx"'
        return response
    response = HttpResponse(importers.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sjabloon-personeelsbestand.csv"'
    return response


# --- Pupils ------------------------------------------------------------------------------------


def _pupil_table(series_list, base_year: int) -> dict:
    history_years = list(range(base_year - PUPIL_HISTORY_YEARS + 1, base_year + 1))
    projection_years = list(range(base_year + 1, base_year + PUPIL_HORIZON + 1))
    rows = []
    for series in series_list:
        rows.append(
            {
                "location": series.location,
                "history": [series.duo.get(year) for year in history_years],
                "projection": [
                    (round(series.projection[year]), series.sources[year] == pupils.Source.FORECAST)
                    for year in projection_years
                ],
                "slope": series.slope,
            }
        )
    return {"history_years": history_years, "projection_years": projection_years, "rows": rows}


def _totals_chart(series_list, base_year: int, chart_id: str, title: str) -> tuple[str, list[dict]]:
    history_years = list(range(base_year - PUPIL_HISTORY_YEARS + 1, base_year + 1))
    projection_years = list(range(base_year + 1, base_year + PUPIL_HORIZON + 1))
    years = history_years + projection_years
    # A year no location has a DUO count for is unknown, not zero.
    duo_totals: list[float | None] = [
        sum(s.duo[year] for s in series_list if year in s.duo)
        if year in history_years and any(year in s.duo for s in series_list)
        else None
        for year in years
    ]
    base_total = duo_totals[history_years.index(base_year)]
    # The projection line starts at the base year's count, so both lines meet there.
    projected: list[float | None] = []
    for year in years:
        if year < base_year:
            projected.append(None)
        elif year == base_year:
            projected.append(base_total)
        else:
            projected.append(sum(s.projection.get(year, 0.0) for s in series_list))
    chart = charts.line_chart(
        [str(year) for year in years],
        [charts.Series(_("DUO-telling"), duo_totals), charts.Series(_("Projectie"), projected)],
        chart_id=chart_id,
        title=title,
        description=_("Leerlingen per jaar: DUO-tellingen en de projectie; de tabel geeft dezelfde cijfers."),
    )
    table = [
        {"year": year, "duo": duo_totals[i], "projection": projected[i] if year > base_year else None}
        for i, year in enumerate(years)
    ]
    return mark_safe(chart), table


@login_required
@require_http_methods(["GET", "POST"])
def board_pupils(request: HttpRequest, board_id: int) -> HttpResponse:
    organisation = _board(board_id)
    _require(request, "workforce.manage_board", organisation)
    base_year = _base_year()
    locations = organisation.school_locations.order_by("name")
    form = PupilForecastForm(request.POST if request.method == "POST" else None, locations=locations)
    if request.method == "POST" and form.is_valid():
        try:
            services.pupil_forecast_set(
                location=form.cleaned_data["location"],
                year=form.cleaned_data["year"],
                pupils=form.cleaned_data["pupils"],
                actor=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if form.cleaned_data["pupils"] is None:
                messages.success(request, _("De prognose is verwijderd; voor dat jaar geldt weer de DUO-trend."))
            else:
                messages.success(request, _("De prognose is opgeslagen."))
            return redirect("workforce:board_pupils", board_id=organisation.pk)
    series_list = pupils.open_series(pupils.board_locations([organisation.pk]), base_year, PUPIL_HORIZON)
    chart, totals = _totals_chart(series_list, base_year, "leerlingen-bestuur", _("Leerlingen van het bestuur"))
    return render(
        request,
        "workforce/pupils_board.html",
        {
            "board": organisation,
            "form": form,
            "base_year": base_year,
            "table": _pupil_table(series_list, base_year),
            "chart": chart,
            "totals": totals,
        },
    )


@login_required
@require_GET
def region_pupils(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(region_slug)
    _require(request, "workforce.view_region", region)
    base_year = _base_year()
    series_list = pupils.open_series(pupils.region_locations(region), base_year, PUPIL_HORIZON)
    chart, totals = _totals_chart(series_list, base_year, "leerlingen-regio", _("Leerlingen in de regio"))
    page = Paginator(series_list, LOCATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workforce/pupils_region.html",
        {
            "region": region,
            "base_year": base_year,
            "page_obj": page,
            "table": _pupil_table(page.object_list, base_year),
            "chart": chart,
            "totals": totals,
            "locations": len(series_list),
        },
    )


# --- Assumptions -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assumptions(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(region_slug)
    _require(request, "workforce.view_region", region)
    can_edit = request.user.has_perm("workforce.manage_region", region)
    stored = AssumptionSet.objects.filter(region=region).select_related("updated_by").first()
    values = catalogue.values_for(region)
    version = stored.version if stored else 0
    form = None
    if can_edit:
        if request.method == "POST":
            form = AssumptionsForm(request.POST)
            if form.is_valid():
                try:
                    services.assumptions_update(
                        region=region,
                        values=form.values(),
                        actor=request.user,
                        expected_version=form.cleaned_data["version"],
                    )
                except ValidationError as error:
                    _add_errors(form, error)
                else:
                    messages.success(request, _("De aannames zijn opgeslagen."))
                    return redirect("workforce:assumptions", region_slug=region.slug)
        else:
            form = AssumptionsForm(initial={"version": version, **values})
    elif request.method == "POST":
        raise PermissionDenied
    entries = [
        {"entry": entry, "value": values[entry.key], "is_default": values[entry.key] == entry.default}
        for entry in catalogue.CATALOGUE
    ]
    return render(
        request,
        "workforce/assumptions.html",
        {"region": region, "entries": entries, "stored": stored, "form": form, "can_edit": can_edit},
    )


# --- Scenarios ---------------------------------------------------------------------------------


def _owner(owner_id: int) -> Organisation:
    return get_object_or_404(Organisation, pk=owner_id, kind__in=[Organisation.Kind.BOARD, Organisation.Kind.REGION])


def _can_manage_owner(user, owner: Organisation) -> bool:
    return user.has_perm("workforce.manage_board", owner) or user.has_perm("workforce.manage_region", owner)


@login_required
@require_GET
def scenario_list(request: HttpRequest, owner_id: int) -> HttpResponse:
    owner = _owner(owner_id)
    if not (
        request.user.has_perm("workforce.manage_board", owner) or request.user.has_perm("workforce.view_region", owner)
    ):
        raise PermissionDenied
    scenarios = [{"scenario": s, "levers": levers_summary(s)} for s in selectors.scenarios_for_owner(owner)]
    return render(
        request,
        "workforce/scenario_list.html",
        {"owner": owner, "scenarios": scenarios, "can_manage": _can_manage_owner(request.user, owner)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def scenario_create(request: HttpRequest, owner_id: int) -> HttpResponse:
    owner = _owner(owner_id)
    if not _can_manage_owner(request.user, owner):
        raise PermissionDenied
    form = ScenarioForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.scenario_create(
                owner=owner,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                levers=form.levers(),
                actor=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Het scenario is opgeslagen."))
            return redirect("workforce:scenario_list", owner_id=owner.pk)
    return render(request, "workforce/scenario_form.html", {"owner": owner, "form": form, "scenario": None})


@login_required
@require_http_methods(["GET", "POST"])
def scenario_edit(request: HttpRequest, scenario_id: int) -> HttpResponse:
    scenario = get_object_or_404(Scenario.objects.select_related("owner"), pk=scenario_id)
    _require(request, "workforce.manage_scenario", scenario)
    if request.method == "POST":
        form = ScenarioForm(request.POST)
        if form.is_valid():
            try:
                services.scenario_update(
                    scenario=scenario,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    levers=form.levers(),
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Het scenario is opgeslagen."))
                return redirect("workforce:scenario_list", owner_id=scenario.owner_id)
    else:
        form = ScenarioForm(initial=ScenarioForm.initial_for(scenario))
    return render(
        request, "workforce/scenario_form.html", {"owner": scenario.owner, "form": form, "scenario": scenario}
    )


@login_required
@require_http_methods(["GET", "POST"])
def scenario_delete(request: HttpRequest, scenario_id: int) -> HttpResponse:
    scenario = get_object_or_404(Scenario.objects.select_related("owner"), pk=scenario_id)
    _require(request, "workforce.manage_scenario", scenario)
    owner_id = scenario.owner_id
    if request.method == "POST":
        name = scenario.name
        services.scenario_delete(scenario=scenario, actor=request.user)
        messages.success(request, _("Scenario '%(name)s' is verwijderd.") % {"name": name})
        return redirect("workforce:scenario_list", owner_id=owner_id)
    return render(
        request, "workforce/scenario_delete.html", {"scenario": scenario, "owner": scenario.owner, "levers": LEVERS}
    )


urlpatterns = [
    path("personeelsplanning/", home, name="home"),
    path("personeelsplanning/sjabloon.<str:fmt>", template_download, name="template"),
    path("personeelsplanning/bestuur/<int:board_id>/", board, name="board"),
    path(
        "personeelsplanning/bestuur/<int:board_id>/bestanden/<int:snapshot_id>/",
        snapshot_detail,
        name="snapshot_detail",
    ),
    path(
        "personeelsplanning/bestuur/<int:board_id>/bestanden/<int:snapshot_id>/medewerkers/",
        snapshot_rows,
        name="snapshot_rows",
    ),
    path(
        "personeelsplanning/bestuur/<int:board_id>/bestanden/<int:snapshot_id>/verwijderen/",
        snapshot_delete,
        name="snapshot_delete",
    ),
    path("personeelsplanning/bestuur/<int:board_id>/leerlingen/", board_pupils, name="board_pupils"),
    path("personeelsplanning/regio/<slug:region_slug>/leerlingen/", region_pupils, name="region_pupils"),
    path("personeelsplanning/regio/<slug:region_slug>/aannames/", assumptions, name="assumptions"),
    path("personeelsplanning/scenarios/<int:owner_id>/", scenario_list, name="scenario_list"),
    path("personeelsplanning/scenarios/<int:owner_id>/nieuw/", scenario_create, name="scenario_create"),
    path("personeelsplanning/scenario/<int:scenario_id>/bewerken/", scenario_edit, name="scenario_edit"),
    path("personeelsplanning/scenario/<int:scenario_id>/verwijderen/", scenario_delete, name="scenario_delete"),
]
