"""Reads of the candidate desk. Opening a candidate as staff is a read of personal data: audited."""

from __future__ import annotations

from django.db.models import Case, QuerySet, Value, When
from django.http import Http404

from onderwijsregio.core.services import audit_record

from .models import Candidate, Handover, TrajectoryEvent
from .permissions import ACTIVE_HANDOVER, receiving_organisations, shared_parts_for, visible_candidates_q


def visible_candidates(*, user) -> QuerySet[Candidate]:
    return Candidate.objects.filter(visible_candidates_q(user)).filter(merged_into__isnull=True)


def candidate_open(*, user, pk: int) -> tuple[Candidate, frozenset[str]]:
    """A candidate the user may see, with the parts they may see; the read is audit-logged.

    Raises Http404 for a candidate the user may not see, so its existence is not revealed.
    """
    candidate = visible_candidates(user=user).select_related("region", "coordinator", "user").filter(pk=pk).first()
    if candidate is None:
        raise Http404
    parts = shared_parts_for(user, candidate)
    audit_record(
        actor=user,
        action="candidate.viewed",
        obj=candidate,
        organisation_id=candidate.region_id,
        personal_data_read=True,
        details={"parts": sorted(parts)},
    )
    return candidate, parts


def timeline(*, candidate: Candidate) -> QuerySet[TrajectoryEvent]:
    return candidate.events.select_related("actor", "trajectory").order_by("-created_at", "-id")


def inbox(*, user) -> QuerySet[Handover]:
    """Handovers addressed to the organisations the user receives for."""
    pending_first = Case(When(status=Handover.Status.PENDING, then=Value(0)), default=Value(1))
    return (
        Handover.objects.filter(receiver_id__in=receiving_organisations(user))
        .select_related("candidate", "receiver", "school_location", "created_by")
        .order_by(pending_first, "-created_at")
    )


def active_handovers(*, candidate: Candidate) -> QuerySet[Handover]:
    return candidate.handovers.filter(status__in=ACTIVE_HANDOVER).select_related("receiver", "school_location")


# Target groups whose start at a school is new inflow into the teaching workforce.
INFLOW_TARGET_GROUPS = ("side_entrant", "refugee_teacher")
_AT_SCHOOL_STAGES = ("started", "induction", "qualified")


def teachers_started_count(*, since, region_id: int | None = None, board_id: int | None = None) -> int:
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
