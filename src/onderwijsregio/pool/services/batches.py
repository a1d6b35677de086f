"""Batches: run the engine over a pool's open requests, let the coordinator edit the proposals, confirm or discard.

Confirming a batch locks the batch row: a second coordinator confirming the same batch waits, then
finds it confirmed and is refused (offers go out once).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onderwijsregio.core.errors import actor_or_none
from onderwijsregio.core.jobs import job_create, job_enqueue, job_running
from onderwijsregio.core.services import audit_record

from .. import audit, selectors
from .. import engine_input as ei
from ..engine import types as et
from ..errors import PoolError
from ..labels import exclusion_text
from ..models import (
    Batch,
    Offer,
    Pool,
    PoolMember,
    Proposal,
    ReplacementRequest,
    UnfilledRequest,
)
from .figures import figures_kept
from .lifecycle import pool_mail, request_status_refresh, site_link
from .requests import release_tiers_widen

logger = logging.getLogger(__name__)


def batch_start(*, pool: Pool, actor: Any, scheduled: bool = False) -> Batch:
    """Queue a batch as a background job (the worker runs `tasks.batch_task`)."""
    from ..tasks import batch_task

    with transaction.atomic():
        Pool.objects.select_for_update().get(pk=pool.pk)
        if pool.batches.filter(
            status=Batch.Status.RUNNING, created_at__gte=timezone.now() - timedelta(hours=1)
        ).exists():
            raise PoolError(_("Er loopt al een ronde voor deze pool. Wacht tot die klaar is."), code="batch_running")
        job = job_create(
            kind="pool_batch",
            label=_("Ronde invalpool %(pool)s") % {"pool": pool.name},
            created_by=actor,
            organisation_id=pool.region_id,
        )
        batch = Batch.objects.create(pool=pool, job=job, created_by=actor_or_none(actor), is_scheduled=scheduled)
        audit_record(actor=actor, action=audit.BATCH_STARTED, obj=batch, organisation_id=pool.region_id)
        job_enqueue(job=job, task=batch_task, batch_id=batch.pk)
    return batch


def _engine_assign(members, requests, policy, bookings, history, names):
    """The one place the batch calls the engine (tests may replace it)."""
    from ..engine import assign

    return assign(members, requests, policy, bookings, history, subject_names=names)


def batch_run(
    *, pool: Pool, actor: Any, batch: Batch | None = None, scheduled: bool = False, time_limit_s: float = 10.0
) -> Batch:
    """Run the engine over the pool's open requests and store its proposals and unfilled reasons.

    The engine runs outside a transaction (it may take seconds); the result is written in one
    short atomic step. Progress goes to the batch's job when there is one; a failure marks the batch
    failed with the same Dutch sentence the job shows (the technical detail is in the job's result).
    """
    if batch is None:
        batch = Batch.objects.create(pool=pool, created_by=actor_or_none(actor), is_scheduled=scheduled)
    batch_pk = batch.pk

    def mark_failed(message: str) -> None:
        Batch.objects.filter(pk=batch_pk).update(status=Batch.Status.FAILED, notes=[message])

    with job_running(
        batch.job_id,
        failure=_("De ronde is mislukt"),
        hint=_("probeer het later opnieuw of vraag de beheerder in het logboek te kijken"),
        total=3,
        message=_("Gegevens laden"),
        on_failure=mark_failed,
    ) as progress:
        release_tiers_widen()
        requests = list(selectors.batch_requests(pool=pool))
        members = list(ei.members_queryset(pool=pool).filter(is_active=True))
        open_hours = {r.pk: float(r.hours_per_week - r.filled_hours_per_week) for r in requests}
        engine_requests = ei.engine_requests(requests=requests, members=members, open_hours=open_hours)
        engine_members = ei.engine_members(members=members)
        policy = ei.engine_policy(pool=pool, time_limit_s=time_limit_s)
        bookings = ei.bookings_for(pool=pool, include_open_offers=True)
        history = ei.history_for(pool=pool)
        progress.step(
            done=1,
            message=_("%(requests)s aanvragen en %(members)s leden: voorstel berekenen")
            % {"requests": len(requests), "members": len(members)},
        )
        result = _engine_assign(engine_members, engine_requests, policy, bookings, history, ei.subject_names(pool=pool))
        progress.step(done=2, message=_("Voorstellen opslaan"))
        batch = _batch_store(batch=batch, requests=requests, result=result, actor=actor)
        proposals, unfilled = batch.proposals.count(), batch.unfilled.count()
        progress.finish(
            result={"batch": batch.pk, "proposals": proposals, "unfilled": unfilled},
            message=_("%(proposals)s voorstel(len), %(unfilled)s aanvraag/aanvragen (deels) niet in te vullen")
            % {"proposals": proposals, "unfilled": unfilled},
        )
    return batch


@transaction.atomic
@figures_kept()
def _batch_store(*, batch: Batch, requests: list[ReplacementRequest], result: et.AssignmentResult, actor) -> Batch:
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    by_id = {r.pk: r for r in requests}
    # Older proposals of this pool that nobody confirmed are superseded by this batch.
    stale = Batch.objects.filter(pool=batch.pool, status=Batch.Status.PROPOSED).exclude(pk=batch.pk)
    Proposal.objects.filter(batch__in=stale, status=Proposal.Status.PROPOSED).update(status=Proposal.Status.REMOVED)
    stale.update(status=Batch.Status.DISCARDED)
    proposed_ids = set()
    for proposal in result.proposals:
        request = by_id.get(proposal.request_id)
        if request is None:
            continue
        Proposal.objects.create(
            batch=batch,
            request=request,
            member_id=proposal.member_id,
            hours_per_week=Decimal(str(round(proposal.hours_per_week, 1))),
            travel_km=proposal.travel_km,
            partial=proposal.partial,
            explanation=proposal.explanation,
        )
        proposed_ids.add(request.pk)
    for unfilled in result.unfilled:
        request = by_id.get(unfilled.request_id)
        if request is None:
            continue
        UnfilledRequest.objects.create(
            batch=batch,
            request=request,
            hours_per_week=Decimal(str(round(unfilled.hours_per_week, 1))),
            explanation=unfilled.explanation,
            reason_counts=dict(unfilled.reason_counts),
        )
        ReplacementRequest.objects.filter(pk=request.pk).update(
            unfilled_explanation=unfilled.explanation, updated_at=timezone.now()
        )
    batch.status = Batch.Status.PROPOSED
    batch.save(update_fields=["status"])
    for request in requests:
        if request.pk in proposed_ids and not any(u.request_id == request.pk for u in result.unfilled):
            ReplacementRequest.objects.filter(pk=request.pk).update(unfilled_explanation="")
        request.refresh_from_db()
        request_status_refresh(request=request)
    batch.status = Batch.Status.PROPOSED
    batch.method = result.method
    batch.solver_status = result.status
    batch.gap = result.gap
    batch.filled_hours = result.filled_hours
    batch.requested_hours = result.requested_hours
    batch.wall_time_s = result.wall_time_s
    batch.notes = list(result.notes)
    batch.save()
    audit_record(
        actor=actor,
        action=audit.BATCH_PROPOSED,
        obj=batch,
        organisation_id=batch.pool.region_id,
        details={"proposals": len(result.proposals), "unfilled": len(result.unfilled), "method": result.method},
    )
    return batch


def _batch_editable(batch: Batch) -> None:
    if batch.status != Batch.Status.PROPOSED:
        raise PoolError(
            _("Deze ronde is %(status)s; voorstellen kunnen niet meer worden gewijzigd.")
            % {"status": batch.get_status_display()},
            code="batch_closed",
        )


@transaction.atomic
@figures_kept()
def proposal_remove(*, proposal: Proposal, actor: Any) -> Proposal:
    batch = Batch.objects.select_for_update().get(pk=proposal.batch_id)
    proposal = Proposal.objects.select_related("request").get(pk=proposal.pk)
    _batch_editable(batch)
    if proposal.status != Proposal.Status.PROPOSED:
        raise PoolError(_("Dit voorstel is al geschrapt."), code="proposal_removed")
    proposal.status = Proposal.Status.REMOVED
    proposal.edited_by_coordinator = True
    proposal.save(update_fields=["status", "edited_by_coordinator"])
    request_status_refresh(request=proposal.request)
    audit_record(
        actor=actor,
        action=audit.PROPOSAL_REMOVED,
        obj=proposal,
        organisation_id=batch.pool.region_id,
        details={"batch": batch.pk, "request": proposal.request_id, "member": proposal.member_id},
    )
    return proposal


@transaction.atomic
def proposal_replace(*, proposal: Proposal, member: PoolMember, actor: Any) -> Proposal:
    """Put another member on a proposal; the member must be eligible (else every reason is given)."""
    batch = Batch.objects.select_for_update().get(pk=proposal.batch_id)
    proposal = Proposal.objects.select_related("request__pool", "request__subject").get(pk=proposal.pk)
    _batch_editable(batch)
    if member.pool_id != batch.pool_id:
        raise PoolError(_("Dit poollid hoort niet bij deze pool."), code="member_outside_pool")
    if member.pk == proposal.member_id:
        raise PoolError(_("Dit lid staat al op dit voorstel."), code="member_already_proposed")
    if batch.proposals.filter(request=proposal.request, member=member, status=Proposal.Status.PROPOSED).exists():
        raise PoolError(
            _("%(name)s is in deze ronde al voor deze aanvraag voorgesteld.") % {"name": member.full_name},
            code="member_already_proposed",
        )
    # Other live proposals of this batch for the member count as work already planned.
    planned = [
        et.Booking(
            member_id=member.pk,
            start=other.request.start_date,
            end=other.request.end_date,
            hours_per_week=float(other.hours_per_week),
            day_parts=ei.parse_day_parts(values=other.request.day_parts),
        )
        for other in batch.proposals.filter(member=member, status=Proposal.Status.PROPOSED).select_related("request")
    ]
    verdict = selectors.member_eligibility(
        member=member,
        request=proposal.request,
        hours_per_week=float(proposal.hours_per_week),
        extra_bookings=planned,
        ignore_release=True,
    )
    if not verdict.eligible:
        raise PoolError(
            _("%(name)s kan deze aanvraag niet krijgen: %(reasons)s.")
            % {"name": member.full_name, "reasons": "; ".join(exclusion_text(e) for e in verdict.exclusions)},
            code="member_not_eligible",
        )
    previous = proposal.member_id
    proposal.member = member
    proposal.travel_km = verdict.travel_km
    proposal.edited_by_coordinator = True
    proposal.explanation = _("Gekozen door de coördinator; %(km)s km") % {
        "km": f"{verdict.travel_km:.1f}".replace(".", ",")
    }
    proposal.save()
    audit_record(
        actor=actor,
        action=audit.PROPOSAL_REPLACED,
        obj=proposal,
        organisation_id=batch.pool.region_id,
        details={"batch": batch.pk, "request": proposal.request_id, "from": previous, "to": member.pk},
    )
    return proposal


@transaction.atomic
@figures_kept()
def batch_confirm(*, batch: Batch, actor: Any, now: datetime | None = None) -> list[Offer]:
    """Turn the kept proposals into offers and mail them. The batch row is locked: confirming twice,
    even at the same moment, sends the offers once and tells the second coordinator so."""
    now = now or timezone.now()
    batch = Batch.objects.select_for_update(of=("self",)).select_related("pool", "confirmed_by").get(pk=batch.pk)
    if batch.status == Batch.Status.CONFIRMED:
        who = batch.confirmed_by.get_full_name() if batch.confirmed_by else _("een andere coördinator")
        raise PoolError(
            _(
                "Deze ronde is al bevestigd door %(who)s op %(when)s. De aanbiedingen zijn toen verstuurd; er is niets "
                "opnieuw verstuurd."
            )
            % {"who": who, "when": timezone.localtime(batch.confirmed_at).strftime("%d-%m-%Y %H:%M")},
            code="batch_confirmed",
        )
    _batch_editable(batch)
    pool = batch.pool
    offers = []
    skipped = []
    for proposal in batch.proposals.filter(status=Proposal.Status.PROPOSED).select_related(
        "request__subject", "request__school_location", "member"
    ):
        request = ReplacementRequest.objects.select_for_update().get(pk=proposal.request_id)
        if not request.is_open or request.filled_hours_per_week >= request.hours_per_week:
            skipped.append(proposal.pk)
            continue
        if Offer.objects.filter(request=request, member=proposal.member, status=Offer.Status.OPEN).exists():
            skipped.append(proposal.pk)
            continue
        offer = Offer.objects.create(
            request=request,
            member=proposal.member,
            proposal=proposal,
            hours_per_week=proposal.hours_per_week,
            expires_at=now + timedelta(hours=pool.offer_valid_hours),
            created_by=actor_or_none(actor),
        )
        proposal.status = Proposal.Status.OFFERED
        proposal.save(update_fields=["status"])
        request_status_refresh(request=request)
        offers.append(offer)
        pool_mail(
            to=[proposal.member.email],
            subject=_("Aanbod invalwerk: %(subject)s bij %(school)s")
            % {
                "subject": request.subject.name,
                "school": proposal.request.school_location.name,
            },
            template="offer",
            context={
                "offer": offer,
                "member": proposal.member,
                "request": proposal.request,
                "pool": pool,
                "accept_url": site_link(name="pool:offer_accept", args=[offer.token]),
                "decline_url": site_link(name="pool:offer_decline", args=[offer.token]),
            },
        )
    batch.status = Batch.Status.CONFIRMED
    batch.confirmed_by = actor_or_none(actor)
    batch.confirmed_at = now
    batch.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    audit_record(
        actor=actor,
        action=audit.BATCH_CONFIRMED,
        obj=batch,
        organisation_id=pool.region_id,
        details={"offers": [o.pk for o in offers], "skipped_proposals": skipped},
    )
    return offers


@transaction.atomic
@figures_kept()
def batch_discard(*, batch: Batch, actor: Any) -> Batch:
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    _batch_editable(batch)
    batch.status = Batch.Status.DISCARDED
    batch.save(update_fields=["status"])
    for proposal in batch.proposals.filter(status=Proposal.Status.PROPOSED).select_related("request"):
        proposal.status = Proposal.Status.REMOVED
        proposal.save(update_fields=["status"])
        request_status_refresh(request=proposal.request)
    audit_record(actor=actor, action=audit.BATCH_DISCARDED, obj=batch, organisation_id=batch.pool.region_id)
    return batch
