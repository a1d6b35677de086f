"""Writes of the candidate desk: every change atomic, validated, on the timeline and in the audit log.

Emails go through core.services.email_send_later (the worker sends them after commit), in the
candidate's language.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from onderwijsregio.accounts.models import Membership, Role
from onderwijsregio.core.services import audit_record, email_send_later
from onderwijsregio.organisations.models import Organisation, SchoolLocation, Subject, SubRegion

from .models import (
    STAGE_ORDER,
    Candidate,
    CandidateStatistic,
    Consent,
    ConsentPurpose,
    Document,
    EventKind,
    ExitReason,
    Handover,
    LoginCode,
    SharedPart,
    Stage,
    Trajectory,
    TrajectoryEvent,
)

# The version of the consent texts shown on the intake form; stored with every answer.
CONSENT_TEXT_VERSION = "2026-1"
CANDIDATE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "postcode",
    "target_group",
    "education_level",
    "education_field",
    "diplomas",
    "foreign_diploma_country",
    "foreign_diploma_recognition",
    "dutch_level",
    "target_sectors",
    "current_qualification",
    "current_work",
    "hours_available",
    "has_job_offer",
    "enrolled_teacher_training_recently",
    "preferred_language",
)
DOCUMENT_TYPES = {
    "application/pdf": b"%PDF",
    "image/png": b"\x89PNG",
    "image/jpeg": b"\xff\xd8\xff",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": b"PK\x03\x04",
}
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


class StaleRecord(ValidationError):
    """Someone else changed the record since it was loaded: nothing was overwritten."""


def _event(candidate, kind, actor, *, trajectory=None, text="", from_stage="", to_stage="", details=None):
    return TrajectoryEvent.objects.create(
        candidate=candidate,
        trajectory=trajectory,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        text=text,
        from_stage=from_stage,
        to_stage=to_stage,
        details=details or {},
    )


def _mail_candidate(candidate: Candidate, template: str, subject: str, context: dict | None = None) -> None:
    with translation.override(candidate.preferred_language or settings.LANGUAGE_CODE):
        body = render_to_string(
            f"loket/email/{template}.txt",
            {"candidate": candidate, "site_url": settings.SITE_URL, **(context or {})},
        )
        email_send_later(to=[candidate.email], subject=str(_(subject)), body=body)


def possible_duplicates(*, region: Organisation, email: str, first_name: str, last_name: str, postcode: str):
    """Candidates of the region that may be the same person: same email, or same name and postcode."""
    compact = postcode.replace(" ", "").upper()
    return (
        Candidate.objects.filter(region=region, merged_into__isnull=True)
        .filter(
            Q(email__iexact=email.strip())
            | Q(first_name__iexact=first_name.strip(), last_name__iexact=last_name.strip(), postcode__iexact=compact)
            | Q(
                first_name__iexact=first_name.strip(),
                last_name__iexact=last_name.strip(),
                postcode__iexact=f"{compact[:4]} {compact[4:]}",
            )
        )
        .order_by("created_at")
    )


def _normalise(data: dict) -> dict:
    cleaned = dict(data)
    if cleaned.get("postcode"):
        compact = cleaned["postcode"].replace(" ", "").upper()
        cleaned["postcode"] = f"{compact[:4]} {compact[4:]}"
    if cleaned.get("email"):
        cleaned["email"] = cleaned["email"].strip().lower()
    return cleaned


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
    """Register a candidate (public intake or by the desk), with consents and a first trajectory."""
    if region.kind != Organisation.Kind.REGION:
        raise ValidationError(_("Kandidaten horen bij een onderwijsregio."))
    unknown = set(data) - set(CANDIDATE_FIELDS)
    if unknown:
        raise ValidationError(_("Onbekende velden: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
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
        action="candidate.registered",
        obj=candidate,
        organisation_id=region.pk,
        details={"possible_duplicates": duplicates},
    )
    if send_email:
        _mail_candidate(candidate, "registered", "Uw aanmelding bij het onderwijsloket")
    return candidate


def _locked(candidate: Candidate, expected_version: int | None) -> Candidate:
    locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleRecord(
            _("Iemand anders heeft deze gegevens intussen gewijzigd. Laad de pagina opnieuw; er is niets overschreven.")
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
    """Change a candidate's record; refuses when someone else saved in between (expected_version)."""
    unknown = set(changes) - set(CANDIDATE_FIELDS)
    if unknown:
        raise ValidationError(_("Onbekende velden: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    locked = _locked(candidate, expected_version)
    changes = _normalise(changes)
    changed = [name for name, value in changes.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, changes[name])
    locked.full_clean()
    locked.version += 1
    locked.save()
    if related_subjects is not None:
        locked.related_subjects.set(related_subjects)
        changed.append("related_subjects")
    if target_subjects is not None:
        locked.target_subjects.set(target_subjects)
        changed.append("target_subjects")
    _event(locked, EventKind.UPDATED, actor, details={"fields": sorted(changed)})
    audit_record(
        actor=actor,
        action="candidate.updated",
        obj=locked,
        organisation_id=locked.region_id,
        details={"fields": sorted(changed)},
    )
    return locked


def current_consents(candidate: Candidate) -> dict[str, bool]:
    """The latest answer per purpose."""
    answers: dict[str, bool] = {}
    for purpose, given in candidate.consents.order_by("recorded_at", "id").values_list("purpose", "given"):
        answers[purpose] = given
    return answers


@transaction.atomic
def consent_record(*, candidate: Candidate, purpose: str, given: bool, actor: Any) -> Consent:
    if purpose not in ConsentPurpose.values:
        raise ValidationError(_("Onbekend doel van toestemming."))
    consent = Consent.objects.create(
        candidate=candidate, purpose=purpose, given=given, text_version=CONSENT_TEXT_VERSION
    )
    _event(candidate, EventKind.CONSENT, actor, details={"purpose": purpose, "given": given})
    audit_record(
        actor=actor,
        action="candidate.consent_recorded",
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
        raise ValidationError({"coordinator": _("Alleen iemand van het regioteam kan ketenregisseur zijn.")})
    Candidate.objects.filter(pk=candidate.pk).update(coordinator=coordinator)
    candidate.coordinator = coordinator
    _event(candidate, EventKind.ASSIGNED, actor, details={"coordinator": getattr(coordinator, "pk", None)})
    audit_record(
        actor=actor, action="candidate.coordinator_assigned", obj=candidate, organisation_id=candidate.region_id
    )
    return candidate


@transaction.atomic
def trajectory_create(
    *,
    candidate: Candidate,
    actor: Any,
    route_id: str = "",
    subject: Subject | None = None,
    board: Organisation | None = None,
    school_location: SchoolLocation | None = None,
    institute: Organisation | None = None,
) -> Trajectory:
    trajectory = Trajectory(
        candidate=candidate,
        route_id=route_id,
        subject=subject,
        board=board,
        school_location=school_location,
        institute=institute,
        stage=Stage.NEW,
        stage_changed_at=timezone.now(),
    )
    _check_places(trajectory)
    trajectory.full_clean()
    trajectory.save()
    _event(candidate, EventKind.STAGE_CHANGED, actor, trajectory=trajectory, to_stage=Stage.NEW)
    audit_record(actor=actor, action="trajectory.created", obj=trajectory, organisation_id=candidate.region_id)
    return trajectory


def _check_places(trajectory: Trajectory) -> None:
    if trajectory.board is not None and trajectory.board.kind != Organisation.Kind.BOARD:
        raise ValidationError({"board": _("Kies een schoolbestuur.")})
    if trajectory.institute is not None and trajectory.institute.kind != Organisation.Kind.INSTITUTE:
        raise ValidationError({"institute": _("Kies een lerarenopleiding.")})
    if (
        trajectory.school_location is not None
        and trajectory.board is not None
        and trajectory.school_location.board_id != trajectory.board.pk
    ):
        raise ValidationError({"school_location": _("Deze school hoort niet bij het gekozen bestuur.")})


@transaction.atomic
def trajectory_update(
    *, trajectory: Trajectory, actor: Any, expected_version: int | None = None, **changes
) -> Trajectory:
    """Set route, subject, board, school or institute of a trajectory."""
    allowed = {"route_id", "subject", "board", "school_location", "institute"}
    if set(changes) - allowed:
        raise ValidationError(_("Deze velden kunnen niet worden gewijzigd."))
    locked = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleRecord(_("Iemand anders heeft dit traject intussen gewijzigd. Laad de pagina opnieuw."))
    for name, value in changes.items():
        setattr(locked, name, value)
    _check_places(locked)
    locked.full_clean()
    locked.version += 1
    locked.save()
    _event(locked.candidate, EventKind.UPDATED, actor, trajectory=locked, details={"fields": sorted(changes)})
    audit_record(actor=actor, action="trajectory.updated", obj=locked, organisation_id=locked.candidate.region_id)
    return locked


@transaction.atomic
def trajectory_move(
    *, trajectory: Trajectory, to_stage: str, actor: Any, note: str = "", expected_version: int | None = None
) -> Trajectory:
    """Move a trajectory to another stage (forward, or back to correct a mistake)."""
    if to_stage not in STAGE_ORDER:
        raise ValidationError({"stage": _("Onbekende fase.")})
    locked = Trajectory.objects.select_for_update().select_related("candidate").get(pk=trajectory.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleRecord(_("Iemand anders heeft dit traject intussen gewijzigd. Laad de pagina opnieuw."))
    if locked.ended_at is not None:
        raise ValidationError(_("Dit traject is beëindigd; open een nieuw traject."))
    if locked.stage == to_stage:
        raise ValidationError({"stage": _("Het traject staat al in deze fase.")})
    from_stage = locked.stage
    locked.stage = to_stage
    locked.stage_changed_at = timezone.now()
    if to_stage == Stage.QUALIFIED:
        # Qualified is the happy end of the journey.
        locked.ended_at = locked.stage_changed_at
    locked.version += 1
    locked.save()
    _event(
        locked.candidate,
        EventKind.STAGE_CHANGED,
        actor,
        trajectory=locked,
        from_stage=from_stage,
        to_stage=to_stage,
        text=note,
    )
    audit_record(
        actor=actor,
        action="trajectory.stage_changed",
        obj=locked,
        organisation_id=locked.candidate.region_id,
        details={"from": from_stage, "to": to_stage},
    )
    return locked


@transaction.atomic
def trajectory_end(
    *, trajectory: Trajectory, reason: ExitReason, actor: Any, note: str = "", expected_version: int | None = None
) -> Trajectory:
    locked = Trajectory.objects.select_for_update().select_related("candidate").get(pk=trajectory.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleRecord(_("Iemand anders heeft dit traject intussen gewijzigd. Laad de pagina opnieuw."))
    if locked.ended_at is not None:
        raise ValidationError(_("Dit traject is al beëindigd."))
    if reason is None or not reason.is_active:
        raise ValidationError({"exit_reason": _("Kies een reden uit de lijst.")})
    locked.ended_at = timezone.now()
    locked.exit_reason = reason
    locked.exit_note = note
    locked.follow_up_on = None
    locked.version += 1
    locked.full_clean()
    locked.save()
    _event(
        locked.candidate,
        EventKind.ENDED,
        actor,
        trajectory=locked,
        from_stage=locked.stage,
        text=note,
        details={"reason": reason.code},
    )
    audit_record(
        actor=actor,
        action="trajectory.ended",
        obj=locked,
        organisation_id=locked.candidate.region_id,
        details={"reason": reason.code, "stage": locked.stage},
    )
    return locked


@transaction.atomic
def note_add(*, candidate: Candidate, text: str, actor: Any, trajectory: Trajectory | None = None) -> TrajectoryEvent:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Schrijf een notitie.")})
    event = _event(candidate, EventKind.NOTE, actor, trajectory=trajectory, text=text[:5000])
    audit_record(actor=actor, action="candidate.note_added", obj=candidate, organisation_id=candidate.region_id)
    return event


@transaction.atomic
def follow_up_set(*, trajectory: Trajectory, on: date | None, actor: Any) -> Trajectory:
    if on is not None and on < timezone.localdate():
        raise ValidationError({"follow_up_on": _("Kies een datum vanaf vandaag.")})
    Trajectory.objects.filter(pk=trajectory.pk).update(follow_up_on=on, follow_up_reminded_on=None)
    trajectory.follow_up_on = on
    _event(
        trajectory.candidate,
        EventKind.FOLLOW_UP,
        actor,
        trajectory=trajectory,
        details={"on": on.isoformat() if on else None},
    )
    return trajectory


@transaction.atomic
def document_add(*, candidate: Candidate, kind: str, uploaded_file, actor: Any) -> Document:
    """Store a CV, diploma or similar: only PDF, Word (docx), PNG or JPEG, at most 10 MB."""
    if kind not in Document.Kind.values:
        raise ValidationError({"kind": _("Kies het soort document.")})
    if uploaded_file.size > DOCUMENT_MAX_BYTES:
        raise ValidationError({"file": _("Het bestand is groter dan 10 MB.")})
    if uploaded_file.size == 0:
        raise ValidationError({"file": _("Het bestand is leeg.")})
    head = uploaded_file.read(8)
    uploaded_file.seek(0)
    content_type = next((ct for ct, magic in DOCUMENT_TYPES.items() if head.startswith(magic)), None)
    if content_type is None:
        raise ValidationError({"file": _("Alleen PDF, Word (.docx), PNG of JPEG is toegestaan.")})
    document = Document(
        candidate=candidate,
        kind=kind,
        file=uploaded_file,
        original_name=str(uploaded_file.name)[:255],
        content_type=content_type,
        size=uploaded_file.size,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.save()
    _event(candidate, EventKind.DOCUMENT, actor, details={"document": document.pk, "kind": kind})
    audit_record(actor=actor, action="candidate.document_added", obj=candidate, organisation_id=candidate.region_id)
    return document


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
        raise ValidationError({"receiver": _("Een kandidaat kan alleen naar een bestuur, opleiding of regio.")})
    if receiver.pk == candidate.region_id:
        raise ValidationError({"receiver": _("De kandidaat hoort al bij deze regio.")})
    if not current_consents(candidate).get(purpose):
        raise ValidationError(
            {
                "receiver": _("De kandidaat heeft geen toestemming gegeven om gegevens te delen met: %(purpose)s.")
                % {"purpose": ConsentPurpose(purpose).label}
            }
        )
    parts = sorted(set(shared_parts))
    if not parts or set(parts) - set(SharedPart.values):
        raise ValidationError({"shared_parts": _("Kies wat u deelt.")})
    if school_location is not None and school_location.board_id != receiver.pk:
        raise ValidationError({"school_location": _("Deze school hoort niet bij het gekozen bestuur.")})
    if trajectory is not None and trajectory.candidate_id != candidate.pk:
        raise ValidationError({"trajectory": _("Dit traject hoort niet bij deze kandidaat.")})
    if Handover.objects.filter(candidate=candidate, receiver=receiver, status=Handover.Status.PENDING).exists():
        raise ValidationError({"receiver": _("Er staat al een overdracht naar deze ontvanger open.")})
    handover = Handover.objects.create(
        candidate=candidate,
        trajectory=trajectory,
        receiver=receiver,
        school_location=school_location,
        shared_parts=parts,
        message=message,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
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
        action="candidate.handed_over",
        obj=candidate,
        organisation_id=candidate.region_id,
        details={"receiver": receiver.pk, "parts": parts},
    )
    audit_record(
        actor=actor,
        action="handover.received",
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
        raise ValidationError(_("Deze overdracht is al beantwoord."))
    locked.status = Handover.Status.ACCEPTED if accept else Handover.Status.DECLINED
    locked.response_note = note
    locked.decided_by = actor if getattr(actor, "is_authenticated", False) else None
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
            action="handover.accepted" if accept else "handover.declined",
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
        raise ValidationError(_("Deze overdracht kan niet meer worden ingetrokken."))
    locked.status = Handover.Status.WITHDRAWN
    locked.save(update_fields=["status"])
    _event(locked.candidate, EventKind.HANDOVER_DECIDED, actor, details={"handover": locked.pk, "withdrawn": True})
    audit_record(actor=actor, action="handover.withdrawn", obj=locked, organisation_id=locked.receiver_id)
    return locked


@transaction.atomic
def candidate_merge(*, keep: Candidate, duplicate: Candidate, actor: Any) -> Candidate:
    """Merge a duplicate registration into `keep`: its journey moves over, its record is erased."""
    if keep.pk == duplicate.pk or keep.region_id != duplicate.region_id:
        raise ValidationError(_("Alleen twee verschillende kandidaten van dezelfde regio kunnen worden samengevoegd."))
    # Two pending handovers to one receiver would become one person's duplicate request: keep the
    # kept candidate's, withdraw the duplicate's.
    already_pending = keep.handovers.filter(status=Handover.Status.PENDING).values("receiver_id")
    Handover.objects.filter(
        candidate=duplicate, status=Handover.Status.PENDING, receiver_id__in=already_pending
    ).update(status=Handover.Status.WITHDRAWN)
    Trajectory.objects.filter(candidate=duplicate).update(candidate=keep)
    TrajectoryEvent.objects.filter(candidate=duplicate).update(candidate=keep)
    Document.objects.filter(candidate=duplicate).update(candidate=keep)
    Handover.objects.filter(candidate=duplicate).update(candidate=keep)
    # Consents: the kept person's own answers win; the duplicate's are history only.
    _event(keep, EventKind.MERGED, actor, details={"merged": duplicate.pk})
    audit_record(
        actor=actor,
        action="candidate.merged",
        obj=keep,
        organisation_id=keep.region_id,
        details={"merged": duplicate.pk},
    )
    if duplicate.user_id and not keep.user_id:
        Candidate.objects.filter(pk=keep.pk).update(user_id=duplicate.user_id)
        Candidate.objects.filter(pk=duplicate.pk).update(user=None)
    Candidate.objects.filter(pk=duplicate.pk).delete()
    return keep


def _month(value) -> date | None:
    return value.date().replace(day=1) if value else None


def _statistics_for(candidate: Candidate) -> list[CandidateStatistic]:
    subregion_by_municipality = {}
    for subregion in SubRegion.objects.filter(region_id=candidate.region_id).prefetch_related("municipalities"):
        for municipality in subregion.municipalities.all():
            subregion_by_municipality[municipality.pk] = subregion.name
    from onderwijsregio.organisations.models import PostcodeArea

    area = PostcodeArea.objects.filter(pc4=candidate.postcode[:4]).first()
    subregion_name = subregion_by_municipality.get(area.municipality_id, "") if area else ""
    rows = []
    for trajectory in candidate.trajectories.select_related("exit_reason", "subject"):
        events = sorted(trajectory.events.all(), key=lambda e: (e.created_at, e.pk))
        reached = [e.to_stage for e in events if e.to_stage] + [trajectory.stage]
        furthest = max(reached, key=STAGE_ORDER.index)
        # Days spent in each stage, so the funnel's time-in-stage keeps counting erased people.
        entering = [e for e in events if e.kind in (EventKind.REGISTERED, EventKind.STAGE_CHANGED, EventKind.ENDED)]
        stage_days: dict[str, float] = {}
        for current, following in zip(entering, entering[1:], strict=False):
            if current.to_stage:
                days = (following.created_at - current.created_at).total_seconds() / 86400
                stage_days[current.to_stage] = round(stage_days.get(current.to_stage, 0) + days, 1)
        rows.append(
            CandidateStatistic(
                region_id=candidate.region_id,
                target_group=candidate.target_group,
                route_id=trajectory.route_id,
                subject_code=trajectory.subject.code if trajectory.subject else "",
                subregion_name=subregion_name,
                registered_month=_month(candidate.created_at),
                furthest_stage=furthest,
                exit_reason_code=trajectory.exit_reason.code if trajectory.exit_reason else "",
                ended_month=_month(trajectory.ended_at),
                stage_days=stage_days,
            )
        )
    return rows


@transaction.atomic
def candidate_erase(*, candidate: Candidate, actor: Any, reason: str) -> None:
    """Delete a candidate's personal data for good, keeping only anonymous figures.

    Used for the candidate's own request (AVG art. 17), for retention, and after merging.
    """
    CandidateStatistic.objects.bulk_create(_statistics_for(candidate))
    files = [document.file.name for document in candidate.documents.all()]
    user = candidate.user
    region_id, candidate_pk = candidate.region_id, candidate.pk
    candidate.delete()
    if user is not None and not Membership.objects.filter(user=user).exclude(role=Role.CANDIDATE).exists():
        user.delete()
    audit_record(
        actor=actor,
        action="candidate.erased",
        object_type="loket.candidate",
        object_id=str(candidate_pk),
        organisation_id=region_id,
        details={"reason": reason},
    )

    def remove_files() -> None:
        from .models import private_storage

        for name in files:
            private_storage().delete(name)

    transaction.on_commit(remove_files)


def retention_due(*, now=None):
    """Candidates whose every trajectory ended long enough ago: 4 weeks, or 1 year with consent."""
    now = now or timezone.now()
    without_consent = timedelta(days=settings.LOKET_RETENTION_DAYS)
    with_consent = timedelta(days=settings.LOKET_RETENTION_DAYS_WITH_CONSENT)
    due = []
    candidates = Candidate.objects.exclude(trajectories__ended_at__isnull=True).prefetch_related("trajectories")
    for candidate in candidates.iterator(chunk_size=500):
        ends = [t.ended_at for t in candidate.trajectories.all()]
        if not ends:
            continue
        keep = with_consent if current_consents(candidate).get(ConsentPurpose.RETAIN_ONE_YEAR) else without_consent
        if max(ends) + keep <= now:
            due.append(candidate)
    return due


def retention_run(*, now=None) -> int:
    """Erase what the retention rules say must go; returns how many candidates were erased."""
    erased = 0
    for candidate in retention_due(now=now):
        candidate_erase(candidate=candidate, actor=None, reason="retention")
        erased += 1
    return erased


# --- Candidate login by emailed code ------------------------------------------------------------

LOGIN_CODE_VALID = timedelta(minutes=15)
LOGIN_CODE_MAX_ATTEMPTS = 5
# More requests than this per candidate per hour send no further email (no mail-bombing).
LOGIN_CODES_PER_HOUR = 5


def _login_code_hash(code: str, login_code_salt: str) -> str:
    from django.utils.crypto import salted_hmac

    # Keyed with SECRET_KEY: a copy of the table alone does not let anyone try the million codes.
    return salted_hmac("onderwijsregio.loket.login_code", f"{login_code_salt}:{code}", algorithm="sha256").hexdigest()


def _login_candidate(email: str, region: Organisation | None = None) -> Candidate | None:
    candidates = Candidate.objects.filter(email__iexact=(email or "").strip(), merged_into__isnull=True)
    if region is not None:
        candidates = candidates.filter(region=region)
    # One person may have registered twice: the record with an account wins, then the newest.
    from django.db.models import F

    return candidates.select_related("region").order_by(F("user_id").asc(nulls_last=True), "-created_at").first()


@transaction.atomic
def login_code_issue(*, email: str, region: Organisation | None = None) -> LoginCode | None:
    """Email a 6-digit one-time code to the candidate with this address, if there is one.

    Returns the stored code row (None when nothing was sent); callers must not tell the visitor
    which, so that the page does not reveal whether an address is known.
    """
    import secrets

    candidate = _login_candidate(email, region)
    if candidate is None:
        return None
    now = timezone.now()
    if candidate.login_codes.filter(created_at__gte=now - timedelta(hours=1)).count() >= LOGIN_CODES_PER_HOUR:
        audit_record(
            actor=None, action="candidate.login_code_throttled", obj=candidate, organisation_id=candidate.region_id
        )
        return None
    candidate.login_codes.filter(created_at__lt=now - timedelta(days=1)).delete()
    code = f"{secrets.randbelow(10**6):06d}"
    login_code = LoginCode.objects.create(
        candidate=candidate,
        code_hash=_login_code_hash(code, str(candidate.public_id)),
        expires_at=now + LOGIN_CODE_VALID,
    )
    audit_record(actor=None, action="candidate.login_code_sent", obj=candidate, organisation_id=candidate.region_id)
    _mail_candidate(
        candidate,
        "login_code",
        "Uw inlogcode voor het onderwijsloket",
        {"code": code, "minutes": int(LOGIN_CODE_VALID.total_seconds() // 60)},
    )
    return login_code


@transaction.atomic
def login_code_verify(*, email: str, code: str) -> Candidate | None:
    """The candidate whose latest code this is, or None; the code is used up on success.

    Only the latest code counts, for LOGIN_CODE_VALID and LOGIN_CODE_MAX_ATTEMPTS tries; every
    failure is counted and audited (and committed: this returns instead of raising).
    """
    from django.utils.crypto import constant_time_compare

    candidates = Candidate.objects.filter(email__iexact=(email or "").strip(), merged_into__isnull=True)
    login_code = (
        LoginCode.objects.select_for_update(of=("self",))
        .filter(candidate__in=candidates, used_at__isnull=True)
        .select_related("candidate")
        .order_by("-created_at", "-id")
        .first()
    )
    if login_code is None:
        return None
    candidate = login_code.candidate
    now = timezone.now()
    usable = login_code.expires_at > now and login_code.attempts < LOGIN_CODE_MAX_ATTEMPTS
    matches = constant_time_compare(login_code.code_hash, _login_code_hash(str(code).strip(), str(candidate.public_id)))
    if usable and matches:
        LoginCode.objects.filter(pk=login_code.pk).update(used_at=now)
        return candidate
    LoginCode.objects.filter(pk=login_code.pk).update(attempts=login_code.attempts + 1)
    audit_record(
        actor=None,
        action="candidate.login_code_failed",
        obj=candidate,
        organisation_id=candidate.region_id,
        details={
            "attempt": login_code.attempts + 1,
            "reason": "expired" if login_code.expires_at <= now else "attempts" if not usable else "wrong_code",
        },
    )
    return None


@transaction.atomic
def candidate_login_account(*, candidate: Candidate) -> Any:
    """The account a candidate logs in with: made (role CANDIDATE at the region) on first login."""
    from onderwijsregio.accounts.models import User
    from onderwijsregio.accounts.services import membership_create, user_create

    candidate = Candidate.objects.select_for_update(of=("self",)).select_related("region", "user").get(pk=candidate.pk)
    user = candidate.user
    if user is None:
        user = User.objects.filter(email__iexact=candidate.email).first()
        if user is None:
            user = user_create(
                email=candidate.email,
                full_name=candidate.full_name,
                actor=None,
                audit_repr=f"kandidaat-account van kandidaat {candidate.pk}",
            )
            User.objects.filter(pk=user.pk).update(preferred_language=candidate.preferred_language)
            user.preferred_language = candidate.preferred_language
        if not hasattr(user, "candidate") or user.candidate is None:
            Candidate.objects.filter(pk=candidate.pk).update(user=user)
            candidate.user = user
    if not Membership.objects.filter(
        user=user, organisation_id=candidate.region_id, role=Role.CANDIDATE, ended_at__isnull=True
    ).exists():
        membership_create(user=user, organisation=candidate.region, role=Role.CANDIDATE, actor=None)
    audit_record(actor=user, action="candidate.logged_in", obj=candidate, organisation_id=candidate.region_id)
    return user
