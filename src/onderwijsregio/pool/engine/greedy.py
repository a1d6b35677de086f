"""Heuristics of the pool engine: the sequential-dispatch baseline and the large-component fallback.

- `greedy_dispatch` is what sequential dispatch products do (and what a coordinator does by hand):
  requests in order of start date, each to the first eligible member that still has room, by
  preference (the school's preferred member, then members who prefer the school) and then distance.
  It never splits a request. It is the baseline of the benchmark, not something the app offers.
- `regret_heuristic` solves one component of `assign` when it is too large for the exact model:
  requests are taken scarcest first (fill units divided by the number of members that can still take
  them, recomputed lazily, so a request with one remaining candidate goes before one with ten), each
  to its best remaining candidate by effective km (travel minus bounded continuity/fairness bonuses); then a local improvement pass
  tries every open request again, moving one blocking assignment of a candidate to another member
  (or swapping it out when the open request is worth more). With partial fills allowed, requests
  nobody can take whole are split over the members with the most free hours.

Both respect capacity per ISO week, day-part slots and the chain rule as assignments accumulate
(`PlanState`), exactly like the MILP's constraints.
"""

from __future__ import annotations

import heapq
import time
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from .calendar import overlaps
from .eligibility import EPS, MIN_PART_HOURS, BookingLedger
from .types import AssignmentResult, Booking, Member, Policy, Request


class PlanState:
    """Bookings, chain counts and the plan so far, with cheap fit checks for one more pair."""

    def __init__(self, prepared) -> None:
        self.prepared = prepared
        base = prepared.ledger
        self.ledger = BookingLedger()
        self.ledger.hours = {member: dict(weeks) for member, weeks in base.hours.items()}
        self.ledger.slots = {member: dict(weeks) for member, weeks in base.slots.items()}
        self.chain: dict[tuple[int, int], int] = defaultdict(int)
        self.plan: dict[int, list[tuple[int, float]]] = defaultdict(list)
        self.by_member: dict[int, set[tuple[int, float]]] = defaultdict(set)

    def _chain_key(self, pair: int) -> tuple[int, int] | None:
        screen = self.prepared.screen
        if not screen.pair_chain_adds[pair]:
            return None
        return int(screen.pair_member[pair]), self.prepared.pair_request(pair).board_id

    def fits(self, pair: int, hours: float) -> bool:
        key = self._chain_key(pair)
        if key is not None and self.chain[key] + 1 > self.prepared.screen.pair_chain_room[pair]:
            return False
        return self.ledger.room(self.prepared.pair_member(pair), self.prepared.pair_request(pair), hours)

    def free_hours(self, pair: int) -> float:
        return self.ledger.free_hours(self.prepared.pair_member(pair), self.prepared.pair_request(pair))

    def place(self, pair: int, hours: float) -> None:
        request = self.prepared.pair_request(pair)
        member = self.prepared.pair_member(pair)
        self.ledger.add(member.id, request.start, request.end, hours, request.day_parts)
        key = self._chain_key(pair)
        if key is not None:
            self.chain[key] += 1
        self.plan[int(self.prepared.screen.pair_request[pair])].append((pair, hours))
        self.by_member[int(self.prepared.screen.pair_member[pair])].add((pair, hours))

    def unplace(self, pair: int, hours: float) -> None:
        request = self.prepared.pair_request(pair)
        member = self.prepared.pair_member(pair)
        self.ledger.remove(member.id, request.start, request.end, hours, request.day_parts)
        key = self._chain_key(pair)
        if key is not None:
            self.chain[key] -= 1
        position = int(self.prepared.screen.pair_request[pair])
        self.plan[position].remove((pair, hours))
        if not self.plan[position]:
            del self.plan[position]
        self.by_member[int(self.prepared.screen.pair_member[pair])].discard((pair, hours))

    def filled(self, position: int) -> float:
        return sum(hours for _pair, hours in self.plan.get(position, ()))


def _candidates(prepared, pairs: np.ndarray) -> dict[int, list[int]]:
    """Per request position: its pairs, best first by the effective km of the exact model's travel stage."""
    by_request: dict[int, list[int]] = defaultdict(list)
    for pair in pairs:
        by_request[int(prepared.screen.pair_request[pair])].append(int(pair))
    for candidates in by_request.values():
        candidates.sort(key=lambda p: (prepared.travel_cost[p], prepared.screen.pair_km[p], p))
    return by_request


