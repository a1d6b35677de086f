"""Offers: accept or decline by the token in the email, and expire what nobody answered.

Accepting an offer locks the offer, the member and the request rows (in that order, everywhere),
re-checks expiry, status and eligibility against the member's current bookings, and writes one
BookedSlot per day-part. The unique (member, day, part) constraint is the last line of defence: if it
fires, the accept is rolled back and the member is told the work clashes.

The link in the email speaks for the offer's member. Whoever holds it answers as that member: without
a login the member's account is the actor; a different account logged in in the same browser is
refused (and asked to log out), so that it is never recorded as having answered someone else's offer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onderwijsregio.core.errors import actor_or_none
from onderwijsregio.core.services import (
    audit_record,
)

from .. import audit, selectors
from .. import engine_input as ei
from ..engine import types as et
from ..errors import OfferRefused
from ..labels import exclusion_text
from ..models import (
    Assignment,
    BookedSlot,
    MemberContract,
    Offer,
    PoolMember,
    ReplacementRequest,
)
from .figures import figures_kept, figures_touch, figures_touch_assignment
from .lifecycle import day_parts_of, offer_withdraw, pool_mail, request_status_refresh, site_link

logger = logging.getLogger(__name__)


@dataclass
class _Outcome:
    assignment: Assignment | None = None
    offer: Offer | None = None
    refusal: str = ""


def offer_link_problem(*, member: PoolMember, user: Any) -> str:
    """Why `user` may not answer an offer to `member` ("" when they may: the member, or nobody logged in)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    if member.user_id is not None and user.pk == member.user_id:
        return ""
    return _(
        "U bent ingelogd als %(email)s, maar dit aanbod is voor een ander poollid. Log uit en open de link uit "
        "de e-mail opnieuw."
    ) % {"email": user.email}


