"""Writes of the substitute-pool workflow: requests, batches, proposals, offers, assignments.

Every function is atomic, validated and audited; emails go out through core.services.email_send_later
(after commit, so a rolled-back change mails nobody). The engine (pool/engine) decides who *may* and
who *should* take a request; this module keeps the database consistent while people act at the same
time:

- confirming a batch locks the batch row: a second coordinator confirming the same batch waits,
  then finds it confirmed and is refused (offers go out once);
- accepting an offer locks the offer, the member and the request rows (in that order, everywhere),
  re-checks expiry, status and eligibility against the member's current bookings, and writes one
  BookedSlot per day-part. The unique (member, day, part) constraint is the last line of defence:
  if it fires, the accept is rolled back and the member is told the work clashes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onderwijsregio.core.services import (
    audit_record,
    email_send_later,
    job_attach_task,
    job_create,
    job_fail,
    job_finish,
    job_progress,
    job_start,
)

from . import engine_input as ei
from .engine import types as et
from .engine.calendar import working_days
from .errors import OfferRefused, PoolConflict, PoolError
from .models import (
    DAY_PART_VALUES,
    Assignment,
    Batch,
    BookedSlot,
    Level,
    MemberContract,
    MemberUnavailability,
    Offer,
    Pool,
    PoolMember,
    Proposal,
    ReleaseTier,
    ReplacementRequest,
    UnfilledRequest,
)

logger = logging.getLogger(__name__)

# A day-part holds at most this many lesson hours (a morning or an afternoon of 50-minute lessons).
LESSON_HOURS_PER_DAY_PART = 5
RELEASE_ORDER = [ReleaseTier.OWN_SCHOOL, ReleaseTier.OWN_BOARD, ReleaseTier.POOL]

REASON_LABELS: dict[str, Any] = {
    et.Reason.INACTIVE: gettext_lazy("niet actief"),
    et.Reason.NO_QUALIFICATION: gettext_lazy("geen bevoegdheid voor dit vak"),
    et.Reason.DEGREE_TOO_LOW: gettext_lazy("bevoegdheid niet voor (alle) gevraagde niveaus"),
    et.Reason.NOT_AVAILABLE: gettext_lazy("niet beschikbaar op gevraagde dagdelen"),
    et.Reason.ABSENT: gettext_lazy("afwezig in deze periode"),
    et.Reason.TOO_FAR: gettext_lazy("woont verder weg dan de eigen maximale reisafstand"),
    et.Reason.CHAIN_RULE: gettext_lazy("ketenregeling: geen tijdelijk contract meer mogelijk bij dit bestuur"),
    et.Reason.VOG_MISSING: gettext_lazy("geen VOG bekend"),
    et.Reason.VOG_EXPIRED: gettext_lazy("VOG te oud"),
    et.Reason.BLOCKED: gettext_lazy("uitgesloten voor deze school"),
    et.Reason.NOT_RELEASED: gettext_lazy("aanvraag nog niet vrijgegeven voor dit lid"),
    et.Reason.ALREADY_BOOKED: gettext_lazy("al ingeroosterd of geen uren meer vrij"),
}


class StaleRecord(PoolError):
    """Someone else changed the record since it was loaded: nothing was overwritten."""


def _actor(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _link(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _mail(to: list[str], subject: str, template: str, context: dict) -> None:
    recipients = [address for address in to if address]
    if not recipients:
        return
    body = render_to_string(f"pool/email/{template}.txt", {"site_url": settings.SITE_URL, **context})
    email_send_later(to=recipients, subject=subject, body=body)


# Reasons whose label says everything; the engine's detail would only repeat it (with a subject code).
SELF_EXPLAINED = {et.Reason.INACTIVE, et.Reason.NO_QUALIFICATION}


def exclusion_text(exclusion: et.Exclusion) -> str:
    label = str(REASON_LABELS.get(exclusion.reason, exclusion.reason))
    if not exclusion.detail or exclusion.reason in SELF_EXPLAINED:
        return label
    return f"{label} ({exclusion.detail})"


def day_parts_of(values) -> list[str]:
    """Day-parts in week order, only known values."""
    return [value for value in DAY_PART_VALUES if value in set(values or ())]


# --- requests ---------------------------------------------------------------------------------

REQUEST_FIELDS = (
    "subject",
    "levels",
    "year_groups",
    "class_key",
    "start_date",
    "end_date",
    "hours_per_week",
    "day_parts",
    "reason",
    "urgency",
    "preferred_member",
    "contact_name",
    "contact_email",
    "contact_phone",
    "notes_for_substitute",
)


def request_problems(*, pool: Pool, school_location, data: dict) -> dict[str, list[str]]:
    """Every reason the request cannot be filed as it is, per field (Dutch)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    start, end = data.get("start_date"), data.get("end_date")
    if start and end:
        if end < start:
            add("end_date", _("De laatste dag ligt vóór de eerste dag. Kies een laatste dag op of na de eerste dag."))
        else:
            days = working_days(start, end)
            if days < pool.long_term_days:
                add(
                    "end_date",
                    _(
                        "De periode telt %(days)s werkdag(en). Deze pool vervangt alleen bij afwezigheid van "
                        "ten minste %(minimum)s werkdagen; kortere vervanging regelt de school zelf."
                    )
                    % {"days": days, "minimum": pool.long_term_days},
                )
    subject = data.get("subject")
    if subject is not None:
        pool_subjects = set(pool.subjects.values_list("pk", flat=True))
        if pool_subjects and subject.pk not in pool_subjects:
            add("subject", _("Het vak %(subject)s valt niet onder deze pool.") % {"subject": subject.name})
    levels = list(data.get("levels") or [])
    if not levels:
        add("levels", _("Kies ten minste één niveau."))
    unknown = [level for level in levels if level not in Level.values]
    if unknown:
        add("levels", _("Onbekend niveau: %(levels)s.") % {"levels": ", ".join(unknown)})
    if pool.levels:
        outside = [str(Level(level).label) for level in levels if level in Level.values and level not in pool.levels]
        if outside:
            add(
                "levels",
                _("Niet in deze pool: %(levels)s. De pool werkt voor: %(allowed)s.")
                % {
                    "levels": ", ".join(outside),
                    "allowed": ", ".join(str(Level(level).label) for level in pool.levels if level in Level.values),
                },
            )
    day_parts = list(data.get("day_parts") or [])
    bad_parts = [value for value in day_parts if value not in DAY_PART_VALUES]
    if not day_parts:
        add("day_parts", _("Kies ten minste één dagdeel waarop de vervanger nodig is."))
    elif bad_parts:
        add("day_parts", _("Onbekend dagdeel: %(parts)s.") % {"parts": ", ".join(map(str, bad_parts))})
    hours = data.get("hours_per_week")
    if hours is not None and day_parts and not bad_parts:
        most = LESSON_HOURS_PER_DAY_PART * len(set(day_parts))
        if Decimal(hours) > most:
            add(
                "hours_per_week",
                _(
                    "In %(parts)s dagdeel/dagdelen passen hoogstens %(most)s lesuren per week (%(per)s per dagdeel). "
                    "Kies minder uren of meer dagdelen."
                )
                % {"parts": len(set(day_parts)), "most": most, "per": LESSON_HOURS_PER_DAY_PART},
            )
    preferred = data.get("preferred_member")
    if preferred is not None and preferred.pool_id != pool.pk:
        add("preferred_member", _("Dit poollid hoort niet bij deze pool."))
    if school_location is not None:
        participation = pool.participants.filter(board_id=school_location.board_id).first()
        if participation is None:
            add(
                "school_location",
                _("Het bestuur van %(school)s neemt niet deel aan deze pool.") % {"school": school_location.name},
            )
        elif not participation.requests_substitutes:
            add(
                "school_location",
                _("Het bestuur van %(school)s vraagt in deze pool geen vervanging aan.")
                % {"school": school_location.name},
            )
    return errors


