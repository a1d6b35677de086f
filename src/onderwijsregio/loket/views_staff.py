"""Pages of the staff desk: the working list, the board by stage, the candidate page with its
actions, the inbox of handovers, and exports.

Views parse input, call one service or selector, and render. Every read of a candidate goes
through selectors.candidate_open (audited); a candidate the user may not see is a 404, an action
the user may not take on a candidate they do see is a 403. Receivers see only the shared parts.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onderwijsregio.core.services import audit_record

from . import exports, selectors, services
from .advice import advice_refresh
from .exports import Viewer
from .forms_staff import (
    CandidateEditForm,
    CandidateEraseForm,
    CoordinatorForm,
    DocumentForm,
    ExportFormatForm,
    FollowUpForm,
    HandoverDecisionForm,
    HandoverForm,
    MergeForm,
    NoteForm,
    StageMoveForm,
    TrajectoryEndForm,
    TrajectoryForm,
    WorklistFilterForm,
)
from .models import (
    STAGE_ORDER,
    Candidate,
    ConsentPurpose,
    Document,
    EventKind,
    ExitReason,
    Handover,
    SharedPart,
    Stage,
    Trajectory,
)
from .permissions import ACTIVE_HANDOVER, visible_trajectories_q

# Cards per stage on the board; the rest is one click away in the filtered list.
BOARD_CARDS_PER_STAGE = 50
TIMELINE_LIMIT = 200


def _require(request: HttpRequest, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _require_staff(request: HttpRequest) -> None:
    if not (request.user.has_perm("loket.use_desk") or request.user.has_perm("loket.use_inbox")):
        raise PermissionDenied


def _add_errors(form, error: ValidationError) -> None:
    """Show a service's refusal in the form: on the field it names, otherwise at the top."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


def _posted(request: HttpRequest):
    # An empty POST is still a submission: it must show "required" errors, not a fresh form.
    return request.POST if request.method == "POST" else None


def _detail_url(candidate, anchor: str = "") -> str:
    url = reverse("loket:candidate_detail", args=[candidate.pk])
    return f"{url}#{anchor}" if anchor else url


# --- Working list, board, export ---------------------------------------------------------------


def _worklist_context(request: HttpRequest) -> tuple[Viewer, WorklistFilterForm, dict]:
    viewer = Viewer(request.user)
    form = WorklistFilterForm(request.GET or None, viewer=viewer)
    filters = form.filters() if request.GET else {}
    return viewer, form, filters


