"""Pupil pages: a board's DUO counts and projection with its own expected pupils, and a region's totals."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from onderwijsregio.core.forms import add_service_errors
from onderwijsregio.core.guards import require_perm
from onderwijsregio.organisations import charts

from .. import pupils, services
from ..forms import PupilForecastForm
from .common import board_or_404, pupil_base_year, region_or_404

LOCATIONS_PAGE_SIZE = 50
PUPIL_HISTORY_YEARS = 5
PUPIL_HORIZON = 10


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
    organisation = board_or_404(board_id)
    require_perm(request, "workforce.manage_board", organisation)
    base_year = pupil_base_year()
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
            add_service_errors(form, error)
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
    region = region_or_404(region_slug)
    require_perm(request, "workforce.view_region", region)
    base_year = pupil_base_year()
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