def _clean_request(request: ReplacementRequest) -> None:
    try:
        request.full_clean(exclude=["pool", "board", "created_by"])
    except ValidationError as error:
        raise PoolError(error.message_dict) from error


@transaction.atomic
def request_create(*, pool: Pool, actor, school_location, data: dict, synthetic: bool = False) -> ReplacementRequest:
    errors = request_problems(pool=pool, school_location=school_location, data=data)
    if errors:
        raise PoolError(errors)
    request = ReplacementRequest(
        pool=pool,
        school_location=school_location,
        board_id=school_location.board_id,
        created_by=_actor(actor),
        is_synthetic=synthetic,
        **{field: data[field] for field in REQUEST_FIELDS if field in data},
    )
    request.day_parts = day_parts_of(request.day_parts)
    request.release_tier = ReleaseTier.POOL if int(request.urgency) >= 2 else ReleaseTier.OWN_SCHOOL
    _clean_request(request)
    request.save()
    audit_record(
        actor=actor,
        action="pool.request_created",
        obj=request,
        organisation_id=request.board_id,
        details={"pool": pool.pk, "school_location": school_location.pk},
    )
    return request


@transaction.atomic
def request_update(*, request: ReplacementRequest, actor, data: dict, version: int | None = None) -> ReplacementRequest:
    request = ReplacementRequest.objects.select_for_update().get(pk=request.pk)
    if version is not None and int(version) != request.version:
        raise StaleRecord(_("Iemand anders heeft deze aanvraag intussen gewijzigd. Laad de pagina opnieuw."))
    if not request.is_open:
        raise PoolError(
            _("Deze aanvraag is %(status)s en kan niet meer worden gewijzigd.")
            % {"status": request.get_status_display()}
        )
    merged = {field: getattr(request, field) for field in REQUEST_FIELDS}
    merged.update({field: value for field, value in data.items() if field in REQUEST_FIELDS})
    errors = request_problems(pool=request.pool, school_location=None, data=merged)
    filled = request.filled_hours_per_week
    if merged.get("hours_per_week") is not None and Decimal(merged["hours_per_week"]) < filled:
        errors.setdefault("hours_per_week", []).append(
            _("Er zijn al %(filled)s uur per week ingevuld; minder uren vragen kan niet.") % {"filled": filled}
        )
    if request.assignments.filter(status=Assignment.Status.ACTIVE).exists():
        locked = [f for f in ("start_date", "end_date", "day_parts", "subject") if merged[f] != getattr(request, f)]
        for field in locked:
            errors.setdefault(field, []).append(
                _(
                    "Er is al een invaller ingezet; periode, dagdelen en vak liggen daarmee vast. Trek de aanvraag in "
                    "en dien een nieuwe in als deze moeten veranderen."
                )
            )
    if errors:
        raise PoolError(errors)
    changed = sorted(field for field in REQUEST_FIELDS if merged[field] != getattr(request, field))
    for field in REQUEST_FIELDS:
        setattr(request, field, merged[field])
    request.day_parts = day_parts_of(request.day_parts)
    _clean_request(request)
    request.version += 1
    request.save()
    _request_status_refresh(request)
    audit_record(
        actor=actor,
        action="pool.request_updated",
        obj=request,
        organisation_id=request.board_id,
        details={"fields": changed},
    )
    return request


