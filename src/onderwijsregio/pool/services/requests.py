"""Replacement requests: file, change and withdraw a request, and widen its release over time.

The domain checks of a request (`request_problems`) are shared by the form and the API, so both
refuse the same things with the same Dutch sentences.
"""

from __future__ import annotations

import logging
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onderwijsregio.core.errors import actor_or_none, version_check
from onderwijsregio.core.services import (
    audit_record,
)
from onderwijsregio.organisations.models import SchoolLocation

from .. import audit
from .. import engine_input as ei
from ..engine.calendar import working_days
from ..errors import PoolConflict, PoolError
from ..models import (
    DAY_PART_VALUES,
    Assignment,
    Level,
    Offer,
    Pool,
    Proposal,
    ReleaseTier,
    ReplacementRequest,
)
from .figures import figures_kept, figures_touch
from .lifecycle import assignment_stop, day_parts_of, offer_withdraw, pool_mail, request_status_refresh

logger = logging.getLogger(__name__)


# A day-part holds at most this many lesson hours (a morning or an afternoon of 50-minute lessons).
LESSON_HOURS_PER_DAY_PART = 5


RELEASE_ORDER = [ReleaseTier.OWN_SCHOOL, ReleaseTier.OWN_BOARD, ReleaseTier.POOL]


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


def request_problems(*, pool: Pool, school_location: SchoolLocation | None, data: dict) -> dict[str, list[str]]:
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
        raise PoolError(error.error_dict) from error


@transaction.atomic
def request_create(
    *, pool: Pool, actor: Any, school_location: SchoolLocation, data: dict, synthetic: bool = False
) -> ReplacementRequest:
    errors = request_problems(pool=pool, school_location=school_location, data=data)
    if errors:
        raise PoolError(errors, code="request_invalid")
    request = ReplacementRequest(
        pool=pool,
        school_location=school_location,
        board_id=school_location.board_id,
        created_by=actor_or_none(actor),
        is_synthetic=synthetic,
        **{field: data[field] for field in REQUEST_FIELDS if field in data},
    )
    request.day_parts = day_parts_of(values=request.day_parts)
    request.release_tier = ReleaseTier.POOL if int(request.urgency) >= 2 else ReleaseTier.OWN_SCHOOL
    _clean_request(request)
    request.save()
    figures_touch(request=request)
    audit_record(
        actor=actor,
        action=audit.REQUEST_CREATED,
        obj=request,
        organisation_id=request.board_id,
        details={"pool": pool.pk, "school_location": school_location.pk},
    )
    return request


@transaction.atomic
@figures_kept()
def request_update(
    *, request: ReplacementRequest, actor: Any, data: dict, expected_version: int | None = None
) -> ReplacementRequest:
    request = ReplacementRequest.objects.select_for_update().get(pk=request.pk)
    version_check(
        request, expected_version, _("Iemand anders heeft deze aanvraag intussen gewijzigd. Laad de pagina opnieuw.")
    )
    if not request.is_open:
        raise PoolError(
            _("Deze aanvraag is %(status)s en kan niet meer worden gewijzigd.")
            % {"status": request.get_status_display()},
            code="request_closed",
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
        raise PoolError(errors, code="request_invalid")
    changed = sorted(field for field in REQUEST_FIELDS if merged[field] != getattr(request, field))
    figures_touch(request=request)  # as it was: its start may move to another month, its subject change
    for field in REQUEST_FIELDS:
        setattr(request, field, merged[field])
    request.day_parts = day_parts_of(values=request.day_parts)
    _clean_request(request)
    request.version += 1
    request.save()
    figures_touch(request=request)
    request_status_refresh(request=request)
    audit_record(
        actor=actor,
        action=audit.REQUEST_UPDATED,
        obj=request,
        organisation_id=request.board_id,
        details={"fields": changed},
    )
    return request


@transaction.atomic
@figures_kept()
def request_cancel(*, request: ReplacementRequest, actor: Any, reason: str = "") -> ReplacementRequest:
    """Withdraw a request: open offers are withdrawn, future day-parts of its assignments freed."""
    request = ReplacementRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == ReplacementRequest.Status.CANCELLED:
        raise PoolConflict(_("Deze aanvraag is al ingetrokken."))
    today = timezone.localdate()
    for offer in request.offers.filter(status=Offer.Status.OPEN).select_related("member"):
        offer_withdraw(offer=offer, why=_("de school heeft de aanvraag ingetrokken"))
    for assignment in request.assignments.filter(status=Assignment.Status.ACTIVE).select_related("member"):
        assignment_stop(assignment=assignment, today=today)
        pool_mail(
            to=[assignment.member.email],
            subject=_("Inzet vervallen: %(subject)s") % {"subject": request.subject.name},
            template="assignment_cancelled",
            context={"assignment": assignment, "request": request, "why": _("de school heeft de aanvraag ingetrokken")},
        )
    Proposal.objects.filter(request=request, status=Proposal.Status.PROPOSED).update(status=Proposal.Status.REMOVED)
    request.status = ReplacementRequest.Status.CANCELLED
    request.version += 1
    request.save(update_fields=["status", "version", "updated_at"])
    figures_touch(request=request)
    audit_record(
        actor=actor,
        action=audit.REQUEST_CANCELLED,
        obj=request,
        organisation_id=request.board_id,
        details={"reason": reason[:200]} if reason else {},
    )
    return request


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
        tier = ei.release_tier_for(request=request, now=now)
        if RELEASE_ORDER.index(tier) > RELEASE_ORDER.index(request.release_tier):
            previous = request.release_tier
            request.release_tier = tier
            request.save(update_fields=["release_tier", "updated_at"])
            audit_record(
                actor=None,
                action=audit.REQUEST_RELEASED,
                obj=request,
                organisation_id=request.board_id,
                details={"from": previous, "to": tier},
            )
            widened += 1
    return widened
