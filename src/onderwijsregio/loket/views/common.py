"""What the staff pages share: opening a candidate for an action, the trajectory of a URL, small helpers."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from onderwijsregio.core.guards import require_perm

from .. import selectors
from ..models import Trajectory
from ..permissions import visible_trajectories_q


def posted(request: HttpRequest):
    # An empty POST is still a submission: it must show "required" errors, not a fresh form.
    return request.POST if request.method == "POST" else None


def detail_url(candidate, anchor: str = "") -> str:
    url = reverse("loket:candidate_detail", args=[candidate.pk])
    return f"{url}#{anchor}" if anchor else url


def open_for(request: HttpRequest, pk: int, perm: str):
    candidate, parts = selectors.candidate_open(user=request.user, pk=pk)
    require_perm(request, perm, candidate)
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