@transaction.atomic
def request_cancel(*, request: ReplacementRequest, actor, reason: str = "") -> ReplacementRequest:
    """Withdraw a request: open offers are withdrawn, future day-parts of its assignments freed."""
    request = ReplacementRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == ReplacementRequest.Status.CANCELLED:
        raise PoolConflict(_("Deze aanvraag is al ingetrokken."))
    today = timezone.localdate()
    for offer in request.offers.filter(status=Offer.Status.OPEN).select_related("member"):
        _offer_withdraw(offer, why=_("de school heeft de aanvraag ingetrokken"))
    for assignment in request.assignments.filter(status=Assignment.Status.ACTIVE).select_related("member"):
        _assignment_stop(assignment, today=today)
        _mail(
            [assignment.member.email],
            _("Inzet vervallen: %(subject)s") % {"subject": request.subject.name},
            "assignment_cancelled",
            {"assignment": assignment, "request": request, "why": _("de school heeft de aanvraag ingetrokken")},
        )
    Proposal.objects.filter(request=request, status=Proposal.Status.PROPOSED).update(status=Proposal.Status.REMOVED)
    request.status = ReplacementRequest.Status.CANCELLED
    request.version += 1
    request.save(update_fields=["status", "version", "updated_at"])
    audit_record(
        actor=actor,
        action="pool.request_cancelled",
        obj=request,
        organisation_id=request.board_id,
        details={"reason": reason[:200]} if reason else {},
    )
    return request


def _request_status_refresh(request: ReplacementRequest) -> None:
    """Derive the status from what exists: filled hours, open offers, live proposals."""
    if request.status in (ReplacementRequest.Status.CANCELLED, ReplacementRequest.Status.UNFILLED):
        return
    filled = request.filled_hours_per_week
    if filled >= request.hours_per_week:
        status = ReplacementRequest.Status.FILLED
    elif request.offers.filter(status=Offer.Status.OPEN).exists():
        status = ReplacementRequest.Status.OFFERED
    elif filled > 0:
        status = ReplacementRequest.Status.PARTIALLY_FILLED
    elif request.proposals.filter(status=Proposal.Status.PROPOSED, batch__status=Batch.Status.PROPOSED).exists():
        status = ReplacementRequest.Status.PROPOSED
    else:
        status = ReplacementRequest.Status.OPEN
    if status != request.status:
        request.status = status
        fields = ["status", "updated_at"]
        if status == ReplacementRequest.Status.FILLED and request.filled_at is None:
            request.filled_at = timezone.now()
            fields.append("filled_at")
        request.save(update_fields=fields)


# --- release tiers ------------------------------------------------------------------------


@transaction.atomic
def release_tiers_widen(*, now: datetime | None = None) -> int:
    """Widen the release of open requests as their lead time passes; returns how many widened."""
    widened = 0
    for request in (
        ReplacementRequest.objects.select_for_update(of=("self",))
        .filter(status__in=ReplacementRequest.OPEN_STATUSES)
        .exclude(release_tier=ReleaseTier.POOL)
        .select_related("pool")
    ):
        tier = ei.release_tier_for(request, now=now)
        if RELEASE_ORDER.index(tier) > RELEASE_ORDER.index(request.release_tier):
            previous = request.release_tier
            request.release_tier = tier
            request.save(update_fields=["release_tier", "updated_at"])
            audit_record(
                actor=None,
                action="pool.request_released",
                obj=request,
                organisation_id=request.board_id,
                details={"from": previous, "to": tier},
            )
            widened += 1
    return widened


# --- batches -------------------------------------------------------------------------------


def batch_requests(pool: Pool, *, today: date | None = None):
    """Requests a batch works on: open (or partly filled), not ended, without offers out."""
    today = today or timezone.localdate()
    return (
        pool.requests.filter(
            status__in=[
                ReplacementRequest.Status.OPEN,
                ReplacementRequest.Status.PROPOSED,
                ReplacementRequest.Status.PARTIALLY_FILLED,
            ],
            end_date__gte=today,
        )
        .exclude(offers__status=Offer.Status.OPEN)
        .select_related("subject", "school_location", "pool")
        .distinct()
        .order_by("start_date", "pk")
    )


def batch_start(*, pool: Pool, actor, scheduled: bool = False) -> Batch:
    """Queue a batch as a background job (the worker runs `tasks.batch_task`)."""
    from .tasks import batch_task

    with transaction.atomic():
        Pool.objects.select_for_update().get(pk=pool.pk)
        if pool.batches.filter(
            status=Batch.Status.RUNNING, created_at__gte=timezone.now() - timedelta(hours=1)
        ).exists():
            raise PoolError(_("Er loopt al een ronde voor deze pool. Wacht tot die klaar is."))
        job = job_create(
            kind="pool_batch",
            label=_("Ronde invalpool %(pool)s") % {"pool": pool.name},
            created_by=actor,
            organisation_id=pool.region_id,
        )
        batch = Batch.objects.create(pool=pool, job=job, created_by=_actor(actor), is_scheduled=scheduled)
        audit_record(actor=actor, action="pool.batch_started", obj=batch, organisation_id=pool.region_id)

        def enqueue() -> None:
            result = batch_task.enqueue(batch_id=batch.pk)
            job_attach_task(job=job, task_result_id=str(result.id))

        transaction.on_commit(enqueue)
    return batch


def _engine_assign(members, requests, policy, bookings, history, names):
    """The one place the batch calls the engine (tests may replace it)."""
    from .engine import assign

    return assign(members, requests, policy, bookings, history, subject_names=names)


