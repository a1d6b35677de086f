"""Who may see and do what in a substitute pool (django-rules).

- The coordinator is the regional team of the pool's region (or a platform admin): it runs the pool.
- HR of a participating board sees the pool, its own board's requests and the members it employs,
  and the aggregates (settlement, dashboard).
- A school leader of a participating board files requests and follows those of their own school
  location (or of the whole board when the membership names no location).
- A pool member (PoolMember.user) sees their own record, offers and assignments.

The same predicates back the pages, the API and the admin; selectors.py turns them into querysets.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from onderwijsregio.accounts.models import Role
from onderwijsregio.accounts.permissions import access_for
from onderwijsregio.core.errors import actor_or_none

from .models import Assignment, HoursEntry, Offer, Pool, PoolMember, ReplacementRequest


def _user_id(user) -> int | None:
    actor = actor_or_none(user)
    return actor.pk if actor is not None else None


def is_coordinator_of(*, user: Any, pool: Pool | None) -> bool:
    """The regional team of the pool's region, or a platform admin."""
    if pool is None:
        return False
    access = access_for(user)
    return access.is_platform_admin or pool.region_id in access.team_regions


def participating_board_ids(*, pool: Pool, requesting_only: bool = False) -> set[int]:
    cache_name = "_requesting_board_ids" if requesting_only else "_participating_board_ids"
    cached = getattr(pool, cache_name, None)
    if cached is None:
        participants = pool.participants.all()
        if requesting_only:
            participants = participants.filter(requests_substitutes=True)
        cached = set(participants.values_list("board_id", flat=True))
        setattr(pool, cache_name, cached)
    return cached


def school_leader_scopes(*, user: Any) -> list[tuple[int, int | None]]:
    """(board id, school location id or None for the whole board) per active school-leader membership."""
    return [
        (org_id, location_id)
        for role, org_id, location_id in access_for(user).memberships
        if role == Role.SCHOOL_LEADER
    ]


def is_school_side_of(*, user: Any, request: ReplacementRequest | None) -> bool:
    """HR of the requesting board, or a school leader of its location (or of the board as a whole)."""
    if request is None:
        return False
    if request.board_id in access_for(user).hr_organisations:
        return True
    return any(
        board_id == request.board_id and location_id in (None, request.school_location_id)
        for board_id, location_id in school_leader_scopes(user=user)
    )


def school_side_requests_q(*, user: Any) -> Q:
    """Filter for ReplacementRequest rows the user sees as school side (HR or school leader)."""
    access = access_for(user)
    condition = Q(board_id__in=access.hr_organisations)
    for board_id, location_id in school_leader_scopes(user=user):
        if location_id is None:
            condition |= Q(board_id=board_id)
        else:
            condition |= Q(board_id=board_id, school_location_id=location_id)
    return condition


def is_member_user(*, user: Any, member: PoolMember | None) -> bool:
    uid = _user_id(user)
    return member is not None and uid is not None and member.user_id == uid


@rules.predicate
def coordinates(user: Any, pool: Pool | None) -> bool:
    return is_coordinator_of(user=user, pool=pool)


@rules.predicate
def staff_of_participating_board(user: Any, pool: Pool | None) -> bool:
    """HR or school leader of a board taking part in the pool."""
    if pool is None:
        return False
    access = access_for(user)
    staff = access.hr_organisations | {board_id for board_id, _ in school_leader_scopes(user=user)}
    return bool(staff & participating_board_ids(pool=pool))


@rules.predicate
def hr_of_participating_board(user: Any, pool: Pool | None) -> bool:
    return pool is not None and bool(access_for(user).hr_organisations & participating_board_ids(pool=pool))


@rules.predicate
def member_of_pool(user: Any, pool: Pool | None) -> bool:
    uid = _user_id(user)
    return pool is not None and uid is not None and pool.members.filter(user_id=uid).exists()


@rules.predicate
def may_request_for_pool(user: Any, pool: Pool | None) -> bool:
    """HR or school leader of a participating board that asks for substitutes."""
    if pool is None:
        return False
    access = access_for(user)
    staff = access.hr_organisations | {board_id for board_id, _ in school_leader_scopes(user=user)}
    return bool(staff & participating_board_ids(pool=pool, requesting_only=True))


@rules.predicate
def coordinates_member(user: Any, member: PoolMember | None) -> bool:
    return member is not None and is_coordinator_of(user=user, pool=member.pool)


@rules.predicate
def hr_of_employer(user: Any, member: PoolMember | None) -> bool:
    return member is not None and member.employer_id in access_for(user).hr_organisations