def _link_actor(*, member: PoolMember, actor: Any) -> tuple[Any, str]:
    """The actor to record for an answer through the link, and how it came: the member's own account."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor, "account"
    return member.user, "link"


def offer_state_problem(*, offer: Offer, now: datetime | None = None) -> str:
    """Why an offer can no longer be answered, or "" if it can."""
    now = now or timezone.now()
    if offer.status == Offer.Status.ACCEPTED:
        return _("U heeft dit aanbod al geaccepteerd. U vindt de inzet onder Mijn invalwerk.")
    if offer.status == Offer.Status.DECLINED:
        return _("U heeft dit aanbod al afgewezen.")
    if offer.status == Offer.Status.WITHDRAWN:
        return _(
            "Dit aanbod is ingetrokken, bijvoorbeeld omdat de vervanging al is ingevuld of de school de aanvraag "
            "heeft ingetrokken."
        )
    if offer.status == Offer.Status.EXPIRED or offer.expires_at <= now:
        return _(
            "Dit aanbod is verlopen op %(when)s. Neem contact op met de coördinator als u het werk toch wilt doen."
        ) % {"when": timezone.localtime(offer.expires_at).strftime("%d-%m-%Y %H:%M")}
    return ""


def _slots_for(assignment: Assignment) -> list[BookedSlot]:
    wanted = ei.parse_day_parts(values=assignment.day_parts)
    rows = []
    day = assignment.start_date
    while day <= assignment.end_date:
        for weekday, part in sorted(wanted):
            if day.weekday() == weekday:
                rows.append(BookedSlot(assignment=assignment, member_id=assignment.member_id, day=day, part=part))
        day += timedelta(days=1)
    return rows


def _locked_offer(token: str) -> Offer:
    offer = Offer.objects.select_for_update().filter(token=token).first()
    if offer is None:
        raise OfferRefused(_("Deze link is onbekend. Controleer of u de hele link uit de e-mail heeft gebruikt."))
    return offer


def offer_accept(*, token: str, actor: Any = None, now: datetime | None = None) -> Assignment:
    """Accept an offer: becomes an Assignment with its booked day-parts, or a clear refusal.

    Refusals that change state (an offer found expired, or withdrawn because the member turns out
    to be booked already) are committed before the refusal is raised.
    """
    with transaction.atomic(), figures_kept():
        outcome = _offer_accept_locked(token=token, actor=actor, now=now or timezone.now())
    if outcome.refusal:
        raise OfferRefused(outcome.refusal)
    return outcome.assignment


def _offer_accept_locked(*, token: str, actor, now: datetime) -> _Outcome:
    offer = _locked_offer(token)
    # Lock order everywhere: offer, member, request.
    member = PoolMember.objects.select_for_update(of=("self",)).select_related("user").get(pk=offer.member_id)
    wrong_user = offer_link_problem(member=member, user=actor)
    if wrong_user:
        return _Outcome(refusal=wrong_user)
    actor, via = _link_actor(member=member, actor=actor)
    request = (
        ReplacementRequest.objects.select_for_update(of=("self",))
        .select_related("pool", "subject", "school_location")
        .get(pk=offer.request_id)
    )
    problem = offer_state_problem(offer=offer, now=now)
    if problem:
        if offer.status == Offer.Status.OPEN:
            offer.status = Offer.Status.EXPIRED
            offer.save(update_fields=["status"])
            request_status_refresh(request=request)
        return _Outcome(refusal=problem)
    open_hours = request.hours_per_week - request.filled_hours_per_week
    if not request.is_open or open_hours <= 0:
        offer_withdraw(offer=offer, why=_("de vervanging is al ingevuld"), mail=False)
        return _Outcome(refusal=_("Deze vervanging is al ingevuld of ingetrokken. Dank voor uw reactie."))
    hours = min(offer.hours_per_week, open_hours)
    verdict = selectors.member_eligibility(
        member=member,
        request=request,
        hours_per_week=float(hours),
        include_open_offers=False,
        ignore_release=True,
    )
    if not verdict.eligible:
        reasons = "; ".join(exclusion_text(e) for e in verdict.exclusions)
        offer_withdraw(offer=offer, why=reasons, mail=False)
        audit_record(
            actor=actor,
            action=audit.OFFER_REFUSED,
            obj=offer,
            organisation_id=request.board_id,
            details={"reasons": [e.reason.value for e in verdict.exclusions], "via": via},
        )
        if any(e.reason == et.Reason.ALREADY_BOOKED for e in verdict.exclusions):
            return _Outcome(
                refusal=_(
                    "U kunt dit aanbod niet meer accepteren: u bent in deze periode al ingeroosterd voor ander "
                    "invalwerk (%(reasons)s). Er is niets dubbel geboekt."
                )
                % {"reasons": reasons}
            )
        return _Outcome(refusal=_("U kunt dit aanbod niet meer accepteren: %(reasons)s.") % {"reasons": reasons})
    assignment = Assignment(
        request=request,
        member=member,
        offer=offer,
        start_date=request.start_date,
        end_date=request.end_date,
        hours_per_week=hours,
        day_parts=day_parts_of(values=request.day_parts),
        travel_km=verdict.travel_km,
        created_by=actor_or_none(actor),
    )
    try:
        with transaction.atomic():
            assignment.save()
            BookedSlot.objects.bulk_create(_slots_for(assignment))
    except IntegrityError:
        # The unique (member, day, part) constraint: someone else booked this member first.
        offer_withdraw(offer=offer, why=_("dubbele boeking voorkomen"), mail=False)
        return _Outcome(
            refusal=_(
                "U kunt dit aanbod niet meer accepteren: u bent op een of meer van deze dagdelen al ingeroosterd "
                "voor ander invalwerk. Er is niets dubbel geboekt."
            )
        )
    figures_touch_assignment(assignment=assignment)
    if request.board_id != member.employer_id:
        MemberContract.objects.create(
            member=member,
            board_id=request.board_id,
            start_date=assignment.start_date,
            end_date=assignment.end_date,
            assignment=assignment,
        )
    offer.status = Offer.Status.ACCEPTED
    offer.responded_at = now
    offer.save(update_fields=["status", "responded_at"])
    request.filled_hours_per_week += hours
    request.version += 1
    request.save(update_fields=["filled_hours_per_week", "version", "updated_at"])
    figures_touch(request=request)
    if request.filled_hours_per_week >= request.hours_per_week:
        for other in request.offers.filter(status=Offer.Status.OPEN).select_related("member"):
            offer_withdraw(offer=other, why=_("de vervanging is ingevuld door een ander poollid"))
    request_status_refresh(request=request)
    audit_record(
        actor=actor,
        action=audit.OFFER_ACCEPTED,
        obj=offer,
        organisation_id=request.board_id,
        details={"assignment": assignment.pk, "member": member.pk, "request": request.pk, "via": via},
    )
    context = {"assignment": assignment, "member": member, "request": request, "pool": request.pool}
    pool_mail(
        to=[request.contact_email],
        subject=_("Invaller gevonden: %(subject)s") % {"subject": request.subject.name},
        template="assignment_school",
        context=context,
    )
    pool_mail(
        to=[member.email],
        subject=_("Bevestiging invalwerk: %(subject)s bij %(school)s")
        % {"subject": request.subject.name, "school": request.school_location.name},
        template="assignment_member",
        context={**context, "my_work_url": site_link(name="pool:my_work")},
    )
    return _Outcome(assignment=assignment, offer=offer)


def offer_decline(*, token: str, reason: str = "", actor: Any = None, now: datetime | None = None) -> Offer:
    with transaction.atomic(), figures_kept():
        offer = _locked_offer(token)
        member = PoolMember.objects.select_related("user").get(pk=offer.member_id)
        problem = offer_link_problem(member=member, user=actor)
        if problem:
            raise OfferRefused(problem)
        actor, via = _link_actor(member=member, actor=actor)
        request = ReplacementRequest.objects.select_for_update().get(pk=offer.request_id)
        problem = offer_state_problem(offer=offer, now=now)
        if problem:
            if offer.status == Offer.Status.OPEN:
                offer.status = Offer.Status.EXPIRED
                offer.save(update_fields=["status"])
                request_status_refresh(request=request)
        else:
            offer.status = Offer.Status.DECLINED
            offer.responded_at = now or timezone.now()
            offer.decline_reason = (reason or "").strip()[:200]
            offer.save(update_fields=["status", "responded_at", "decline_reason"])
            request_status_refresh(request=request)
            audit_record(
                actor=actor,
                action=audit.OFFER_DECLINED,
                obj=offer,
                organisation_id=request.board_id,
                details={"member": offer.member_id, "request": request.pk, "via": via},
            )
    if problem:
        raise OfferRefused(problem)
    return offer


@transaction.atomic
@figures_kept()
def offers_expire(*, now: datetime | None = None) -> int:
    """Mark open offers past their time as expired; their requests go back to open."""
    now = now or timezone.now()
    expired = list(
        Offer.objects.select_for_update(of=("self",))
        .filter(status=Offer.Status.OPEN, expires_at__lte=now)
        .select_related("request")
    )
    for offer in expired:
        offer.status = Offer.Status.EXPIRED
        offer.save(update_fields=["status"])
        audit_record(actor=None, action=audit.OFFER_EXPIRED, obj=offer, organisation_id=offer.request.board_id)
    for request in {offer.request_id: offer.request for offer in expired}.values():
        request.refresh_from_db()
        request_status_refresh(request=request)
    return len(expired)