def batch_run(
    *, pool: Pool, actor, batch: Batch | None = None, scheduled: bool = False, time_limit_s: float = 10.0
) -> Batch:
    """Run the engine over the pool's open requests and store its proposals and unfilled reasons.

    The engine runs outside a transaction (it may take seconds); the result is written in one
    short atomic step. Progress goes to the batch's job when there is one.
    """
    if batch is None:
        batch = Batch.objects.create(pool=pool, created_by=_actor(actor), is_scheduled=scheduled)
    job_id = batch.job_id
    try:
        if job_id:
            job_start(job_id=job_id, total=3, message=_("Gegevens laden"))
        release_tiers_widen()
        requests = list(batch_requests(pool))
        members = list(ei.members_queryset(pool).filter(is_active=True))
        open_hours = {r.pk: float(r.hours_per_week - r.filled_hours_per_week) for r in requests}
        engine_requests = ei.engine_requests(requests, members=members, open_hours=open_hours)
        engine_members = ei.engine_members(members)
        policy = ei.engine_policy(pool, time_limit_s=time_limit_s)
        bookings = ei.bookings_for(pool=pool, include_open_offers=True)
        history = ei.history_for(pool)
        if job_id:
            job_progress(
                job_id=job_id,
                done=1,
                message=_("%(requests)s aanvragen en %(members)s leden: voorstel berekenen")
                % {"requests": len(requests), "members": len(members)},
            )
        result = _engine_assign(engine_members, engine_requests, policy, bookings, history, ei.subject_names(pool))
        if job_id:
            job_progress(job_id=job_id, done=2, message=_("Voorstellen opslaan"))
        batch = _batch_store(batch=batch, requests=requests, result=result, actor=actor)
        if job_id:
            job_finish(
                job_id=job_id,
                result={
                    "batch": batch.pk,
                    "proposals": batch.proposals.count(),
                    "unfilled": batch.unfilled.count(),
                },
                message=_("%(proposals)s voorstel(len), %(unfilled)s aanvraag/aanvragen (deels) niet in te vullen")
                % {"proposals": batch.proposals.count(), "unfilled": batch.unfilled.count()},
            )
        return batch
    except Exception as error:
        logger.exception("pool batch %s failed", batch.pk)
        Batch.objects.filter(pk=batch.pk).update(status=Batch.Status.FAILED, notes=[str(error)[:500]])
        if job_id:
            job_fail(job_id=job_id, message=_("De ronde is mislukt: %(error)s") % {"error": str(error)[:300]})
        raise


@transaction.atomic
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
        _request_status_refresh(request)
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
        action="pool.batch_proposed",
        obj=batch,
        organisation_id=batch.pool.region_id,
        details={"proposals": len(result.proposals), "unfilled": len(result.unfilled), "method": result.method},
    )
    return batch


def _batch_editable(batch: Batch) -> None:
    if batch.status != Batch.Status.PROPOSED:
        raise PoolError(
            _("Deze ronde is %(status)s; voorstellen kunnen niet meer worden gewijzigd.")
            % {"status": batch.get_status_display()}
        )


@transaction.atomic
def proposal_remove(*, proposal: Proposal, actor) -> Proposal:
    batch = Batch.objects.select_for_update().get(pk=proposal.batch_id)
    proposal = Proposal.objects.select_related("request").get(pk=proposal.pk)
    _batch_editable(batch)
    if proposal.status != Proposal.Status.PROPOSED:
        raise PoolError(_("Dit voorstel is al geschrapt."))
    proposal.status = Proposal.Status.REMOVED
    proposal.edited_by_coordinator = True
    proposal.save(update_fields=["status", "edited_by_coordinator"])
    _request_status_refresh(proposal.request)
    audit_record(
        actor=actor,
        action="pool.proposal_removed",
        obj=proposal,
        organisation_id=batch.pool.region_id,
        details={"batch": batch.pk, "request": proposal.request_id, "member": proposal.member_id},
    )
    return proposal


def member_eligibility(
    *,
    member: PoolMember,
    request: ReplacementRequest,
    hours_per_week: float | None = None,
    include_open_offers: bool = True,
    exclude_offer_id: int | None = None,
    extra_bookings: list[et.Booking] | None = None,
    ignore_release: bool = False,
) -> et.Eligibility:
    """The engine's verdict for one member and one request, against the member's current bookings."""
    from .engine import eligibility

    hours = (
        hours_per_week if hours_per_week is not None else float(request.hours_per_week - request.filled_hours_per_week)
    )
    engine_member = ei.engine_member(member)
    engine_request = ei.engine_request(
        request, members=[member], open_hours={request.pk: max(hours, 0.5)}, ignore_release=ignore_release
    )
    bookings = ei.bookings_for(
        member_ids=[member.pk],
        include_open_offers=include_open_offers,
        exclude_offer_id=exclude_offer_id,
        exclude_request_id=request.pk,
    )
    return eligibility(engine_member, engine_request, ei.engine_policy(request.pool), bookings + (extra_bookings or []))


