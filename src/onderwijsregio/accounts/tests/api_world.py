"""A small world for API tests: one region with boards A and B, and people in each role (fixtures)."""

from dataclasses import dataclass

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from onderwijsregio.accounts.models import Membership, Role, User
from onderwijsregio.accounts.tests.factories import MembershipFactory, UserFactory
from onderwijsregio.organisations.models import Organisation
from onderwijsregio.organisations.tests.factories import BoardFactory, RegionFactory, RegionMemberFactory


@dataclass
class World:
    region: Organisation
    board_a: Organisation
    board_b: Organisation
    hr_a: User
    hr_b: User
    team: User
    outsider: User
    admin: User
    membership_a: Membership
    membership_b: Membership


@pytest.fixture
def world(db) -> World:
    region = RegionFactory(name="Onderwijsregio Eemland")
    board_a = BoardFactory(name="Stichting A")
    board_b = BoardFactory(name="Stichting B")
    RegionMemberFactory(region=region, member=board_a)
    RegionMemberFactory(region=region, member=board_b)
    hr_a = UserFactory(email="hr-a@example.nl")
    hr_b = UserFactory(email="hr-b@example.nl")
    team = UserFactory(email="team@example.nl")
    outsider = UserFactory(email="buiten@example.nl")
    admin = UserFactory(email="beheer@example.nl", is_superuser=True, is_staff=True)
    membership_a = MembershipFactory(user=hr_a, organisation=board_a, role=Role.BOARD_HR)
    membership_b = MembershipFactory(user=hr_b, organisation=board_b, role=Role.BOARD_HR)
    MembershipFactory(user=team, organisation=region, role=Role.REGIONAL_TEAM)
    return World(region, board_a, board_b, hr_a, hr_b, team, outsider, admin, membership_a, membership_b)


@pytest.fixture
def anon() -> APIClient:
    return APIClient()


@pytest.fixture
def client_for():
    """An API client logged in (session) as the given user."""

    def make(user: User) -> APIClient:
        client = APIClient()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def token_client_for():
    """An API client that authenticates with `Authorization: Token <key>` only."""

    def make(user: User) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make
