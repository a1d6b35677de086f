"""The demo pool: built through the real services, with content on every page, and no email sent."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from onderwijsregio.accounts.models import Membership, Role
from onderwijsregio.accounts.tests.factories import MembershipFactory, UserFactory
from onderwijsregio.organisations.models import PostcodeArea, PupilCount
from onderwijsregio.organisations.tests.factories import (
    BoardFactory,
    MunicipalityFactory,
    RegionFactory,
    RegionMemberFactory,
    SchoolLocationFactory,
)
from onderwijsregio.pool import demo
from onderwijsregio.pool.models import Assignment, Batch, HoursEntry, PoolMember, ReplacementRequest
from onderwijsregio.pool.tests.factories import SubjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    from onderwijsregio.organisations.demo import REGION_SLUG

    amersfoort = MunicipalityFactory(cbs_code="0307", name="Amersfoort", latitude=52.156, longitude=5.387)
    leusden = MunicipalityFactory(cbs_code="0327", name="Leusden", latitude=52.13, longitude=5.43)
    for pc4, lat, lon, municipality in [
        ("3811", 52.156, 5.387, amersfoort),
        ("3813", 52.14, 5.37, amersfoort),
        ("3824", 52.18, 5.41, amersfoort),
        ("3831", 52.13, 5.43, leusden),
        ("3832", 52.12, 5.44, leusden),
    ]:
        PostcodeArea.objects.create(pc4=pc4, latitude=lat, longitude=lon, municipality=municipality)
    region = RegionFactory(slug=REGION_SLUG, name="Onderwijsregio Midden-Nederland (demo)")
    for code, name in [("wi", "Wiskunde"), ("ne", "Nederlands"), ("en", "Engels"), ("du", "Duits")]:
        SubjectFactory(code=code, name=name)
    for index in range(5):
        board = BoardFactory(name=f"Vo-bestuur {index}")
        RegionMemberFactory(region=region, member=board)
        for number in range(2):
            location = SchoolLocationFactory(
                board=board,
                municipality=amersfoort if number == 0 else leusden,
                postcode="3811 AB" if number == 0 else "3831 CD",
            )
            PupilCount.objects.create(school_location=location, year=2025, count=2000 - 300 * index)
        if index < 2:
            MembershipFactory(
                user=UserFactory(email=f"hr-{board.duo_number}@demo.onderwijsregio.nl"),
                organisation=board,
                role=Role.BOARD_HR,
            )
    UserFactory(email=demo.COORDINATOR_EMAIL)
    return region


def test_demo_pool(region):
    made = demo.demo_pool_build(members=30)
    pool = made["pool"]
    assert made["created"]
    requesting = set(pool.participants.filter(requests_substitutes=True).values_list("board__name", flat=True))
    assert requesting == {"Vo-bestuur 0", "Vo-bestuur 1"}
    assert pool.participants.filter(requests_substitutes=False).count() == 3
    assert PoolMember.objects.filter(pool=pool, is_synthetic=True).count() == 30
    member = PoolMember.objects.get(email=demo.MEMBER_EMAIL)
    assert member.user.email == demo.MEMBER_EMAIL
    assert Membership.objects.filter(user=member.user, role=Role.POOL_MEMBER, organisation=member.employer).exists()
    assert ReplacementRequest.objects.filter(pool=pool, is_synthetic=True).count() >= 15
    assert Assignment.objects.filter(request__pool=pool).count() >= 5
    assert HoursEntry.objects.filter(assignment__request__pool=pool, status="confirmed").exists()
    assert Batch.objects.filter(pool=pool, status=Batch.Status.PROPOSED).exists()
    assert mail.outbox == []
    # The demo writes its past hours directly (as they would have been confirmed): the monitor's stored
    # monthly figures must still agree with the rows (decision 22).
    from onderwijsregio.pool.services.figures import figures_differences

    assert figures_differences(pool=pool) == []
    # The demo member's open offers are work they can really accept (the demo is tried by hand).
    open_offers = list(member.offers.filter(status="open"))
    assert open_offers
    from onderwijsregio.pool import services

    services.offer_accept(token=open_offers[0].token)
    assert Assignment.objects.filter(member=member, offer=open_offers[0]).exists()
    # again: nothing changes
    assert demo.demo_pool_build()["created"] is False
    assert PoolMember.objects.filter(pool=pool).count() == 30


def test_command_needs_the_demo_region():
    with pytest.raises(CommandError, match="load_demo"):
        call_command("load_demo_pool")
