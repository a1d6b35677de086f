"""Property tests of the pool engine (hypothesis): every plan it proposes is sound, and exact beats greedy.

Invariants checked by an independent date-by-date recomputation (strategies.violations): no member
above their weekly hours in any ISO week (existing bookings included), no clashing day-part, nothing
outside the availability pattern or during an absence, every proposal eligible per `eligibility()`,
no chain rule exceeded, no request over-filled or given to too many members.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings

from onderwijsregio.pool.engine import assign, greedy_dispatch

from .strategies import instances, violations

SETTINGS = settings(max_examples=60, deadline=None)


def weighted_fill(instance, result) -> float:
    """The first level of the objective, recomputed: fill units of the proposals (partial by share)."""
    from onderwijsregio.pool.engine.assignment import prepare

    prepared = prepare(instance.members, instance.requests, instance.policy, instance.bookings)
    position = {r.id: i for i, r in enumerate(prepared.requests)}
    return sum(
        prepared.units[position[p.request_id]]
        * p.hours_per_week
        / prepared.requests[position[p.request_id]].hours_per_week
        for p in result.proposals
    )


@SETTINGS
@given(instances(partial=None))
def test_assign_proposes_only_sound_plans(instance):
    result = assign(instance.members, instance.requests, instance.policy, instance.bookings, instance.history)
    assert violations(instance, result) == []
    assert result.method == "exact" and result.status == "optimal"


@SETTINGS
@given(instances(partial=None, lenient=True, max_members=4, max_requests=10))
def test_assign_is_sound_when_capacity_and_chain_rules_bind(instance):
    result = assign(instance.members, instance.requests, instance.policy, instance.bookings, instance.history)
    assert violations(instance, result) == []


@SETTINGS
@given(instances(partial=None, lenient=True, max_members=4, max_requests=10))
def test_heuristic_fallback_is_sound(instance):
    policy = replace(instance.policy, exact_max_pairs=0)
    result = assign(instance.members, instance.requests, policy, instance.bookings, instance.history)
    assert result.method in ("heuristic", "exact")  # "exact" only when there are no pairs at all
    assert violations(replace(instance, policy=policy), result) == []


@SETTINGS
@given(instances(lenient=True, max_members=4, max_requests=10))
def test_greedy_respects_the_same_invariants(instance):
    result = greedy_dispatch(instance.members, instance.requests, instance.policy, instance.bookings)
    assert violations(instance, result) == []


@SETTINGS
@given(instances(lenient=True, max_members=4, max_requests=10, neutral_weights=True))
def test_assign_never_fills_fewer_hours_than_greedy(instance):
    # neutral weights: the fill objective is plain lesson hours, so the exact optimum cannot be below greedy
    greedy = greedy_dispatch(instance.members, instance.requests, instance.policy, instance.bookings)
    exact = assign(instance.members, instance.requests, instance.policy, instance.bookings)
    assert exact.status == "optimal"
    assert exact.filled_hours >= greedy.filled_hours - 1e-6


@SETTINGS
@given(instances(lenient=True, max_members=4, max_requests=10))
def test_assign_never_scores_below_greedy_on_the_weighted_fill(instance):
    greedy = greedy_dispatch(instance.members, instance.requests, instance.policy, instance.bookings)
    exact = assign(instance.members, instance.requests, instance.policy, instance.bookings)
    assert weighted_fill(instance, exact) >= weighted_fill(instance, greedy) - 1e-6
    heuristic = assign(
        instance.members, instance.requests, replace(instance.policy, exact_max_pairs=0), instance.bookings
    )
    assert weighted_fill(instance, exact) >= weighted_fill(instance, heuristic) - 1e-6
