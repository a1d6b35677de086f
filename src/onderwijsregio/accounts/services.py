"""Writes of accounts and memberships, atomic and audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onderwijsregio.core.services import audit_record
from onderwijsregio.organisations.models import Organisation, SchoolLocation

from .models import ROLE_ORGANISATION_KINDS, Membership, Role, User


@transaction.atomic
def user_create(
    *, email: str, full_name: str = "", password: str | None = None, actor: Any = None, is_synthetic: bool = False
) -> User:
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("Er bestaat al een account met dit e-mailadres.")})
    user = User(email=email, full_name=full_name, is_synthetic=is_synthetic)
    if password:
        user.set_password(password)
    else:
        # The person sets a password through the reset link; until then nobody can log in with one.
        user.set_unusable_password()
    user.full_clean()
    user.save()
    audit_record(actor=actor, action="user.created", obj=user)
    return user


@transaction.atomic
def membership_create(
    *, user: User, organisation: Organisation, role: str, actor: Any, school_location: SchoolLocation | None = None
) -> Membership:
    allowed_kinds = ROLE_ORGANISATION_KINDS.get(role)
    if allowed_kinds is None:
        raise ValidationError({"role": _("Onbekende rol.")})
    if organisation.kind not in allowed_kinds:
        raise ValidationError({"organisation": _("Deze rol past niet bij dit soort organisatie.")})
    if school_location is not None and school_location.board_id != organisation.pk:
        raise ValidationError({"school_location": _("Deze vestiging hoort niet bij dit bestuur.")})
    if Membership.objects.filter(user=user, organisation=organisation, role=role, ended_at__isnull=True).exists():
        raise ValidationError(_("Deze persoon heeft deze rol al bij deze organisatie."))
    membership = Membership(user=user, organisation=organisation, role=role, school_location=school_location)
    membership.full_clean()
    membership.save()
    _sync_admin_access(user)
    audit_record(
        actor=actor,
        action="membership.created",
        obj=membership,
        organisation_id=organisation.pk,
        details={"user": user.pk, "role": role},
    )
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, actor: Any) -> Membership:
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.ended_at is not None:
        raise ValidationError(_("Dit lidmaatschap is al beëindigd."))
    locked.ended_at = timezone.now()
    locked.save(update_fields=["ended_at"])
    _sync_admin_access(locked.user)
    audit_record(
        actor=actor,
        action="membership.ended",
        obj=locked,
        organisation_id=locked.organisation_id,
        details={"user": locked.user_id, "role": locked.role},
    )
    return locked


# Roles whose holders use the themed admin; what they see there is still limited by the rules.
ADMIN_ROLES = {Role.REGIONAL_TEAM}


def _sync_admin_access(user: User) -> None:
    """Give admin access to exactly those who hold an admin role (superusers keep theirs)."""
    if user.is_superuser:
        return
    should_be_staff = Membership.objects.filter(user=user, role__in=ADMIN_ROLES, ended_at__isnull=True).exists()
    if user.is_staff != should_be_staff:
        user.is_staff = should_be_staff
        user.save(update_fields=["is_staff"])
