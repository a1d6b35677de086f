"""Who may see and do what with a candidate.

- The regional team of the candidate's region runs the desk: it sees and manages the whole record.
- A receiver of a handover (board HR and school leaders of a board, staff of an institute, the
  regional team of another region) sees the candidate while the handover is pending or accepted,
  and only the parts the handover shares. Without a handover a board sees nothing of a candidate.
- The candidate sees and edits their own record.
"""

from __future__ import annotations

import rules
from django.db.models import Q

from onderwijsregio.accounts.models import Role
from onderwijsregio.accounts.permissions import access_for

from .models import Candidate, Handover, SharedPart

ACTIVE_HANDOVER = (Handover.Status.PENDING, Handover.Status.ACCEPTED)
RECEIVER_ROLES = (Role.BOARD_HR, Role.SCHOOL_LEADER, Role.INSTITUTE_STAFF, Role.REGIONAL_TEAM)
ALL_PARTS = frozenset(SharedPart.values)


def receiving_organisations(user) -> set[int]:
    """Organisations on whose behalf the user can receive handovers."""
    return access_for(user).organisations_with_role(*RECEIVER_ROLES)


def visible_candidates_q(user) -> Q:
    """Filter for Candidate rows the user may see (staff view)."""
    access = access_for(user)
    if access.is_platform_admin:
        return Q()
    return Q(region_id__in=access.team_regions) | Q(
        pk__in=Handover.objects.filter(
            receiver_id__in=receiving_organisations(user), status__in=ACTIVE_HANDOVER
        ).values("candidate_id")
    )


def visible_trajectories_q(user) -> Q:
    """Filter for Trajectory rows: the desk sees all of its region's; a receiver only the trajectory
    it was handed (not the candidate's pathways at other boards, nor why those ended)."""
    access = access_for(user)
    if access.is_platform_admin:
        return Q()
    return Q(candidate__region_id__in=access.team_regions) | Q(
        pk__in=Handover.objects.filter(
            receiver_id__in=receiving_organisations(user), status__in=ACTIVE_HANDOVER, trajectory__isnull=False
        ).values("trajectory_id")
    )


def shared_parts_for(user, candidate: Candidate) -> frozenset[str]:
    """The parts of a candidate's record this user may see: all for the desk, the shared ones otherwise."""
    access = access_for(user)
    if access.is_platform_admin or candidate.region_id in access.team_regions:
        return ALL_PARTS
    if candidate.user_id is not None and candidate.user_id == getattr(user, "pk", None):
        return ALL_PARTS
    parts: set[str] = set()
    for shared in Handover.objects.filter(
        candidate=candidate, receiver_id__in=receiving_organisations(user), status__in=ACTIVE_HANDOVER
    ).values_list("shared_parts", flat=True):
        parts.update(shared)
    return frozenset(parts)


@rules.predicate
def runs_desk_of(user, candidate) -> bool:
    return candidate is not None and (
        access_for(user).is_platform_admin or candidate.region_id in access_for(user).team_regions
    )


@rules.predicate
def receives(user, candidate) -> bool:
    return (
        candidate is not None
        and Handover.objects.filter(
            candidate=candidate, receiver_id__in=receiving_organisations(user), status__in=ACTIVE_HANDOVER
        ).exists()
    )


@rules.predicate
def has_accepted(user, candidate) -> bool:
    return (
        candidate is not None
        and Handover.objects.filter(
            candidate=candidate, receiver_id__in=receiving_organisations(user), status=Handover.Status.ACCEPTED
        ).exists()
    )


@rules.predicate
def is_the_candidate(user, candidate) -> bool:
    return candidate is not None and candidate.user_id is not None and candidate.user_id == getattr(user, "pk", None)


@rules.predicate
def works_at_a_desk(user) -> bool:
    access = access_for(user)
    return access.is_platform_admin or bool(access.team_regions)


@rules.predicate
def can_receive(user) -> bool:
    return bool(receiving_organisations(user))


rules.add_perm("loket.view_candidate", runs_desk_of | receives)
rules.add_perm("loket.manage_candidate", runs_desk_of)
# Receivers who accepted work with the candidate: they move the journey on and add notes.
rules.add_perm("loket.progress_candidate", runs_desk_of | has_accepted)
rules.add_perm("loket.view_own_record", is_the_candidate)
rules.add_perm("loket.use_desk", works_at_a_desk)
rules.add_perm("loket.use_inbox", can_receive)