def why_not(*, request: ReplacementRequest) -> list[dict]:
    """Per member of the pool: eligible or not, with every exclusion reason in Dutch (coordinator view)."""
    from .engine import eligibility

    members = list(ei.members_queryset(request.pool))
    engine_members = {m.id: m for m in ei.engine_members(members)}
    engine_request = ei.engine_request(request, members=members)
    not_released = ei.not_released_member_ids(request, members)
    bookings = ei.bookings_for(pool=request.pool, include_open_offers=True, exclude_request_id=request.pk)
    policy = ei.engine_policy(request.pool)
    rows = []
    for member in members:
        verdict = eligibility(engine_members[member.pk], engine_request, policy, bookings)
        reasons = []
        for exclusion in verdict.exclusions:
            if exclusion.reason == et.Reason.BLOCKED and member.pk in not_released:
                reasons.append(
                    str(REASON_LABELS[et.Reason.NOT_RELEASED]) + " " + _("(nu alleen voor leden van de eigen school)")
                )
            else:
                reasons.append(exclusion_text(exclusion))
        rows.append(
            {"member": member, "eligible": verdict.eligible, "travel_km": verdict.travel_km, "reasons": reasons}
        )
    rows.sort(key=lambda row: (not row["eligible"], len(row["reasons"]), row["member"].full_name))
    return rows


@transaction.atomic
def proposal_replace(*, proposal: Proposal, member: PoolMember, actor) -> Proposal:
    """Put another member on a proposal; the member must be eligible (else every reason is given)."""
    batch = Batch.objects.select_for_update().get(pk=proposal.batch_id)
    proposal = Proposal.objects.select_related("request__pool", "request__subject").get(pk=proposal.pk)
    _batch_editable(batch)
    if member.pool_id != batch.pool_id:
        raise PoolError(_("Dit poollid hoort niet bij deze pool."))
    if member.pk == proposal.member_id:
        raise PoolError(_("Dit lid staat al op dit voorstel."))
    if batch.proposals.filter(request=proposal.request, member=member, status=Proposal.Status.PROPOSED).exists():
        raise PoolError(_("%(name)s is in deze ronde al voor deze aanvraag voorgesteld.") % {"name": member.full_name})
    # Other live proposals of this batch for the member count as work already planned.
    planned = [
        et.Booking(
            member_id=member.pk,
            start=other.request.start_date,
            end=other.request.end_date,
            hours_per_week=float(other.hours_per_week),
            day_parts=ei.parse_day_parts(other.request.day_parts),
        )
        for other in batch.proposals.filter(member=member, status=Proposal.Status.PROPOSED).select_related("request")
    ]
    verdict = member_eligibility(
        member=member,
        request=proposal.request,
        hours_per_week=float(proposal.hours_per_week),
        extra_bookings=planned,
        ignore_release=True,
    )
    if not verdict.eligible:
        raise PoolError(
            _("%(name)s kan deze aanvraag niet krijgen: %(reasons)s.")
            % {"name": member.full_name, "reasons": "; ".join(exclusion_text(e) for e in verdict.exclusions)}
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
        action="pool.proposal_replaced",
        obj=proposal,
        organisation_id=batch.pool.region_id,
        details={"batch": batch.pk, "request": proposal.request_id, "from": previous, "to": member.pk},
    )
    return proposal


@transaction.atomic
def batch_confirm(*, batch: Batch, actor, now: datetime | None = None) -> list[Offer]:
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
            % {"who": who, "when": timezone.localtime(batch.confirmed_at).strftime("%d-%m-%Y %H:%M")}
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
            created_by=_actor(actor),
        )
        proposal.status = Proposal.Status.OFFERED
        proposal.save(update_fields=["status"])
        _request_status_refresh(request)
        offers.append(offer)
        _mail(
            [proposal.member.email],
            _("Aanbod invalwerk: %(subject)s bij %(school)s")
            % {
                "subject": request.subject.name,
                "school": proposal.request.school_location.name,
            },
            "offer",
            {
                "offer": offer,
                "member": proposal.member,
                "request": proposal.request,
                "pool": pool,
                "accept_url": _link("pool:offer_accept", offer.token),
                "decline_url": _link("pool:offer_decline", offer.token),
            },
        )
    batch.status = Batch.Status.CONFIRMED
    batch.confirmed_by = _actor(actor)
    batch.confirmed_at = now
    batch.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    audit_record(
        actor=actor,
        action="pool.batch_confirmed",
        obj=batch,
        organisation_id=pool.region_id,
        details={"offers": [o.pk for o in offers], "skipped_proposals": skipped},
    )
    return offers


@transaction.atomic
def batch_discard(*, batch: Batch, actor) -> Batch:
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    _batch_editable(batch)
    batch.status = Batch.Status.DISCARDED
    batch.save(update_fields=["status"])
    for proposal in batch.proposals.filter(status=Proposal.Status.PROPOSED).select_related("request"):
        proposal.status = Proposal.Status.REMOVED
        proposal.save(update_fields=["status"])
        _request_status_refresh(proposal.request)
    audit_record(actor=actor, action="pool.batch_discarded", obj=batch, organisation_id=batch.pool.region_id)
    return batch


# --- offers ----------------------------------------------------------------------------------


@dataclass
class _Outcome:
    assignment: Assignment | None = None
    offer: Offer | None = None
    refusal: str = ""


def offer_state_problem(offer: Offer, *, now: datetime | None = None) -> str:
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
    wanted = ei.parse_day_parts(assignment.day_parts)
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


def offer_accept(*, token: str, actor=None, now: datetime | None = None) -> Assignment:
    """Accept an offer: becomes an Assignment with its booked day-parts, or a clear refusal.

    Refusals that change state (an offer found expired, or withdrawn because the member turns out
    to be booked already) are committed before the refusal is raised.
    """
    with transaction.atomic():
        outcome = _offer_accept_locked(token=token, actor=actor, now=now or timezone.now())
    if outcome.refusal:
        raise OfferRefused(outcome.refusal)
    return outcome.assignment


