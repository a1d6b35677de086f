"""Reads of accounts, memberships and the audit log, filtered by what the reader may see.

Who works where is personal data: `people_viewed_record` logs every such read, and the pages, the API
and the admin all call it after reading memberships of others.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from onderwijsregio.core.audit import audit_action_label
from onderwijsregio.core.models import AuditEvent
from onderwijsregio.core.services import audit_record
from onderwijsregio.organisations.models import Organisation

from . import audit
from .models import Membership, User
from .permissions import access_for, visible_audit_events_q, visible_memberships_q


def administered_organisations(*, user: User) -> QuerySet[Organisation]:
    """Organisations whose people this user may see and manage."""
    return Organisation.objects.filter(pk__in=access_for(user).administered_organisations).order_by("name")


def visible_memberships(
    *, user: User, organisation_id: int | None = None, role: str = "", include_ended: bool = False
) -> QuerySet[Membership]:
    qs = Membership.objects.filter(visible_memberships_q(user)).select_related(
        "user", "organisation", "school_location"
    )
    if not include_ended:
        qs = qs.filter(ended_at__isnull=True)
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    if role:
        qs = qs.filter(role=role)
    return qs.order_by("organisation__name", "user__full_name", "user__email", "role")


def organisation_memberships(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation, ended_at__isnull=True)
        .select_related("user", "school_location")
        .order_by("user__full_name", "user__email", "role")
    )


def user_memberships(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, ended_at__isnull=True)
        .select_related("organisation", "school_location")
        .order_by("organisation__name", "role")
    )


def user_by_email(*, email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def visible_audit_events(
    *,
    user: User,
    action: str = "",
    actor_email: str = "",
    object_type: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    personal_data_only: bool = False,
) -> QuerySet[AuditEvent]:
    """Audit events the user may read, filtered. Dates are whole days in the active time zone."""
    qs = AuditEvent.objects.filter(visible_audit_events_q(user))
    if action:
        qs = qs.filter(action__startswith=action)
    if actor_email:
        qs = qs.filter(actor_label__icontains=actor_email.strip())
    if object_type:
        qs = qs.filter(object_type=object_type)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    if personal_data_only:
        qs = qs.filter(personal_data_read=True)
    return qs.order_by("-created_at", "-id")


def audit_event_choices(*, user: User) -> tuple[list[tuple[str, str]], list[str]]:
    """The actions (name, Dutch label from the catalogue) and object types that occur in the events
    this user may read, for the filters; actions are in the order of their labels."""
    visible = AuditEvent.objects.filter(visible_audit_events_q(user))
    names = set(visible.values_list("action", flat=True).distinct())
    actions = sorted(((name, audit_action_label(name)) for name in names), key=lambda item: (item[1].lower(), item[0]))
    object_types = sorted(set(visible.exclude(object_type="").values_list("object_type", flat=True).distinct()))
    return actions, object_types


def audit_events_labelled(*, events: Any) -> Any:
    """The events with `action_label`: the catalogue's Dutch label of each one's action."""
    for event in events:
        event.action_label = audit_action_label(event.action)
    return events


def people_viewed_record(*, actor: Any, memberships: Any, via: str, path: str = "") -> None:
    """Log that `actor` saw who works where (personal data), one event per organisation shown.

    Each organisation's own audit readers then see who looked at its people. The actor's own
    memberships are not someone else's data and are left out. Pages, the API and the admin all
    call this, so one audit filter ("people.viewed") finds every such read.
    """
    users_by_organisation: dict[int, set[int]] = {}
    for membership in memberships:
        if membership.user_id != getattr(actor, "pk", None):
            users_by_organisation.setdefault(membership.organisation_id, set()).add(membership.user_id)
    organisation_ids = sorted(users_by_organisation)
    for organisation_id in organisation_ids:
        audit_record(
            actor=actor,
            action=audit.PEOPLE_VIEWED,
            object_type="organisations.organisation",
            object_id=str(organisation_id),
            organisation_id=organisation_id,
            personal_data_read=True,
            details={
                "via": via,
                "path": path[:500],
                "organisation_ids": organisation_ids,
                "user_ids": sorted(users_by_organisation[organisation_id]),
            },
        )
