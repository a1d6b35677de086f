"""Pool members: create and edit members (by the coordinator or board HR) and their own availability."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from onderwijsregio.core.errors import version_check
from onderwijsregio.core.services import (
    audit_record,
)
from onderwijsregio.organisations.models import SchoolLocation, Subject

from .. import audit
from .. import engine_input as ei
from ..errors import PoolError
from ..models import (
    MemberUnavailability,
    Pool,
    PoolMember,
)
from .lifecycle import day_parts_of

logger = logging.getLogger(__name__)


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
    member.day_parts = day_parts_of(values=member.day_parts)
    area = ei.pc4_coordinates(pc4s=[member.home_postcode]).get(member.home_postcode)
    if area:
        member.latitude, member.longitude = area
    try:
        member.full_clean(exclude=["pool", "user"])
    except ValidationError as error:
        raise PoolError(error.error_dict) from error
    member.save()
    if qualifications is not None:
        member.qualifications.all().delete()
        seen = set()
        for subject, degree in qualifications:
            if subject.pk in seen:
                raise PoolError(
                    {"qualifications": [_("Het vak %(s)s staat er twee keer in.") % {"s": subject.name}]},
                    code="qualification_twice",
                )
            seen.add(subject.pk)
            member.qualifications.create(subject=subject, degree=degree)
    if preferred is not None:
        member.preferred_schools.set(preferred)
    if blocked is not None:
        member.blocked_schools.set(blocked)


@transaction.atomic
def member_create(
    *,
    pool: Pool,
    actor: Any,
    data: dict,
    qualifications: Iterable[tuple[Subject, str]] = (),
    preferred: Iterable[SchoolLocation] = (),
    blocked: Iterable[SchoolLocation] = (),
    user: Any = None,
    synthetic: bool = False,
) -> PoolMember:
    if pool.members.filter(email__iexact=data.get("email", "")).exists():
        raise PoolError({"email": [_("Er staat al een poollid met dit e-mailadres in deze pool.")]}, code="email_taken")
    member = PoolMember(
        pool=pool, user=user, is_synthetic=synthetic, **{f: data[f] for f in MEMBER_FIELDS if f in data}
    )
    _member_save(member, qualifications=list(qualifications), preferred=preferred, blocked=blocked)
    audit_record(actor=actor, action=audit.MEMBER_CREATED, obj=member, organisation_id=member.employer_id)
    return member


@transaction.atomic
def member_update(
    *,
    member: PoolMember,
    actor: Any,
    data: dict,
    expected_version: int | None = None,
    qualifications: Iterable[tuple[Subject, str]] | None = None,
    preferred: Iterable[SchoolLocation] | None = None,
    blocked: Iterable[SchoolLocation] | None = None,
) -> PoolMember:
    member = PoolMember.objects.select_for_update().get(pk=member.pk)
    version_check(
        member, expected_version, _("Iemand anders heeft dit poollid intussen gewijzigd. Laad de pagina opnieuw.")
    )
    if "email" in data and member.pool.members.filter(email__iexact=data["email"]).exclude(pk=member.pk).exists():
        raise PoolError({"email": [_("Er staat al een poollid met dit e-mailadres in deze pool.")]}, code="email_taken")
    changed = sorted(f for f in MEMBER_FIELDS if f in data and data[f] != getattr(member, f))
    for field in MEMBER_FIELDS:
        if field in data:
            setattr(member, field, data[field])
    member.version += 1
    _member_save(member, qualifications=qualifications, preferred=preferred, blocked=blocked)
    audit_record(
        actor=actor,
        action=audit.MEMBER_UPDATED,
        obj=member,
        organisation_id=member.employer_id,
        details={"fields": changed},
    )
    return member


@transaction.atomic
def member_availability_update(
    *,
    member: PoolMember,
    actor: Any,
    day_parts: list[str],
    pool_hours: Decimal | None = None,
    max_travel_km: int | None = None,
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
    audit_record(actor=actor, action=audit.MEMBER_AVAILABILITY_UPDATED, obj=member, organisation_id=member.employer_id)
    return member


@transaction.atomic
def unavailability_add(
    *, member: PoolMember, actor: Any, start_date: date, end_date: date, note: str = ""
) -> MemberUnavailability:
    if end_date < start_date:
        raise PoolError({"end_date": [_("De einddatum ligt vóór de begindatum.")]}, code="end_before_start")
    period = MemberUnavailability(member=member, start_date=start_date, end_date=end_date, note=note)
    try:
        period.full_clean()
    except ValidationError as error:
        raise PoolError(error.error_dict) from error
    period.save()
    audit_record(
        actor=actor,
        action=audit.UNAVAILABILITY_ADDED,
        obj=member,
        organisation_id=member.employer_id,
        details={"start": start_date.isoformat(), "end": end_date.isoformat()},
    )
    return period


@transaction.atomic
def unavailability_remove(*, period: MemberUnavailability, actor: Any) -> None:
    member = period.member
    audit_record(
        actor=actor,
        action=audit.UNAVAILABILITY_REMOVED,
        obj=member,
        organisation_id=member.employer_id,
        details={"start": period.start_date.isoformat(), "end": period.end_date.isoformat()},
    )
    period.delete()