def _offer_accept_locked(*, token: str, actor, now: datetime) -> _Outcome:
    offer = _locked_offer(token)
    # Lock order everywhere: offer, member, request.
    member = PoolMember.objects.select_for_update().get(pk=offer.member_id)
    request = (
        ReplacementRequest.objects.select_for_update(of=("self",))
        .select_related("pool", "subject", "school_location")
        .get(pk=offer.request_id)
    )
    problem = offer_state_problem(offer, now=now)
    if problem:
        if offer.status == Offer.Status.OPEN:
            offer.status = Offer.Status.EXPIRED
            offer.save(update_fields=["status"])
            _request_status_refresh(request)
        return _Outcome(refusal=problem)
    open_hours = request.hours_per_week - request.filled_hours_per_week
    if not request.is_open or open_hours <= 0:
        _offer_withdraw(offer, why=_("de vervanging is al ingevuld"), mail=False)
        return _Outcome(refusal=_("Deze vervanging is al ingevuld of ingetrokken. Dank voor uw reactie."))
    hours = min(offer.hours_per_week, open_hours)
    verdict = member_eligibility(
        member=member,
        request=request,
        hours_per_week=float(hours),
        include_open_offers=False,
        ignore_release=True,
    )
    if not verdict.eligible:
        reasons = "; ".join(exclusion_text(e) for e in verdict.exclusions)
        _offer_withdraw(offer, why=reasons, mail=False)
        audit_record(
            actor=actor,
            action="pool.offer_refused",
            obj=offer,
            organisation_id=request.board_id,
            details={"reasons": [e.reason.value for e in verdict.exclusions]},
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
        day_parts=day_parts_of(request.day_parts),
        travel_km=verdict.travel_km,
        created_by=_actor(actor),
    )
    try:
        with transaction.atomic():
            assignment.save()
            BookedSlot.objects.bulk_create(_slots_for(assignment))
    except IntegrityError:
        # The unique (member, day, part) constraint: someone else booked this member first.
        _offer_withdraw(offer, why=_("dubbele boeking voorkomen"), mail=False)
        return _Outcome(
            refusal=_(
                "U kunt dit aanbod niet meer accepteren: u bent op een of meer van deze dagdelen al ingeroosterd "
                "voor ander invalwerk. Er is niets dubbel geboekt."
            )
        )
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
    if request.filled_hours_per_week >= request.hours_per_week:
        for other in request.offers.filter(status=Offer.Status.OPEN).select_related("member"):
            _offer_withdraw(other, why=_("de vervanging is ingevuld door een ander poollid"))
    _request_status_refresh(request)
    audit_record(
        actor=actor,
        action="pool.offer_accepted",
        obj=offer,
        organisation_id=request.board_id,
        details={"assignment": assignment.pk, "member": member.pk, "request": request.pk},
    )
    context = {"assignment": assignment, "member": member, "request": request, "pool": request.pool}
    _mail(
        [request.contact_email],
        _("Invaller gevonden: %(subject)s") % {"subject": request.subject.name},
        "assignment_school",
        context,
    )
    _mail(
        [member.email],
        _("Bevestiging invalwerk: %(subject)s bij %(school)s")
        % {"subject": request.subject.name, "school": request.school_location.name},
        "assignment_member",
        {**context, "my_work_url": _link("pool:my_work")},
    )
    return _Outcome(assignment=assignment, offer=offer)


def offer_decline(*, token: str, reason: str = "", actor=None, now: datetime | None = None) -> Offer:
    with transaction.atomic():
        offer = _locked_offer(token)
        request = ReplacementRequest.objects.select_for_update().get(pk=offer.request_id)
        problem = offer_state_problem(offer, now=now)
        if problem:
            if offer.status == Offer.Status.OPEN:
                offer.status = Offer.Status.EXPIRED
                offer.save(update_fields=["status"])
                _request_status_refresh(request)
        else:
            offer.status = Offer.Status.DECLINED
            offer.responded_at = now or timezone.now()
            offer.decline_reason = (reason or "").strip()[:200]
            offer.save(update_fields=["status", "responded_at", "decline_reason"])
            _request_status_refresh(request)
            audit_record(
                actor=actor,
                action="pool.offer_declined",
                obj=offer,
                organisation_id=request.board_id,
                details={"member": offer.member_id, "request": request.pk},
            )
    if problem:
        raise OfferRefused(problem)
    return offer


def _offer_withdraw(offer: Offer, *, why: str, mail: bool = True) -> None:
    offer.status = Offer.Status.WITHDRAWN
    offer.decline_reason = str(why)[:200]
    offer.save(update_fields=["status", "decline_reason"])
    audit_record(
        actor=None,
        action="pool.offer_withdrawn",
        obj=offer,
        organisation_id=offer.request.board_id,
        details={"why": str(why)[:200]},
    )
    if mail:
        _mail(
            [offer.member.email],
            _("Aanbod vervallen: %(subject)s") % {"subject": offer.request.subject.name},
            "offer_withdrawn",
            {"offer": offer, "request": offer.request, "why": why},
        )


@transaction.atomic
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
        audit_record(actor=None, action="pool.offer_expired", obj=offer, organisation_id=offer.request.board_id)
    for request in {offer.request_id: offer.request for offer in expired}.values():
        request.refresh_from_db()
        _request_status_refresh(request)
    return len(expired)


