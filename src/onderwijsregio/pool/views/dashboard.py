"""The pilot monitoring dashboard of a pool (/invalpool/<slug>/monitor/) and its DOCX/PDF report.

For the coordinator and HR of participating boards. One panel per monitoring question, each chart
with its data table (the same `reports.Section`s the documents are made of). Member names appear
only for members the viewer may see (the coordinator, or HR of their employer); showing them is
logged as a personal-data read. The report itself holds no names.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe

from onderwijsregio.core.documents import render_docx, render_pdf
from onderwijsregio.core.guards import require_perm

from .. import monitoring, reports
from ..forms import PeriodForm
from ..models import Pool
from ..selectors import pool_for
from .common import table_view

REPORT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def panel_view(section: reports.Section) -> dict:
    return {
        "key": section.key,
        "title": section.title,
        "intro": section.intro,
        # organisations.charts escapes every text it is given, so its markup is safe.
        "charts": [
            {"svg": mark_safe(chart.svg), "table": table_view(chart.table, f"tabel-{section.key}-{index}")}
            for index, chart in enumerate(section.charts, start=1)
        ],
        "tables": [
            table_view(table, f"tabel-{section.key}-extra-{index}")
            for index, table in enumerate(section.tables, start=1)
        ],
        "notes": section.notes,
    }


def _pool(request: HttpRequest, slug: str) -> Pool:
    pool = pool_for(user=request.user, slug=slug)
    require_perm(request, "pool.view_dashboard", pool, hide=True)
    return pool


def _dashboard(request: HttpRequest, pool: Pool) -> tuple[PeriodForm, monitoring.Dashboard]:
    form = PeriodForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    today = timezone.localdate()
    viewer = monitoring.Viewer(request.user, pool)
    dashboard = monitoring.monitoring_dashboard(pool=pool, period=form.period(today), viewer=viewer, today=today)
    return form, dashboard


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    pool = _pool(request, slug)
    form, board = _dashboard(request, pool)
    monitoring.dashboard_read(user=request.user, pool=pool, dashboard=board)
    sections = reports.monitoring_sections(board, with_names=True)
    query = request.GET.urlencode()
    return render(
        request,
        "pool/dashboard.html",
        {
            "pool": pool,
            "form": form,
            "dashboard": board,
            "panels": [panel_view(section) for section in sections],
            "report_query": query,
            "fill_rate": reports.percent(board.fill.fill_rate),
            "savings_total": reports.euro(board.savings.total.savings),
            "lost_hours": reports.number(board.lost.total.lesson_hours),
        },
    )


@login_required
def dashboard_report(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    if file_format not in REPORT_TYPES:
        raise Http404
    pool = _pool(request, slug)
    _form, board = _dashboard(request, pool)
    report = reports.monitoring_report(board)
    content = render_docx(report) if file_format == "docx" else render_pdf(report)
    monitoring.monitoring_report_read(user=request.user, pool=pool, dashboard=board, file_format=file_format)
    response = HttpResponse(content, content_type=REPORT_TYPES[file_format])
    filename = f"monitor-{pool.slug}-{board.period.start:%Y%m%d}-{board.period.end:%Y%m%d}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
