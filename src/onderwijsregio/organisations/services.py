"""Writes of organisations: every change goes through here, atomic, validated and audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onderwijsregio.core.services import audit_record

from .models import Organisation, RegionMember, RegionSchoolLocation, SchoolLocation, SubRegion

EDITABLE_PROFILE_FIELDS = ("name", "website", "description")


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor: Any, **changes: Any) -> Organisation:
    """Change an organisation's profile (name, website, description)."""
    unknown = set(changes) - set(EDITABLE_PROFILE_FIELDS)
    if unknown:
        raise ValidationError(
            _("Deze velden kunnen niet worden gewijzigd: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = {name: getattr(locked, name) for name in changes}
    for name, value in changes.items():
        setattr(locked, name, value)
    if "name" in changes:
        # A board that names itself confirms the name DUO's open data could not give us.
        locked.name_is_provisional = False
    locked.full_clean()
    locked.save()
    audit_record(
        actor=actor,
        action="organisation.updated",
        obj=locked,
        organisation_id=locked.pk,
        details={"before": before, "after": {name: getattr(locked, name) for name in changes}},
    )
    return locked


@transaction.atomic
def region_member_add(
    *, region: Organisation, member: Organisation, role: str, actor: Any, is_applicant: bool = False
) -> RegionMember:
    if region.kind != Organisation.Kind.REGION:
        raise ValidationError(_("Alleen een onderwijsregio kan deelnemers hebben."))
    if member.pk == region.pk:
        raise ValidationError(_("Een onderwijsregio kan geen deelnemer van zichzelf zijn."))
    region_member = RegionMember(
        region=region, member=member, role=role, is_applicant=is_applicant, joined_on=date.today()
    )
    region_member.full_clean()
    region_member.save()
    audit_record(actor=actor, action="region.member_added", obj=region_member, organisation_id=region.pk)
    return region_member


@transaction.atomic
def subregion_create(*, region: Organisation, name: str, municipalities, actor: Any) -> SubRegion:
    subregion = SubRegion(region=region, name=name)
    subregion.full_clean()
    subregion.save()
    subregion.municipalities.set(municipalities)
    audit_record(actor=actor, action="region.subregion_created", obj=subregion, organisation_id=region.pk)
    return subregion


@transaction.atomic
def school_location_assign_region(
    *, school_location: SchoolLocation, region: Organisation, actor: Any, on: date | None = None
) -> RegionSchoolLocation:
    """Place a school location in a region, ending its current region (at most one at a time)."""
    on = on or timezone.localdate()
    current = (
        RegionSchoolLocation.objects.select_for_update()
        .filter(school_location=school_location, ended_on__isnull=True)
        .first()
    )
    if current is not None:
        if current.region_id == region.pk:
            return current
        current.ended_on = on
        current.save(update_fields=["ended_on"])
    link = RegionSchoolLocation(region=region, school_location=school_location, started_on=on)
    link.full_clean()
    link.save()
    audit_record(
        actor=actor,
        action="region.school_location_assigned",
        obj=school_location,
        organisation_id=region.pk,
        details={"region": region.pk, "previous_region": current.region_id if current else None},
    )
    return link