@transaction.atomic
def requests_close_ended(*, today: date | None = None) -> int:
    """Requests whose period ended without anyone: unfilled (the dashboard counts them)."""
    today = today or timezone.localdate()
    ended = ReplacementRequest.objects.filter(
        status__in=[
            ReplacementRequest.Status.OPEN,
            ReplacementRequest.Status.PROPOSED,
            ReplacementRequest.Status.OFFERED,
        ],
        end_date__lt=today,
        filled_hours_per_week=0,
    )
    count = 0
    for request in ended.select_related("subject"):
        for offer in request.offers.filter(status=Offer.Status.OPEN).select_related("member"):
            _offer_withdraw(offer, why=_("de periode is voorbij"), mail=False)
        request.status = ReplacementRequest.Status.UNFILLED
        request.save(update_fields=["status", "updated_at"])
        count += 1
    Assignment.objects.filter(status=Assignment.Status.ACTIVE, end_date__lt=today).update(
        status=Assignment.Status.COMPLETED
    )
    return count


# --- assignments ----------------------------------------------------------------------------


def _assignment_stop(assignment: Assignment, *, today: date) -> Decimal:
    """Free the member's future day-parts; returns the hours a week taken off the request."""
    assignment.slots.filter(day__gte=today).delete()
    if assignment.start_date >= today:
        assignment.status = Assignment.Status.CANCELLED
        assignment.cancelled_at = timezone.now()
        assignment.save(update_fields=["status", "cancelled_at"])
        if hasattr(assignment, "contract") and assignment.contract is not None:
            assignment.contract.delete()
    else:
        assignment.end_date = max(assignment.start_date, today - timedelta(days=1))
        assignment.status = Assignment.Status.COMPLETED
        assignment.cancelled_at = timezone.now()
        assignment.save(update_fields=["end_date", "status", "cancelled_at"])
        MemberContract.objects.filter(assignment=assignment).update(end_date=assignment.end_date)
    return assignment.hours_per_week


@transaction.atomic
def assignment_cancel(*, assignment: Assignment, actor, reason: str = "") -> Assignment:
    """Stop an assignment from today: future day-parts are freed, the request reopens for the hours."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("member", "request__subject")
        .get(pk=assignment.pk)
    )
    if assignment.status != Assignment.Status.ACTIVE:
        raise PoolError(_("Deze inzet loopt niet meer."))
    request = (
        ReplacementRequest.objects.select_for_update(of=("self",))
        .select_related("subject", "school_location")
        .get(pk=assignment.request_id)
    )
    hours = _assignment_stop(assignment, today=timezone.localdate())
    if request.status != ReplacementRequest.Status.CANCELLED:
        request.filled_hours_per_week = max(Decimal("0"), request.filled_hours_per_week - hours)
        if request.status == ReplacementRequest.Status.FILLED:
            request.status = ReplacementRequest.Status.OPEN
        request.version += 1
        request.save(update_fields=["filled_hours_per_week", "status", "version", "updated_at"])
        _request_status_refresh(request)
    audit_record(
        actor=actor,
        action="pool.assignment_cancelled",
        obj=assignment,
        organisation_id=request.board_id,
        details={"reason": reason[:200]} if reason else {},
    )
    why = reason or _("de coördinator heeft de inzet beëindigd")
    context = {"assignment": assignment, "request": request, "why": why}
    _mail(
        [assignment.member.email],
        _("Inzet vervallen: %(subject)s") % {"subject": request.subject.name},
        "assignment_cancelled",
        context,
    )
    _mail(
        [request.contact_email],
        _("Inzet vervallen: %(subject)s") % {"subject": request.subject.name},
        "assignment_cancelled",
        context,
    )
    return assignment


# --- members ---------------------------------------------------------------------------------

MEMBER_FIELDS = (
    "full_name",
    "email",
    "phone",
    "employer",
    "home_school",
    "levels",
    "contract_hours",
    "pool_hours",
    "day_parts",
    "home_postcode",
    "max_travel_km",
    "vog_date",
    "is_active",
    "notes",
)


def _member_save(member: PoolMember, *, qualifications=None, preferred=None, blocked=None) -> None:
    member.day_parts = day_parts_of(member.day_parts)
    area = ei.pc4_coordinates([member.home_postcode]).get(member.home_postcode)
    if area:
        member.latitude, member.longitude = area
    try:
        member.full_clean(exclude=["pool", "user"])
    except ValidationError as error:
        raise PoolError(error.message_dict) from error
    member.save()
    if qualifications is not None:
        member.qualifications.all().delete()
        seen = set()
        for subject, degree in qualifications:
            if subject.pk in seen:
                raise PoolError({"qualifications": [_("Het vak %(s)s staat er twee keer in.") % {"s": subject.name}]})
            seen.add(subject.pk)
            member.qualifications.create(subject=subject, degree=degree)
    if preferred is not None:
        member.preferred_schools.set(preferred)
    if blocked is not None:
        member.blocked_schools.set(blocked)


@transaction.atomic
def member_create(
    *, pool: Pool, actor, data: dict, qualifications=(), preferred=(), blocked=(), user=None, synthetic: bool = False
) -> PoolMember:
    if pool.members.filter(email__iexact=data.get("email", "")).exists():
        raise PoolError({"email": [_("Er staat al een poollid met dit e-mailadres in deze pool.")]})
    member = PoolMember(
        pool=pool, user=user, is_synthetic=synthetic, **{f: data[f] for f in MEMBER_FIELDS if f in data}
    )
    _member_save(member, qualifications=list(qualifications), preferred=preferred, blocked=blocked)
    audit_record(actor=actor, action="pool.member_created", obj=member, organisation_id=member.employer_id)
    return member


@transaction.atomic
def member_update(
    *,
    member: PoolMember,
    actor,
    data: dict,
    version: int | None = None,
    qualifications=None,
    preferred=None,
    blocked=None,
) -> PoolMember:
    member = PoolMember.objects.select_for_update().get(pk=member.pk)
    if version is not None and int(version) != member.version:
        raise StaleRecord(_("Iemand anders heeft dit poollid intussen gewijzigd. Laad de pagina opnieuw."))
    if "email" in data and member.pool.members.filter(email__iexact=data["email"]).exclude(pk=member.pk).exists():
        raise PoolError({"email": [_("Er staat al een poollid met dit e-mailadres in deze pool.")]})
    changed = sorted(f for f in MEMBER_FIELDS if f in data and data[f] != getattr(member, f))
    for field in MEMBER_FIELDS:
        if field in data:
            setattr(member, field, data[field])
    member.version += 1
    _member_save(member, qualifications=qualifications, preferred=preferred, blocked=blocked)
    audit_record(
        actor=actor,
        action="pool.member_updated",
        obj=member,
        organisation_id=member.employer_id,
        details={"fields": changed},
    )
    return member


@transaction.atomic
def member_availability_update(
    *, member: PoolMember, actor, day_parts: list[str], pool_hours=None, max_travel_km=None
) -> PoolMember:
    """The member's own weekly pattern (self-service)."""
    member = PoolMember.objects.select_for_update().get(pk=member.pk)
    member.day_parts = day_parts
    if pool_hours is not None:
        member.pool_hours = pool_hours
    if max_travel_km is not None:
        member.max_travel_km = max_travel_km
    member.version += 1
    _member_save(member)
    audit_record(actor=actor, action="pool.member_availability_updated", obj=member, organisation_id=member.employer_id)
    return member


