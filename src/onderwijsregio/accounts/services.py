"""Writes of accounts and memberships, atomic and audited."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from onderwijsregio.core.errors import DomainError
from onderwijsregio.core.services import audit_record, email_send_later
from onderwijsregio.organisations.models import Organisation, SchoolLocation

from . import audit
from .errors import LastOwnMembership
from .models import ROLE_ORGANISATION_KINDS, Membership, Role, User


@transaction.atomic
def user_create(
    *,
    email: str,
    full_name: str = "",
    password: str | None = None,
    actor: Any = None,
    is_synthetic: bool = False,
    audit_repr: str = "",
) -> User:
    """Create an account. `audit_repr` names it in the audit log where the email may not appear."""
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError({"email": _("Er bestaat al een account met dit e-mailadres.")}, code="email_taken")
    user = User(email=email, full_name=full_name, is_synthetic=is_synthetic)
    if password:
        user.set_password(password)
    else:
        # The person sets a password through the reset link; until then nobody can log in with one.
        user.set_unusable_password()
    user.full_clean()
    user.save()
    audit_record(actor=actor, action=audit.USER_CREATED, obj=user, object_repr=audit_repr)
    return user


@transaction.atomic
def membership_create(
    *, user: User, organisation: Organisation, role: str, actor: Any, school_location: SchoolLocation | None = None
) -> Membership:
    allowed_kinds = ROLE_ORGANISATION_KINDS.get(role)
    if allowed_kinds is None:
        raise DomainError({"role": _("Onbekende rol.")}, code="unknown_role")
    if organisation.kind not in allowed_kinds:
        raise DomainError(
            {"organisation": _("Deze rol past niet bij dit soort organisatie.")}, code="role_not_for_organisation_kind"
        )
    if school_location is not None and school_location.board_id != organisation.pk:
        raise DomainError(
            {"school_location": _("Deze vestiging hoort niet bij dit bestuur.")}, code="school_location_not_of_board"
        )
    if Membership.objects.filter(user=user, organisation=organisation, role=role, ended_at__isnull=True).exists():
        raise DomainError(_("Deze persoon heeft deze rol al bij deze organisatie."), code="membership_exists")
    membership = Membership(user=user, organisation=organisation, role=role, school_location=school_location)
    membership.full_clean()
    membership.save()
    _sync_admin_access(user)
    audit_record(
        actor=actor,
        action=audit.MEMBERSHIP_CREATED,
        obj=membership,
        organisation_id=organisation.pk,
        details={"user": user.pk, "role": role},
    )
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, actor: Any) -> Membership:
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.ended_at is not None:
        raise DomainError(_("Dit lidmaatschap is al beëindigd."), code="membership_already_ended")
    if _is_own_last(locked, actor):
        raise LastOwnMembership(
            _(
                "Dit is uw laatste rol: als u die beëindigt, kunt u niet meer bij het platform. "
                "Vraag een andere beheerder om haar te beëindigen."
            )
        )
    locked.ended_at = timezone.now()
    locked.save(update_fields=["ended_at"])
    _sync_admin_access(locked.user)
    audit_record(
        actor=actor,
        action=audit.MEMBERSHIP_ENDED,
        obj=locked,
        organisation_id=locked.organisation_id,
        details={"user": locked.user_id, "role": locked.role},
    )
    return locked


def _is_own_last(membership: Membership, actor: Any) -> bool:
    """Whether the actor ends their own only active role (a superuser keeps access without one)."""
    if getattr(actor, "pk", None) != membership.user_id or actor.is_superuser:
        return False
    others = Membership.objects.filter(user_id=membership.user_id, ended_at__isnull=True).exclude(pk=membership.pk)
    return not others.exists()


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


@transaction.atomic
def membership_invite(
    *,
    organisation: Organisation,
    email: str,
    full_name: str,
    role: str,
    actor: Any,
    school_location: SchoolLocation | None = None,
) -> tuple[Membership, bool]:
    """Give a person a role at an organisation, creating their account when it is new.

    A new account gets no password; the person receives an email with a link to choose one. Returns
    the membership and whether the account was created.
    """
    user = User.objects.filter(email__iexact=email.strip()).first()
    created = user is None
    if created:
        user = user_create(email=email, full_name=full_name, actor=actor)
    membership = membership_create(
        user=user, organisation=organisation, role=role, school_location=school_location, actor=actor
    )
    if created:
        _invitation_send(user=user, membership=membership, invited_by=actor)
    return membership, created


def _invitation_send(*, user: User, membership: Membership, invited_by: Any) -> None:
    """Email a new user a link to choose a password (allauth's password-reset-from-key page)."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    context = {
        "user": user,
        "organisation": membership.organisation,
        "invited_by": invited_by.get_full_name() if invited_by else "",
        "link": settings.SITE_URL.rstrip("/") + path,
    }
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        context["role"] = membership.get_role_display()
        subject = _("Uw account bij Open Onderwijsregio")
        body = render_to_string("accounts/email/invitation.txt", context)
    email_send_later(to=[user.email], subject=subject, body=body)


@transaction.atomic
def api_token_replace(*, user: User) -> Token:
    """Give the user a new API token; any earlier token stops working."""
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    audit_record(actor=user, action=audit.API_TOKEN_CREATED, object_type="authtoken.token", object_id=str(user.pk))
    return token


@transaction.atomic
def api_token_revoke(*, user: User) -> bool:
    deleted, _details = Token.objects.filter(user=user).delete()
    if deleted:
        audit_record(actor=user, action=audit.API_TOKEN_REVOKED, object_type="authtoken.token", object_id=str(user.pk))
    return bool(deleted)


@transaction.atomic
def user_language_set(*, user: User, language: str, actor: Any) -> None:
    """Save the language a user wants the platform (and its emails) in; empty = like the browser."""
    if language and language not in dict(settings.LANGUAGES):
        raise DomainError({"preferred_language": _("Onbekende taal.")}, code="unknown_language")
    User.objects.filter(pk=user.pk).update(preferred_language=language)
    user.preferred_language = language
    audit_record(actor=actor, action=audit.USER_LANGUAGE_CHANGED, obj=user, details={"to": language})
