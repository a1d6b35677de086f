"""Who may do what in personnel planning: a board's detail is its own HR's; regions see aggregates."""

from __future__ import annotations

import pytest

from onderwijsregio.workforce import selectors
from onderwijsregio.workforce.tests.factories import ScenarioFactory

from .data_helpers import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def can(user, perm, obj=None) -> bool:
    # A fresh copy each time: access_for caches memberships on the user object.
    from onderwijsregio.accounts.models import User

    return User.objects.get(pk=user.pk).has_perm(perm, obj)


def test_manage_board_is_own_hr_or_admin_only(world):
    assert can(world.hr_a, "workforce.manage_board", world.board_a)
    assert not can(world.hr_a, "workforce.manage_board", world.board_b)
    assert not can(world.team, "workforce.manage_board", world.board_a)
    assert not can(world.leader_a, "workforce.manage_board", world.board_a)
    assert not can(world.outsider, "workforce.manage_board", world.board_a)
    assert can(world.admin, "workforce.manage_board", world.board_b)
    # A region is not a board (superusers pass every has_perm by Django's design; views check the kind).
    assert not can(world.team, "workforce.manage_board", world.region)


def test_view_region_for_team_and_member_board_hr(world):
    assert can(world.team, "workforce.view_region", world.region)
    assert can(world.hr_a, "workforce.view_region", world.region)
    assert can(world.hr_b, "workforce.view_region", world.region)
    assert not can(world.hr_a, "workforce.view_region", world.other_region)
    assert not can(world.other_team, "workforce.view_region", world.region)
    assert not can(world.outsider, "workforce.view_region", world.region)
    assert not can(world.team, "workforce.view_region", world.board_a)


def test_manage_region_is_the_team_only(world):
    assert can(world.team, "workforce.manage_region", world.region)
    assert not can(world.hr_a, "workforce.manage_region", world.region)
    assert not can(world.other_team, "workforce.manage_region", world.region)
    assert can(world.admin, "workforce.manage_region", world.region)


def test_scenarios_follow_their_owner(world):
    board_scenario = ScenarioFactory(owner=world.board_a)
    region_scenario = ScenarioFactory(owner=world.region)
    assert can(world.hr_a, "workforce.manage_scenario", board_scenario)
    assert not can(world.hr_b, "workforce.manage_scenario", board_scenario)
    assert not can(world.hr_b, "workforce.view_scenario", board_scenario)
    assert not can(world.team, "workforce.view_scenario", board_scenario)
    assert can(world.team, "workforce.manage_scenario", region_scenario)
    assert can(world.hr_a, "workforce.view_scenario", region_scenario)
    assert not can(world.hr_a, "workforce.manage_scenario", region_scenario)


def test_use_planning_and_visible_lists(world):
    assert can(world.hr_a, "workforce.use_planning")
    assert can(world.team, "workforce.use_planning")
    assert not can(world.outsider, "workforce.use_planning")
    assert not can(world.leader_a, "workforce.use_planning")
    assert list(selectors.visible_boards(user=world.hr_a)) == [world.board_a]
    assert list(selectors.visible_boards(user=world.team)) == []
    assert set(selectors.visible_regions(user=world.hr_a)) == {world.region}
    assert set(selectors.visible_regions(user=world.team)) == {world.region}
    assert list(selectors.managed_regions(user=world.hr_a)) == []
