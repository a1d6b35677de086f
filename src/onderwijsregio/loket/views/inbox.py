"""The inbox of handovers for receivers (boards, institutes, other regions) and the answer to one handover."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from onderwijsregio.core.forms import add_service_errors
from onderwijsregio.core.guards import require_perm

from .. import selectors, services
from ..forms.staff import (
    HandoverDecisionForm,
)
from ..models import (
    Handover,
    SharedPart,
)
from ..permissions import ACTIVE_HANDOVER
from ..worklist import PAGE_SIZE, SECTOR_LABELS, Viewer
from .common import advice_routes, posted


def _inbox(request: HttpRequest):
    return selectors.inbox(user=request.user)


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    require_perm(request, "loket.use_inbox")
    # ?status=pending: only the handovers awaiting an answer (the start page links here with its count).
    pending_only = request.GET.get("status") == Handover.Status.PENDING
    handovers = (
        selectors.inbox(user=request.user, pending_only=pending_only)
        .select_related("candidate__region")
        .order_by(
            Case(When(status=Handover.Status.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()),
            "-created_at",
            "-pk",
        )
    )
    page = Paginator(handovers, PAGE_SIZE).get_page(request.GET.get("page"))
    # The inbox names the candidates of running handovers: a read of personal data like the working list.
    # A withdrawn or declined one shows only that it ended, so it is no read and is not logged as one.
    named = [h.candidate for h in page if h.status in ACTIVE_HANDOVER]
    selectors.list_viewed_record(viewer=Viewer(request.user), candidates=named, filters={}, via="inbox")
    return render(
        request,
        "loket/staff/inbox.html",
        {
            "page_obj": page,
            "active_statuses": ACTIVE_HANDOVER,
            "pending": Handover.Status.PENDING,
            "pending_only": pending_only,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def handover_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "loket.use_inbox")
    handover = get_object_or_404(_inbox(request), pk=pk)
    form = HandoverDecisionForm(posted(request))
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
                add_service_errors(form, error)
            else:
                if accept:
                    messages.success(request, _("U heeft de overdracht geaccepteerd."))
                    return redirect("loket:candidate_detail", pk=handover.candidate_id)
                messages.success(request, _("U heeft de overdracht afgewezen."))
                return redirect("loket:inbox")
    context = {
        "handover": handover,
        "form": form,
        "pending": handover.status == Handover.Status.PENDING,
        "active": handover.status in ACTIVE_HANDOVER,
    }
    # Only a running handover shows the candidate (name, message, shared parts), and candidate_open
    # audits that read; an ended one shows only that it ended.
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
                    label for value, label in SECTOR_LABELS.items() if value in (candidate.target_sectors or [])
                ],
            }
        )
        if SharedPart.BACKGROUND in parts:
            context["related_subjects"] = list(candidate.related_subjects.order_by("name"))
        if SharedPart.WISHES in parts:
            context["target_subjects"] = list(candidate.target_subjects.order_by("name"))
        if SharedPart.ADVICE in parts:
            context["advice_routes"] = advice_routes(candidate)
        if SharedPart.DOCUMENTS in parts:
            context["documents"] = list(candidate.documents.all())
    return render(request, "loket/staff/handover_detail.html", context)
