"""Settlement pages: the list of a pool's settlements, creating one for a period, its detail and files.

The coordinator creates settlements; HR of participating boards reads them (per-board figures, no
member names). Files: CSV and XLSX of the lines, and the settlement report as DOCX and PDF. Every
download is audit-logged.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from onderwijsregio.core.documents import render_docx, render_pdf
from onderwijsregio.core.forms import add_service_errors
from onderwijsregio.core.guards import require_perm

from .. import exports, reports, selectors, services
from ..forms import SettlementForm
from ..models import HoursEntry, Pool, SettlementRun
from ..selectors import pool_for
from .common import table_view

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _pool(request: HttpRequest, slug: str, perm: str = "pool.view_settlement") -> Pool:
    pool = pool_for(user=request.user, slug=slug)
    require_perm(request, perm, pool, hide=True)
    return pool


def _run(pool: Pool, run_pk: int) -> SettlementRun:
    return get_object_or_404(SettlementRun.objects.select_related("pool__region", "created_by"), pk=run_pk, pool=pool)


@login_required
def settlement_list(request: HttpRequest, slug: str) -> HttpResponse:
    pool = _pool(request, slug)
    return render(
        request,
        "pool/settlement_list.html",
        {
            "pool": pool,
            "runs": list(selectors.visible_settlements(pool=pool)),
            "may_create": request.user.has_perm("pool.coordinate", pool),
        },
    )


def _default_period(today: date) -> tuple[date, date]:
    """The previous calendar month: settlements usually follow a month or a quarter."""
    first_of_month = today.replace(day=1)
    last_month_end = first_of_month - timedelta(days=1)
    return last_month_end.replace(day=1), last_month_end


@login_required
def settlement_create(request: HttpRequest, slug: str) -> HttpResponse:
    pool = _pool(request, slug, "pool.coordinate")
    if request.method == "POST":
        form = SettlementForm(request.POST)
        if form.is_valid():
            try:
                run = services.settlement_run_create(
                    pool=pool,
                    period_start=form.cleaned_data["period_start"],
                    period_end=form.cleaned_data["period_end"],
                    only_confirmed_hours=form.cleaned_data["only_confirmed_hours"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("De afrekening is opgesteld."))
                return redirect("pool:settlement_detail", slug=pool.slug, run_pk=run.pk)
    else:
        start, end = _default_period(timezone.localdate())
        form = SettlementForm(initial={"period_start": start, "period_end": end, "only_confirmed_hours": True})
    return render(request, "pool/settlement_form.html", {"pool": pool, "form": form})


@login_required
def settlement_detail(request: HttpRequest, slug: str, run_pk: int) -> HttpResponse:
    pool = _pool(request, slug)
    run = _run(pool, run_pk)
    lines = selectors.settlement_lines(run=run)
    totals = services.settlement_totals(lines=lines)
    hours_table, balance_table = reports.settlement_tables(lines, totals)
    report = reports.settlement_report(run, lines, totals)
    chart = next(block for block in report.blocks if hasattr(block, "svg"))
    unconfirmed = (
        services.hours_in_period(
            pool=pool, period_start=run.period_start, period_end=run.period_end, only_confirmed_hours=False
        )
        .filter(status=HoursEntry.Status.ENTERED)
        .count()
    )
    return render(
        request,
        "pool/settlement_detail.html",
        {
            "pool": pool,
            "run": run,
            "lines": lines,
            "totals": totals,
            # organisations.charts escapes every text it is given, so its markup is safe.
            "chart": mark_safe(chart.svg),
            "hours_table": table_view(hours_table, "tabel-uren"),
            "balance_table": table_view(balance_table, "tabel-saldo"),
            "unconfirmed": unconfirmed,
            "formats": [("pdf", _("PDF")), ("docx", _("Word (DOCX)")), ("xlsx", _("Excel (XLSX)")), ("csv", _("CSV"))],
        },
    )


@login_required
def settlement_download(request: HttpRequest, slug: str, run_pk: int, file_format: str) -> HttpResponse:
    if file_format not in CONTENT_TYPES:
        raise Http404
    pool = _pool(request, slug)
    run = _run(pool, run_pk)
    lines = selectors.settlement_lines(run=run)
    totals = services.settlement_totals(lines=lines)
    if file_format == "csv":
        content: bytes | str = exports.csv_text(
            headers=exports.settlement_headers(), rows=exports.settlement_rows(lines=lines, totals=totals)
        )
    elif file_format == "xlsx":
        content = exports.xlsx_bytes(
            headers=exports.settlement_headers(),
            rows=exports.settlement_rows(lines=lines, totals=totals),
            title=_("Afrekening"),
        )
    else:
        report = reports.settlement_report(run, lines, totals)
        content = render_docx(report) if file_format == "docx" else render_pdf(report)
    selectors.settlement_download_read(user=request.user, run=run, file_format=file_format)
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.settlement_filename(run=run, extension=file_format)}"'
    )
    return response
