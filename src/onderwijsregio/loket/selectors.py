"""Reads of the candidate desk. Showing candidates is a read of personal data: those reads are audited here.

Pages and the API read through the same functions, so each entry point logs the same events:
candidate_open (one candidate), candidates_read_record (what an API response showed),
list_viewed_record and export_record (the working list, board, inbox and exports), document_open and
own_data_export (a document, and the candidate's download of their own data).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from onderwijsregio.core.services import audit_record
from onderwijsregio.organisations.models import Organisation

if TYPE_CHECKING:
    from .worklist import Viewer

from . import audit
from .labels import consent_text
from .models import CANDIDATE_FIELDS, Candidate, ConsentPurpose, Document, Handover, TrajectoryEvent
from .permissions import ACTIVE_HANDOVER, receiving_organisations, shared_parts_for, visible_candidates_q


def visible_candidates(*, user: Any) -> QuerySet[Candidate]:
    return Candidate.objects.filter(visible_candidates_q(user)).filter(merged_into__isnull=True)


def candidate_open(*, user: Any, pk: int) -> tuple[Candidate, frozenset[str]]:
    """A candidate the user may see, with the parts they may see; the read is audit-logged.

    Raises Http404 for a candidate the user may not see, so its existence is not revealed.
    """
    candidate = visible_candidates(user=user).select_related("region", "coordinator", "user").filter(pk=pk).first()
    if candidate is None:
        raise Http404
    parts = shared_parts_for(user, candidate)
    audit_record(
        actor=user,
        action=audit.CANDIDATE_VIEWED,
        obj=candidate,
        organisation_id=candidate.region_id,
        personal_data_read=True,
        details={"parts": sorted(parts)},
    )
    return candidate, parts


def timeline(*, candidate: Candidate) -> QuerySet[TrajectoryEvent]:
    return candidate.events.select_related("actor", "trajectory").order_by("-created_at", "-id")


def inbox(*, user: Any, pending_only: bool = False) -> QuerySet[Handover]:
    """Handovers addressed to the organisations the user receives for (only those awaiting an answer, if asked)."""
    pending_first = Case(When(status=Handover.Status.PENDING, then=Value(0)), default=Value(1))
    handovers = Handover.objects.filter(receiver_id__in=receiving_organisations(user))
    if pending_only:
        handovers = handovers.filter(status=Handover.Status.PENDING)
    return handovers.select_related("candidate", "receiver", "school_location", "created_by").order_by(
        pending_first, "-created_at"
    )


def active_handovers(*, candidate: Candidate) -> QuerySet[Handover]:
    return candidate.handovers.filter(status__in=ACTIVE_HANDOVER).select_related("receiver", "school_location")


# Target groups whose start at a school is new inflow into the teaching workforce.
INFLOW_TARGET_GROUPS = ("side_entrant", "refugee_teacher")
_AT_SCHOOL_STAGES = ("started", "induction", "qualified")


def teachers_started_count(*, since: datetime, region_id: int | None = None, board_id: int | None = None) -> int:
    """How many side-entrants and refugee teachers started at a school since a moment: the desk's inflow.

    Counted from the timeline (a stage change into started, induction or qualified from an earlier
    stage), per trajectory, for a region's candidates or for trajectories at one board. Only a number
    leaves the desk: no person is read, so nothing is audit-logged.
    """
    events = TrajectoryEvent.objects.filter(
        kind="stage_changed",
        to_stage__in=_AT_SCHOOL_STAGES,
        created_at__gte=since,
        candidate__target_group__in=INFLOW_TARGET_GROUPS,
    ).exclude(from_stage__in=_AT_SCHOOL_STAGES)
    if region_id is not None:
        events = events.filter(candidate__region_id=region_id)
    if board_id is not None:
        events = events.filter(trajectory__board_id=board_id)
    return events.values("trajectory_id").distinct().count()


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


def current_consents(*, candidate: Candidate) -> dict[str, bool]:
    """The latest answer per purpose."""
    answers: dict[str, bool] = {}
    for purpose, given in candidate.consents.order_by("recorded_at", "id").values_list("purpose", "given"):
        answers[purpose] = given
    return answers


def last_activity(*, candidate: str = "pk", updated_at: str = "updated_at") -> Greatest:
    """When a candidate's record was last worked on: its latest timeline event or change, as an expression.

    `candidate` and `updated_at` name the candidate's id and its updated_at from the queryset's model
    (`"candidate"`, `"candidate__updated_at"` on trajectories). A subquery, so a list needs no query per row.
    """
    latest_event = (
        TrajectoryEvent.objects.filter(candidate=OuterRef(candidate)).order_by("-created_at").values("created_at")[:1]
    )
    return Greatest(Coalesce(Subquery(latest_event), F(updated_at)), F(updated_at))


def inactive_since(*, now: datetime | None = None) -> datetime:
    """Records last worked on before this moment need the desk's decision ("te beoordelen")."""
    return (now or timezone.now()) - timedelta(days=settings.LOKET_MAX_INACTIVE_DAYS)