def regret_heuristic(prepared, pairs: np.ndarray, improvement_rounds: int = 3) -> dict[int, list[tuple[int, float]]]:
    """Scarcest-first greedy plus a local improvement pass over one component; returns its plan."""
    state = PlanState(prepared)
    requests = prepared.requests
    candidates = _candidates(prepared, pairs)
    heap = []
    for position, pair_list in candidates.items():
        units = prepared.units[position]
        heapq.heappush(heap, (-units / len(pair_list), requests[position].start, position, len(pair_list)))
    while heap:
        _key, start, position, known = heapq.heappop(heap)
        if position in state.plan:
            continue
        hours = requests[position].hours_per_week
        feasible = [p for p in candidates[position] if state.fits(p, hours)]
        if not feasible:
            continue
        if len(feasible) != known:
            heapq.heappush(heap, (-prepared.units[position] / len(feasible), start, position, len(feasible)))
            continue
        state.place(feasible[0], hours)

    _improve(prepared, state, candidates, improvement_rounds)
    if prepared.policy.allow_partial:
        _fill_partially(prepared, state, candidates)
    return {position: list(chosen) for position, chosen in state.plan.items()}


def _improve(prepared, state: PlanState, candidates: dict[int, list[int]], rounds: int) -> None:
    """Try every open request again: directly, by moving one blocker elsewhere, or by a worthwhile swap."""
    requests = prepared.requests
    for _round in range(rounds):
        improved = False
        open_requests = sorted(
            (pos for pos in candidates if pos not in state.plan), key=lambda pos: -prepared.units[pos]
        )
        for position in open_requests:
            if position in state.plan:
                continue
            request = requests[position]
            hours = request.hours_per_week
            for pair in candidates[position]:
                if state.fits(pair, hours):
                    state.place(pair, hours)
                    improved = True
                    break
                member_position = int(prepared.screen.pair_member[pair])
                blockers = [
                    (q, h)
                    for q, h in state.by_member[member_position]
                    if overlaps(
                        prepared.pair_request(q).start, prepared.pair_request(q).end, request.start, request.end
                    )
                ]
                if len(blockers) != 1:
                    continue
                blocker, blocker_hours = blockers[0]
                state.unplace(blocker, blocker_hours)
                if not state.fits(pair, hours):
                    state.place(blocker, blocker_hours)
                    continue
                state.place(pair, hours)
                blocker_position = int(prepared.screen.pair_request[blocker])
                moved = next(
                    (q for q in candidates[blocker_position] if q != blocker and state.fits(q, blocker_hours)), None
                )
                if moved is not None:
                    state.place(moved, blocker_hours)
                    improved = True
                    break
                if prepared.units[position] > prepared.units[blocker_position]:
                    improved = True  # a worthwhile swap: the blocker's request is open now
                    break
                state.unplace(pair, hours)
                state.place(blocker, blocker_hours)
        if not improved:
            return


def _fill_partially(prepared, state: PlanState, candidates: dict[int, list[int]]) -> None:
    """Split requests still (partly) open over members with free hours, largest free hours first."""
    policy = prepared.policy
    for position in sorted(candidates, key=lambda pos: -prepared.units[pos]):
        request = prepared.requests[position]
        used = {pair for pair, _hours in state.plan.get(position, ())}
        while len(used) < policy.max_members_per_request:
            left = request.hours_per_week - state.filled(position)
            if left <= EPS:
                break
            options = []
            for pair in candidates[position]:
                if pair in used:
                    continue
                give = min(left, int(state.free_hours(pair) * 10 + 1e-6) / 10)
                if give >= min(request.hours_per_week, MIN_PART_HOURS) - EPS and state.fits(pair, give):
                    options.append((give, pair))
            if not options:
                break
            give, pair = max(options, key=lambda item: (item[0], -candidates[position].index(item[1])))
            state.place(pair, give)
            used.add(pair)


def greedy_dispatch(
    members: Sequence[Member],
    requests: Sequence[Request],
    policy: Policy,
    bookings: Sequence[Booking] = (),
    history: Sequence[Booking] = (),
) -> AssignmentResult:
    """The sequential-dispatch baseline: by start date, first eligible member by preference then distance."""
    from .assignment import build_result, plan_objective, prepare

    started = time.perf_counter()
    prepared = prepare(members, requests, policy, bookings, history)
    state = PlanState(prepared)
    screen = prepared.screen
    by_request: dict[int, list[int]] = defaultdict(list)
    for pair in range(screen.pair_count):
        by_request[int(screen.pair_request[pair])].append(pair)
    order = sorted(
        range(len(prepared.requests)), key=lambda pos: (prepared.requests[pos].start, prepared.requests[pos].id)
    )
    for position in order:
        request = prepared.requests[position]
        ranked = sorted(
            by_request.get(position, ()),
            key=lambda p: (
                not prepared.preferred_member[p],
                not prepared.preferred_school[p],
                screen.pair_km[p],
                prepared.pair_member(p).id,
            ),
        )
        for pair in ranked:
            if state.fits(pair, request.hours_per_week):
                state.place(pair, request.hours_per_week)
                break
    plan = {position: list(chosen) for position, chosen in state.plan.items()}
    return build_result(
        prepared,
        plan,
        method="greedy",
        status="heuristic",
        objective=plan_objective(prepared, plan),
        bound=None,
        gap=None,
        started=started,
    )
