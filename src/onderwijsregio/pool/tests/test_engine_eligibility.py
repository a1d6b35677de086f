"""Eligibility of one member for one request: every check, its reason code and its Dutch detail.

No database: the engine is pure Python.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings

from onderwijsregio.pool.engine import (
    Booking,
    ChainRule,
    Degree,
    Level,
    Member,
    Period,
    Policy,
    Qualification,
    Reason,
    Request,
    eligibility,
    eligible_pairs,
)

from .strategies import instances

MONDAY = date(2026, 3, 2)
AMERSFOORT = (52.1561, 5.3878)
NEAR = (52.1700, 5.4000)  # about 1.8 km away
UTRECHT = (52.0907, 5.1214)  # about 19.5 km away


def member(**changes) -> Member:
    base = Member(
        id=7,
        board_id=1,
        qualifications=(Qualification("wi", Degree.FIRST),),
        weekly_hours=20,
        day_parts=frozenset({(0, 0), (0, 1), (1, 0), (1, 1), (2, 0)}),
        latitude=NEAR[0],
        longitude=NEAR[1],
        max_travel_km=30,
        vog_date=date(2025, 9, 1),
    )
    return replace(base, **changes)


def request(**changes) -> Request:
    base = Request(
        id=70,
        school_id=500,
        board_id=2,
        subject="wi",
        levels=frozenset({Level.HAVO_UPPER}),
        start=MONDAY,
        end=date(2026, 3, 27),
        hours_per_week=8,
        day_parts=frozenset({(0, 0), (1, 0)}),
        latitude=AMERSFOORT[0],
        longitude=AMERSFOORT[1],
    )
    return replace(base, **changes)


def reasons(check) -> list[Reason]:
    return [exclusion.reason for exclusion in check.exclusions]


def test_a_fitting_member_is_eligible_with_travel_distance():
    check = eligibility(member(), request(), Policy())
    assert check.eligible
    assert check.exclusions == ()
    assert check.travel_km == pytest.approx(1.8, abs=0.1)


@pytest.mark.parametrize(
    ("member_changes", "request_changes", "policy", "reason", "detail"),
    [
        ({"active": False}, {}, Policy(), Reason.INACTIVE, "niet actief"),
        ({}, {"subject": "du"}, Policy(), Reason.NO_QUALIFICATION, "du"),
        (
            {"qualifications": (Qualification("wi", Degree.SECOND),)},
            {},
            Policy(),
            Reason.DEGREE_TOO_LOW,
            "tweedegraads; niet voor bovenbouw havo",
        ),
        ({"day_parts": frozenset({(0, 0)})}, {}, Policy(), Reason.NOT_AVAILABLE, "dinsdagochtend"),
        (
            {"unavailable": (Period(date(2026, 3, 20), date(2026, 4, 3)),)},
            {},
            Policy(),
            Reason.ABSENT,
            "afwezig 20-3-2026 t/m 3-4-2026",
        ),
        (
            {"latitude": UTRECHT[0], "longitude": UTRECHT[1], "max_travel_km": 15},
            {},
            Policy(),
            Reason.TOO_FAR,
            "maximaal 15 km",
        ),
        (
            {"contracts": ((2, date(2024, 1, 10)), (2, date(2025, 2, 1)), (2, date(2025, 9, 1)))},
            {},
            Policy(),
            Reason.CHAIN_RULE,
            "al 3 contracten met dit bestuur in 36 maanden (maximaal 3)",
        ),
        ({"vog_date": None}, {}, Policy(), Reason.VOG_MISSING, "geen VOG"),
        (
            {"vog_date": date(2023, 1, 15)},
            {},
            Policy(vog_max_age_months=24),
            Reason.VOG_EXPIRED,
            "VOG van 15-1-2023, ouder dan 24 maanden",
        ),
        ({"blocked_school_ids": frozenset({500})}, {}, Policy(), Reason.BLOCKED, "lid heeft deze school uitgesloten"),
        ({}, {"blocked_member_ids": frozenset({7})}, Policy(), Reason.BLOCKED, "school heeft dit lid uitgesloten"),
        ({}, {"released_board_ids": frozenset({2})}, Policy(), Reason.NOT_RELEASED, "nog niet vrijgegeven"),
        ({"weekly_hours": 6}, {}, Policy(), Reason.ALREADY_BOOKED, "6 uur vrij, 8 uur gevraagd"),
    ],
)
def test_each_check_gives_its_reason_and_detail(member_changes, request_changes, policy, reason, detail):
    check = eligibility(member(**member_changes), request(**request_changes), policy)
    assert not check.eligible
    assert reasons(check) == [reason]
    assert detail in check.exclusions[0].detail


@pytest.mark.parametrize(
    ("degree", "level", "allowed"),
    [
        (Degree.FIRST, Level.VWO_UPPER, True),
        (Degree.FIRST, Level.VMBO_BK, True),
        (Degree.SECOND, Level.VSO, True),
        (Degree.SECOND, Level.VMBO_BK, True),
        (Degree.SECOND, Level.VMBO_GT, True),
        (Degree.SECOND, Level.HAVO_VWO_LOWER, True),
        (Degree.SECOND, Level.MBO, True),
        (Degree.SECOND, Level.HAVO_UPPER, False),
        (Degree.SECOND, Level.VWO_UPPER, False),
        (Degree.LIMITED_SECOND, Level.HAVO_VWO_LOWER, True),
        (Degree.LIMITED_SECOND, Level.VMBO_GT, True),
        (Degree.LIMITED_SECOND, Level.VMBO_BK, False),
        (Degree.LIMITED_SECOND, Level.VSO, False),
        (Degree.PDG, Level.MBO, True),
        (Degree.PDG, Level.VMBO_GT, False),
    ],
)
def test_degree_covers_levels(degree, level, allowed):
    check = eligibility(
        member(qualifications=(Qualification("wi", degree),)), request(levels=frozenset({level})), Policy()
    )
    assert check.eligible is allowed
    if not allowed:
        assert reasons(check) == [Reason.DEGREE_TOO_LOW]


def test_every_requested_level_must_be_covered():
    limited = member(qualifications=(Qualification("wi", Degree.LIMITED_SECOND),))
    mixed = request(levels=frozenset({Level.HAVO_VWO_LOWER, Level.VMBO_BK}))
    check = eligibility(limited, mixed, Policy())
    assert reasons(check) == [Reason.DEGREE_TOO_LOW]
    assert "vmbo basis/kader" in check.exclusions[0].detail


def test_qualifications_for_one_subject_add_up():
    both = member(qualifications=(Qualification("wi", Degree.PDG), Qualification("wi", Degree.LIMITED_SECOND)))
    assert eligibility(both, request(levels=frozenset({Level.MBO, Level.VMBO_GT})), Policy()).eligible


def test_in_training_counts_only_when_the_policy_allows_it():
    trainee = member(qualifications=(Qualification("wi", Degree.IN_TRAINING),))
    lower = request(levels=frozenset({Level.HAVO_VWO_LOWER}))
    assert reasons(eligibility(trainee, lower, Policy())) == [Reason.NO_QUALIFICATION]
    assert eligibility(trainee, lower, Policy(allow_in_training=True)).eligible
    assert reasons(eligibility(trainee, request(), Policy(allow_in_training=True))) == [Reason.DEGREE_TOO_LOW]


def test_all_failing_checks_are_listed_not_only_the_first():
    hopeless = member(
        active=False,
        qualifications=(),
        day_parts=frozenset(),
        latitude=UTRECHT[0],
        longitude=UTRECHT[1],
        max_travel_km=5,
        vog_date=None,
        blocked_school_ids=frozenset({500}),
    )
    check = eligibility(hopeless, request(released_board_ids=frozenset({2})), Policy())
    assert set(reasons(check)) == {
        Reason.INACTIVE,
        Reason.NO_QUALIFICATION,
        Reason.NOT_AVAILABLE,
        Reason.TOO_FAR,
        Reason.VOG_MISSING,
        Reason.BLOCKED,
        Reason.NOT_RELEASED,
    }


class TestChainRule:
    contracts = ((2, date(2024, 1, 10)), (2, date(2025, 2, 1)), (2, date(2025, 9, 1)))

    def test_contracts_outside_the_window_do_not_count(self):
        old = member(contracts=((2, date(2022, 1, 10)), (2, date(2025, 2, 1)), (2, date(2025, 9, 1))))
        assert eligibility(old, request(), Policy()).eligible

    def test_contracts_with_other_boards_do_not_count(self):
        elsewhere = member(contracts=((3, date(2024, 1, 10)), (3, date(2025, 2, 1)), (3, date(2025, 9, 1))))
        assert eligibility(elsewhere, request(), Policy()).eligible

    def test_own_employer_needs_no_new_contract(self):
        own = member(board_id=2, contracts=self.contracts)
        assert eligibility(own, request(), Policy()).eligible

    def test_exempt_reason_adds_no_contract(self):
        policy = Policy(chain_rules={2: ChainRule(max_contracts=3, exempt_reasons=frozenset({"illness"}))})
        assert eligibility(member(contracts=self.contracts), request(reason="illness"), policy).eligible
        assert reasons(eligibility(member(contracts=self.contracts), request(reason="leave"), policy)) == [
            Reason.CHAIN_RULE
        ]

    def test_the_requesting_boards_rule_applies(self):
        policy = Policy(chain_rules={2: ChainRule(max_contracts=6, window_months=36)})
        assert eligibility(member(contracts=self.contracts), request(), policy).eligible


class TestBookings:
    def test_a_booking_on_a_requested_day_part_clashes(self):
        booking = Booking(7, date(2026, 3, 16), date(2026, 3, 20), 4, frozenset({(1, 0)}))
        check = eligibility(member(), request(), Policy(), [booking])
        assert reasons(check) == [Reason.ALREADY_BOOKED]
        assert "al ingeroosterd op dinsdagochtend (week 12 van 2026)" in check.exclusions[0].detail

    def test_a_booking_on_other_day_parts_leaves_room_when_hours_allow(self):
        booking = Booking(7, MONDAY, date(2026, 3, 27), 12, frozenset({(0, 1), (1, 1)}))
        assert eligibility(member(), request(), Policy(), [booking]).eligible

    def test_hours_are_checked_per_iso_week(self):
        # 14 hours booked in one week only: 20 - 14 = 6 free that week, 8 needed
        booking = Booking(7, date(2026, 3, 9), date(2026, 3, 13), 14, frozenset({(2, 0)}))
        check = eligibility(member(), request(), Policy(), [booking])
        assert reasons(check) == [Reason.ALREADY_BOOKED]
        assert "week 11 van 2026: 6 uur vrij, 8 uur gevraagd" in check.exclusions[0].detail

    def test_bookings_of_other_members_are_ignored(self):
        booking = Booking(8, MONDAY, date(2026, 3, 27), 20, frozenset({(0, 0), (1, 0)}))
        assert eligibility(member(), request(), Policy(), [booking]).eligible

    def test_a_booking_in_another_period_does_not_clash(self):
        booking = Booking(7, date(2026, 3, 30), date(2026, 4, 24), 20, frozenset({(0, 0), (1, 0)}))
        assert eligibility(member(), request(), Policy(), [booking]).eligible

    def test_partial_policy_asks_only_for_some_free_hours(self):
        booking = Booking(7, MONDAY, date(2026, 3, 27), 16, frozenset({(2, 0)}))
        assert reasons(eligibility(member(), request(), Policy(), [booking])) == [Reason.ALREADY_BOOKED]
        assert eligibility(member(), request(), Policy(allow_partial=True), [booking]).eligible

    def test_a_partial_first_week_counts_only_its_day_parts(self):
        # starts on a Tuesday: the first week holds 1 of the 2 day-parts, so 4 of the 8 hours
        late = request(start=date(2026, 3, 3))
        booking = Booking(7, MONDAY, date(2026, 3, 6), 16, frozenset({(2, 0)}))
        assert eligibility(member(), late, Policy(), [booking]).eligible


def test_bulk_screen_counts_reasons_and_funnel():
    pool = [
        member(id=1),
        member(id=2, day_parts=frozenset({(0, 0)})),
        member(id=3, day_parts=frozenset({(0, 0)})),
        member(id=4, latitude=UTRECHT[0], longitude=UTRECHT[1], max_travel_km=10),
        member(id=5, qualifications=(Qualification("ne", Degree.FIRST),)),
    ]
    screen = eligible_pairs(pool, [request()], Policy())
    assert [e.member_id for e in screen[70]] == [1]
    info = screen.requests[70]
    assert info.reason_counts == {"no_qualification": 1, "not_available": 2, "too_far": 1}
    assert info.qualified == 4
    assert info.qualified_in_reach == 3
    assert info.reasons_in_reach == {"not_available": 2}
    assert info.missing_day_parts == {(1, 0): 2}
    assert len(screen) == 1 and list(screen) == [70]


@settings(max_examples=60, deadline=None)
@given(instances(max_members=6, max_requests=6, partial=None))
def test_bulk_screen_agrees_with_the_single_check(instance):
    screen = eligible_pairs(instance.members, instance.requests, instance.policy, instance.bookings)
    for req in instance.requests:
        expected_counts: dict[str, int] = {}
        expected_eligible = []
        for candidate in instance.members:
            check = eligibility(candidate, req, instance.policy, instance.bookings)
            if check.eligible:
                expected_eligible.append((candidate.id, check.travel_km))
            for reason in {exclusion.reason for exclusion in check.exclusions}:
                expected_counts[reason.value] = expected_counts.get(reason.value, 0) + 1
        assert [(e.member_id, e.travel_km) for e in screen[req.id]] == expected_eligible
        assert screen.requests[req.id].reason_counts == expected_counts
