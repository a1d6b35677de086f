"""Registering a candidate and changing their record: intake data, consents, route advice, coordinator, notes."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onderwijsregio.accounts.models import Membership, Role
from onderwijsregio.core.errors import DomainError, version_check
from onderwijsregio.core.services import audit_record
from onderwijsregio.organisations.models import Organisation, Subject

from .. import audit
from ..advice import advise_candidate
from ..labels import CONSENT_TEXT_VERSION
from ..models import (
    CANDIDATE_FIELDS,
    Candidate,
    Consent,
    ConsentPurpose,
    EventKind,
    Stage,
    Trajectory,
    TrajectoryEvent,
)
from ..selectors import possible_duplicates
from .common import _event, _mail_candidate, _normalise
from .summaries import trajectory_keys_copy

logger = logging.getLogger(__name__)


@transaction.atomic
def candidate_register(
    *,
    region: Organisation,
    data: dict[str, Any],
    consents: dict[str, bool],
    related_subjects: list[Subject] | None = None,
    target_subjects: list[Subject] | None = None,
    actor: Any = None,
    is_synthetic: bool = False,
    send_email: bool = True,
) -> Candidate:
    """Register a candidate (public intake or by the desk), with consents, a first trajectory and route advice."""
    if region.kind != Organisation.Kind.REGION:
        raise DomainError(_("Kandidaten horen bij een onderwijsregio."), code="not_a_region")
    unknown = set(data) - set(CANDIDATE_FIELDS)
    if unknown:
        raise DomainError(
            _("Onbekende velden: %(fields)s") % {"fields": ", ".join(sorted(unknown))}, code="unknown_fields"
        )
    data = _normalise(data)
    duplicates = list(
        possible_duplicates(
            region=region,
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            postcode=data["postcode"],
        ).values_list("pk", flat=True)
    )
    candidate = Candidate(region=region, is_synthetic=is_synthetic, **data)
    candidate.full_clean()
    candidate.save()
    candidate.related_subjects.set(related_subjects or [])
    candidate.target_subjects.set(target_subjects or [])
    for purpose in ConsentPurpose.values:
        Consent.objects.create(
            candidate=candidate, purpose=purpose, given=bool(consents.get(purpose)), text_version=CONSENT_TEXT_VERSION
        )
    trajectory = Trajectory.objects.create(candidate=candidate, stage=Stage.NEW, stage_changed_at=timezone.now())
    _event(
        candidate,
        EventKind.REGISTERED,
        actor,
        trajectory=trajectory,
        to_stage=Stage.NEW,
        details={"possible_duplicates": duplicates} if duplicates else {},
    )
    audit_record(
        actor=actor,
        action=audit.CANDIDATE_REGISTERED,
        obj=candidate,
        organisation_id=region.pk,
        details={"possible_duplicates": duplicates},
    )
    if send_email:
        _mail_candidate(candidate, "registered", "Uw aanmelding bij het onderwijsloket")
    try:
        # A savepoint: a failing advice must not take the registration with it.
        with transaction.atomic():
            advice_store(candidate=candidate, advice=advise_candidate(candidate), actor=actor)
    except Exception:
        # The registration stands; the coordinator gives the advice by hand. Logged loudly, and
        # the desk's tests require an advice after registration.
        logger.exception("Route advice failed for candidate %s", candidate.pk)
    return candidate


def _locked(candidate: Candidate, expected_version: int | None) -> Candidate:
    locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
    version_check(
        locked,
        expected_version,
        _("Iemand anders heeft deze gegevens intussen gewijzigd. Laad de pagina opnieuw; er is niets overschreven."),
    )
    return locked


@transaction.atomic
def candidate_update(
    *,
    candidate: Candidate,
    actor: Any,
    expected_version: int | None = None,
    related_subjects: list[Subject] | None = None,
    target_subjects: list[Subject] | None = None,
    **changes: Any,
) -> Candidate:
    """Change a candidate's record and refresh its route advice; refuses a stale expected_version."""
    unknown = set(changes) - set(CANDIDATE_FIELDS)
    if unknown:
        raise DomainError(
            _("Onbekende velden: %(fields)s") % {"fields": ", ".join(sorted(unknown))}, code="unknown_fields"
        )
    locked = _locked(candidate, expected_version)
    changes = _normalise(changes)
    changed = [name for name, value in changes.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, changes[name])
    locked.full_clean()
    locked.version += 1
    locked.save()
    if {"target_group", "postcode"} & set(changed):
        trajectory_keys_copy(candidate=locked)
    if related_subjects is not None:
        locked.related_subjects.set(related_subjects)
        changed.append("related_subjects")
    if target_subjects is not None:
        locked.target_subjects.set(target_subjects)
        changed.append("target_subjects")
    _event(locked, EventKind.UPDATED, actor, details={"fields": sorted(changed)})
    audit_record(
        actor=actor,
        action=audit.CANDIDATE_UPDATED,
        obj=locked,
        organisation_id=locked.region_id,
        details={"fields": sorted(changed)},
    )
    # New answers can change which routes fit: the stored advice follows the record.
    advice_store(candidate=locked, advice=advise_candidate(locked), actor=actor)
    return locked


