"""Optimal assignment of pool members to substitute requests: a MILP solved with HiGHS (scipy.optimize.milp).

`assign(members, requests, policy, bookings, history)` screens all pairs (`eligible_pairs`), splits
the problem into independent components (requests connected through shared eligible members) and
solves each one exactly, or with the heuristic of `greedy.py` when a component has more than
`policy.exact_max_pairs` eligible pairs. See docs/pool-engine.md for the model and measured figures.

Model per component (P = eligible pairs):
- x[p] in {0, 1}: member takes the request. With `policy.allow_partial` also h[p] >= 0, the hours a
  week the member takes, MIN_PART_HOURS*x[p] <= h[p] <= cap[p]*x[p], sum h <= request hours and at
  most `max_members_per_request` members per request. Without it: at most one member per request.
- capacity: per member and ISO week, the request hours falling in that week (spread over day-parts,
  see calendar.weekly_profile) fit in weekly_hours minus existing bookings;
- slots: per member and (week, weekday, part), at most one request (a clique row over the pairs that
  occupy it; duplicate rows - e.g. consecutive weeks with the same requests - and rows contained in
  another row of the same member are dropped; rows with a single pair are implied by eligibility);
- chain rule: per member and requesting board, the new fixed-term contracts of the batch stay within
  the smallest room any of those requests leaves (sound for every request's own window).

Objective, lexicographic, solved as two MILPs over the same rows (stage 1, then stage 2):
1. fill (maximised): per filled request U[r] = round(10 x lesson hours x (1 + urgency_weight x urgency) x
   (1 + earliness_weight x earliness)) integer units (0.1 weighted lesson hour); with partial fills
   paid per hour (U[r] / hours x h[p]). Its optimum F* (and HiGHS's bound) give objective, bound and gap.
2. travel (minimised) subject to fill >= F* (exact: U is integral, so the row is sum U x >= F* - 0.5;
   partial fills keep a 1e-7 relative tolerance): sum over chosen pairs of the effective km
   km[p] - CONTINUITY_KM x (same class before or the school's preferred member)
         - PREFERRED_SCHOOL_KM x (member prefers the school) - FAIRNESS_KM x board deficit of the request.
   Continuity and fairness are bounded km-equivalents, so they can pull a proposal at most that many
   km further than the nearest equally good member; they never buy fill. With partial fills every
   member used also costs SPLIT_KM, so a request is split only when stage 1 needs the split.
Stage 1 gets STAGE1_SHARE of a component's time; stage 2 the rest. When stage 2 runs out of time the
better of its incumbent and the stage-1 plan (by effective km) is kept, and `notes` says so.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

from .calendar import lesson_hours, period_weeks, weekly_profile
from .eligibility import EPS, MIN_PART_HOURS, BookingLedger, PairScreen, best_degree, eligible_pairs
from .explain import proposal_explanation, unfilled_explanation
from .types import AssignmentResult, Booking, Member, Policy, Proposal, Request, Unfilled

UNITS_PER_HOUR = 10  # fill units per weighted lesson hour
# Stage 2 (travel) prices the soft preferences in km of straight-line travel, bounded so they cannot
# drag a member across the region: the same teacher back in the same class (or the member the school
# asked for) is worth up to 15 km more travel, a school the member likes up to 5 km; fairness only
# breaks near-ties between requests of boards that received less than their share.
CONTINUITY_KM = 15.0
PREFERRED_SCHOOL_KM = 5.0
FAIRNESS_KM = 2.0
SPLIT_KM = 100.0  # partial fills: each member used, so a request is split only when the fill needs it
# share of the stage-1 fill stage 2 may give up for shorter travel; 0 keeps the order strict (measured in
# docs/pool-engine.md: giving up 3-5 % of the fill per batch shortens the mean trip by only 0.1-0.25 km)
FILL_TOLERANCE = 0.0
STAGE1_SHARE = 0.6  # of a component's time limit; stage 2 gets what stage 1 leaves


@dataclass
class Prepared:
    """A screen plus the per-request and per-pair objective terms every method uses."""

    screen: PairScreen
    policy: Policy
    units: np.ndarray  # per request: fill units when filled completely
    lesson_weeks: np.ndarray  # per request: working weeks
    continuity: np.ndarray  # per pair flags for the explanation
    preferred_member: np.ndarray
    preferred_school: np.ndarray
    board_behind: np.ndarray  # per request: its board received less than its share
    ledger: BookingLedger
    subject_names: dict[str, str] | None = None
    travel_cost: np.ndarray | None = None  # per pair: effective km of stage 2 (km minus bounded bonuses)

    @property
    def requests(self) -> tuple[Request, ...]:
        return self.screen.request_list

    @property
    def members(self) -> tuple[Member, ...]:
        return self.screen.index.members

    def pair_member(self, pair: int) -> Member:
        return self.screen.index.members[int(self.screen.pair_member[pair])]

    def pair_request(self, pair: int) -> Request:
        return self.screen.request_list[int(self.screen.pair_request[pair])]


def fairness_deficits(policy: Policy) -> dict[int, float]:
    """Per board: how far its share of received hours lags behind its contribution share, scaled to 0..1."""
    shares = {board: share for board, share in policy.board_shares.items() if share > 0}
    if not shares:
        return {}
    total_share = sum(shares.values())
    total_received = sum(policy.board_received_hours.get(board, 0.0) for board in shares)
    deficits = {}
    for board, share in shares.items():
        expected = share / total_share
        received = policy.board_received_hours.get(board, 0.0) / total_received if total_received > 0 else 0.0
        deficits[board] = max(0.0, expected - received)
    largest = max(deficits.values())
    return {board: value / largest for board, value in deficits.items()} if largest > 0 else {}


def prepare(
    members: Sequence[Member],
    requests: Sequence[Request],
    policy: Policy,
    bookings: Sequence[Booking] = (),
    history: Sequence[Booking] = (),
    *,
    screen: PairScreen | None = None,
    subject_names: dict[str, str] | None = None,
) -> Prepared:
    ledger = BookingLedger(bookings)
    screen = screen if screen is not None else eligible_pairs(members, requests, policy, ledger)
    request_list = screen.request_list
    starts = [r.start.toordinal() for r in request_list]
    first, last = (min(starts), max(starts)) if starts else (0, 0)
    units = np.zeros(len(request_list))
    weeks = np.zeros(len(request_list))
    for position, request in enumerate(request_list):
        earliness = 1.0 - (request.start.toordinal() - first) / (last - first) if last > first else 1.0
        weight = (1 + policy.urgency_weight * request.urgency) * (1 + policy.earliness_weight * earliness)
        hours = lesson_hours(request.hours_per_week, request.start, request.end)
        weeks[position] = period_weeks(request.start, request.end)
        units[position] = max(1, round(UNITS_PER_HOUR * hours * weight)) if hours > 0 else 0

    classes: dict[int, set[str]] = defaultdict(set)
    for booking in history:
        if booking.class_key:
            classes[booking.member_id].add(booking.class_key)
    deficits = fairness_deficits(policy)
    count = screen.pair_count
    continuity = np.zeros(count, dtype=bool)
    preferred_member = np.zeros(count, dtype=bool)
    preferred_school = np.zeros(count, dtype=bool)
    members_list = screen.index.members
    for pair in range(count):
        request = request_list[int(screen.pair_request[pair])]
        member = members_list[int(screen.pair_member[pair])]
        continuity[pair] = bool(request.class_key) and request.class_key in classes.get(member.id, ())
        preferred_member[pair] = request.preferred_member_id == member.id
        preferred_school[pair] = request.school_id in member.preferred_school_ids
    board_behind = np.array([deficits.get(r.board_id, 0.0) > 0 for r in request_list], dtype=bool)
    request_deficit = np.array([deficits.get(r.board_id, 0.0) for r in request_list])
    travel_cost = (
        np.asarray(screen.pair_km, dtype=float)
        - CONTINUITY_KM * (continuity | preferred_member)
        - PREFERRED_SCHOOL_KM * preferred_school
        - FAIRNESS_KM * (request_deficit[np.asarray(screen.pair_request, dtype=int)] if count else 0.0)
    )
    return Prepared(
        screen=screen,
        policy=policy,
        units=units,
        lesson_weeks=weeks,
        continuity=continuity,
        preferred_member=preferred_member,
        preferred_school=preferred_school,
        board_behind=board_behind,
        ledger=ledger,
        subject_names=subject_names,
        travel_cost=travel_cost,
    )


# A plan: request position -> list of (pair index, hours a week)
Plan = dict[int, list[tuple[int, float]]]


def plan_objective(prepared: Prepared, plan: Plan) -> float:
    """Fill units of a plan (stage 1 of the objective; partial fills by share), for exact and heuristic plans.

    The tie-breakers (travel, continuity, fairness) are a separate stage and not part of the reported objective.
    """
    total = 0.0
    for position, chosen in plan.items():
        request = prepared.requests[position]
        for _pair, hours in chosen:
            total += prepared.units[position] * (hours / request.hours_per_week if request.hours_per_week else 1.0)
    return total


def plan_travel_cost(prepared: Prepared, plan: Plan) -> float:
    """Stage-2 objective of a plan: effective km of its pairs (plus SPLIT_KM per member with partial fills)."""
    split = SPLIT_KM if prepared.policy.allow_partial else 0.0
    return sum(float(prepared.travel_cost[pair]) + split for chosen in plan.values() for pair, _hours in chosen)


def build_result(
    prepared: Prepared,
    plan: Plan,
    *,
    method: str,
    status: str,
    objective: float,
    bound: float | None,
    gap: float | None,
    started: float,
    components: int = 1,
    notes: Sequence[str] = (),
) -> AssignmentResult:
    """Turn a plan into proposals and unfilled requests, each with its Dutch explanation."""
    screen = prepared.screen
    proposals = []
    unfilled = []
    filled = 0.0
    requested = 0.0
    for position, request in enumerate(prepared.requests):
        requested += request.hours_per_week * prepared.lesson_weeks[position]
        given = 0.0
        for pair, hours in sorted(plan.get(position, []), key=lambda item: -item[1]):
            member = prepared.pair_member(pair)
            partial = hours < request.hours_per_week - EPS
            given += hours
            proposals.append(
                Proposal(
                    request_id=request.id,
                    member_id=member.id,
                    hours_per_week=float(hours),
                    travel_km=round(float(screen.pair_km[pair]), 1),
                    partial=partial,
                    explanation=proposal_explanation(
                        continuity=bool(prepared.continuity[pair]),
                        preferred_member=bool(prepared.preferred_member[pair]),
                        preferred_school=bool(prepared.preferred_school[pair]),
                        degree=best_degree(member, request.subject, prepared.policy),
                        subject=request.subject,
                        travel_km=float(screen.pair_km[pair]),
                        board_behind=bool(prepared.board_behind[position]),
                        partial_hours=hours if partial else None,
                        request_hours=request.hours_per_week,
                        subject_names=prepared.subject_names,
                    ),
                )
            )
        filled += given * prepared.lesson_weeks[position]
        left = request.hours_per_week - given
        if left > EPS:
            info = screen.requests[request.id]
            unfilled.append(
                Unfilled(
                    request_id=request.id,
                    hours_per_week=round(left, 2),
                    explanation=unfilled_explanation(
                        request,
                        qualified=info.qualified,
                        qualified_in_reach=info.qualified_in_reach,
                        reasons_in_reach=info.reasons_in_reach,
                        missing_day_parts=info.missing_day_parts,
                        nearest_qualified_km=info.nearest_qualified_km,
                        eligible=len(info.eligible),
                        hours_left=left,
                        subject_names=prepared.subject_names,
                    ),
                    reason_counts=dict(info.reason_counts),
                )
            )
    return AssignmentResult(
        proposals=tuple(proposals),
        unfilled=tuple(unfilled),
        method=method,
        status=status,
        objective=round(float(objective) / UNITS_PER_HOUR, 4),
        bound=None if bound is None else round(float(bound) / UNITS_PER_HOUR, 4),
        gap=gap,
        filled_hours=round(float(filled), 2),
        requested_hours=round(float(requested), 2),
        wall_time_s=round(time.perf_counter() - started, 4),
        components=components,
        notes=tuple(notes),
    )


def components_of(screen: PairScreen) -> list[np.ndarray]:
    """Pair indices per independent component (requests linked by a shared eligible member)."""
    requests = len(screen.request_list)
    members = len(screen.index.members)
    if screen.pair_count == 0:
        return []
    graph = coo_matrix(
        (np.ones(screen.pair_count), (screen.pair_request, requests + screen.pair_member)),
        shape=(requests + members, requests + members),
    )
    _count, labels = connected_components(graph, directed=False)
    pair_labels = labels[screen.pair_request]
    order = np.argsort(pair_labels, kind="stable")
    splits = np.flatnonzero(np.diff(pair_labels[order])) + 1
    return [np.sort(chunk) for chunk in np.split(order, splits)]


def partial_cap(prepared: Prepared, pair: int) -> float:
    """Most hours a week this pair can take next to existing bookings."""
    request = prepared.pair_request(pair)
    return min(request.hours_per_week, prepared.ledger.free_hours(prepared.pair_member(pair), request))


@dataclass
class MilpOutcome:
    plan: Plan
    status: str  # "optimal", "time_limit" or "no_solution"
    objective: float
    bound: float
    rows: int
    travel_status: str = "optimal"  # stage 2: "optimal", "time_limit", "no_solution" or "skipped"


def solve_component(prepared: Prepared, pairs: np.ndarray, time_limit: float | None) -> MilpOutcome:
    """Build the MILP of one component and solve it in two stages (see the module docstring for the model)."""
    screen = prepared.screen
    policy = prepared.policy
    partial = policy.allow_partial
    n = len(pairs)
    n_vars = 2 * n if partial else n
    request_positions = screen.pair_request[pairs]
    started = time.perf_counter()

    rows: list[tuple[list[int], list[float], float, float]] = []
    seen: set = set()

    def add_row(columns: list[int], coefs: list[float], low: float, high: float) -> None:
        key = (tuple(columns), tuple(round(c, 9) for c in coefs), round(low, 9), round(high, 9))
        if key not in seen:
            seen.add(key)
            rows.append((columns, coefs, low, high))

    caps = np.array([partial_cap(prepared, int(p)) for p in pairs]) if partial else None
    hours_of = np.array([prepared.pair_request(int(p)).hours_per_week for p in pairs])

    by_member: dict[int, list[int]] = defaultdict(list)
    for i, p in enumerate(pairs):
        by_member[int(screen.pair_member[p])].append(i)
    for member_position, locals_ in by_member.items():
        if len(locals_) < 2:
            continue
        member = screen.index.members[member_position]
        week_terms: dict[int, list[tuple[int, float]]] = defaultdict(list)
        slot_sets: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in locals_:
            request = prepared.pair_request(int(pairs[i]))
            for week, share, mask in weekly_profile(request.start, request.end, request.day_parts):
                week_terms[week].append((i, share))
                bit = 0
                while mask:
                    if mask & 1:
                        slot_sets[(week, bit)].append(i)
                    mask >>= 1
                    bit += 1
        for week, terms in week_terms.items():
            if len(terms) < 2:
                continue
            room = member.weekly_hours - prepared.ledger.booked_hours(member.id, week)
            if partial:
                most = sum(share * caps[i] for i, share in terms)
                columns = [n + i for i, _ in terms]
                coefs = [share for _, share in terms]
            else:
                most = sum(share * hours_of[i] for i, share in terms)
                columns = [i for i, _ in terms]
                coefs = [share * hours_of[i] for i, share in terms]
            if most > room + EPS:
                add_row(columns, coefs, -np.inf, room)
        cliques = {frozenset(members_) for members_ in slot_sets.values() if len(members_) >= 2}
        kept: list[frozenset[int]] = []
        for clique in sorted(cliques, key=len, reverse=True):
            if not any(clique <= other for other in kept):
                kept.append(clique)
        for clique in kept:
            columns = sorted(clique)
            add_row(columns, [1.0] * len(columns), -np.inf, 1.0)

    by_request: dict[int, list[int]] = defaultdict(list)
    for i, p in enumerate(pairs):
        by_request[int(screen.pair_request[p])].append(i)
    for position, locals_ in by_request.items():
        request = screen.request_list[position]
        if partial:
            add_row([n + i for i in locals_], [1.0] * len(locals_), -np.inf, request.hours_per_week)
            if len(locals_) > policy.max_members_per_request:
                add_row(locals_, [1.0] * len(locals_), -np.inf, float(policy.max_members_per_request))
            smallest = min(request.hours_per_week, MIN_PART_HOURS)
            for i in locals_:
                add_row([n + i, i], [1.0, -float(caps[i])], -np.inf, 0.0)
                add_row([n + i, i], [1.0, -smallest], 0.0, np.inf)
        elif len(locals_) >= 2:
            add_row(locals_, [1.0] * len(locals_), -np.inf, 1.0)

    chain_groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, p in enumerate(pairs):
        if screen.pair_chain_adds[p]:
            board = screen.request_list[int(screen.pair_request[p])].board_id
            chain_groups[(int(screen.pair_member[p]), board)].append(i)
    for locals_ in chain_groups.values():
        room = int(min(screen.pair_chain_room[pairs[i]] for i in locals_))
        if len(locals_) > room:
            add_row(locals_, [1.0] * len(locals_), -np.inf, float(room))

    units = prepared.units[request_positions]
    if partial:
        fill = np.concatenate([np.zeros(n), units / hours_of])
        upper = np.concatenate([np.ones(n), caps])
        integrality = np.concatenate([np.ones(n), np.zeros(n)])
    else:
        fill = units.astype(float)
        upper = np.ones(n)
        integrality = np.ones(n)

    def matrix_of(extra: list[tuple[list[int], list[float], float, float]]) -> list[LinearConstraint]:
        all_rows = rows + extra
        if not all_rows:
            return []
        data, row_index, col_index, lows, highs = [], [], [], [], []
        for r, (columns, coefs, low, high) in enumerate(all_rows):
            row_index.extend([r] * len(columns))
            col_index.extend(columns)
            data.extend(coefs)
            lows.append(low)
            highs.append(high)
        matrix = csr_matrix((data, (row_index, col_index)), shape=(len(all_rows), n_vars))
        return [LinearConstraint(matrix, np.array(lows), np.array(highs))]

    def run(cost: np.ndarray, extra: list, limit: float | None, gap: float):
        options = {"disp": False, "mip_rel_gap": gap}
        if limit is not None:
            options["time_limit"] = max(0.05, float(limit))
        return milp(
            cost,
            constraints=matrix_of(extra),
            integrality=integrality,
            bounds=Bounds(np.zeros(n_vars), upper),
            options=options,
        )

    def plan_of(values: np.ndarray) -> Plan:
        plan: Plan = defaultdict(list)
        for i, p in enumerate(pairs):
            if values[i] > 0.5:
                position = int(screen.pair_request[p])
                if partial:
                    # round down to 0.1 hour so rounding never pushes a member over capacity
                    hours = math.floor(values[n + i] * 10 + 1e-6) / 10
                    if hours >= min(hours_of[i], MIN_PART_HOURS) - EPS:
                        plan[position].append((int(p), min(hours, hours_of[i])))
                else:
                    plan[position].append((int(p), float(hours_of[i])))
        return dict(plan)

    # stage 1: most weighted fill; the objective is integral without partial fills, so 1e-9 proves it exactly
    stage1_limit = None if time_limit is None else time_limit * STAGE1_SHARE
    first = run(-fill, [], stage1_limit, 1e-9)
    if first.x is None:
        return MilpOutcome(plan={}, status="no_solution", objective=0.0, bound=math.inf, rows=len(rows))
    plan = plan_of(first.x)
    objective = -float(first.fun)
    dual = getattr(first, "mip_dual_bound", None)
    bound = -float(dual) if dual is not None and np.isfinite(dual) else objective
    status = "optimal" if first.status == 0 else "time_limit"

    # stage 2: least effective travel among plans that fill at least as much as stage 1 found
    # stage 2 gets what stage 1 left of the component's time, but at least the 0.05 s floor every solve gets
    travel_status = "optimal" if n == 1 else "skipped"
    stage2_limit = None
    if time_limit is not None:
        stage2_limit = max(0.05, time_limit - (time.perf_counter() - started))
    if plan and n > 1:
        achieved = float(fill @ first.x)
        # integral units without partial fills: ">= F* - 0.5" is ">= F*" exactly
        target = achieved * (1 - FILL_TOLERANCE)
        floor = target * (1 - 1e-7) - 1e-6 if partial else math.ceil(target - 1e-6) - 0.5
        cost = np.zeros(n_vars)
        cost[:n] = prepared.travel_cost[pairs] + (SPLIT_KM if partial else 0.0)
        fill_columns = [j for j in range(n_vars) if fill[j] != 0]
        fill_row = (fill_columns, [float(fill[j]) for j in fill_columns], floor, np.inf)
        second = run(cost, [fill_row], stage2_limit, 1e-6)
        if second.x is None:
            travel_status = "no_solution"
        else:
            travel_status = "optimal" if second.status == 0 else "time_limit"
            candidate = plan_of(second.x)
            # keep it only when it is no worse on either stage (guards a time-limited incumbent and rounding)
            if (
                plan_objective(prepared, candidate) >= plan_objective(prepared, plan) * (1 - FILL_TOLERANCE) - 1e-6
                and plan_travel_cost(prepared, candidate) <= plan_travel_cost(prepared, plan) + 1e-9
            ):
                plan = candidate
    return MilpOutcome(
        plan=plan,
        status=status,
        objective=objective,
        bound=max(bound, objective),
        rows=len(rows),
        travel_status=travel_status,
    )


def assign(
    members: Sequence[Member],
    requests: Sequence[Request],
    policy: Policy,
    bookings: Sequence[Booking] = (),
    history: Sequence[Booking] = (),
    *,
    subject_names: dict[str, str] | None = None,
) -> AssignmentResult:
    """Propose members for requests: exact per component where it is small enough, heuristic otherwise."""
    from .greedy import regret_heuristic

    started = time.perf_counter()
    prepared = prepare(members, requests, policy, bookings, history, subject_names=subject_names)
    parts = sorted(components_of(prepared.screen), key=len)
    deadline = None if math.isinf(policy.time_limit_s) else started + policy.time_limit_s
    plan: Plan = {}
    objective = 0.0
    bound = 0.0
    have_bound = True
    statuses = set()
    heuristic_parts = 0
    notes = []
    remaining_pairs = sum(len(part) for part in parts)
    for number, part in enumerate(parts, start=1):
        use_heuristic = len(part) > policy.exact_max_pairs
        reason = f"{len(part)} paren, meer dan de grens van {policy.exact_max_pairs}"
        limit = None
        if not use_heuristic and deadline is not None:
            left = deadline - time.perf_counter()
            if left <= 0.05:
                use_heuristic, reason = True, "tijdslimiet bereikt voordat dit deel aan de beurt was"
            else:
                limit = max(0.05, left * len(part) / max(remaining_pairs, 1))
                # small components finish in milliseconds; let the last one use what is left
                if number == len(parts):
                    limit = left
        remaining_pairs -= len(part)
        if not use_heuristic:
            outcome = solve_component(prepared, part, limit)
            if outcome.status == "no_solution":
                use_heuristic, reason = True, "geen oplossing binnen de tijdslimiet"
            else:
                plan.update(outcome.plan)
                objective += outcome.objective
                bound += outcome.bound
                statuses.add(outcome.status)
                if outcome.status == "time_limit":
                    notes.append(f"deel {number} ({len(part)} paren): tijdslimiet bereikt, beste gevonden oplossing")
                if outcome.travel_status in ("time_limit", "no_solution", "skipped") and outcome.plan:
                    notes.append(
                        f"deel {number} ({len(part)} paren): reisafstand "
                        + {
                            "time_limit": "binnen de tijdslimiet niet bewezen minimaal",
                            "no_solution": "niet verder verkort (geen oplossing binnen de tijdslimiet)",
                            "skipped": "niet verkort (geen tijd meer over)",
                        }[outcome.travel_status]
                    )
        if use_heuristic:
            part_plan = regret_heuristic(prepared, part)
            plan.update(part_plan)
            objective += plan_objective(prepared, part_plan)
            have_bound = False
            heuristic_parts += 1
            notes.append(f"deel {number} ({len(part)} paren) heuristisch opgelost: {reason}")
    if heuristic_parts:
        method, status = "heuristic", "heuristic"
    else:
        method = "exact"
        status = "time_limit" if "time_limit" in statuses else "optimal"
    if have_bound:
        gap = 0.0 if bound <= objective + 1e-9 else (bound - objective) / max(abs(bound), 1e-9)
        final_bound: float | None = bound
    else:
        gap, final_bound = None, None
    return build_result(
        prepared,
        plan,
        method=method,
        status=status,
        objective=objective,
        bound=final_bound,
        gap=gap,
        started=started,
        components=len(parts),
        notes=notes,
    )


def assign_exact(
    members: Sequence[Member],
    requests: Sequence[Request],
    policy: Policy,
    bookings: Sequence[Booking] = (),
    history: Sequence[Booking] = (),
) -> AssignmentResult:
    """The exact optimum over the whole instance (no time limit, no heuristic): the yardstick for gaps."""
    exact_policy = replace(policy, time_limit_s=math.inf, exact_max_pairs=2**62)
    return assign(members, requests, exact_policy, bookings, history)
