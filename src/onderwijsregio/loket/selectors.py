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