@rules.predicate
def is_the_member(user: Any, member: PoolMember | None) -> bool:
    return is_member_user(user=user, member=member)


@rules.predicate
def coordinates_request(user: Any, request: ReplacementRequest | None) -> bool:
    return request is not None and is_coordinator_of(user=user, pool=request.pool)


@rules.predicate
def school_side_of_request(user: Any, request: ReplacementRequest | None) -> bool:
    return is_school_side_of(user=user, request=request)


@rules.predicate
def member_involved_in_request(user: Any, request: ReplacementRequest | None) -> bool:
    """A member who was offered the request or works on it."""
    uid = _user_id(user)
    if request is None or uid is None:
        return False
    return (
        request.offers.filter(member__user_id=uid).exists() or request.assignments.filter(member__user_id=uid).exists()
    )


@rules.predicate
def coordinates_assignment(user: Any, assignment: Assignment | None) -> bool:
    return assignment is not None and is_coordinator_of(user=user, pool=assignment.request.pool)


@rules.predicate
def school_side_of_assignment(user: Any, assignment: Assignment | None) -> bool:
    return assignment is not None and is_school_side_of(user=user, request=assignment.request)


@rules.predicate
def member_of_assignment(user: Any, assignment: Assignment | None) -> bool:
    return assignment is not None and is_member_user(user=user, member=assignment.member)


@rules.predicate
def member_of_offer(user: Any, offer: Offer | None) -> bool:
    return offer is not None and is_member_user(user=user, member=offer.member)


@rules.predicate
def coordinates_offer(user: Any, offer: Offer | None) -> bool:
    return offer is not None and is_coordinator_of(user=user, pool=offer.request.pool)


@rules.predicate
def school_side_of_offer(user: Any, offer: Offer | None) -> bool:
    return offer is not None and is_school_side_of(user=user, request=offer.request)


def side_of(*, user: Any, assignment: Assignment) -> str | None:
    """Which side of an assignment the user stands on for hours: school, member or coordinator."""
    if is_member_user(user=user, member=assignment.member):
        return HoursEntry.Side.MEMBER
    if is_school_side_of(user=user, request=assignment.request):
        return HoursEntry.Side.SCHOOL
    if is_coordinator_of(user=user, pool=assignment.request.pool):
        return HoursEntry.Side.COORDINATOR
    return None


@rules.predicate
def confirms_other_side(user: Any, entry: HoursEntry | None) -> bool:
    """The side that did not enter the hours confirms them; the coordinator may always confirm."""
    if entry is None:
        return False
    assignment = entry.assignment
    if is_coordinator_of(user=user, pool=assignment.request.pool):
        return True
    if is_member_user(user=user, member=assignment.member):
        return entry.entered_side != HoursEntry.Side.MEMBER
    if is_school_side_of(user=user, request=assignment.request):
        return entry.entered_side != HoursEntry.Side.SCHOOL
    return False


# The pool itself
rules.add_perm("pool.view_pool", coordinates | staff_of_participating_board | member_of_pool)
rules.add_perm("pool.manage_pool", coordinates)
rules.add_perm("pool.coordinate", coordinates)
rules.add_perm("pool.create_request", coordinates | may_request_for_pool)
rules.add_perm("pool.view_settlement", coordinates | hr_of_participating_board)
rules.add_perm("pool.view_dashboard", coordinates | hr_of_participating_board)
# Members (personal data: reading is audit-logged by the views)
rules.add_perm("pool.view_member", coordinates_member | hr_of_employer | is_the_member)
rules.add_perm("pool.manage_member", coordinates_member | hr_of_employer)
rules.add_perm("pool.edit_own_availability", is_the_member)
# Requests
rules.add_perm("pool.view_request", coordinates_request | school_side_of_request | member_involved_in_request)
rules.add_perm("pool.change_request", coordinates_request | school_side_of_request)
# Offers: the member answers; the coordinator and the school side follow them.
rules.add_perm("pool.view_offer", member_of_offer | coordinates_offer | school_side_of_offer)
rules.add_perm("pool.respond_offer", member_of_offer)
# Assignments and hours
rules.add_perm("pool.view_assignment", coordinates_assignment | school_side_of_assignment | member_of_assignment)
rules.add_perm("pool.cancel_assignment", coordinates_assignment)
rules.add_perm("pool.enter_hours", coordinates_assignment | school_side_of_assignment | member_of_assignment)
rules.add_perm("pool.confirm_hours", confirms_other_side)
