"""Reads of the candidate desk. Opening a candidate as staff is a read of personal data: audited."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Case, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from onderwijsregio.core.services import audit_record
from onderwijsregio.organisations.models import Organisation

from .models import Candidate, ConsentPurpose, Handover, TrajectoryEvent
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


def current_consents(candidate: Candidate) -> dict[str, bool]:
    """The latest answer per purpose."""
    answers: dict[str, bool] = {}
    for purpose, given in candidate.consents.order_by("recorded_at", "id").values_list("purpose", "given"):
        answers[purpose] = given
    return answers


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
