"""The end of a record: merging a duplicate registration, erasure (AVG art. 17) and the retention rules.

Erasure keeps only anonymous figures (CandidateStatistic), so the funnel still counts erased people.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast, Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from onderwijsregio.accounts.models import Membership, Role
from onderwijsregio.core.errors import DomainError
from onderwijsregio.core.services import audit_record
from onderwijsregio.organisations.models import SubRegion

from .. import audit
from ..models import (
    STAGE_ORDER,
    Candidate,
    CandidateStatistic,
    Document,
    EventKind,
    Handover,
    Trajectory,
    TrajectoryEvent,
)
from ..selectors import retention_due_by_reason
from .common import LOGIN_EMAIL_SESSION_KEY, REGISTERED_SESSION_KEY, _event
from .login_codes import candidate_login_refusal
from .summaries import trajectory_keys_copy


@transaction.atomic
def candidate_merge(*, keep: Candidate, duplicate: Candidate, actor: Any) -> Candidate:
    """Merge a duplicate registration into `keep`: its journey moves over, its record is erased."""
    if keep.pk == duplicate.pk or keep.region_id != duplicate.region_id:
        raise DomainError(
            _("Alleen twee verschillende kandidaten van dezelfde regio kunnen worden samengevoegd."),
            code="merge_refused",
        )
    # Two pending handovers to one receiver would become one person's duplicate request: keep the
    # kept candidate's, withdraw the duplicate's.
    already_pending = keep.handovers.filter(status=Handover.Status.PENDING).values("receiver_id")
    Handover.objects.filter(
        candidate=duplicate, status=Handover.Status.PENDING, receiver_id__in=already_pending
    ).update(status=Handover.Status.WITHDRAWN)
    Trajectory.objects.filter(candidate=duplicate).update(candidate=keep)
    trajectory_keys_copy(candidate=keep)
    TrajectoryEvent.objects.filter(candidate=duplicate).update(candidate=keep)
    Document.objects.filter(candidate=duplicate).update(candidate=keep)
    Handover.objects.filter(candidate=duplicate).update(candidate=keep)
    # Consents: the kept person's own answers win; the duplicate's are history only.
    _event(keep, EventKind.MERGED, actor, details={"merged": duplicate.pk})
    audit_record(
        actor=actor,
        action=audit.CANDIDATE_MERGED,
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
    for statistic in _statistics_for(candidate):
        # One by one: the funnel's counts of anonymous stays follow each saved row (loket.signals).
        statistic.save()
    files = [document.file.name for document in candidate.documents.all()]
    user = candidate.user
    region_id, candidate_pk = candidate.region_id, candidate.pk
    email = candidate.email
    candidate.delete()
    _erase_traces(email=email, user_id=user.pk if user is not None else None, candidate_pk=candidate_pk)
    # Only an account that was nothing but this candidate's goes with the record: never a staff account
    # (one linked by the code login before it refused those must survive the candidate's erasure).
    if (
        user is not None
        and not Membership.objects.filter(user=user).exclude(role=Role.CANDIDATE).exists()
        and not candidate_login_refusal(user)
    ):
        user.delete()
    audit_record(
        actor=actor,
        action=audit.CANDIDATE_ERASED,
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


# Sessions are read in chunks of this many rows when erasure looks for a candidate's unfinished steps.
SESSION_CHUNK = 500


def _erase_traces(*, email: str, user_id: int | None, candidate_pk: int) -> None:
    """Remove what other apps keep of the candidate: the address in login records and task results, sessions.

    - django-axes files every login (attempt) under the address typed: AccessLog, AccessAttempt,
      AccessFailureLog;
    - the task database keeps the arguments and result of every email sent to the candidate;
    - a browser with an unfinished code login (or a fresh registration) holds the address or the record's id
      in its session, and the candidate's own logins hold their account's id.
    The address is compared lower-cased and, in task arguments, as a whole JSON string, so another address
    that merely contains it is left alone.
    """
    email = (email or "").strip().lower()
    if email and apps.is_installed("axes"):
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        for model in (AccessLog, AccessAttempt, AccessFailureLog):
            model.objects.filter(username__iexact=email).delete()
    if email and apps.is_installed("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        quoted = f'"{email}"'
        DBTaskResult.objects.annotate(
            args_text=Lower(Cast("args_kwargs", TextField())), result_text=Lower(Cast("return_value", TextField()))
        ).filter(Q(args_text__contains=quoted) | Q(result_text__contains=quoted)).delete()
    if apps.is_installed("django.contrib.sessions"):
        _erase_sessions(email=email, user_id=user_id, candidate_pk=candidate_pk)


def _erase_sessions(*, email: str, user_id: int | None, candidate_pk: int) -> None:
    from django.contrib.sessions.models import Session

    doomed = []
    sessions = Session.objects.filter(expire_date__gt=timezone.now()).only("session_key", "session_data")
    for session in sessions.iterator(chunk_size=SESSION_CHUNK):
        data = session.get_decoded()
        if (
            (email and str(data.get(LOGIN_EMAIL_SESSION_KEY, "")).lower() == email)
            or data.get(REGISTERED_SESSION_KEY) == candidate_pk
            or (user_id is not None and str(data.get("_auth_user_id", "")) == str(user_id))
        ):
            doomed.append(session.session_key)
    Session.objects.filter(session_key__in=doomed).delete()


def retention_run(*, now: datetime | None = None) -> int:
    """Erase what the retention rules say must go; returns how many candidates were erased."""
    erased = 0
    for candidate, reason in retention_due_by_reason(now=now):
        candidate_erase(candidate=candidate, actor=None, reason=reason)
        erased += 1
    return erased
