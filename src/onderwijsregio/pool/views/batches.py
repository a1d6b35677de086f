"""Batch pages (coordinator only): start a batch as a background job and watch its progress, review
the proposals with their explanations and the unfilled requests with their reasons, remove a
proposal or put another eligible member on it, and confirm (offers go out) or discard the batch.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onderwijsregio.core.errors import DomainError
from onderwijsregio.core.guards import require_perm

from .. import selectors, services
from ..forms import ReplaceForm
from ..models import Batch, Proposal
from .common import nav_context


@login_required
@require_http_methods(["GET", "POST"])
def batch_list(request: HttpRequest, slug: str) -> HttpResponse:
    pool = selectors.pool_for(user=request.user, slug=slug)
    require_perm(request, "pool.coordinate", pool)
    if request.method == "POST":
        try:
            batch = services.batch_start(pool=pool, actor=request.user)
        except DomainError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("pool:batch_list", slug=pool.slug)
        return redirect("pool:batch_detail", slug=pool.slug, batch_pk=batch.pk)
    batches = pool.batches.select_related("created_by", "confirmed_by", "job")[:50]
    waiting = selectors.batch_requests(pool=pool).count()
    return render(
        request,
        "pool/batch_list.html",
        {"pool": pool, **nav_context(request.user, pool), "batches": batches, "waiting": waiting},
    )


@login_required
@never_cache
@require_GET
def batch_detail(request: HttpRequest, slug: str, batch_pk: int) -> HttpResponse:
    pool = selectors.pool_for(user=request.user, slug=slug)
    batch = selectors.batch_for(user=request.user, pool=pool, pk=batch_pk)
    proposals = list(
        batch.proposals.select_related("request__subject", "request__school_location", "member").order_by(
            "request__start_date", "pk"
        )
    )
    selectors.batch_proposals_read(user=request.user, batch=batch, proposals=proposals)
    unfilled = batch.unfilled.select_related("request__subject", "request__school_location").order_by(
        "request__start_date"
    )
    return render(
        request,
        "pool/batch_detail.html",
        {
            "pool": pool,
            **nav_context(request.user, pool),
            "batch": batch,
            "job": batch.job,
            "proposals": proposals,
            "kept": sum(1 for p in proposals if p.status == Proposal.Status.PROPOSED),
            "unfilled": unfilled,
            "editable": batch.status == Batch.Status.PROPOSED,
            "fill_percent": round(100 * batch.filled_hours / batch.requested_hours) if batch.requested_hours else 0,
        },
    )


@login_required
@require_POST
def batch_confirm(request: HttpRequest, slug: str, batch_pk: int) -> HttpResponse:
    pool = selectors.pool_for(user=request.user, slug=slug)
    batch = selectors.batch_for(user=request.user, pool=pool, pk=batch_pk)
    try:
        offers = services.batch_confirm(batch=batch, actor=request.user)
    except DomainError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("De ronde is bevestigd: %(n)s aanbod/aanbiedingen per e-mail verstuurd.") % {"n": len(offers)},
        )
    return redirect("pool:batch_detail", slug=pool.slug, batch_pk=batch.pk)


@login_required
@require_POST
def batch_discard(request: HttpRequest, slug: str, batch_pk: int) -> HttpResponse:
    pool = selectors.pool_for(user=request.user, slug=slug)
    batch = selectors.batch_for(user=request.user, pool=pool, pk=batch_pk)
    try:
        services.batch_discard(batch=batch, actor=request.user)
    except DomainError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De ronde is verworpen; er is niets verstuurd."))
    return redirect("pool:batch_detail", slug=pool.slug, batch_pk=batch.pk)


def _proposal(request, slug, batch_pk, proposal_pk):
    pool = selectors.pool_for(user=request.user, slug=slug)
    batch = selectors.batch_for(user=request.user, pool=pool, pk=batch_pk)
    proposal = get_object_or_404(
        Proposal.objects.select_related("request__subject", "request__school_location", "request__pool", "member"),
        pk=proposal_pk,
        batch=batch,
    )
    return pool, batch, proposal


@login_required
@require_POST
def proposal_remove(request: HttpRequest, slug: str, batch_pk: int, proposal_pk: int) -> HttpResponse:
    pool, batch, proposal = _proposal(request, slug, batch_pk, proposal_pk)
    try:
        services.proposal_remove(proposal=proposal, actor=request.user)
    except DomainError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Het voorstel is geschrapt."))
    return redirect("pool:batch_detail", slug=pool.slug, batch_pk=batch.pk)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_replace(request: HttpRequest, slug: str, batch_pk: int, proposal_pk: int) -> HttpResponse:
    pool, batch, proposal = _proposal(request, slug, batch_pk, proposal_pk)
    rows = [
        row
        for row in selectors.request_eligibility(user=request.user, request=proposal.request)
        if row["member"].pk != proposal.member_id
    ]
    eligible_ids = [row["member"].pk for row in rows if row["eligible"]]
    # Every active member can be chosen; the service refuses an ineligible one with all the reasons.
    form = ReplaceForm(
        request.POST if request.method == "POST" else None,
        members=pool.members.filter(is_active=True).exclude(pk=proposal.member_id).order_by("full_name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_replace(proposal=proposal, member=form.cleaned_data["member"], actor=request.user)
        except DomainError as error:
            form.add_error("member", error.messages)
        else:
            messages.success(
                request, _("%(name)s staat nu op het voorstel.") % {"name": form.cleaned_data["member"].full_name}
            )
            return redirect("pool:batch_detail", slug=pool.slug, batch_pk=batch.pk)
    return render(
        request,
        "pool/proposal_replace.html",
        {
            "pool": pool,
            **nav_context(request.user, pool),
            "batch": batch,
            "proposal": proposal,
            "form": form,
            "rows": rows,
            "eligible_ids": eligible_ids,
            "editable": batch.status == Batch.Status.PROPOSED,
        },
    )