@login_required
@require_GET
def candidate_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    viewer, form, filters = _worklist_context(request)
    queryset = exports.worklist(viewer, filters)
    page = Paginator(queryset, exports.PAGE_SIZE).get_page(request.GET.get("page"))
    candidates = list(exports.with_row_data(page.object_list))
    columns = exports.visible_columns(viewer, multiple_regions=form.multiple_regions)
    subregions = exports.subregion_names({candidate.region_id for candidate in candidates})
    rows = list(exports.rows_for(viewer, candidates, columns, subregions))
    exports.list_viewed_record(viewer=viewer, candidates=candidates, filters=filters, via="list")
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
    _require_staff(request)
    viewer, form, filters = _worklist_context(request)
    candidates = exports.worklist(viewer, {**filters, "sort": "-created"}).order_by()
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
                    "next_stage": exports.next_stage(trajectory.stage),
                    "can_progress": viewer.can_progress(candidate),
                }
            )
        for item in items:
            item["next_stage_label"] = Stage(item["next_stage"]).label if item["next_stage"] else ""
        columns.append({"stage": value, "label": label, "items": items, "count": counts.get(value, 0)})
    exports.list_viewed_record(
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
    _require_staff(request)
    format_form = ExportFormatForm(request.GET)
    if not format_form.is_valid():
        messages.error(request, _("Kies CSV of XLSX als formaat van de export."))
        return redirect("loket:candidate_list")
    file_format = format_form.cleaned_data["format"]
    viewer, form, filters = _worklist_context(request)
    queryset = exports.worklist(viewer, filters)
    columns = exports.visible_columns(viewer, multiple_regions=form.multiple_regions)
    exports.export_record(viewer=viewer, queryset=queryset, filters=filters, file_format=file_format)
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
    _require(request, "loket.progress_candidate", candidate)
    trajectory = _trajectory_of(request, candidate, trajectory_pk)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("loket:board_view")
    following = exports.next_stage(trajectory.stage)
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


# --- The candidate page ------------------------------------------------------------------------


def _event_actor(event, candidate) -> str:
    if event.actor_id is None:
        return _("de kandidaat (aanmeldformulier)") if event.kind == EventKind.REGISTERED else _("systeem")
    if candidate.user_id and event.actor_id == candidate.user_id:
        return _("de kandidaat")
    return event.actor.get_full_name()


def _event_summary(event, reasons: dict[str, str]) -> str:
    details = event.details or {}
    stages = dict(Stage.choices)
    if event.kind == EventKind.STAGE_CHANGED:
        if event.from_stage:
            return _("van %(from)s naar %(to)s") % {
                "from": stages.get(event.from_stage, event.from_stage),
                "to": stages.get(event.to_stage, event.to_stage),
            }
        return _("nieuw traject in fase %(to)s") % {"to": stages.get(event.to_stage, event.to_stage)}
    if event.kind == EventKind.ENDED:
        return _("reden: %(reason)s") % {"reason": reasons.get(details.get("reason"), details.get("reason", ""))}
    if event.kind == EventKind.FOLLOW_UP:
        return _("opvolgen op %(date)s") % {"date": details["on"]} if details.get("on") else _("opvolgdatum gewist")
    if event.kind == EventKind.HANDOVER:
        return _("aan %(receiver)s") % {"receiver": details.get("receiver_name", "")}
    if event.kind == EventKind.HANDOVER_DECIDED:
        if details.get("withdrawn"):
            return _("overdracht ingetrokken")
        outcome = _("geaccepteerd") if details.get("accepted") else _("afgewezen")
        return _("%(outcome)s door %(receiver)s") % {"outcome": outcome, "receiver": details.get("receiver_name", "")}
    if event.kind == EventKind.DOCUMENT:
        return str(dict(Document.Kind.choices).get(details.get("kind"), ""))
    if event.kind == EventKind.CONSENT:
        purpose = dict(ConsentPurpose.choices).get(details.get("purpose"), "")
        return f"{purpose}: {_('ja') if details.get('given') else _('nee')}"
    return ""


def _duplicates(request: HttpRequest, candidate) -> list:
    pks = set()
    for details in candidate.events.filter(kind=EventKind.REGISTERED).values_list("details", flat=True):
        pks.update((details or {}).get("possible_duplicates", []))
    pks.discard(candidate.pk)
    if not pks:
        return []
    return list(
        selectors.visible_candidates(user=request.user).filter(pk__in=pks, region_id=candidate.region_id).order_by("pk")
    )


def _advice_routes(candidate) -> list[dict]:
    labels = {"fits": _("past"), "fits_after": _("past als je nog iets regelt"), "does_not_fit": _("past nu niet")}
    routes = []
    for item in (candidate.advice or {}).get("routes", []):
        if isinstance(item, dict):
            routes.append({**item, "status_label": labels.get(item.get("status"), item.get("status", ""))})
    return routes


def _render_detail(request: HttpRequest, candidate, parts, bound: dict | None = None) -> HttpResponse:
    """The candidate page; `bound` holds a submitted form with errors, so what was typed stays."""
    bound = bound or {}
    user = request.user
    can_manage = user.has_perm("loket.manage_candidate", candidate)
    can_progress = user.has_perm("loket.progress_candidate", candidate)
    trajectories = list(
        candidate.trajectories.filter(visible_trajectories_q(user))
        .select_related("subject", "board", "school_location", "institute", "exit_reason")
        .annotate(
            is_closed=Case(When(ended_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("is_closed", "-created_at")
    )
    today = timezone.localdate()
    for trajectory in trajectories:
        trajectory.overdue = trajectory.follow_up_on is not None and trajectory.follow_up_on < today
        if trajectory.is_open and can_progress:
            trajectory.move_form = bound.get(("move", trajectory.pk)) or StageMoveForm(
                trajectory=trajectory, prefix=f"fase-{trajectory.pk}"
            )
        if trajectory.is_open and can_manage:
            trajectory.end_form = bound.get(("end", trajectory.pk)) or TrajectoryEndForm(
                trajectory=trajectory, prefix=f"einde-{trajectory.pk}"
            )
            trajectory.follow_up_form = bound.get(("follow_up", trajectory.pk)) or FollowUpForm(
                trajectory=trajectory, prefix=f"opvolgen-{trajectory.pk}"
            )
    context = {
        "candidate": candidate,
        "parts": parts,
        "shared_labels": [label for value, label in SharedPart.choices if value in parts],
        "all_parts": len(parts) == len(SharedPart.values),
        "can_manage": can_manage,
        "can_progress": can_progress,
        "trajectories": trajectories,
        "sector_labels": [
            label for value, label in exports.SECTOR_LABELS.items() if value in (candidate.target_sectors or [])
        ],
    }
    if SharedPart.BACKGROUND in parts:
        context["related_subjects"] = list(candidate.related_subjects.order_by("name"))
    if SharedPart.WISHES in parts:
        context["target_subjects"] = list(candidate.target_subjects.order_by("name"))
    if SharedPart.ADVICE in parts:
        context["advice_routes"] = _advice_routes(candidate)
    if SharedPart.DOCUMENTS in parts:
        context["documents"] = list(candidate.documents.select_related("uploaded_by"))
        if can_manage:
            context["document_form"] = bound.get("document") or DocumentForm(prefix="document")
    if SharedPart.TIMELINE in parts:
        reasons = dict(ExitReason.objects.values_list("code", "label"))
        events = list(selectors.timeline(candidate=candidate)[: TIMELINE_LIMIT + 1])
        context["timeline_truncated"] = len(events) > TIMELINE_LIMIT
        context["events"] = [
            {"event": event, "actor": _event_actor(event, candidate), "summary": _event_summary(event, reasons)}
            for event in events[:TIMELINE_LIMIT]
        ]
    if can_progress:
        context["note_form"] = bound.get("note") or NoteForm(candidate=candidate, prefix="notitie")
    if can_manage:
        context["coordinator_form"] = bound.get("coordinator") or CoordinatorForm(
            candidate=candidate, prefix="regisseur"
        )
        context["handovers"] = list(
            candidate.handovers.select_related("receiver", "school_location", "created_by", "decided_by").order_by(
                "-created_at"
            )
        )
        context["active_statuses"] = ACTIVE_HANDOVER
        consents = services.current_consents(candidate)
        context["consents"] = [(label, consents.get(value, False)) for value, label in ConsentPurpose.choices]
        context["duplicates"] = _duplicates(request, candidate)
    return render(request, "loket/staff/candidate_detail.html", context)


@login_required
@require_GET
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate, parts = selectors.candidate_open(user=request.user, pk=pk)
    return _render_detail(request, candidate, parts)


def _open_for(request: HttpRequest, pk: int, perm: str):
    candidate, parts = selectors.candidate_open(user=request.user, pk=pk)
    _require(request, perm, candidate)
    return candidate, parts


def _trajectory_of(request: HttpRequest, candidate, trajectory_pk: int) -> Trajectory:
    return get_object_or_404(candidate.trajectories.filter(visible_trajectories_q(request.user)), pk=trajectory_pk)


def _trajectory_action(
    request: HttpRequest,
    pk: int,
    trajectory_pk: int,
    *,
    perm: str,
    form_class,
    prefix: str,
    key: str,
    perform,
    success: str,
) -> HttpResponse:
    """One small form on a trajectory: validate, call the service, or show the page again with the errors."""
    candidate, parts = _open_for(request, pk, perm)
    trajectory = _trajectory_of(request, candidate, trajectory_pk)
    form = form_class(request.POST, trajectory=trajectory, prefix=f"{prefix}-{trajectory.pk}")
    if form.is_valid():
        try:
            perform(trajectory, form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(_detail_url(candidate, f"traject-{trajectory.pk}"))
    return _render_detail(request, candidate, parts, {(key, trajectory.pk): form})


@login_required
@require_POST
def trajectory_move(request: HttpRequest, pk: int, trajectory_pk: int) -> HttpResponse:
    return _trajectory_action(
        request,
        pk,
        trajectory_pk,
        perm="loket.progress_candidate",
        form_class=StageMoveForm,
        prefix="fase",
        key="move",
        perform=lambda trajectory, data: services.trajectory_move(
            trajectory=trajectory,
            to_stage=data["to_stage"],
            note=data["note"],
            expected_version=data["version"],
            actor=request.user,
        ),
        success=_("De fase is gewijzigd."),
    )


@login_required
@require_POST
def trajectory_end(request: HttpRequest, pk: int, trajectory_pk: int) -> HttpResponse:
    return _trajectory_action(
        request,
        pk,
        trajectory_pk,
        perm="loket.manage_candidate",
        form_class=TrajectoryEndForm,
        prefix="einde",
        key="end",
        perform=lambda trajectory, data: services.trajectory_end(
            trajectory=trajectory,
            reason=data["exit_reason"],
            note=data["note"],
            expected_version=data["version"],
            actor=request.user,
        ),
        success=_("Het traject is beëindigd."),
    )


@login_required
@require_POST
def follow_up_set(request: HttpRequest, pk: int, trajectory_pk: int) -> HttpResponse:
    return _trajectory_action(
        request,
        pk,
        trajectory_pk,
        perm="loket.manage_candidate",
        form_class=FollowUpForm,
        prefix="opvolgen",
        key="follow_up",
        perform=lambda trajectory, data: services.follow_up_set(
            trajectory=trajectory, on=data["follow_up_on"], actor=request.user
        ),
        success=_("De opvolgdatum is opgeslagen."),
    )


@login_required
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    candidate, parts = _open_for(request, pk, "loket.progress_candidate")
    form = NoteForm(request.POST, candidate=candidate, prefix="notitie")
    if form.is_valid():
        try:
            services.note_add(
                candidate=candidate,
                text=form.cleaned_data["text"],
                trajectory=form.cleaned_data["trajectory"],
                actor=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("De notitie is toegevoegd."))
            return redirect(_detail_url(candidate, "notitie"))
    return _render_detail(request, candidate, parts, {"note": form})


@login_required
@require_POST
def coordinator_assign(request: HttpRequest, pk: int) -> HttpResponse:
    candidate, parts = _open_for(request, pk, "loket.manage_candidate")
    form = CoordinatorForm(request.POST, candidate=candidate, prefix="regisseur")
    if form.is_valid():
        try:
            services.coordinator_assign(
                candidate=candidate, coordinator=form.cleaned_data["coordinator"], actor=request.user
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("De ketenregisseur is opgeslagen."))
            return redirect(_detail_url(candidate))
    return _render_detail(request, candidate, parts, {"coordinator": form})


@login_required
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    candidate, parts = _open_for(request, pk, "loket.manage_candidate")
    form = DocumentForm(request.POST, request.FILES, prefix="document")
    if form.is_valid():
        try:
            services.document_add(
                candidate=candidate,
                kind=form.cleaned_data["kind"],
                uploaded_file=form.cleaned_data["file"],
                actor=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Het document is toegevoegd."))
            return redirect(_detail_url(candidate, "documenten"))
    return _render_detail(request, candidate, parts, {"document": form})


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    candidate, parts = selectors.candidate_open(user=request.user, pk=pk)
    if SharedPart.DOCUMENTS not in parts:
        raise Http404
    document = get_object_or_404(candidate.documents, pk=document_pk)
    audit_record(
        actor=request.user,
        action="candidate.document_downloaded",
        obj=candidate,
        organisation_id=candidate.region_id,
        personal_data_read=True,
        details={"document": document.pk, "kind": document.kind},
    )
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def candidate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    candidate, _parts = _open_for(request, pk, "loket.manage_candidate")
    form = CandidateEditForm(_posted(request), instance=candidate)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_update(
                candidate=candidate,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                related_subjects=list(form.cleaned_data["related_subjects"]),
                target_subjects=list(form.cleaned_data["target_subjects"]),
                **form.changes(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            # New answers can change which routes fit: the stored advice follows the record.
            advice_refresh(candidate=Candidate.objects.get(pk=candidate.pk), actor=request.user)
            messages.success(request, _("De gegevens zijn opgeslagen."))
            return redirect(_detail_url(candidate))
    return render(request, "loket/staff/candidate_edit.html", {"candidate": candidate, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def trajectory_create(request: HttpRequest, pk: int) -> HttpResponse:
    candidate, _parts = _open_for(request, pk, "loket.manage_candidate")
    form = TrajectoryForm(_posted(request), candidate=candidate)
    if request.method == "POST" and form.is_valid():
        try:
            trajectory = services.trajectory_create(
                candidate=candidate,
                actor=request.user,
                route_id=form.cleaned_data["route_id"],
                subject=form.cleaned_data["subject"],
                board=form.cleaned_data["board"],
                school_location=form.cleaned_data["school_location"],
                institute=form.cleaned_data["institute"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Het traject is aangemaakt."))
            return redirect(_detail_url(candidate, f"traject-{trajectory.pk}"))
    return render(
        request, "loket/staff/trajectory_form.html", {"candidate": candidate, "form": form, "trajectory": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def trajectory_edit(request: HttpRequest, pk: int, trajectory_pk: int) -> HttpResponse:
    candidate, _parts = _open_for(request, pk, "loket.manage_candidate")
    trajectory = _trajectory_of(request, candidate, trajectory_pk)
    form = TrajectoryForm(_posted(request), candidate=candidate, trajectory=trajectory)
    if request.method == "POST" and form.is_valid():
        try:
            services.trajectory_update(
                trajectory=trajectory,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                route_id=form.cleaned_data["route_id"],
                subject=form.cleaned_data["subject"],
                board=form.cleaned_data["board"],
                school_location=form.cleaned_data["school_location"],
                institute=form.cleaned_data["institute"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Het traject is opgeslagen."))
            return redirect(_detail_url(candidate, f"traject-{trajectory.pk}"))
    return render(
        request,
        "loket/staff/trajectory_form.html",
        {"candidate": candidate, "form": form, "trajectory": trajectory},
    )


@login_required
@require_http_methods(["GET", "POST"])
def handover_create(request: HttpRequest, pk: int) -> HttpResponse:
    candidate, _parts = _open_for(request, pk, "loket.manage_candidate")
    form = HandoverForm(_posted(request), candidate=candidate)
    if request.method == "POST" and form.is_valid():
        try:
            handover = services.handover_create(
                candidate=candidate,
                receiver=form.cleaned_data["receiver"],
                school_location=form.cleaned_data["school_location"],
                trajectory=form.cleaned_data["trajectory"],
                shared_parts=form.cleaned_data["shared_parts"],
                message=form.cleaned_data["message"],
                actor=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is overgedragen aan %(receiver)s.")
                % {"name": candidate.full_name, "receiver": handover.receiver.name},
            )
            return redirect(_detail_url(candidate, "overdrachten"))
    consents = services.current_consents(candidate)
    return render(
        request,
        "loket/staff/handover_form.html",
        {
            "candidate": candidate,
            "form": form,
            "consents": [(label, consents.get(value, False)) for value, label in ConsentPurpose.choices],
        },
    )


@login_required
@require_POST
def handover_withdraw(request: HttpRequest, pk: int, handover_pk: int) -> HttpResponse:
    candidate, _parts = _open_for(request, pk, "loket.manage_candidate")
    handover = get_object_or_404(candidate.handovers, pk=handover_pk)
    try:
        services.handover_withdraw(handover=handover, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("De overdracht aan %(receiver)s is ingetrokken.") % {"receiver": handover.receiver.name}
        )
    return redirect(_detail_url(candidate, "overdrachten"))


@login_required
@require_http_methods(["GET", "POST"])
def candidate_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Erase a candidate's data on their request (AVG art. 17), made by the desk after a confirmation."""
    candidate, _parts = _open_for(request, pk, "loket.manage_candidate")
    form = CandidateEraseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.candidate_erase(
            candidate=candidate, actor=request.user, reason=f"request via desk: {form.cleaned_data['reason']}"
        )
        messages.success(request, _("De gegevens van de kandidaat zijn verwijderd; alleen anonieme cijfers blijven."))
        return redirect("loket:candidate_list")
    return render(request, "loket/staff/candidate_erase.html", {"candidate": candidate, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def merge(request: HttpRequest, pk: int, other_pk: int) -> HttpResponse:
    """Merge two registrations of one person: a confirm page, then services.candidate_merge."""
    first, _parts = _open_for(request, pk, "loket.manage_candidate")
    second, _other_parts = _open_for(request, other_pk, "loket.manage_candidate")
    if first.pk == second.pk or first.region_id != second.region_id:
        raise Http404
    form = MergeForm(_posted(request), first=first, second=second)
    if request.method == "POST" and form.is_valid():
        keep, duplicate = (first, second) if form.cleaned_data["keep"] == str(first.pk) else (second, first)
        try:
            services.candidate_merge(keep=keep, duplicate=duplicate, actor=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("De aanmeldingen zijn samengevoegd."))
            return redirect(_detail_url(keep))
    pair = []
    for candidate in (first, second):
        candidate.trajectory_count = candidate.trajectories.count()
        candidate.document_count = candidate.documents.count()
        pair.append(candidate)
    return render(request, "loket/staff/merge.html", {"form": form, "pair": pair, "first": first})


# --- Inbox -------------------------------------------------------------------------------------


def _inbox(request: HttpRequest):
    return selectors.inbox(user=request.user)


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    _require(request, "loket.use_inbox")
    handovers = (
        _inbox(request)
        .select_related("candidate__region")
        .order_by(
            Case(When(status=Handover.Status.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()),
            "-created_at",
            "-pk",
        )
    )
    page = Paginator(handovers, exports.PAGE_SIZE).get_page(request.GET.get("page"))
    # The inbox names candidates: a read of personal data like the working list.
    exports.list_viewed_record(
        viewer=exports.Viewer(request.user), candidates=[h.candidate for h in page], filters={}, via="inbox"
    )
    return render(
        request,
        "loket/staff/inbox.html",
        {"page_obj": page, "active_statuses": ACTIVE_HANDOVER, "pending": Handover.Status.PENDING},
    )


@login_required
@require_http_methods(["GET", "POST"])
def handover_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "loket.use_inbox")
    handover = get_object_or_404(_inbox(request), pk=pk)
    form = HandoverDecisionForm(_posted(request))
    if request.method == "POST":
        if handover.status != Handover.Status.PENDING:
            messages.error(request, _("Deze overdracht is al beantwoord."))
            return redirect("loket:handover_detail", pk=handover.pk)
        if form.is_valid():
            accept = form.cleaned_data["decision"] == "accept"
            try:
                services.handover_decide(
                    handover=handover, accept=accept, note=form.cleaned_data["note"], actor=request.user
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                if accept:
                    messages.success(request, _("U heeft de overdracht geaccepteerd."))
                    return redirect("loket:candidate_detail", pk=handover.candidate_id)
                messages.success(request, _("U heeft de overdracht afgewezen."))
                return redirect("loket:inbox")
    context = {"handover": handover, "form": form, "pending": handover.status == Handover.Status.PENDING}
    if handover.status in ACTIVE_HANDOVER:
        candidate, visible = selectors.candidate_open(user=request.user, pk=handover.candidate_id)
        # Exactly what this handover shares, even if another handover shared more.
        parts = frozenset(handover.shared_parts) & visible
        context.update(
            {
                "candidate": candidate,
                "parts": parts,
                "shared_labels": handover.get_shared_parts_display(),
                "sector_labels": [
                    label for value, label in exports.SECTOR_LABELS.items() if value in (candidate.target_sectors or [])
                ],
            }
        )
        if SharedPart.BACKGROUND in parts:
            context["related_subjects"] = list(candidate.related_subjects.order_by("name"))
        if SharedPart.WISHES in parts:
            context["target_subjects"] = list(candidate.target_subjects.order_by("name"))
        if SharedPart.ADVICE in parts:
            context["advice_routes"] = _advice_routes(candidate)
        if SharedPart.DOCUMENTS in parts:
            context["documents"] = list(candidate.documents.all())
    return render(request, "loket/staff/handover_detail.html", context)


urlpatterns = [
    path("loket/kandidaten/<int:pk>/verwijderen", candidate_erase, name="candidate_erase"),
    path("loket/kandidaten", candidate_list, name="candidate_list"),
    path("loket/kandidaten/fasen", board_view, name="board_view"),
    path("loket/kandidaten/export", export, name="export"),
    path("loket/kandidaten/<int:pk>", candidate_detail, name="candidate_detail"),
    path("loket/kandidaten/<int:pk>/bewerken", candidate_edit, name="candidate_edit"),
    path("loket/kandidaten/<int:pk>/ketenregisseur", coordinator_assign, name="coordinator_assign"),
    path("loket/kandidaten/<int:pk>/notities", note_add, name="note_add"),
    path("loket/kandidaten/<int:pk>/documenten", document_add, name="document_add"),
    path("loket/kandidaten/<int:pk>/documenten/<int:document_pk>", document_download, name="document_download"),
    path("loket/kandidaten/<int:pk>/trajecten/nieuw", trajectory_create, name="trajectory_create"),
    path("loket/kandidaten/<int:pk>/trajecten/<int:trajectory_pk>/bewerken", trajectory_edit, name="trajectory_edit"),
    path("loket/kandidaten/<int:pk>/trajecten/<int:trajectory_pk>/fase", trajectory_move, name="trajectory_move"),
    path(
        "loket/kandidaten/<int:pk>/trajecten/<int:trajectory_pk>/volgende-fase",
        trajectory_advance,
        name="trajectory_advance",
    ),
    path("loket/kandidaten/<int:pk>/trajecten/<int:trajectory_pk>/beeindigen", trajectory_end, name="trajectory_end"),
    path("loket/kandidaten/<int:pk>/trajecten/<int:trajectory_pk>/opvolgen", follow_up_set, name="follow_up_set"),
    path("loket/kandidaten/<int:pk>/overdragen", handover_create, name="handover_create"),
    path(
        "loket/kandidaten/<int:pk>/overdrachten/<int:handover_pk>/intrekken",
        handover_withdraw,
        name="handover_withdraw",
    ),
    path("loket/kandidaten/<int:pk>/samenvoegen/<int:other_pk>", merge, name="merge"),
    path("loket/inbox", inbox, name="inbox"),
    path("loket/inbox/<int:pk>", handover_detail, name="handover_detail"),
]
