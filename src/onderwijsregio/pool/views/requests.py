"""Replacement request pages: schools file and follow their requests; the coordinator sees, per request,
which members are eligible and - for everyone else - every reason why not.

A request the user may not see is a 404. Schools see the status of their own requests (and who
was assigned), never the pool's other members.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onderwijsregio.core.errors import DomainError
from onderwijsregio.core.forms import add_service_errors
from onderwijsregio.core.guards import require_perm
from onderwijsregio.organisations.models import SchoolLocation

from .. import selectors, services
from ..forms import CancelForm, RequestFilterForm, RequestForm
from ..models import Assignment, Proposal
from ..permissions import is_coordinator_of
from .common import nav_context

PAGE_SIZE = 50


@login_required
@require_GET
def request_list(request: HttpRequest, slug: str) -> HttpResponse:
    pool = selectors.pool_for(user=request.user, slug=slug)
    require_perm(request, "pool.view_pool", pool)
    form = RequestFilterForm(request.GET or None, pool=pool)
    requests = (
        selectors.visible_requests(user=request.user, pool=pool)
        .select_related("school_location", "subject", "board")
        .order_by("-created_at", "-pk")
    )
    if form.is_valid():
        if form.cleaned_data.get("status"):
            requests = requests.filter(status=form.cleaned_data["status"])
        if form.cleaned_data.get("subject"):
            requests = requests.filter(subject=form.cleaned_data["subject"])
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "pool/request_list.html",
        {
            "pool": pool,
            **nav_context(request.user, pool),
            "form": form,
            "page_obj": page,
            "can_request": request.user.has_perm("pool.create_request", pool),
            "is_coordinator": is_coordinator_of(user=request.user, pool=pool),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest, slug: str) -> HttpResponse:
    pool = selectors.pool_for(user=request.user, slug=slug)
    require_perm(request, "pool.create_request", pool)
    locations = selectors.request_locations(user=request.user, pool=pool)
    form = RequestForm(
        request.POST if request.method == "POST" else None,
        pool=pool,
        locations=locations,
        preferred_members=selectors.preferred_member_choices(user=request.user, pool=pool),
        initial={"contact_name": request.user.get_full_name(), "contact_email": request.user.email},
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_create(
                pool=pool,
                actor=request.user,
                school_location=form.cleaned_data["school_location"],
                data=form.service_data(),
            )
        except DomainError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Uw aanvraag is ingediend. U ziet hier de status."))
            return redirect("pool:request_detail", slug=pool.slug, request_pk=created.pk)
    return render(
        request,
        "pool/request_form.html",
        {"pool": pool, **nav_context(request.user, pool), "form": form, "replacement": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_edit(request: HttpRequest, slug: str, request_pk: int) -> HttpResponse:
    pool = selectors.pool_for(user=request.user, slug=slug)
    replacement = selectors.request_for(user=request.user, pool=pool, pk=request_pk)
    require_perm(request, "pool.change_request", replacement)
    form = RequestForm(
        request.POST if request.method == "POST" else None,
        pool=pool,
        locations=SchoolLocation.objects.filter(pk=replacement.school_location_id),
        preferred_members=selectors.preferred_member_choices(user=request.user, pool=pool),
        instance=replacement,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.request_update(
                request=replacement,
                actor=request.user,
                data=form.service_data(),
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("De aanvraag is gewijzigd."))
            return redirect("pool:request_detail", slug=pool.slug, request_pk=replacement.pk)
    return render(
        request,
        "pool/request_form.html",
        {"pool": pool, **nav_context(request.user, pool), "form": form, "replacement": replacement},
    )


@login_required
@require_GET
def request_detail(request: HttpRequest, slug: str, request_pk: int) -> HttpResponse:
    pool = selectors.pool_for(user=request.user, slug=slug)
    replacement = selectors.request_for(user=request.user, pool=pool, pk=request_pk)
    require_perm(request, "pool.view_request", replacement)
    coordinator = is_coordinator_of(user=request.user, pool=pool)
    can_change = request.user.has_perm("pool.change_request", replacement)
    own_member = selectors.member_for_user(user=request.user, pool=pool)
    context = {
        "pool": pool,
        **nav_context(request.user, pool),
        "replacement": replacement,
        "is_coordinator": coordinator,
        "can_change": can_change and replacement.is_open,
        "cancel_form": CancelForm() if can_change and replacement.is_open else None,
    }
    if coordinator or can_change:
        context["assignments"] = replacement.assignments.select_related("member").order_by("start_date")
        context["offers"] = replacement.offers.select_related("member").order_by("-created_at")
    elif own_member is not None:
        context["assignments"] = replacement.assignments.filter(member=own_member)
        context["offers"] = replacement.offers.filter(member=own_member)
    if coordinator:
        rows = selectors.request_eligibility(user=request.user, request=replacement)
        context["why_not"] = rows
        context["eligible_count"] = sum(1 for row in rows if row["eligible"])
        context["proposals"] = replacement.proposals.filter(status=Proposal.Status.PROPOSED).select_related(
            "member", "batch"
        )
    return render(request, "pool/request_detail.html", context)


@login_required
@require_POST
def request_cancel(request: HttpRequest, slug: str, request_pk: int) -> HttpResponse:
    pool = selectors.pool_for(user=request.user, slug=slug)
    replacement = selectors.request_for(user=request.user, pool=pool, pk=request_pk)
    require_perm(request, "pool.change_request", replacement)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.request_cancel(request=replacement, actor=request.user, reason=reason)
    except DomainError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De aanvraag is ingetrokken. Open aanbiedingen zijn vervallen."))
    return redirect("pool:request_detail", slug=pool.slug, request_pk=replacement.pk)


@login_required
@require_POST
def assignment_cancel(request: HttpRequest, slug: str, assignment_pk: int) -> HttpResponse:
    pool = selectors.pool_for(user=request.user, slug=slug)
    assignment = get_object_or_404(
        Assignment.objects.select_related("request__pool", "member"), pk=assignment_pk, request__pool=pool
    )
    require_perm(request, "pool.cancel_assignment", assignment)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.assignment_cancel(assignment=assignment, actor=request.user, reason=reason)
    except DomainError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De inzet is beëindigd; de vrijgekomen uren staan weer open."))
    return redirect("pool:request_detail", slug=pool.slug, request_pk=assignment.request_id)