def retention_due(*, now: datetime | None = None) -> list[Candidate]:
    """Candidates the retention rules say must go now (see retention_due_by_reason for the rules)."""
    return [candidate for candidate, _reason in retention_due_by_reason(now=now)]


def retention_due_by_reason(*, now: datetime | None = None) -> list[tuple[Candidate, str]]:
    """What retention erases, each with why: "retention" (every trajectory closed 4 weeks ago, or 1 year
    with consent) or "retention_inactive" (nobody worked on the record for LOKET_MAX_INACTIVE_DAYS plus
    that same period, also when a trajectory was never closed)."""
    now = now or timezone.now()
    without_consent = timedelta(days=settings.LOKET_RETENTION_DAYS)
    with_consent = timedelta(days=settings.LOKET_RETENTION_DAYS_WITH_CONSENT)
    max_inactive = timedelta(days=settings.LOKET_MAX_INACTIVE_DAYS)
    due: list[tuple[Candidate, str]] = []
    candidates = Candidate.objects.exclude(trajectories__ended_at__isnull=True).prefetch_related("trajectories")
    for candidate in candidates.iterator(chunk_size=500):
        ends = [t.ended_at for t in candidate.trajectories.all()]
        if not ends:
            continue
        keep = (
            with_consent
            if current_consents(candidate=candidate).get(ConsentPurpose.RETAIN_ONE_YEAR)
            else without_consent
        )
        if max(ends) + keep <= now:
            due.append((candidate, "retention"))
    closed = {candidate.pk for candidate, _reason in due}
    # Records left lying: open trajectories (or none) that nobody touched for the maximum plus the period.
    stale = (
        Candidate.objects.annotate(last_activity=last_activity())
        .filter(last_activity__lte=now - max_inactive - min(without_consent, with_consent))
        .exclude(pk__in=closed)
        .order_by("pk")
    )
    for candidate in stale.iterator(chunk_size=500):
        keep = (
            with_consent
            if current_consents(candidate=candidate).get(ConsentPurpose.RETAIN_ONE_YEAR)
            else without_consent
        )
        if candidate.last_activity + max_inactive + keep <= now:
            due.append((candidate, "retention_inactive"))
    return due


def candidates_read_record(
    *, user: Any, candidates: list[Candidate], path: str, action: str = audit.CANDIDATE_VIEWED
) -> None:
    """One audit event per API request, with every candidate id it showed (a personal-data read)."""
    if not candidates:
        return
    regions = sorted({candidate.region_id for candidate in candidates})
    audit_record(
        actor=user,
        action=action,
        object_type="loket.candidate",
        object_id=str(candidates[0].pk) if len(candidates) == 1 else "",
        organisation_id=regions[0] if len(regions) == 1 else None,
        personal_data_read=True,
        details={
            "via": "api",
            "path": path[:500],
            "candidates": [candidate.pk for candidate in candidates],
            "regions": regions,
        },
    )


def _filters_for_audit(filters: dict) -> dict:
    described = {}
    for key, value in filters.items():
        if value in (None, "", False):
            continue
        described[key] = getattr(value, "pk", value) if not isinstance(value, str | bool | int) else value
    return described


def list_viewed_record(*, viewer: Viewer, candidates: list[Candidate], filters: dict, via: str) -> None:
    """One personal-data read per region shown, so each region's audit readers see who looked."""
    by_region: dict[int, list[int]] = {}
    for candidate in candidates:
        by_region.setdefault(candidate.region_id, []).append(candidate.pk)
    for region_id, pks in sorted(by_region.items()):
        audit_record(
            actor=viewer.user,
            action=audit.CANDIDATE_LIST_VIEWED,
            object_type="loket.candidate",
            organisation_id=region_id,
            personal_data_read=True,
            details={"via": via, "filters": _filters_for_audit(filters), "candidates": pks},
        )


