"""Pool member pages: the list with filters, a member's page (an audited read of personal data), and
creating or editing members with their qualifications and unavailable periods.

The coordinator sees every member of the pool; board HR sees the members their board employs and
may add members for their board. VOG warnings (expiring within 60 days, expired, missing) show in
the list and on the member's page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onderwijsregio.accounts.permissions import access_for
from onderwijsregio.core.errors import DomainError
from onderwijsregio.core.forms import add_service_errors
from onderwijsregio.core.guards import require_perm
from onderwijsregio.organisations.models import Organisation

from .. import selectors, services
from ..forms import MemberFilterForm, MemberForm, UnavailabilityForm
from ..models import Assignment, MemberUnavailability, Offer
from ..permissions import is_coordinator_of
from .common import nav_context

PAGE_SIZE = 50


def _employers(user, pool):
    """Boards a user may add members for: every participating board for the coordinator, own HR boards otherwise."""
    boards = Organisation.objects.filter(pk__in=pool.participants.values("board_id")).order_by("name")
    if is_coordinator_of(user=user, pool=pool):
        return boards
    return boards.filter(pk__in=access_for(user).hr_organisations)


def _may_list_members(user, pool) -> bool:
    return is_coordinator_of(user=user, pool=pool) or bool(_employers(user, pool).exists())


@login_required
@require_GET
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    pool = selectors.pool_for(user=request.user, slug=slug)
    if not _may_list_members(request.user, pool):
        raise Http404
    employers = _employers(request.user, pool)
    form = MemberFilterForm(request.GET or None, pool=pool, employers=employers)
    members = (
        selectors.visible_members(user=request.user, pool=pool)
        .select_related("employer", "pool")
        .prefetch_related("qualifications__subject")
        .order_by("full_name")
    )
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        if data.get("q"):
            members = members.filter(Q(full_name__icontains=data["q"]) | Q(email__icontains=data["q"]))
            filters["q"] = data["q"]
        if data.get("subject"):
            members = members.filter(qualifications__subject=data["subject"]).distinct()
            filters["subject"] = data["subject"].code
        if data.get("employer"):
            members = members.filter(employer=data["employer"])
            filters["employer"] = data["employer"].pk
        if data.get("active"):
            members = members.filter(is_active=data["active"] == "1")
            filters["active"] = data["active"]
    today = timezone.localdate()
    if form.is_valid() and form.cleaned_data.get("vog") == "warning":
        # Narrowed in SQL first, so only a handful of members are checked row by row.
        candidates = members.filter(selectors.vog_warning_q(pool=pool, today=today))
        members = members.filter(
            pk__in=[member.pk for member in candidates if selectors.vog_status(member=member, today=today)]
        )
        filters["vog"] = "warning"
    # Page in the database: a pool of thousands of members renders 50 at a time.
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = [(member, selectors.vog_status(member=member, today=today)) for member in page.object_list]
    selectors.members_read(user=request.user, pool=pool, count=len(page.object_list), filters=filters)
    return render(
        request,
        "pool/member_list.html",
        {
            "pool": pool,
            **nav_context(request.user, pool),
            "form": form,
            "page_obj": page,
            "rows": page.object_list,
            "can_add": employers.exists(),
            "is_coordinator": is_coordinator_of(user=request.user, pool=pool),
        },
    )


@login_required
@require_GET
def member_detail(request: HttpRequest, slug: str, member_pk: int) -> HttpResponse:
    pool = selectors.pool_for(user=request.user, slug=slug)
    member = selectors.member_open(user=request.user, pool=pool, pk=member_pk)
    require_perm(request, "pool.view_member", member)
    can_manage = request.user.has_perm("pool.manage_member", member)
    today = timezone.localdate()
    return render(
        request,
        "pool/member_detail.html",
        {
            "pool": pool,
            **nav_context(request.user, pool),
            "member": member,
            "can_manage": can_manage,
            "is_coordinator": is_coordinator_of(user=request.user, pool=pool),
            "vog_status": selectors.vog_status(member=member, today=today),
            "vog_expires": (
                selectors.vog_expires_on(vog_date=member.vog_date, max_months=pool.vog_max_age_months)
                if member.vog_date and pool.vog_max_age_months
                else None
            ),
            "periods": member.unavailable_periods.all(),
            "unavailability_form": UnavailabilityForm() if can_manage else None,
            "assignments": member.assignments.exclude(status=Assignment.Status.CANCELLED)
            .select_related("request__subject", "request__school_location")
            .order_by("-start_date")[:50],
            "offers": member.offers.filter(status=Offer.Status.OPEN).select_related(
                "request__subject", "request__school_location"
            ),
            "contracts": member.contracts.select_related("board"),
        },
    )


def _member_form_page(request, pool, member=None) -> HttpResponse:
    employers = _employers(request.user, pool)
    coordinator = is_coordinator_of(user=request.user, pool=pool)
    form = MemberForm(
        request.POST if request.method == "POST" else None,
        pool=pool,
        employers=employers,
        instance=member,
        is_coordinator=coordinator,
    )
    if request.method == "POST" and form.is_valid():
        extra = {
            "qualifications": form.qualifications,
            "preferred": form.cleaned_data["preferred_schools"],
            "blocked": form.cleaned_data["blocked_schools"],
        }
        try:
            if member is None:
                member = services.member_create(pool=pool, actor=request.user, data=form.service_data(), **extra)
                messages.success(request, _("%(name)s staat nu in de pool.") % {"name": member.full_name})
            else:
                member = services.member_update(
                    member=member,
                    actor=request.user,
                    data=form.service_data(),
                    expected_version=form.cleaned_data.get("version"),
                    **extra,
                )
                messages.success(request, _("De gegevens zijn opgeslagen."))
        except DomainError as error:
            add_service_errors(form, error)
        else:
            return redirect("pool:member_detail", slug=pool.slug, member_pk=member.pk)
    return render(
        request,
        "pool/member_form.html",
        {"pool": pool, **nav_context(request.user, pool), "form": form, "member": member},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request: HttpRequest, slug: str) -> HttpResponse:
    pool = selectors.pool_for(user=request.user, slug=slug)
    if not _employers(request.user, pool).exists():
        raise Http404
    return _member_form_page(request, pool)


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, slug: str, member_pk: int) -> HttpResponse:
    pool = selectors.pool_for(user=request.user, slug=slug)
    member = get_object_or_404(selectors.visible_members(user=request.user, pool=pool), pk=member_pk)
    require_perm(request, "pool.manage_member", member)
    return _member_form_page(request, pool, member)


@login_required
@require_POST
def member_unavailability_add(request: HttpRequest, slug: str, member_pk: int) -> HttpResponse:
    pool = selectors.pool_for(user=request.user, slug=slug)
    member = get_object_or_404(selectors.visible_members(user=request.user, pool=pool), pk=member_pk)
    require_perm(request, "pool.manage_member", member)
    form = UnavailabilityForm(request.POST)
    if form.is_valid():
        try:
            services.unavailability_add(member=member, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("De periode is toegevoegd."))
    else:
        messages.error(
            request,
            _("De periode is niet toegevoegd: %(errors)s")
            % {"errors": " ".join(str(e) for errors in form.errors.values() for e in errors)},
        )
    return redirect("pool:member_detail", slug=pool.slug, member_pk=member.pk)


@login_required
@require_POST
def member_unavailability_remove(request: HttpRequest, slug: str, member_pk: int, period_pk: int) -> HttpResponse:
    pool = selectors.pool_for(user=request.user, slug=slug)
    member = get_object_or_404(selectors.visible_members(user=request.user, pool=pool), pk=member_pk)
    require_perm(request, "pool.manage_member", member)
    period = get_object_or_404(MemberUnavailability, pk=period_pk, member=member)
    services.unavailability_remove(period=period, actor=request.user)
    messages.success(request, _("De periode is verwijderd."))
    return redirect("pool:member_detail", slug=pool.slug, member_pk=member.pk)
