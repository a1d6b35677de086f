"""The candidate page of the desk and the small forms on it: stage, end, follow-up, note, coordinator, documents.

Every read of a candidate goes through selectors.candidate_open (audited); a candidate the user may not
see is a 404, an action the user may not take on a candidate they do see is a 403. Receivers see only
the shared parts. A form with errors shows the page again with what was typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from onderwijsregio.core.forms import add_service_errors

from .. import selectors, services
from ..forms.staff import (
    CoordinatorForm,
    DocumentForm,
    FollowUpForm,
    NoteForm,
    StageMoveForm,
    TrajectoryEndForm,
)
from ..models import (
    ConsentPurpose,
    Document,
    EventKind,
    ExitReason,
    SharedPart,
    Stage,
)
from ..permissions import ACTIVE_HANDOVER, visible_trajectories_q
from ..services.documents import safe_document_name
from ..worklist import SECTOR_LABELS
from .common import advice_routes, detail_url, open_for, trajectory_of

TIMELINE_LIMIT = 200


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


def render_detail(request: HttpRequest, candidate, parts, bound: dict | None = None) -> HttpResponse:
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
        "sector_labels": [label for value, label in SECTOR_LABELS.items() if value in (candidate.target_sectors or [])],
    }
    if SharedPart.BACKGROUND in parts:
        context["related_subjects"] = list(candidate.related_subjects.order_by("name"))
    if SharedPart.WISHES in parts:
        context["target_subjects"] = list(candidate.target_subjects.order_by("name"))
    if SharedPart.ADVICE in parts:
        context["advice_routes"] = advice_routes(candidate)
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
        consents = selectors.current_consents(candidate=candidate)
        context["consents"] = [(label, consents.get(value, False)) for value, label in ConsentPurpose.choices]
        context["duplicates"] = _duplicates(request, candidate)
    return render(request, "loket/staff/candidate_detail.html", context)


@login_required
@require_GET
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate, parts = selectors.candidate_open(user=request.user, pk=pk)
    return render_detail(request, candidate, parts)


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
    candidate, parts = open_for(request, pk, perm)
    trajectory = trajectory_of(request, candidate, trajectory_pk)
    form = form_class(request.POST, trajectory=trajectory, prefix=f"{prefix}-{trajectory.pk}")
    if form.is_valid():
        try:
            perform(trajectory, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(detail_url(candidate, f"traject-{trajectory.pk}"))
    return render_detail(request, candidate, parts, {(key, trajectory.pk): form})


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
    candidate, parts = open_for(request, pk, "loket.progress_candidate")
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
            add_service_errors(form, error)
        else:
            messages.success(request, _("De notitie is toegevoegd."))
            return redirect(detail_url(candidate, "notitie"))
    return render_detail(request, candidate, parts, {"note": form})


@login_required
@require_POST
def coordinator_assign(request: HttpRequest, pk: int) -> HttpResponse:
    candidate, parts = open_for(request, pk, "loket.manage_candidate")
    form = CoordinatorForm(request.POST, candidate=candidate, prefix="regisseur")
    if form.is_valid():
        try:
            services.coordinator_assign(
                candidate=candidate, coordinator=form.cleaned_data["coordinator"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("De ketenregisseur is opgeslagen."))
            return redirect(detail_url(candidate))
    return render_detail(request, candidate, parts, {"coordinator": form})


@login_required
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    candidate, parts = open_for(request, pk, "loket.manage_candidate")
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
            add_service_errors(form, error)
        else:
            messages.success(request, _("Het document is toegevoegd."))
            return redirect(detail_url(candidate, "documenten"))
    return render_detail(request, candidate, parts, {"document": form})


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    candidate, parts = selectors.candidate_open(user=request.user, pk=pk)
    if SharedPart.DOCUMENTS not in parts:
        raise Http404
    document = selectors.document_open(user=request.user, candidate=candidate, pk=document_pk)
    # Always a download, under a name with the extension of the checked type (also for documents stored
    # before names followed the type), and never sniffed into HTML or script by the browser.
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=safe_document_name(document.original_name, document.content_type),
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
