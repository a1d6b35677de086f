"""A small, complete pool world for the workflow tests: a region, three boards, schools, members, users.

Board A asks for substitutes, board B supplies members, board C is outside the pool. Release tiers
are set to zero days, so requests are open to the whole pool at once unless a test says otherwise.
"""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from onderwijsregio.accounts.models import Role
from onderwijsregio.accounts.tests.factories import MembershipFactory, UserFactory
from onderwijsregio.organisations.models import PostcodeArea
from onderwijsregio.organisations.tests.factories import (
    BoardFactory,
    MunicipalityFactory,
    RegionFactory,
    SchoolLocationFactory,
)
from onderwijsregio.pool.models import Degree, Level
from onderwijsregio.pool.tests.factories import (
    MemberQualificationFactory,
    PoolBoardFactory,
    PoolFactory,
    PoolMemberFactory,
    ReplacementRequestFactory,
    SubjectFactory,
)


def next_monday(weeks_ahead: int = 2) -> date:
    today = date.today()
    return today + timedelta(days=7 - today.weekday() + 7 * (weeks_ahead - 1))


def build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    w.municipality = MunicipalityFactory(name="Amersfoort", latitude=52.156, longitude=5.387)
    PostcodeArea.objects.get_or_create(pc4="3811", defaults={"latitude": 52.156, "longitude": 5.387})
    PostcodeArea.objects.get_or_create(pc4="3818", defaults={"latitude": 52.160, "longitude": 5.400})
    PostcodeArea.objects.get_or_create(pc4="9711", defaults={"latitude": 53.219, "longitude": 6.566})  # Groningen
    w.region = RegionFactory(name="Onderwijsregio Eemland")
    w.other_region = RegionFactory(name="Onderwijsregio Elders")
    w.board_a = BoardFactory(name="Stichting Vraagt")
    w.board_b = BoardFactory(name="Stichting Levert")
    w.board_c = BoardFactory(name="Stichting Buiten")
    w.school_a1 = SchoolLocationFactory(
        board=w.board_a, name="Eemcollege", postcode="3811 AB", municipality=w.municipality
    )
    w.school_a2 = SchoolLocationFactory(
        board=w.board_a, name="Vallei Lyceum", postcode="3818 CD", municipality=w.municipality
    )
    w.school_b1 = SchoolLocationFactory(
        board=w.board_b, name="Leverancier College", postcode="3818 EF", municipality=w.municipality
    )
    w.school_c1 = SchoolLocationFactory(
        board=w.board_c, name="Buitenschool", postcode="3811 GH", municipality=w.municipality
    )
    w.wi = SubjectFactory(code="wi", name="wiskunde")
    w.ne = SubjectFactory(code="ne", name="Nederlands")
    w.du = SubjectFactory(code="du", name="Duits")
    w.pool = PoolFactory(
        region=w.region,
        name="Invalpool Eemland",
        slug="eemland",
        release_own_board_after_days=0,
        release_pool_after_days=0,
        long_term_days=5,
    )
    w.pool.subjects.set([w.wi, w.ne])
    w.pb_a = PoolBoardFactory(pool=w.pool, board=w.board_a, requests_substitutes=True)
    w.pb_b = PoolBoardFactory(pool=w.pool, board=w.board_b, requests_substitutes=False)
    # users
    w.coordinator = MembershipFactory(organisation=w.region, role=Role.REGIONAL_TEAM).user
    w.other_coordinator = MembershipFactory(organisation=w.region, role=Role.REGIONAL_TEAM).user
    w.outsider_team = MembershipFactory(organisation=w.other_region, role=Role.REGIONAL_TEAM).user
    w.hr_a = MembershipFactory(organisation=w.board_a, role=Role.BOARD_HR).user
    w.hr_b = MembershipFactory(organisation=w.board_b, role=Role.BOARD_HR).user
    w.hr_c = MembershipFactory(organisation=w.board_c, role=Role.BOARD_HR).user
    w.leader_a1 = MembershipFactory(organisation=w.board_a, role=Role.SCHOOL_LEADER, school_location=w.school_a1).user
    w.leader_a2 = MembershipFactory(organisation=w.board_a, role=Role.SCHOOL_LEADER, school_location=w.school_a2).user
    w.member_user = UserFactory(email="invaller@example.nl")
    MembershipFactory(user=w.member_user, organisation=w.board_b, role=Role.POOL_MEMBER)
    w.member_user2 = UserFactory(email="invaller2@example.nl")
    # members
    w.m1 = PoolMemberFactory(
        pool=w.pool,
        employer=w.board_b,
        full_name="Anna Eerste",
        email="anna@example.nl",
        user=w.member_user,
        home_postcode="3811",
        levels=[Level.HAVO_VWO_LOWER.value, Level.HAVO_UPPER.value],
    )
    MemberQualificationFactory(member=w.m1, subject=w.wi, degree=Degree.FIRST)
    w.m2 = PoolMemberFactory(
        pool=w.pool,
        employer=w.board_b,
        full_name="Bram Tweede",
        email="bram@example.nl",
        user=w.member_user2,
        home_postcode="3818",
    )
    MemberQualificationFactory(member=w.m2, subject=w.wi, degree=Degree.SECOND)
    w.m_far = PoolMemberFactory(
        pool=w.pool,
        employer=w.board_b,
        full_name="Greta Ver",
        email="greta@example.nl",
        home_postcode="9711",
        latitude=None,
        longitude=None,
    )
    MemberQualificationFactory(member=w.m_far, subject=w.wi, degree=Degree.FIRST)
    w.start = next_monday(2)
    return w


def make_request(w, **kwargs):
    defaults = {
        "pool": w.pool,
        "school_location": w.school_a1,
        "subject": w.wi,
        "start_date": w.start,
        "end_date": w.start + timedelta(days=18),
        "hours_per_week": 8,
        "day_parts": ["0-0", "2-0"],
        "levels": [Level.HAVO_VWO_LOWER.value],
        "release_tier": "pool",
    }
    defaults.update(kwargs)
    return ReplacementRequestFactory(**defaults)
