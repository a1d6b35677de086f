"""The permission rules derived from memberships."""

import pytest

from onderwijsregio.accounts.models import Membership, Role
from onderwijsregio.accounts.permissions import visible_audit_events_q, visible_memberships_q
from onderwijsregio.accounts.services import membership_end
from onderwijsregio.core.models import AuditEvent
from onderwijsregio.core.services import audit_record
from onderwijsregio.organisations.tests.factories import BoardFactory, RegionFactory, RegionMemberFactory

from .factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    region = RegionFactory()
    other_region = RegionFactory()
    board_a = BoardFactory()
    board_b = BoardFactory()
    board_elsewhere = BoardFactory()
    RegionMemberFactory(region=region, member=board_a)
    RegionMemberFactory(region=region, member=board_b)
    RegionMemberFactory(region=other_region, member=board_elsewhere)
    hr_a = MembershipFactory(organisation=board_a, role=Role.BOARD_HR).user
    hr_b = MembershipFactory(organisation=board_b, role=Role.BOARD_HR).user
    team = MembershipFactory(organisation=region, role=Role.REGIONAL_TEAM).user
    return locals()


def test_board_hr_changes_only_its_own_board(world):
    hr_a = world["hr_a"]
    assert hr_a.has_perm("organisations.change_organisation", world["board_a"])
    assert not hr_a.has_perm("organisations.change_organisation", world["board_b"])
    assert hr_a.has_perm("organisations.view_people", world["board_a"])
    assert not hr_a.has_perm("organisations.view_people", world["board_b"])


def test_regional_team_administers_its_members_but_not_other_regions(world):
    team = world["team"]
    assert team.has_perm("organisations.view_people", world["board_a"])
    assert team.has_perm("organisations.manage_region", world["region"])
    assert not team.has_perm("organisations.manage_region", world["other_region"])
    assert not team.has_perm("organisations.view_people", world["board_elsewhere"])
    # A board's own profile is the board's to change, not the region's.
    assert not team.has_perm("organisations.change_organisation", world["board_a"])


def test_a_boards_name_is_confirmed_by_its_hr_or_its_regions_team_only(world):
    """Issue 17: the team may confirm a member board's name, though not the rest of its profile."""
    assert world["hr_a"].has_perm("organisations.confirm_board_name", world["board_a"])
    assert not world["hr_a"].has_perm("organisations.confirm_board_name", world["board_b"])
    assert world["team"].has_perm("organisations.confirm_board_name", world["board_a"])
    assert not world["team"].has_perm("organisations.confirm_board_name", world["board_elsewhere"])
    assert not world["hr_b"].has_perm("organisations.confirm_board_name", world["board_elsewhere"])


def test_ended_membership_grants_nothing(world):
    membership = Membership.objects.get(user=world["hr_a"])
    membership_end(membership=membership, actor=None)
    user = type(world["hr_a"]).objects.get(pk=world["hr_a"].pk)  # fresh object: no cached access
    assert not user.has_perm("organisations.change_organisation", world["board_a"])


def test_visible_memberships_and_audit_events(world):
    from onderwijsregio.accounts.models import Membership

    hr_a = world["hr_a"]
    visible = set(Membership.objects.filter(visible_memberships_q(hr_a)).values_list("user_id", flat=True))
    assert visible == {hr_a.pk}

    audit_record(actor=None, action="a", organisation_id=world["board_a"].pk)
    audit_record(actor=None, action="b", organisation_id=world["board_b"].pk)
    audit_record(actor=None, action="elsewhere", organisation_id=world["board_elsewhere"].pk)
    seen_by_a = set(AuditEvent.objects.filter(visible_audit_events_q(hr_a)).values_list("action", flat=True))
    assert seen_by_a == {"a"}
    seen_by_team = set(
        AuditEvent.objects.filter(visible_audit_events_q(world["team"])).values_list("action", flat=True)
    )
    assert seen_by_team == {"a", "b"}


def test_anonymous_user_has_no_permissions(world):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not anonymous.has_perm("organisations.change_organisation", world["board_a"])
    assert not anonymous.has_perm("core.view_auditevent")
