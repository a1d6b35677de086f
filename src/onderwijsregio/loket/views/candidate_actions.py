"""Desk pages of their own for changing a candidate: the record, trajectories, handovers, erasure and merging."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from onderwijsregio.core.forms import add_service_errors

from .. import selectors, services
from ..forms.staff import (
    CandidateEditForm,
    CandidateEraseForm,
    HandoverForm,
    MergeForm,
    TrajectoryForm,
)
from ..models import (
    ConsentPurpose,
)
from .common import detail_url, open_for, posted, trajectory_of


@login_required
@require_http_methods(["GET", "POST"])
def candidate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    candidate, _parts = open_for(request, pk, "loket.manage_candidate")
    form = CandidateEditForm(posted(request), instance=candidate)
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
            add_service_errors(form, error)
        else:
            messages.success(request, _("De gegevens zijn opgeslagen."))
            return redirect(detail_url(candidate))
    return render(request, "loket/staff/candidate_edit.html", {"candidate": candidate, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def trajectory_create(request: HttpRequest, pk: int) -> HttpResponse:
    candidate, _parts = open_for(request, pk, "loket.manage_candidate")
    form = TrajectoryForm(posted(request), candidate=candidate)
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
            add_service_errors(form, error)
        else:
            messages.success(request, _("Het traject is aangemaakt."))
            return redirect(detail_url(candidate, f"traject-{trajectory.pk}"))
    return render(
        request, "loket/staff/trajectory_form.html", {"candidate": candidate, "form": form, "trajectory": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def trajectory_edit(request: HttpRequest, pk: int, trajectory_pk: int) -> HttpResponse:
    candidate, _parts = open_for(request, pk, "loket.manage_candidate")
    trajectory = trajectory_of(request, candidate, trajectory_pk)
    form = TrajectoryForm(posted(request), candidate=candidate, trajectory=trajectory)
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
            add_service_errors(form, error)
        else:
            messages.success(request, _("Het traject is opgeslagen."))
            return redirect(detail_url(candidate, f"traject-{trajectory.pk}"))
    return render(
        request,
        "loket/staff/trajectory_form.html",
        {"candidate": candidate, "form": form, "trajectory": trajectory},
    )


@login_required
@require_http_methods(["GET", "POST"])
def handover_create(request: HttpRequest, pk: int) -> HttpResponse:
    candidate, _parts = open_for(request, pk, "loket.manage_candidate")
    form = HandoverForm(posted(request), candidate=candidate)
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
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is overgedragen aan %(receiver)s.")
                % {"name": candidate.full_name, "receiver": handover.receiver.name},
            )
            return redirect(detail_url(candidate, "overdrachten"))
    consents = selectors.current_consents(candidate=candidate)
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
    candidate, _parts = open_for(request, pk, "loket.manage_candidate")
    handover = get_object_or_404(candidate.handovers, pk=handover_pk)
    try:
        services.handover_withdraw(handover=handover, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("De overdracht aan %(receiver)s is ingetrokken.") % {"receiver": handover.receiver.name}
        )
    return redirect(detail_url(candidate, "overdrachten"))


@login_required
@require_http_methods(["GET", "POST"])
def candidate_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Erase a candidate's data on their request (AVG art. 17), made by the desk after a confirmation."""
    candidate, _parts = open_for(request, pk, "loket.manage_candidate")
    form = CandidateEraseForm(posted(request))
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
    first, _parts = open_for(request, pk, "loket.manage_candidate")
    second, _other_parts = open_for(request, other_pk, "loket.manage_candidate")
    if first.pk == second.pk or first.region_id != second.region_id:
        raise Http404
    form = MergeForm(posted(request), first=first, second=second)
    if request.method == "POST" and form.is_valid():
        keep, duplicate = (first, second) if form.cleaned_data["keep"] == str(first.pk) else (second, first)
        try:
            services.candidate_merge(keep=keep, duplicate=duplicate, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("De aanmeldingen zijn samengevoegd."))
            return redirect(detail_url(keep))
    pair = []
    for candidate in (first, second):
        candidate.trajectory_count = candidate.trajectories.count()
        candidate.document_count = candidate.documents.count()
        pair.append(candidate)
    return render(request, "loket/staff/merge.html", {"form": form, "pair": pair, "first": first})
