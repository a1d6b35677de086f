"""Offer pages and the member's own page.

- Accept / decline by the token in the email: GET shows the offer and a confirm button, only the
  POST acts (mail scanners that open links accept nothing). Expired or used links say so clearly.
  The token is the key: no login needed, as the member may read the mail on a phone. Someone else
  logged in in the same browser is asked to log out first (the service refuses them too).
- "Mijn invalwerk" (`my_work`): the logged-in member's weekly availability, unavailable periods,
  open offers and assignments.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from onderwijsregio.core.errors import DomainError

from .. import services
from ..forms import AvailabilityForm, DeclineForm, UnavailabilityForm
from ..models import Assignment, MemberUnavailability, Offer, PoolMember


def _offer_by_token(token: str) -> Offer | None:
    return (
        Offer.objects.select_related(
            "member", "request__subject", "request__school_location", "request__pool", "assignment"
        )
        .filter(token=token)
        .first()
    )


def _offer_page(request, token: str, *, action: str) -> HttpResponse:
    offer = _offer_by_token(token)
    form = DeclineForm(request.POST or None) if action == "decline" else None
    outcome = ""
    error = ""
    wrong_user = False
    if offer is None:
        error = _("Deze link is onbekend. Controleer of u de hele link uit de e-mail heeft gebruikt.")
    elif problem := services.offer_link_problem(member=offer.member, user=request.user):
        # Checked before any form is shown or handled; the service would refuse the answer anyway.
        error, wrong_user = problem, True
    elif request.method == "POST":
        try:
            if action == "accept":
                services.offer_accept(token=token, actor=request.user)
                outcome = "accepted"
            elif form.is_valid():
                services.offer_decline(token=token, reason=form.cleaned_data["reason"], actor=request.user)
                outcome = "declined"
        except services.OfferRefused as refusal:
            error = " ".join(refusal.messages)
        offer.refresh_from_db()
    else:
        error = services.offer_state_problem(offer=offer)
    status = 404 if offer is None else 200
    return render(
        request,
        "pool/offer_respond.html",
        {"offer": offer, "action": action, "form": form, "outcome": outcome, "error": error, "wrong_user": wrong_user},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def offer_accept(request: HttpRequest, token: str) -> HttpResponse:
    return _offer_page(request, token, action="accept")


@never_cache
@require_http_methods(["GET", "POST"])
def offer_decline(request: HttpRequest, token: str) -> HttpResponse:
    return _offer_page(request, token, action="decline")


def _my_member(request) -> PoolMember:
    member = (
        PoolMember.objects.filter(user_id=request.user.pk)
        .select_related("pool", "employer")
        .order_by("pool__name", "pk")
        .first()
    )
    if member is None:
        raise Http404
    return member


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def my_work(request: HttpRequest) -> HttpResponse:
    members = list(PoolMember.objects.filter(user_id=request.user.pk).select_related("pool", "employer"))
    if not members:
        return render(request, "pool/my_work.html", {"members": []})
    member = members[0]
    if request.GET.get("pool"):
        member = next((m for m in members if m.pool.slug == request.GET["pool"]), member)
    form_name = request.POST.get("form") if request.method == "POST" else None
    availability = AvailabilityForm(
        request.POST if form_name == "availability" else None,
        initial={"day_parts": member.day_parts, "pool_hours": member.pool_hours, "max_travel_km": member.max_travel_km},
    )
    unavailability = UnavailabilityForm(request.POST if form_name == "unavailability" else None)
    if form_name == "availability" and availability.is_valid():
        try:
            services.member_availability_update(member=member, actor=request.user, **availability.cleaned_data)
        except DomainError as error:
            availability.add_error(None, error.messages)
        else:
            messages.success(request, _("Uw beschikbaarheid is opgeslagen."))
            return redirect("pool:my_work")
    if form_name == "unavailability" and unavailability.is_valid():
        try:
            services.unavailability_add(member=member, actor=request.user, **unavailability.cleaned_data)
        except DomainError as error:
            unavailability.add_error(None, error.messages)
        else:
            messages.success(request, _("De periode is toegevoegd."))
            return redirect("pool:my_work")
    now = timezone.now()
    offers = member.offers.filter(status=Offer.Status.OPEN, expires_at__gt=now).select_related(
        "request__subject", "request__school_location"
    )
    assignments = (
        member.assignments.exclude(status=Assignment.Status.CANCELLED)
        .select_related("request__subject", "request__school_location", "request__pool")
        .order_by("-start_date")
    )
    return render(
        request,
        "pool/my_work.html",
        {
            "members": members,
            "member": member,
            "availability_form": availability,
            "unavailability_form": unavailability,
            "periods": member.unavailable_periods.filter(end_date__gte=timezone.localdate()),
            "offers": offers,
            "assignments": assignments,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def my_unavailability_remove(request: HttpRequest, period_pk: int) -> HttpResponse:
    period = get_object_or_404(MemberUnavailability, pk=period_pk, member__user_id=request.user.pk)
    services.unavailability_remove(period=period, actor=request.user)
    messages.success(request, _("De periode is verwijderd."))
    return redirect("pool:my_work")
