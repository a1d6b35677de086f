"""Pool set-up pages: the list of the user's pools, a pool's home page, its policy and its boards.

Everyone who may see a pool gets its home page, with what their role can do there; the policy and
the participating boards (with their chain rules) are the coordinator's.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onderwijsregio.core.errors import DomainError
from onderwijsregio.core.forms import add_service_errors
from onderwijsregio.core.guards import require_perm
from onderwijsregio.organisations.models import Organisation, RegionMember

from .. import selectors, services
from ..forms import PolicyForm, PoolBoardForm
from ..models import Batch, Offer, PoolBoard, ReplacementRequest
from ..permissions import is_coordinator_of
from .common import nav_context


@login_required
@require_GET
def pool_list(request: HttpRequest) -> HttpResponse:
    pools = (
        selectors.visible_pools(user=request.user)
        .select_related("region", "sub_region")
        .annotate(
            open_requests=Count(
                "requests", filter=Q(requests__status__in=ReplacementRequest.OPEN_STATUSES), distinct=True
            ),
            active_members=Count("members", filter=Q(members__is_active=True), distinct=True),
        )
        .order_by("name")
    )
    member = selectors.member_for_user(user=request.user)
    return render(request, "pool/pool_list.html", {"pools": pools, "member": member})


@login_required
@require_GET
def pool_detail(request: HttpRequest, slug: str) -> HttpResponse:
    pool = selectors.pool_for(user=request.user, slug=slug)
    require_perm(request, "pool.view_pool", pool)
    coordinator = is_coordinator_of(user=request.user, pool=pool)
    requests = selectors.visible_requests(user=request.user, pool=pool)
    counts = {row["status"]: row["n"] for row in requests.values("status").annotate(n=Count("pk"))}
    context = {
        "pool": pool,
        **nav_context(request.user, pool),
        "is_coordinator": coordinator,
        "can_request": request.user.has_perm("pool.create_request", pool),
        "can_dashboard": request.user.has_perm("pool.view_dashboard", pool),
        "status_counts": [
            (label, counts.get(value, 0)) for value, label in ReplacementRequest.Status.choices if counts.get(value)
        ],
        "participants": pool.participants.select_related("board").order_by("board__name"),
        "own_member": selectors.member_for_user(user=request.user, pool=pool),
    }
    if coordinator:
        context["latest_batch"] = pool.batches.exclude(status=Batch.Status.DISCARDED).first()
        context["open_offers"] = Offer.objects.filter(request__pool=pool, status=Offer.Status.OPEN).count()
        context["vog_warnings"] = selectors.vog_warnings(pool=pool)
    return render(request, "pool/pool_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def pool_policy(request: HttpRequest, slug: str) -> HttpResponse:
    pool = selectors.pool_for(user=request.user, slug=slug)
    require_perm(request, "pool.manage_pool", pool)
    form = PolicyForm(request.POST if request.method == "POST" else None, instance=pool)
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in services.POOL_POLICY_FIELDS if field in form.cleaned_data}
        try:
            services.pool_update(
                pool=pool,
                actor=request.user,
                data=data,
                subjects=form.cleaned_data.get("subjects"),
                expected_version=form.cleaned_data.get("version"),
            )
        except DomainError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Het beleid van de pool is opgeslagen."))
            return redirect("pool:pool_detail", slug=pool.slug)
    return render(request, "pool/pool_policy.html", {"pool": pool, **nav_context(request.user, pool), "form": form})


def _candidate_boards(pool):
    members = RegionMember.objects.filter(region_id=pool.region_id).values("member_id")
    return (
        Organisation.objects.filter(
            Q(pk__in=members, kind=Organisation.Kind.BOARD) | Q(kind=Organisation.Kind.EMPLOYER, pk__in=members)
        )
        .exclude(pk__in=pool.participants.values("board_id"))
        .order_by("name")
    )


@login_required
@require_http_methods(["GET", "POST"])
def pool_boards(request: HttpRequest, slug: str) -> HttpResponse:
    pool = selectors.pool_for(user=request.user, slug=slug)
    require_perm(request, "pool.manage_pool", pool)
    form = PoolBoardForm(request.POST if request.method == "POST" else None, boards=_candidate_boards(pool))
    if request.method == "POST" and form.is_valid():
        try:
            services.pool_board_save(
                pool=pool, actor=request.user, board=form.cleaned_data["board"], data=form.service_data()
            )
        except DomainError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Het bestuur neemt nu deel aan de pool."))
            return redirect("pool:pool_boards", slug=pool.slug)
    participants = pool.participants.select_related("board").order_by("board__name")
    return render(
        request,
        "pool/pool_boards.html",
        {"pool": pool, **nav_context(request.user, pool), "form": form, "participants": participants},
    )


@login_required
@require_http_methods(["GET", "POST"])
def pool_board_edit(request: HttpRequest, slug: str, participation_pk: int) -> HttpResponse:
    pool = selectors.pool_for(user=request.user, slug=slug)
    require_perm(request, "pool.manage_pool", pool)
    participation = get_object_or_404(PoolBoard.objects.select_related("board"), pk=participation_pk, pool=pool)
    form = PoolBoardForm(request.POST if request.method == "POST" else None, instance=participation)
    if request.method == "POST" and form.is_valid():
        try:
            services.pool_board_save(pool=pool, actor=request.user, board=participation.board, data=form.service_data())
        except DomainError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("De afspraken met %(board)s zijn opgeslagen.") % {"board": participation.board})
            return redirect("pool:pool_boards", slug=pool.slug)
    return render(
        request,
        "pool/pool_board_edit.html",
        {"pool": pool, **nav_context(request.user, pool), "form": form, "participation": participation},
    )


@login_required
@require_POST
def pool_board_remove(request: HttpRequest, slug: str, participation_pk: int) -> HttpResponse:
    pool = selectors.pool_for(user=request.user, slug=slug)
    require_perm(request, "pool.manage_pool", pool)
    participation = get_object_or_404(PoolBoard.objects.select_related("board"), pk=participation_pk, pool=pool)
    try:
        services.pool_board_remove(participation=participation, actor=request.user)
    except DomainError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(board)s neemt niet meer deel aan de pool.") % {"board": participation.board})
    return redirect("pool:pool_boards", slug=pool.slug)
