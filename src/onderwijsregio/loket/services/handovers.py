"""Handing a candidate, with their consent, to a board, institute or region; the receiver's answer; withdrawing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from onderwijsregio.accounts.models import Membership, Role
from onderwijsregio.core.errors import DomainError, actor_or_none
from onderwijsregio.core.services import audit_record, email_send_later
from onderwijsregio.organisations.models import Organisation, SchoolLocation

from .. import audit
from ..models import (
    Candidate,
    ConsentPurpose,
    EventKind,
    Handover,
    SharedPart,
    Trajectory,
)
from ..selectors import current_consents
from .common import _event, _mail_candidate

CONSENT_FOR_RECEIVER = {
    Organisation.Kind.BOARD: ConsentPurpose.SHARE_BOARDS,
    Organisation.Kind.INSTITUTE: ConsentPurpose.SHARE_INSTITUTES,
    Organisation.Kind.REGION: ConsentPurpose.SHARE_OTHER_REGION,
}


@transaction.atomic
def handover_create(
    *,
    candidate: Candidate,
    receiver: Organisation,
    shared_parts: list[str],
    actor: Any,
    trajectory: Trajectory | None = None,
    school_location: SchoolLocation | None = None,
    message: str = "",
) -> Handover:
    """Hand a candidate, with their consent, to a board (or one of its schools), an institute or a region."""
    purpose = CONSENT_FOR_RECEIVER.get(receiver.kind)
    if purpose is None:
        raise DomainError(
            {"receiver": _("Een kandidaat kan alleen naar een bestuur, opleiding of regio.")},
            code="receiver_kind_refused",
        )
    if receiver.pk == candidate.region_id:
        raise DomainError({"receiver": _("De kandidaat hoort al bij deze regio.")}, code="receiver_is_own_region")
    if not current_consents(candidate=candidate).get(purpose):
        raise DomainError(
            {
                "receiver": _("De kandidaat heeft geen toestemming gegeven om gegevens te delen met: %(purpose)s.")
                % {"purpose": ConsentPurpose(purpose).label}
            },
            code="consent_missing",
        )
    parts = sorted(set(shared_parts))
    if not parts or set(parts) - set(SharedPart.values):
        raise DomainError({"shared_parts": _("Kies wat u deelt.")}, code="shared_parts_invalid")
    if school_location is not None and school_location.board_id != receiver.pk:
        raise DomainError(
            {"school_location": _("Deze school hoort niet bij het gekozen bestuur.")}, code="school_not_of_board"
        )
    if trajectory is not None and trajectory.candidate_id != candidate.pk:
        raise DomainError(
            {"trajectory": _("Dit traject hoort niet bij deze kandidaat.")}, code="trajectory_not_of_candidate"
        )
    if Handover.objects.filter(candidate=candidate, receiver=receiver, status=Handover.Status.PENDING).exists():
        raise DomainError(
            {"receiver": _("Er staat al een overdracht naar deze ontvanger open.")}, code="handover_already_pending"
        )
    handover = Handover.objects.create(
        candidate=candidate,
        trajectory=trajectory,
        receiver=receiver,
        school_location=school_location,
        shared_parts=parts,
        message=message,
        created_by=actor_or_none(actor),
    )
    _event(
        candidate,
        EventKind.HANDOVER,
        actor,
        trajectory=trajectory,
        details={"handover": handover.pk, "receiver": receiver.pk, "receiver_name": receiver.name, "parts": parts},
    )
    audit_record(
        actor=actor,
        action=audit.CANDIDATE_HANDED_OVER,
        obj=candidate,
        organisation_id=candidate.region_id,
        details={"receiver": receiver.pk, "parts": parts},
    )
    audit_record(
        actor=actor,
        action=audit.HANDOVER_RECEIVED,
        obj=handover,
        organisation_id=receiver.pk,
        details={"candidate": candidate.pk, "parts": parts},
    )
    receivers = (
        Membership.objects.filter(organisation=receiver, ended_at__isnull=True, role__in=_receiver_roles(receiver))
        .select_related("user")
        .order_by("user__email")
    )
    for membership in receivers:
        user = membership.user
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            body = render_to_string(
                "loket/email/handover_received.txt",
                {"handover": handover, "receiver_user": user, "site_url": settings.SITE_URL},
            )
            email_send_later(to=[user.email], subject=str(_("Nieuwe kandidaat overgedragen")), body=body)
    _mail_candidate(
        candidate, "handover_created", "Uw gegevens zijn gedeeld", {"handover": handover, "receiver": receiver}
    )
    return handover


def _receiver_roles(receiver: Organisation) -> list[str]:
    return {
        Organisation.Kind.BOARD: [Role.BOARD_HR, Role.SCHOOL_LEADER],
        Organisation.Kind.INSTITUTE: [Role.INSTITUTE_STAFF],
        Organisation.Kind.REGION: [Role.REGIONAL_TEAM],
    }[receiver.kind]


@transaction.atomic
def handover_decide(*, handover: Handover, accept: bool, actor: Any, note: str = "") -> Handover:
    """The receiver accepts or declines; the candidate is told by email."""
    locked = Handover.objects.select_for_update().select_related("candidate", "receiver").get(pk=handover.pk)
    if locked.status != Handover.Status.PENDING:
        raise DomainError(_("Deze overdracht is al beantwoord."), code="handover_already_decided")
    locked.status = Handover.Status.ACCEPTED if accept else Handover.Status.DECLINED
    locked.response_note = note
    locked.decided_by = actor_or_none(actor)
    locked.decided_at = timezone.now()
    locked.save()
    if accept and locked.trajectory_id:
        field = {Organisation.Kind.BOARD: "board", Organisation.Kind.INSTITUTE: "institute"}.get(locked.receiver.kind)
        if field:
            changes = {field: locked.receiver}
            if locked.school_location_id:
                changes["school_location"] = locked.school_location
            Trajectory.objects.filter(pk=locked.trajectory_id).update(**changes)
    _event(
        locked.candidate,
        EventKind.HANDOVER_DECIDED,
        actor,
        trajectory=locked.trajectory,
        text=note,
        details={"handover": locked.pk, "accepted": accept, "receiver_name": locked.receiver.name},
    )
    for organisation_id in (locked.candidate.region_id, locked.receiver_id):
        audit_record(
            actor=actor,
            action=audit.HANDOVER_ACCEPTED if accept else "handover.declined",
            obj=locked,
            organisation_id=organisation_id,
        )
    _mail_candidate(
        locked.candidate,
        "handover_decided",
        "Nieuws over uw overdracht",
        {"handover": locked, "receiver": locked.receiver, "accepted": accept},
    )
    return locked


@transaction.atomic
def handover_withdraw(*, handover: Handover, actor: Any) -> Handover:
    locked = Handover.objects.select_for_update().get(pk=handover.pk)
    if locked.status not in (Handover.Status.PENDING, Handover.Status.ACCEPTED):
        raise DomainError(_("Deze overdracht kan niet meer worden ingetrokken."), code="handover_not_withdrawable")
    locked.status = Handover.Status.WITHDRAWN
    locked.save(update_fields=["status"])
    _event(locked.candidate, EventKind.HANDOVER_DECIDED, actor, details={"handover": locked.pk, "withdrawn": True})
    audit_record(actor=actor, action=audit.HANDOVER_WITHDRAWN, obj=locked, organisation_id=locked.receiver_id)
    return locked