@transaction.atomic
def consent_record(*, candidate: Candidate, purpose: str, given: bool, actor: Any) -> Consent:
    if purpose not in ConsentPurpose.values:
        raise DomainError(_("Onbekend doel van toestemming."), code="unknown_consent_purpose")
    consent = Consent.objects.create(
        candidate=candidate, purpose=purpose, given=given, text_version=CONSENT_TEXT_VERSION
    )
    _event(candidate, EventKind.CONSENT, actor, details={"purpose": purpose, "given": given})
    audit_record(
        actor=actor,
        action=audit.CANDIDATE_CONSENT_RECORDED,
        obj=candidate,
        organisation_id=candidate.region_id,
        details={"purpose": purpose, "given": given},
    )
    return consent


@transaction.atomic
def advice_store(*, candidate: Candidate, advice: dict, actor: Any) -> Candidate:
    """Keep the route advice given (with the ruleset version that made it) on the record."""
    Candidate.objects.filter(pk=candidate.pk).update(advice=advice)
    candidate.advice = advice
    _event(candidate, EventKind.ADVISED, actor, details={"ruleset": advice.get("ruleset_version", "")})
    return candidate


@transaction.atomic
def coordinator_assign(*, candidate: Candidate, coordinator: Any, actor: Any) -> Candidate:
    if (
        coordinator is not None
        and not Membership.objects.filter(
            user=coordinator, organisation_id=candidate.region_id, role=Role.REGIONAL_TEAM, ended_at__isnull=True
        ).exists()
    ):
        raise DomainError(
            {"coordinator": _("Alleen iemand van het regioteam kan ketenregisseur zijn.")},
            code="coordinator_not_in_team",
        )
    Candidate.objects.filter(pk=candidate.pk).update(coordinator=coordinator)
    candidate.coordinator = coordinator
    _event(candidate, EventKind.ASSIGNED, actor, details={"coordinator": getattr(coordinator, "pk", None)})
    audit_record(
        actor=actor, action=audit.CANDIDATE_COORDINATOR_ASSIGNED, obj=candidate, organisation_id=candidate.region_id
    )
    return candidate


@transaction.atomic
def note_add(*, candidate: Candidate, text: str, actor: Any, trajectory: Trajectory | None = None) -> TrajectoryEvent:
    text = (text or "").strip()
    if not text:
        raise DomainError({"text": _("Schrijf een notitie.")}, code="note_empty")
    event = _event(candidate, EventKind.NOTE, actor, trajectory=trajectory, text=text[:5000])
    audit_record(actor=actor, action=audit.CANDIDATE_NOTE_ADDED, obj=candidate, organisation_id=candidate.region_id)
    return event
