"""A candidate's trajectories: open one, set its places, move it through the stages, end it, plan a follow-up."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from onderwijsregio.core.errors import DomainError, version_check
from onderwijsregio.core.services import audit_record
from onderwijsregio.organisations.models import Organisation, SchoolLocation, Subject

from .. import audit
from ..models import (
    STAGE_ORDER,
    Candidate,
    EventKind,
    ExitReason,
    Stage,
    Trajectory,
)
from .common import _event

_STALE = _lazy("Iemand anders heeft dit traject intussen gewijzigd. Laad de pagina opnieuw.")


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
    audit_record(actor=actor, action=audit.TRAJECTORY_CREATED, obj=trajectory, organisation_id=candidate.region_id)
    return trajectory


def _check_places(trajectory: Trajectory) -> None:
    if trajectory.board is not None and trajectory.board.kind != Organisation.Kind.BOARD:
        raise DomainError({"board": _("Kies een schoolbestuur.")}, code="board_kind_refused")
    if trajectory.institute is not None and trajectory.institute.kind != Organisation.Kind.INSTITUTE:
        raise DomainError({"institute": _("Kies een lerarenopleiding.")}, code="institute_kind_refused")
    if (
        trajectory.school_location is not None
        and trajectory.board is not None
        and trajectory.school_location.board_id != trajectory.board.pk
    ):
        raise DomainError(
            {"school_location": _("Deze school hoort niet bij het gekozen bestuur.")}, code="school_not_of_board"
        )


@transaction.atomic
def trajectory_update(
    *, trajectory: Trajectory, actor: Any, expected_version: int | None = None, **changes
) -> Trajectory:
    """Set route, subject, board, school or institute of a trajectory."""
    allowed = {"route_id", "subject", "board", "school_location", "institute"}
    if set(changes) - allowed:
        raise DomainError(_("Deze velden kunnen niet worden gewijzigd."), code="unknown_fields")
    locked = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    version_check(locked, expected_version, _STALE)
    for name, value in changes.items():
        setattr(locked, name, value)
    _check_places(locked)
    locked.full_clean()
    locked.version += 1
    locked.save()
    _event(locked.candidate, EventKind.UPDATED, actor, trajectory=locked, details={"fields": sorted(changes)})
    audit_record(actor=actor, action=audit.TRAJECTORY_UPDATED, obj=locked, organisation_id=locked.candidate.region_id)
    return locked


@transaction.atomic
def trajectory_move(
    *, trajectory: Trajectory, to_stage: str, actor: Any, note: str = "", expected_version: int | None = None
) -> Trajectory:
    """Move a trajectory to another stage (forward, or back to correct a mistake)."""
    if to_stage not in STAGE_ORDER:
        raise DomainError({"stage": _("Onbekende fase.")}, code="stage_unknown")
    locked = Trajectory.objects.select_for_update().select_related("candidate").get(pk=trajectory.pk)
    version_check(locked, expected_version, _STALE)
    if locked.ended_at is not None:
        raise DomainError(_("Dit traject is beëindigd; open een nieuw traject."), code="trajectory_ended")
    if locked.stage == to_stage:
        raise DomainError({"stage": _("Het traject staat al in deze fase.")}, code="stage_unchanged")
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
        action=audit.TRAJECTORY_STAGE_CHANGED,
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
    version_check(locked, expected_version, _STALE)
    if locked.ended_at is not None:
        raise DomainError(_("Dit traject is al beëindigd."), code="trajectory_ended")
    if reason is None or not reason.is_active:
        raise DomainError({"exit_reason": _("Kies een reden uit de lijst.")}, code="exit_reason_invalid")
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
        action=audit.TRAJECTORY_ENDED,
        obj=locked,
        organisation_id=locked.candidate.region_id,
        details={"reason": reason.code, "stage": locked.stage},
    )
    return locked


@transaction.atomic
def follow_up_set(*, trajectory: Trajectory, on: date | None, actor: Any) -> Trajectory:
    if on is not None and on < timezone.localdate():
        raise DomainError({"follow_up_on": _("Kies een datum vanaf vandaag.")}, code="follow_up_in_past")
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
