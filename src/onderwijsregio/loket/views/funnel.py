"""The funnel page of the candidate desk (/loket/trechter) and its CSV export.

For the regional team (its region, including the anonymous figures of erased candidates) and for
receivers of handovers (only the candidates handed to them). Everyone else gets a 404.
"""

from __future__ import annotations

import csv

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from onderwijsregio.organisations import charts

from .. import funnel
from ..forms.funnel import FunnelFilterForm


def _allowed(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (request.user.has_perm("loket.use_desk") or request.user.has_perm("loket.use_inbox")):
        raise Http404
    return None


def _report(request: HttpRequest) -> tuple[FunnelFilterForm, funnel.FunnelReport]:
    scope = funnel.funnel_scope(user=request.user)
    form = FunnelFilterForm(request.GET or None, scope=scope)
    if form.is_bound:
        form.is_valid()
    filters, dimension = form.filters()
    return form, funnel.funnel_report(user=request.user, filters=filters, dimension=dimension)


def _format_number(value: float) -> str:
    return number_format(value, decimal_pos=0 if float(value).is_integer() else 1, force_grouping=True)


def funnel_page(request: HttpRequest) -> HttpResponse:
    refused = _allowed(request)
    if refused:
        return refused
    form, report = _report(request)
    funnel_chart = charts.bar_chart(
        [(row.label, row.reached) for row in report.stages],
        chart_id="trechter",
        title=_("Trajecten per bereikte fase"),
        description=_(
            "Hoeveel trajecten elke fase bereikten. De tabel onder de grafiek geeft dezelfde cijfers, met de "
            "conversie en wie afhaakte."
        ),
        empty_text=_("Nog geen trajecten."),
        label_width=240,
        number_format=_format_number,
    )
    time_chart = charts.bar_chart(
        [(row.label, row.median_days) for row in report.stages if row.stays],
        chart_id="tijd-in-fase",
        title=_("Mediaan aantal dagen per fase"),
        description=_(
            "Hoe lang trajecten in een fase bleven (mediaan). De tabel eronder geeft ook het 75e percentiel."
        ),
        empty_text=_("Nog geen afgeronde fasen."),
        label_width=240,
        number_format=_format_number,
    )
    reasons_chart = charts.bar_chart(
        [(row.label, row.count) for row in report.reasons],
        chart_id="redenen",
        title=_("Redenen van afhaken"),
        description=_("Hoe vaak elke reden werd gegeven. De tabel eronder geeft dezelfde cijfers met het aandeel."),
        empty_text=_("Nog niemand afgehaakt."),
        label_width=280,
        number_format=_format_number,
    )
    query = request.GET.urlencode()
    return render(
        request,
        "loket/funnel/page.html",
        {
            "form": form,
            "report": report,
            "stage_labels": [row.label for row in report.stages],
            # organisations.charts escapes every text it is given, so its markup is safe.
            "funnel_chart": mark_safe(funnel_chart),
            "time_chart": mark_safe(time_chart),
            "reasons_chart": mark_safe(reasons_chart),
            "export_query": query,
        },
    )


def _csv_text(value) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def _csv_number(value) -> str:
    if value is None:
        return ""
    # Dutch spreadsheets read a decimal comma; no thousands separator, so every cell stays a number.
    return str(value) if isinstance(value, int) else f"{value:.1f}".replace(".", ",")


def funnel_export(request: HttpRequest) -> HttpResponse:
    refused = _allowed(request)
    if refused:
        return refused
    _form, report = _report(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"trechter-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The byte-order mark makes spreadsheet programs read the file as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("onderdeel"),
            _("groep"),
            _("fase"),
            _("aantal"),
            _("percentage"),
            _("afgehaakt"),
            _("mediaan dagen in fase"),
            _("p75 dagen in fase"),
        ]
    )
    n = _csv_number
    for row in report.stages:
        writer.writerow(
            [
                _("trechter"),
                _("totaal"),
                row.label,
                n(row.reached),
                n(row.conversion),
                n(row.ended_here),
                n(row.median_days),
                n(row.p75_days),
            ]
        )
    for group in report.groups:
        for stage, reached, conversion in zip(report.stages, group.reached, group.conversions, strict=True):
            writer.writerow(
                [_("uitsplitsing"), _csv_text(group.label), stage.label, n(reached), n(conversion), "", "", ""]
            )
    for reason in report.reasons:
        writer.writerow([_("reden van afhaken"), _csv_text(reason.label), "", n(reason.count), n(reason.share)])
    for working in report.working:
        for stage, count in zip(
            funnel.WORKING_STAGES, (working.started, working.induction, working.qualified), strict=True
        ):
            writer.writerow([_("aan het werk"), working.label, str(stage.label), n(count), "", "", "", ""])
    return response
