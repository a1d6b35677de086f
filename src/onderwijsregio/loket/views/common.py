"""What the staff pages share: the permission checks, opening a candidate for an action, small helpers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import selectors
from ..models import (
    Trajectory,
)
from ..permissions import visible_trajectories_q


def require(request: HttpRequest, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def require_staff(request: HttpRequest) -> None:
    if not (request.user.has_perm("loket.use_desk") or request.user.has_perm("loket.use_inbox")):
        raise PermissionDenied


def add_errors(form, error: ValidationError) -> None:
    """Show a service's refusal in the form: on the field it names, otherwise at the top."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


def posted(request: HttpRequest):
    # An empty POST is still a submission: it must show "required" errors, not a fresh form.
    return request.POST if request.method == "POST" else None


def detail_url(candidate, anchor: str = "") -> str:
    url = reverse("loket:candidate_detail", args=[candidate.pk])
    return f"{url}#{anchor}" if anchor else url


def open_for(request: HttpRequest, pk: int, perm: str):
    candidate, parts = selectors.candidate_open(user=request.user, pk=pk)
    require(request, perm, candidate)
    return candidate, parts


def trajectory_of(request: HttpRequest, candidate, trajectory_pk: int) -> Trajectory:
    return get_object_or_404(candidate.trajectories.filter(visible_trajectories_q(request.user)), pk=trajectory_pk)


def advice_routes(candidate) -> list[dict]:
    labels = {"fits": _("past"), "fits_after": _("past als je nog iets regelt"), "does_not_fit": _("past nu niet")}
    routes = []
    for item in (candidate.advice or {}).get("routes", []):
        if isinstance(item, dict):
            routes.append({**item, "status_label": labels.get(item.get("status"), item.get("status", ""))})
    return routes
