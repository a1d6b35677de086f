"""Workforce planning home and a board's staff snapshots: upload, detail, rows, removal, the template.

Views parse input, check one permission (workforce/permissions.py), call one service or selector
and render. A board's snapshots and rows are its own HR's only: the regional team sees aggregated
figures on the forecast pages, never a board's detail. Reading rows is audit-logged as a read of
personal data (by the selector).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from onderwijsregio.core.forms import add_service_errors
from onderwijsregio.core.guards import require_perm
from onderwijsregio.organisations import charts
from onderwijsregio.organisations.models import Organisation

from .. import importers, selectors, services
from ..forms import SnapshotUploadForm
from ..models import StaffDegree, StaffSnapshot
from .common import board_or_404, optional_url

# --- Home --------------------------------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    require_perm(request, "workforce.use_planning")
    boards = selectors.visible_boards(user=request.user)
    if request.user.is_superuser:
        # An admin may open every board; the home page lists those that have data.
        boards = boards.filter(staff_snapshots__isnull=False).distinct()
    board_items = [
        {
            "board": board,
            "latest": selectors.latest_snapshot(board=board),
            "forecast_url": optional_url("workforce:forecast_board", board_id=board.pk),
        }
        for board in boards
    ]
    region_items = [
        {
            "region": region,
            "can_manage": request.user.has_perm("workforce.manage_region", region),
            "snapshots": selectors.boards_with_snapshots(region=region),
            "forecast_url": optional_url("workforce:forecast_region", region_slug=region.slug),
        }
        for region in selectors.visible_regions(user=request.user)
    ]
    return render(request, "workforce/home.html", {"boards": board_items, "regions": region_items})


# --- Snapshots ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def board(request: HttpRequest, board_id: int) -> HttpResponse:
    """A board's snapshots with their versions, and the upload form with the full problem report."""
    organisation = board_or_404(board_id)
    require_perm(request, "workforce.manage_board", organisation)
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
                add_service_errors(form, error)
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
            "snapshots": selectors.snapshots_for_board(board=organisation).select_related("uploaded_by"),
            "form": form,
            "problems": problems,
            "rejected_lines": rejected_lines,
            "columns": importers.columns(),
            "forecast_url": optional_url("workforce:forecast_board", board_id=organisation.pk),
        },
        status=200,
    )


def _snapshot(request: HttpRequest, board_id: int, snapshot_id: int) -> tuple[Organisation, StaffSnapshot]:
    organisation = board_or_404(board_id)
    require_perm(request, "workforce.manage_board", organisation)
    snapshot = get_object_or_404(StaffSnapshot, pk=snapshot_id, board=organisation)
    return organisation, snapshot


@login_required
@require_GET
def snapshot_detail(request: HttpRequest, board_id: int, snapshot_id: int) -> HttpResponse:
    organisation, snapshot = _snapshot(request, board_id, snapshot_id)
    summary = selectors.snapshot_summary(snapshot=snapshot)
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
    page = selectors.snapshot_rows_page(user=request.user, snapshot=snapshot, page=request.GET.get("page"))
    degrees = dict(StaffDegree.choices)
    for row in page.object_list:
        row.subject_labels = [f"{item.get('subject')}: {degrees.get(item.get('degree'), '')}" for item in row.subjects]
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
        board_obj = board_or_404(int(board_id)) if board_id.isdigit() else None
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
