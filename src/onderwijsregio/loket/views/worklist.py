"""The desk's working list, the board by stage (with its "next stage" button) and the export of the list.

The three share loket.exports' Viewer and columns, so a column a receiver may not see is hidden in all alike.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from onderwijsregio.core.guards import require_any_perm, require_perm

from .. import exports, selectors, services
from ..forms.staff import (
    ExportFormatForm,
    WorklistFilterForm,
)
from ..models import (
    STAGE_ORDER,
    SharedPart,
    Stage,
    Trajectory,
)
from ..permissions import visible_trajectories_q
from ..worklist import (
    PAGE_SIZE,
    Viewer,
    next_stage,
    rows_for,
    subregion_names,
    visible_columns,
    with_row_data,
    worklist,
)
from .common import trajectory_of

# Cards per stage on the board; the rest is one click away in the filtered list.
BOARD_CARDS_PER_STAGE = 50


def _worklist_context(request: HttpRequest) -> tuple[Viewer, WorklistFilterForm, dict]:
    viewer = Viewer(request.user)
    form = WorklistFilterForm(request.GET or None, viewer=viewer)
    filters = form.filters() if request.GET else {}
    return viewer, form, filters


@login_required
@require_GET
def candidate_list(request: HttpRequest) -> HttpResponse:
    require_any_perm(request, "loket.use_desk", "loket.use_inbox")
    viewer, form, filters = _worklist_context(request)
    queryset = worklist(viewer=viewer, filters=filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    candidates = list(with_row_data(page.object_list, viewer))
    columns = visible_columns(viewer, multiple_regions=form.multiple_regions)
    subregions = subregion_names({candidate.region_id for candidate in candidates})
    rows = list(rows_for(viewer, candidates, columns, subregions))
    selectors.list_viewed_record(viewer=viewer, candidates=candidates, filters=filters, via="list")
    return render(
        request,
        "loket/staff/candidate_list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "columns": columns,
            "can_manage_any": viewer.works_at_desk,
            "querystring": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def board_view(request: HttpRequest) -> HttpResponse:
    """Open trajectories by stage: one section per stage, one card per trajectory."""
    require_any_perm(request, "loket.use_desk", "loket.use_inbox")
    viewer, form, filters = _worklist_context(request)
    candidates = worklist(viewer=viewer, filters={**filters, "sort": "-created"}).order_by()
    trajectories = Trajectory.objects.filter(ended_at__isnull=True, candidate__in=candidates.values("pk")).filter(
        visible_trajectories_q(request.user)
    )
    if stage := filters.get("stage"):
        trajectories = trajectories.filter(stage=stage)
    counts = dict(trajectories.order_by().values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    # At most BOARD_CARDS_PER_STAGE cards per stage, in one query: the longest waiting first.
    position = Window(RowNumber(), partition_by=[F("stage")], order_by=[F("stage_changed_at").asc(), F("pk").asc()])
    cards = list(
        trajectories.annotate(position=position)
        .filter(position__lte=BOARD_CARDS_PER_STAGE)
        .select_related("candidate", "subject", "board", "school_location")
        .order_by("stage_changed_at", "pk")
    )
    shown: dict[str, list] = {stage: [] for stage in STAGE_ORDER}
    for trajectory in cards:
        shown[trajectory.stage].append(trajectory)
    today = timezone.localdate()
    columns = []
    for value, label in Stage.choices:
        if filters.get("stage") and value != filters["stage"]:
            continue
        items = []
        for trajectory in shown[value]:
            candidate = trajectory.candidate
            parts = viewer.parts(candidate)
            items.append(
                {
                    "trajectory": trajectory,
                    "candidate": candidate,
                    "target_group": candidate.get_target_group_display() if SharedPart.BACKGROUND in parts else "",
                    "overdue": trajectory.follow_up_on is not None and trajectory.follow_up_on < today,
                    "next_stage": next_stage(trajectory.stage),
                    "can_progress": viewer.can_progress(candidate),
                }
            )
        for item in items:
            item["next_stage_label"] = Stage(item["next_stage"]).label if item["next_stage"] else ""
        columns.append({"stage": value, "label": label, "items": items, "count": counts.get(value, 0)})
    selectors.list_viewed_record(
        viewer=viewer, candidates=[card.candidate for card in cards], filters=filters, via="board"
    )
    return render(
        request,
        "loket/staff/board.html",
        {"form": form, "columns": columns, "per_stage": BOARD_CARDS_PER_STAGE, "querystring": request.GET.urlencode()},
    )


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    require_any_perm(request, "loket.use_desk", "loket.use_inbox")
    format_form = ExportFormatForm(request.GET)
    if not format_form.is_valid():
        messages.error(request, _("Kies CSV of XLSX als formaat van de export."))
        return redirect("loket:candidate_list")
    file_format = format_form.cleaned_data["format"]
    viewer, form, filters = _worklist_context(request)
    queryset = worklist(viewer=viewer, filters=filters)
    columns = visible_columns(viewer, multiple_regions=form.multiple_regions)
    selectors.export_record(viewer=viewer, queryset=queryset, filters=filters, file_format=file_format)
    rows = exports.export_rows(viewer, queryset, columns)
    if file_format == "csv":
        response = StreamingHttpResponse(exports.csv_lines(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.xlsx_bytes(rows, title=_("Kandidaten")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(file_format)}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def trajectory_advance(request: HttpRequest, pk: int, trajectory_pk: int) -> HttpResponse:
    """The board's "naar volgende fase" button."""
    candidate, _parts = selectors.candidate_open(user=request.user, pk=pk)
    require_perm(request, "loket.progress_candidate", candidate)
    trajectory = trajectory_of(request, candidate, trajectory_pk)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("loket:board_view")
    following = next_stage(trajectory.stage)
    version = request.POST.get("version", "")
    if following is None or not version.isdigit():
        messages.error(request, _("Dit traject kan niet naar een volgende fase."))
        return redirect(target)
    try:
        services.trajectory_move(
            trajectory=trajectory, to_stage=following, actor=request.user, expected_version=int(version)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s staat nu in de fase %(stage)s.")
            % {"name": candidate.full_name, "stage": Stage(following).label},
        )
    return redirect(target)
