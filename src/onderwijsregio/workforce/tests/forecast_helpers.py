"""Small, synthetic boards and regions with staff and pupils for the forecast tests (not a test module)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from onderwijsregio.accounts.models import Role
from onderwijsregio.accounts.tests.factories import MembershipFactory, UserFactory
from onderwijsregio.organisations.tests.factories import (
    BoardFactory,
    PupilCountFactory,
    RegionFactory,
    RegionMemberFactory,
    RegionSchoolLocationFactory,
    SchoolLocationFactory,
)
from onderwijsregio.workforce.models import Function, StaffSnapshot
from onderwijsregio.workforce.tests.factories import StaffRowFactory, StaffSnapshotFactory

# (function, subjects, birth year, gender) repeated to fill a snapshot
PEOPLE = [
    ("teaching", [{"subject": "wiskunde", "degree": "first"}], 1960, "m"),
    ("teaching", [{"subject": "wiskunde", "degree": "second"}], 1985, "v"),
    ("teaching", [{"subject": "nederlands", "degree": "second"}], 1975, "v"),
    (
        "teaching",
        [{"subject": "nederlands", "degree": "first"}, {"subject": "geschiedenis", "degree": "second"}],
        1992,
        "v",
    ),
    ("teaching", [{"subject": "engels", "degree": "second"}], 1959, "m"),
    ("support", [], 1970, "v"),
    ("management", [], 1965, "m"),
]


def make_snapshot(board, *, people: int = 14, reference_date=date(2026, 10, 1), version: int = 1, synthetic=True):
    snapshot = StaffSnapshotFactory(board=board, reference_date=reference_date, version=version, is_synthetic=synthetic)
    for index in range(people):
        function, subjects, birth_year, gender = PEOPLE[index % len(PEOPLE)]
        StaffRowFactory(
            snapshot=snapshot,
            function=function,
            subjects=subjects,
            birth_year=birth_year + index // len(PEOPLE),
            gender=gender,
            fte=Decimal("0.800") if index % 2 else Decimal("1.000"),
        )
    StaffSnapshot.objects.filter(pk=snapshot.pk).update(row_count=people)
    snapshot.refresh_from_db()
    return snapshot


def make_board(region=None, *, people: int = 14, pupils: int = 600, **snapshot_kwargs):
    board = BoardFactory()
    location = SchoolLocationFactory(board=board)
    for year, count in ((2023, pupils - 30), (2024, pupils - 15), (2025, pupils)):
        PupilCountFactory(school_location=location, year=year, count=count)
    if region is not None:
        RegionMemberFactory(region=region, member=board)
        RegionSchoolLocationFactory(region=region, school_location=location, started_on=date(2020, 1, 1))
    snapshot = make_snapshot(board, people=people, **snapshot_kwargs) if people else None
    return board, snapshot


def make_region(boards: int = 2, people: int = 14):
    region = RegionFactory()
    made = [make_board(region, people=people) for _ in range(boards)]
    return region, made


def hr_of(board):
    return MembershipFactory(organisation=board, role=Role.BOARD_HR, user=UserFactory()).user


def team_of(region):
    return MembershipFactory(organisation=region, role=Role.REGIONAL_TEAM, user=UserFactory()).user


__all__ = ["Function", "hr_of", "make_board", "make_region", "make_snapshot", "team_of"]