@transaction.atomic
def unavailability_add(
    *, member: PoolMember, actor, start_date: date, end_date: date, note: str = ""
) -> MemberUnavailability:
    if end_date < start_date:
        raise PoolError({"end_date": [_("De einddatum ligt vóór de begindatum.")]})
    period = MemberUnavailability(member=member, start_date=start_date, end_date=end_date, note=note)
    try:
        period.full_clean()
    except ValidationError as error:
        raise PoolError(error.message_dict) from error
    period.save()
    audit_record(
        actor=actor,
        action="pool.unavailability_added",
        obj=member,
        organisation_id=member.employer_id,
        details={"start": start_date.isoformat(), "end": end_date.isoformat()},
    )
    return period


@transaction.atomic
def unavailability_remove(*, period: MemberUnavailability, actor) -> None:
    member = period.member
    audit_record(
        actor=actor,
        action="pool.unavailability_removed",
        obj=member,
        organisation_id=member.employer_id,
        details={"start": period.start_date.isoformat(), "end": period.end_date.isoformat()},
    )
    period.delete()


# --- pool set-up ------------------------------------------------------------------------------

POOL_POLICY_FIELDS = (
    "name",
    "description",
    "is_active",
    "long_term_days",
    "levels",
    "allow_partial",
    "allow_in_training",
    "vog_max_age_months",
    "contribution_key",
    "payroll_rate",
    "agency_rate",
    "release_own_board_after_days",
    "release_pool_after_days",
    "offer_valid_hours",
    "fairness_window_months",
    "auto_batch",
)


@transaction.atomic
def pool_update(*, pool: Pool, actor, data: dict, subjects=None, version: int | None = None) -> Pool:
    pool = Pool.objects.select_for_update().get(pk=pool.pk)
    if version is not None and int(version) != pool.version:
        raise StaleRecord(_("Iemand anders heeft het beleid intussen gewijzigd. Laad de pagina opnieuw."))
    changed = sorted(f for f in POOL_POLICY_FIELDS if f in data and data[f] != getattr(pool, f))
    for field in POOL_POLICY_FIELDS:
        if field in data:
            setattr(pool, field, data[field])
    if pool.release_pool_after_days < pool.release_own_board_after_days:
        raise PoolError(
            {"release_pool_after_days": [_("De hele pool komt niet eerder aan de beurt dan het eigen bestuur.")]}
        )
    try:
        pool.full_clean(exclude=["region", "sub_region", "slug"])
    except ValidationError as error:
        raise PoolError(error.message_dict) from error
    pool.version += 1
    pool.save()
    if subjects is not None:
        pool.subjects.set(subjects)
        changed.append("subjects")
    audit_record(
        actor=actor, action="pool.policy_updated", obj=pool, organisation_id=pool.region_id, details={"fields": changed}
    )
    return pool


@transaction.atomic
def pool_board_save(*, pool: Pool, actor, board, data: dict) -> Any:
    from .models import PoolBoard

    participation, created = PoolBoard.objects.get_or_create(pool=pool, board=board)
    for field, value in data.items():
        setattr(participation, field, value)
    try:
        participation.full_clean()
    except ValidationError as error:
        raise PoolError(error.message_dict) from error
    participation.save()
    audit_record(
        actor=actor,
        action="pool.board_added" if created else "pool.board_updated",
        obj=participation,
        organisation_id=pool.region_id,
        details={"board": board.pk},
    )
    return participation


@transaction.atomic
def pool_board_remove(*, participation, actor) -> None:
    pool = participation.pool
    if pool.requests.filter(board_id=participation.board_id, status__in=ReplacementRequest.OPEN_STATUSES).exists():
        raise PoolError(_("Dit bestuur heeft nog open aanvragen in de pool; trek die eerst in."))
    audit_record(
        actor=actor,
        action="pool.board_removed",
        obj=participation,
        organisation_id=pool.region_id,
        details={"board": participation.board_id},
    )
    participation.delete()
