"""Who may see and do what in a pool: the rules and the selectors agree, and outsiders see nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from onderwijsregio.accounts.models import Role
from onderwijsregio.accounts.tests.factories import MembershipFactory, UserFactory
from onderwijsregio.pool import selectors
from onderwijsregio.pool.models import HoursEntry, Offer
from onderwijsregio.pool.tests.factories import AssignmentFactory

from .workflow_setup import build_world, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_world()


def test_view_pool(w):
    for user in (w.coordinator, w.hr_a, w.hr_b, w.leader_a1, w.member_user):
        assert user.has_perm("pool.view_pool", w.pool), user
    for user in (w.hr_c, w.outsider_team, UserFactory(), AnonymousUser()):
        assert not user.has_perm("pool.view_pool", w.pool)
    assert set(selectors.visible_pools(user=w.hr_a)) == {w.pool}
    assert not selectors.visible_pools(user=w.hr_c).exists()


def test_superuser_coordinates_everything(w):
    admin = UserFactory(is_superuser=True)
    assert admin.has_perm("pool.coordinate", w.pool)


def test_manage_and_coordinate_only_for_the_regional_team(w):
    assert w.coordinator.has_perm("pool.manage_pool", w.pool)
    assert w.coordinator.has_perm("pool.coordinate", w.pool)
    for user in (w.hr_a, w.leader_a1, w.member_user, w.outsider_team):
        assert not user.has_perm("pool.coordinate", w.pool)


def test_create_request_needs_a_requesting_board(w):
    assert w.hr_a.has_perm("pool.create_request", w.pool)
    assert w.leader_a1.has_perm("pool.create_request", w.pool)
    assert not w.hr_b.has_perm("pool.create_request", w.pool)  # supplies only
    assert not w.member_user.has_perm("pool.create_request", w.pool)


def test_members_visible_to_coordinator_employer_hr_and_themselves(w):
    assert w.coordinator.has_perm("pool.view_member", w.m1)
    assert w.hr_b.has_perm("pool.manage_member", w.m1)
    assert w.member_user.has_perm("pool.view_member", w.m1)
    assert not w.member_user.has_perm("pool.manage_member", w.m1)
    assert not w.member_user.has_perm("pool.view_member", w.m2)
    assert not w.hr_a.has_perm("pool.view_member", w.m1)
    assert not w.leader_a1.has_perm("pool.view_member", w.m1)
    assert set(selectors.visible_members(user=w.hr_b, pool=w.pool)) == {w.m1, w.m2, w.m_far}
    assert not selectors.visible_members(user=w.hr_a, pool=w.pool).exists()
    assert set(selectors.visible_members(user=w.member_user, pool=w.pool)) == {w.m1}


def test_requests_per_school_leader_location(w):
    at_a1 = make_request(w, school_location=w.school_a1)
    at_a2 = make_request(w, school_location=w.school_a2)
    assert w.leader_a1.has_perm("pool.change_request", at_a1)
    assert not w.leader_a1.has_perm("pool.view_request", at_a2)
    assert w.hr_a.has_perm("pool.change_request", at_a2)
    assert not w.hr_b.has_perm("pool.view_request", at_a1)
    assert set(selectors.visible_requests(user=w.leader_a1, pool=w.pool)) == {at_a1}
    assert set(selectors.visible_requests(user=w.hr_a, pool=w.pool)) == {at_a1, at_a2}
    board_leader = MembershipFactory(organisation=w.board_a, role=Role.SCHOOL_LEADER).user
    assert set(selectors.visible_requests(user=board_leader, pool=w.pool)) == {at_a1, at_a2}


def test_member_sees_requests_offered_to_them(w):
    request = make_request(w)
    assert not w.member_user.has_perm("pool.view_request", request)
    offer = Offer.objects.create(
        request=request, member=w.m1, hours_per_week=8, expires_at=timezone.now() + timedelta(hours=2)
    )
    assert w.member_user.has_perm("pool.view_request", request)
    assert not w.member_user.has_perm("pool.change_request", request)
    assert w.member_user.has_perm("pool.respond_offer", offer)
    assert not w.member_user2.has_perm("pool.respond_offer", offer)
    assert set(selectors.visible_requests(user=w.member_user, pool=w.pool)) == {request}
    assert set(selectors.visible_offers(user=w.member_user)) == {offer}
    assert not selectors.visible_offers(user=w.member_user2).exists()


def test_hours_rules(w):
    request = make_request(w)
    assignment = AssignmentFactory(request=request, member=w.m1)
    for user in (w.coordinator, w.hr_a, w.leader_a1, w.member_user):
        assert user.has_perm("pool.enter_hours", assignment), user
    for user in (w.hr_b, w.leader_a2, w.member_user2):
        assert not user.has_perm("pool.enter_hours", assignment), user
    entry = HoursEntry.objects.create(
        assignment=assignment,
        week_start=request.start_date,
        hours=8,
        entered_side=HoursEntry.Side.SCHOOL,
        entered_by=w.leader_a1,
    )
    assert w.member_user.has_perm("pool.confirm_hours", entry)
    assert w.coordinator.has_perm("pool.confirm_hours", entry)
    assert not w.hr_a.has_perm("pool.confirm_hours", entry)
    assert set(selectors.visible_assignments(user=w.leader_a2, pool=w.pool)) == set()
    assert set(selectors.visible_assignments(user=w.member_user, pool=w.pool)) == {assignment}


def test_settlement_and_dashboard(w):
    assert w.coordinator.has_perm("pool.view_dashboard", w.pool)
    assert w.hr_b.has_perm("pool.view_settlement", w.pool)
    assert not w.leader_a1.has_perm("pool.view_dashboard", w.pool)
    assert not w.member_user.has_perm("pool.view_settlement", w.pool)
    assert not w.hr_c.has_perm("pool.view_dashboard", w.pool)
