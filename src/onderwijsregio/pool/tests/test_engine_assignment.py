"""Assignment of pool members to requests: exact MILP, heuristic fallback, greedy baseline, explanations."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from onderwijsregio.pool.engine import (
    Booking,
    ChainRule,
    Degree,
    Level,
    Member,
    Policy,
    Qualification,
    Request,
    assign,
    assign_exact,
    components_of,
    eligible_pairs,
    greedy_dispatch,
)
from onderwijsregio.pool.engine import assignment as assignment_module

from .strategies import Instance, violations

MONDAY = date(2026, 3, 2)
SCHOOL = (52.1561, 5.3878)  # Amersfoort
LOWER = frozenset({Level.HAVO_VWO_LOWER})
UPPER = frozenset({Level.VWO_UPPER})
MORNINGS = frozenset({(0, 0), (1, 0), (2, 0), (3, 0), (4, 0)})


def member(member_id: int, km_north: float = 1.0, degree: Degree = Degree.FIRST, **changes) -> Member:
    base = Member(
        id=member_id,
        board_id=1,
        qualifications=(Qualification("wi", degree),),
        weekly_hours=12,
        day_parts=MORNINGS,
        latitude=SCHOOL[0] + km_north / 111.2,
        longitude=SCHOOL[1],
        max_travel_km=30,
        vog_date=date(2025, 9, 1),
    )
    return replace(base, **changes)


def request(request_id: int, **changes) -> Request:
    base = Request(
        id=request_id,
        school_id=500,
        board_id=2,
        subject="wi",
        levels=LOWER,
        start=MONDAY,
        end=date(2026, 3, 27),
        hours_per_week=8,
        day_parts=frozenset({(0, 0), (1, 0)}),
        latitude=SCHOOL[0],
        longitude=SCHOOL[1],
    )
    return replace(base, **changes)


def assigned(result) -> dict[int, int]:
    return {p.request_id: p.member_id for p in result.proposals}


def test_optimal_beats_greedy_when_greedy_takes_the_member_a_later_request_needs():
    # Member 1 is nearest and the only first-degree teacher; the earlier lower-level request grabs
    # him under greedy dispatch, and the later upper-level request (vwo bovenbouw) stays open.
    members = [member(1, km_north=1), member(2, km_north=8, degree=Degree.SECOND)]
    requests = [
        request(10, levels=LOWER),
        request(11, levels=UPPER, start=date(2026, 3, 9), end=date(2026, 4, 3), day_parts=frozenset({(0, 0), (3, 0)})),
    ]
    greedy = greedy_dispatch(members, requests, Policy())
    optimal = assign(members, requests, Policy())
    assert assigned(greedy) == {10: 1}
    assert assigned(optimal) == {10: 2, 11: 1}
    assert optimal.filled_hours == optimal.requested_hours == 2 * 8 * 4
    assert greedy.filled_hours == 8 * 4
    assert optimal.method == "exact" and optimal.status == "optimal" and optimal.gap == 0.0
    assert greedy.method == "greedy"
    assert greedy.unfilled[0].explanation == "1 geschikt lid, maar ingezet voor andere aanvragen in deze ronde"


def test_partial_fill_only_when_the_policy_allows_it():
    members = [member(1, weekly_hours=8), member(2, km_north=3, weekly_hours=6)]
    big = [request(10, hours_per_week=12, day_parts=frozenset({(0, 0), (1, 0), (2, 0)}))]
    whole_only = assign(members, big, Policy(allow_partial=False))
    assert whole_only.proposals == ()
    assert whole_only.unfilled[0].hours_per_week == 12
    split = assign(members, big, Policy(allow_partial=True, max_members_per_request=2))
    hours = {p.member_id: p.hours_per_week for p in split.proposals}
    assert sum(hours.values()) == pytest.approx(12)
    assert hours[1] <= 8 and hours[2] <= 6
    assert all(p.partial for p in split.proposals)
    assert "deels:" in split.proposals[0].explanation
    assert split.unfilled == ()
    instance = Instance(tuple(members), tuple(big), Policy(allow_partial=True), (), ())
    assert violations(instance, split) == []


def test_partial_fill_respects_max_members_and_reports_the_open_hours():
    members = [member(1, weekly_hours=4), member(2, km_north=3, weekly_hours=4), member(3, km_north=5, weekly_hours=4)]
    big = [request(10, hours_per_week=12, day_parts=frozenset({(0, 0), (1, 0), (2, 0)}))]
    result = assign(members, big, Policy(allow_partial=True, max_members_per_request=2))
    assert len(result.proposals) == 2
    assert result.unfilled[0].hours_per_week == pytest.approx(4)
    assert result.unfilled[0].explanation.startswith("4 van 12 uur per week open")


def test_a_whole_member_is_preferred_over_a_split():
    members = [member(1, weekly_hours=12), member(2, km_north=0.5, weekly_hours=12)]
    result = assign(members, [request(10, hours_per_week=8)], Policy(allow_partial=True))
    assert len(result.proposals) == 1
    assert not result.proposals[0].partial


def test_continuity_wins_over_a_shorter_trip():
    members = [member(1, km_north=1), member(2, km_north=12)]
    history = [Booking(2, date(2025, 11, 3), date(2025, 12, 19), 8, frozenset({(0, 0)}), 500, "500-2b-wi")]
    result = assign(members, [request(10, class_key="500-2b-wi")], Policy(), history=history)
    assert assigned(result) == {10: 2}
    assert result.proposals[0].explanation == "Zelfde klas als eerder (continuïteit); eerstegraads wiskunde; 12 km"
    plain = assign(members, [request(10, class_key="500-2b-wi")], Policy())
    assert assigned(plain) == {10: 1}
    assert plain.proposals[0].explanation == "Eerstegraads wiskunde; 1 km"


def test_preferred_member_of_the_school_is_chosen():
    members = [member(1, km_north=1), member(2, km_north=12)]
    result = assign(members, [request(10, preferred_member_id=2)], Policy())
    assert assigned(result) == {10: 2}
    assert result.proposals[0].explanation.startswith("Voorkeurskandidaat van de school; ")


def test_filling_more_hours_beats_continuity():
    # member 2 taught the class before, but only member 2 can take the second request
    members = [member(1, km_north=1), member(2, km_north=12, day_parts=MORNINGS | {(3, 1)})]
    history = [Booking(2, date(2025, 11, 3), date(2025, 12, 19), 8, frozenset({(0, 0)}), 500, "k")]
    requests = [request(10, class_key="k"), request(11, day_parts=frozenset({(0, 0), (3, 1)}))]
    result = assign(members, requests, Policy(), history=history)
    assert assigned(result) == {10: 1, 11: 2}


def test_chain_rule_holds_across_the_batch():
    # two contracts with board 2 already; the third is the last one allowed (max 3 in 36 months)
    veteran = member(1, contracts=((2, date(2024, 5, 1)), (2, date(2025, 5, 1))))
    spring = request(10)
    summer = request(11, start=date(2026, 4, 6), end=date(2026, 4, 24))
    result = assign([veteran], [spring, summer], Policy())
    assert len(result.proposals) == 1
    greedy = greedy_dispatch([veteran], [spring, summer], Policy())
    assert len(greedy.proposals) == 1
    exempt = Policy(chain_rules={2: ChainRule(max_contracts=3, exempt_reasons=frozenset({"illness"}))})
    assert len(assign([veteran], [spring, summer], exempt).proposals) == 2


def test_capacity_per_week_and_day_parts_across_the_batch():
    busy = member(1, weekly_hours=12)
    requests = [
        request(10, hours_per_week=8, day_parts=frozenset({(0, 0), (1, 0)})),
        request(11, hours_per_week=8, day_parts=frozenset({(2, 0), (3, 0)})),  # 16 h > 12 h a week
        request(12, hours_per_week=4, day_parts=frozenset({(1, 0)})),  # clashes with request 10
        request(13, hours_per_week=4, day_parts=frozenset({(4, 0)})),
    ]
    result = assign([busy], requests, Policy())
    # 10 and 11 are worth the same; either one, never both (hours) and never 10 with 12 (Tuesday morning)
    assert assigned(result) in ({10: 1, 13: 1}, {11: 1, 13: 1})
    assert result.filled_hours == (8 + 4) * 4
    instance = Instance((busy,), tuple(requests), Policy(), (), ())
    assert violations(instance, result) == []


def test_existing_bookings_are_respected():
    busy = member(1, weekly_hours=12)
    booking = Booking(1, MONDAY, date(2026, 3, 27), 6, frozenset({(2, 0), (3, 0)}))
    requests = [request(10, hours_per_week=8), request(11, hours_per_week=4, day_parts=frozenset({(4, 0)}))]
    result = assign([busy], requests, Policy(), bookings=[booking])
    assert assigned(result) == {11: 1}
    assert result.unfilled[0].explanation == "1 lid bevoegd binnen reisafstand, maar 1 al ingeroosterd"
    assert result.unfilled[0].reason_counts == {"already_booked": 1}


class TestUnfilledExplanations:
    def test_no_qualified_member_in_the_pool(self):
        result = assign([member(1)], [request(10, subject="du", levels=UPPER)], Policy())
        assert result.unfilled[0].explanation == "Geen actief lid met bevoegdheid Duits eerstegraads in de pool"
        assert result.unfilled[0].reason_counts == {"no_qualification": 1}

    def test_qualified_members_too_far_away(self):
        far = member(1, km_north=52.3, max_travel_km=40)
        result = assign([far], [request(10)], Policy())
        assert result.unfilled[0].explanation == (
            "Geen lid met bevoegdheid wiskunde tweedegraads binnen de eigen reisafstand (dichtstbijzijnde op 52,3 km)"
        )

    def test_qualified_members_not_available_on_a_day_part(self):
        mondays = frozenset({(0, 0), (0, 1)})
        members = [member(i, day_parts=mondays) for i in (1, 2, 3)]
        result = assign(members, [request(10)], Policy())
        assert (
            result.unfilled[0].explanation
            == "3 leden bevoegd binnen reisafstand, maar 3 niet beschikbaar op dinsdagochtend"
        )

    def test_mixed_reasons_are_summed_up(self):
        members = [member(1, vog_date=None), member(2, blocked_school_ids=frozenset({500}))]
        result = assign(members, [request(10)], Policy(), subject_names={"wi": "wiskunde (alle)"})
        assert result.unfilled[0].explanation == "2 leden bevoegd binnen reisafstand, maar 1 zonder VOG, 1 uitgesloten"


def test_filled_hours_count_working_weeks():
    # 2 March .. 13 March is 10 working days = 2 weeks; 8 hours a week -> 16 lesson hours
    result = assign([member(1)], [request(10, end=date(2026, 3, 13))], Policy())
    assert result.filled_hours == result.requested_hours == 16


def test_independent_components_are_solved_separately():
    members = [member(1), member(2, qualifications=(Qualification("ne", Degree.FIRST),))]
    requests = [request(10), request(11, subject="ne")]
    screen = eligible_pairs(members, requests, Policy())
    assert len(components_of(screen)) == 2
    result = assign(members, requests, Policy())
    assert result.components == 2
    assert assigned(result) == {10: 1, 11: 2}


def test_time_limit_is_passed_on_and_reported(monkeypatch):
    seen = {}
    real_milp = assignment_module.milp

    def limited_milp(cost, **kwargs):
        seen.update(kwargs["options"])
        result = real_milp(cost, **kwargs)
        # what HiGHS returns when the time limit stops it with a solution in hand
        result.status = 1
        result.mip_dual_bound = result.fun * 1.05
        result.mip_gap = 0.05
        return result

    monkeypatch.setattr(assignment_module, "milp", limited_milp)
    members = [member(1, km_north=1), member(2, km_north=8, degree=Degree.SECOND)]
    requests = [request(10), request(11, levels=UPPER, day_parts=frozenset({(0, 0), (3, 0)}))]
    result = assign(members, requests, Policy(time_limit_s=2.5))
    assert seen["time_limit"] == pytest.approx(2.5, abs=0.1)
    assert result.status == "time_limit"
    assert result.method == "exact"
    assert result.bound > result.objective
    assert result.gap == pytest.approx(0.05 / 1.05, rel=1e-3)
    assert "tijdslimiet" in result.notes[0]


def test_no_solution_within_the_time_limit_falls_back_to_the_heuristic(monkeypatch):
    class Empty:
        x = None
        status = 1
        fun = None
        mip_dual_bound = np.nan

    monkeypatch.setattr(assignment_module, "milp", lambda cost, **kwargs: Empty())
    result = assign([member(1)], [request(10)], Policy())
    assert result.method == "heuristic"
    assert assigned(result) == {10: 1}
    assert "geen oplossing binnen de tijdslimiet" in result.notes[0]


def test_heuristic_fallback_for_large_components():
    members = [member(1, km_north=1), member(2, km_north=8, degree=Degree.SECOND), member(3, km_north=20)]
    requests = [
        request(10),
        request(11, levels=UPPER, day_parts=frozenset({(0, 0), (3, 0)})),
        request(12, levels=UPPER, day_parts=frozenset({(1, 0), (4, 0)})),
    ]
    exact = assign(members, requests, Policy())
    heuristic = assign(members, requests, Policy(exact_max_pairs=2))
    assert heuristic.method == "heuristic" and heuristic.status == "heuristic"
    assert heuristic.bound is None and heuristic.gap is None
    assert "heuristisch opgelost" in heuristic.notes[0]
    assert heuristic.filled_hours == exact.filled_hours == exact.requested_hours
    instance = Instance(tuple(members), tuple(requests), Policy(), (), ())
    assert violations(instance, heuristic) == []


def test_heuristic_moves_a_blocker_to_fill_an_open_request():
    # scarcest-first puts request 11 (one candidate) before 10 (two); the improvement pass handles the rest
    members = [member(1, km_north=1), member(2, km_north=8, degree=Degree.SECOND)]
    requests = [request(10), request(11, levels=UPPER)]
    result = assign(members, requests, Policy(exact_max_pairs=1))
    assert assigned(result) == {10: 2, 11: 1}


def test_fairness_bonus_goes_to_the_board_behind_its_share():
    one_member = [member(1)]
    board_2 = request(10, board_id=2)
    board_3 = request(11, board_id=3)
    policy = Policy(board_shares={2: 0.5, 3: 0.5}, board_received_hours={2: 400.0, 3: 100.0})
    result = assign(one_member, [board_2, board_3], policy)
    assert assigned(result) == {11: 1}
    assert "eerlijke verdeling" in result.proposals[0].explanation


def test_urgent_requests_go_first_when_only_one_can_be_filled():
    result = assign([member(1)], [request(10), request(11, urgency=2)], Policy())
    assert assigned(result) == {11: 1}


def test_assign_exact_matches_assign_on_small_instances():
    members = [member(1, km_north=1), member(2, km_north=8, degree=Degree.SECOND)]
    requests = [request(10), request(11, levels=UPPER, day_parts=frozenset({(0, 0), (3, 0)}))]
    exact = assign_exact(members, requests, Policy(time_limit_s=0.01))
    assert exact.status == "optimal"
    assert exact.filled_hours == assign(members, requests, Policy()).filled_hours


def test_empty_inputs():
    result = assign([], [], Policy())
    assert result.proposals == () and result.unfilled == () and result.filled_hours == 0
    lonely = assign([], [request(10)], Policy())
    assert lonely.unfilled[0].explanation.startswith("Geen actief lid")


def test_travel_is_a_real_second_stage_next_to_continuity_and_fairness():
    # two schools 20 km apart, a member living near each; both fills are possible either way round
    north = 20 / 111.2
    near_home = request(10, board_id=2)
    far_school = request(11, school_id=501, board_id=3, latitude=SCHOOL[0] + north, class_key="501-k")
    # each member prefers the *other* school and member 1 taught class 501-k: the soft terms point at the swap
    members = [
        member(1, km_north=1, preferred_school_ids=frozenset({501})),
        member(2, km_north=19, preferred_school_ids=frozenset({500})),
    ]
    history = [Booking(1, date(2025, 11, 3), date(2025, 12, 19), 8, frozenset({(0, 0)}), 501, "501-k")]
    policy = Policy(board_shares={2: 0.5, 3: 0.5}, board_received_hours={2: 0.0, 3: 500.0})
    result = assign(members, [near_home, far_school], policy, history=history)
    assert result.filled_hours == result.requested_hours
    # continuity is worth 15 km and a preferred school 5 km: not enough to send both members 18 km further
    assert assigned(result) == {10: 1, 11: 2}
    assert sorted(p.travel_km for p in result.proposals) == [1.0, 1.0]


def test_nearer_of_two_equally_good_members_is_chosen():
    # same degree, both prefer the school, the requesting board is behind its share: only the distance differs
    members = [
        member(1, km_north=9, preferred_school_ids=frozenset({500})),
        member(2, km_north=3, preferred_school_ids=frozenset({500})),
        member(3, km_north=2, qualifications=(Qualification("ne", Degree.FIRST),)),
    ]
    requests = [request(10), request(11, subject="ne", day_parts=frozenset({(2, 0)}), class_key="ne-1")]
    history = [Booking(3, date(2025, 11, 3), date(2025, 12, 19), 4, frozenset({(2, 0)}), 500, "ne-1")]
    policy = Policy(board_shares={2: 1.0}, board_received_hours={})
    result = assign(members, requests, policy, history=history)
    assert assigned(result) == {10: 2, 11: 3}
    # a preferred school is a bounded bonus (5 km): a member 25 km away who likes the school loses to one at 2 km
    fond_but_far = member(4, km_north=25, preferred_school_ids=frozenset({500}))
    assert assigned(assign([fond_but_far, member(5, km_north=2)], [request(10)], Policy())) == {10: 5}