def export_record(*, viewer: Viewer, queryset: QuerySet[Candidate], filters: dict, file_format: str) -> int:
    """Log the export before it streams (one event per region, with its row count); returns the total."""
    counts = {
        row["region_id"]: row["rows"]
        for row in queryset.order_by().values("region_id").annotate(rows=Count("pk")).values("region_id", "rows")
    }
    for region_id, rows in sorted(counts.items()):
        audit_record(
            actor=viewer.user,
            action=audit.CANDIDATE_EXPORTED,
            object_type="loket.candidate",
            organisation_id=region_id,
            personal_data_read=True,
            details={"format": file_format, "filters": _filters_for_audit(filters), "rows": rows},
        )
    return sum(counts.values())


def document_open(*, user: Any, candidate: Candidate, pk: int) -> Document:
    """A document of a candidate the user opened (candidate_open), for download; the read is audit-logged."""
    document = get_object_or_404(candidate.documents, pk=pk)
    audit_record(
        actor=user,
        action=audit.CANDIDATE_DOCUMENT_DOWNLOADED,
        obj=candidate,
        organisation_id=candidate.region_id,
        personal_data_read=True,
        details={"document": document.pk, "kind": document.kind},
    )
    return document


def own_data_export(*, candidate: Candidate, actor: Any) -> dict:
    """Everything the desk holds about the candidate, for the AVG right of access and portability (audited).

    Includes the desk's notes about them and every timeline event: access covers all personal data.
    """

    def when(value):
        return value.isoformat() if value else None

    def name(obj):
        return str(obj) if obj is not None else None

    fields = {field: getattr(candidate, field) for field in CANDIDATE_FIELDS if field not in ("target_sectors",)}
    data = {
        "format": "open-onderwijsregio/loket-candidate-export",
        "exported_at": timezone.now().isoformat(),
        "region": candidate.region.name,
        "candidate": {
            "id": str(candidate.public_id),
            **fields,
            "target_sectors": list(candidate.target_sectors or []),
            "related_subjects": [{"code": s.code, "name": s.name} for s in candidate.related_subjects.order_by("name")],
            "target_subjects": [{"code": s.code, "name": s.name} for s in candidate.target_subjects.order_by("name")],
            "coordinator": candidate.coordinator.get_full_name() if candidate.coordinator else None,
            "created_at": when(candidate.created_at),
            "updated_at": when(candidate.updated_at),
        },
        "consents": [
            {
                "purpose": consent.purpose,
                "question": consent_text(consent.purpose, consent.text_version),
                "given": consent.given,
                "text_version": consent.text_version,
                "recorded_at": when(consent.recorded_at),
            }
            for consent in candidate.consents.order_by("recorded_at", "id")
        ],
        "route_advice": candidate.advice or {},
        "trajectories": [
            {
                "id": trajectory.pk,
                "route": trajectory.route_id,
                "subject": name(trajectory.subject),
                "board": name(trajectory.board),
                "school": name(trajectory.school_location),
                "institute": name(trajectory.institute),
                "stage": trajectory.stage,
                "stage_changed_at": when(trajectory.stage_changed_at),
                "ended_at": when(trajectory.ended_at),
                "exit_reason": name(trajectory.exit_reason),
                "exit_note": trajectory.exit_note,
                "follow_up_on": when(trajectory.follow_up_on),
                "created_at": when(trajectory.created_at),
            }
            for trajectory in candidate.trajectories.select_related(
                "subject", "board", "school_location", "institute", "exit_reason"
            ).order_by("created_at", "id")
        ],
        "events": [
            {
                "at": when(event.created_at),
                "kind": event.kind,
                "trajectory": event.trajectory_id,
                "from_stage": event.from_stage,
                "to_stage": event.to_stage,
                "text": event.text,
                "details": event.details,
            }
            for event in candidate.events.order_by("created_at", "id")
        ],
        "handovers": [
            {
                "receiver": handover.receiver.name,
                "school": name(handover.school_location),
                "shared_parts": handover.shared_parts,
                "message": handover.message,
                "status": handover.status,
                "response_note": handover.response_note,
                "created_at": when(handover.created_at),
                "decided_at": when(handover.decided_at),
            }
            for handover in candidate.handovers.select_related("receiver", "school_location").order_by("created_at")
        ],
        "documents": [
            {
                "kind": document.kind,
                "name": document.original_name,
                "content_type": document.content_type,
                "size": document.size,
                "uploaded_at": when(document.uploaded_at),
            }
            for document in candidate.documents.order_by("uploaded_at")
        ],
    }
    audit_record(
        actor=actor,
        action=audit.CANDIDATE_EXPORTED_OWN_DATA,
        obj=candidate,
        organisation_id=candidate.region_id,
        personal_data_read=True,
    )
    return data
