"""Hypothesis strategies for small pool instances, and an independent checker of a plan's invariants.

The checker recomputes weekly hours and day-part clashes date by date (not through the engine's
calendar helpers), so a bug in the engine's week arithmetic shows up as a violation here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import strategies as st

from onderwijsregio.pool.engine import (
    AssignmentResult,
    Booking,
    ChainRule,
    Degree,
    Level,
    Member,
    Period,
    Policy,
    Qualification,
    Request,
    eligibility,
)
from onderwijsregio.pool.engine.calendar import add_months

HORIZON_START = date(2026, 3, 2)  # a Monday
SUBJECTS = ("wi", "ne", "en")
BOARDS = (1, 2, 3)
ALL_PARTS = [(weekday, part) for weekday in range(5) for part in range(2)]

day_offsets = st.integers(min_value=0, max_value=49)
coordinates = st.tuples(st.floats(52.0, 52.25), st.floats(5.0, 5.35))
hours = st.sampled_from([2.0, 4.0, 6.0, 8.0, 10.0, 12.0])


@st.composite
def day_part_sets(draw, min_size: int = 1, max_size: int = 4) -> frozenset:
    return frozenset(draw(st.lists(st.sampled_from(ALL_PARTS), min_size=min_size, max_size=max_size, unique=True)))


@st.composite
def periods(draw, max_days: int = 25) -> tuple[date, date]:
    start = HORIZON_START + timedelta(days=draw(day_offsets))
    return start, start + timedelta(days=draw(st.integers(0, max_days)))


@st.composite
def members(draw, member_id: int) -> Member:
    quals = draw(
        st.lists(
            st.builds(Qualification, st.sampled_from(SUBJECTS), st.sampled_from(list(Degree))),
            min_size=1,
            max_size=2,
        )
    )
    lat, lon = draw(coordinates)
    unavailable = ()
    if draw(st.integers(0, 4)) == 0:
        start, end = draw(periods(max_days=10))
        unavailable = (Period(start, end),)
    contracts = tuple(
        (draw(st.sampled_from(BOARDS)), HORIZON_START - timedelta(days=draw(st.integers(1, 1500))))
        for _ in range(draw(st.integers(0, 3)))
    )
    vog_choice = draw(st.integers(0, 9))
    vog = None if vog_choice == 0 else HORIZON_START - timedelta(days=draw(st.integers(10, 1400)))
    return Member(
        id=member_id,
        board_id=draw(st.sampled_from(BOARDS)),
        qualifications=tuple(quals),
        weekly_hours=draw(st.sampled_from([6.0, 8.0, 12.0, 16.0, 24.0])),
        day_parts=draw(day_part_sets(min_size=3, max_size=10)),
        latitude=lat,
        longitude=lon,
        max_travel_km=draw(st.sampled_from([10.0, 20.0, 40.0])),
        vog_date=vog,
        active=draw(st.integers(0, 14)) != 0,
        unavailable=unavailable,
        preferred_school_ids=frozenset(draw(st.lists(st.integers(100, 104), max_size=1))),
        blocked_school_ids=frozenset(draw(st.lists(st.integers(100, 104), max_size=1)))
        if draw(st.booleans())
        else frozenset(),
        contracts=contracts,
    )


@st.composite
def requests(draw, request_id: int, member_ids: list[int]) -> Request:
    start, end = draw(periods())
    lat, lon = draw(coordinates)
    levels = draw(st.lists(st.sampled_from(list(Level)), min_size=1, max_size=2, unique=True))
    return Request(
        id=request_id,
        school_id=draw(st.integers(100, 104)),
        board_id=draw(st.sampled_from(BOARDS)),
        subject=draw(st.sampled_from(SUBJECTS)),
        levels=frozenset(levels),
        start=start,
        end=end,
        hours_per_week=draw(hours),
        day_parts=draw(day_part_sets()),
        latitude=lat,
        longitude=lon,
        urgency=draw(st.integers(0, 2)),
        reason=draw(st.sampled_from(["illness", "leave", "vacancy"])),
        preferred_member_id=draw(st.one_of(st.none(), st.sampled_from(member_ids))),
        blocked_member_ids=frozenset(draw(st.lists(st.sampled_from(member_ids), max_size=1))),
        class_key=draw(st.sampled_from(["", "k1", "k2"])),
        released_board_ids=draw(st.one_of(st.none(), st.just(frozenset({1, 2})))),
    )


@st.composite
def bookings(draw, member_ids: list[int]) -> Booking:
    start, end = draw(periods(max_days=20))
    return Booking(
        member_id=draw(st.sampled_from(member_ids)),
        start=start,
        end=end,
        hours_per_week=draw(hours),
        day_parts=draw(day_part_sets(max_size=3)),
        class_key=draw(st.sampled_from(["", "k1", "k2"])),
    )


@dataclass(frozen=True)
class Instance:
    members: tuple[Member, ...]
    requests: tuple[Request, ...]
    policy: Policy
    bookings: tuple[Booking, ...]
    history: tuple[Booking, ...]


@st.composite
def instances(
    draw,
    max_members: int = 6,
    max_requests: int = 8,
    partial: bool | None = False,
    neutral_weights: bool = False,
    lenient: bool = False,
) -> Instance:
    """A small random instance. `lenient` drops most exclusions so the capacity/slot/chain logic is exercised."""
    member_count = draw(st.integers(1, max_members))
    member_ids = list(range(1, member_count + 1))
    pool = [draw(members(member_id)) for member_id in member_ids]
    if lenient:
        pool = [
            Member(
                id=m.id,
                board_id=m.board_id,
                qualifications=tuple(Qualification(s, Degree.FIRST) for s in SUBJECTS),
                weekly_hours=m.weekly_hours,
                day_parts=frozenset(ALL_PARTS) if draw(st.booleans()) else m.day_parts,
                latitude=m.latitude,
                longitude=m.longitude,
                max_travel_km=40.0,
                vog_date=HORIZON_START,
                contracts=m.contracts,
                preferred_school_ids=m.preferred_school_ids,
            )
            for m in pool
        ]
    asked = tuple(draw(requests(1000 + i, member_ids)) for i in range(draw(st.integers(1, max_requests))))
    if lenient:
        asked = tuple(
            Request(
                id=r.id,
                school_id=r.school_id,
                board_id=r.board_id,
                subject=r.subject,
                levels=r.levels,
                start=r.start,
                end=r.end,
                hours_per_week=r.hours_per_week,
                day_parts=r.day_parts,
                latitude=r.latitude,
                longitude=r.longitude,
                urgency=r.urgency,
                reason=r.reason,
                preferred_member_id=r.preferred_member_id,
                class_key=r.class_key,
            )
            for r in asked
        )
    existing = tuple(draw(st.lists(bookings(member_ids), max_size=4)))
    history = tuple(draw(st.lists(bookings(member_ids), max_size=3)))
    allow_partial = draw(st.booleans()) if partial is None else partial
    policy = Policy(
        allow_in_training=draw(st.booleans()),
        allow_partial=allow_partial,
        max_members_per_request=draw(st.integers(1, 3)),
        vog_max_age_months=draw(st.sampled_from([None, 36])),
        chain_rules={1: ChainRule(max_contracts=2, window_months=36, exempt_reasons=frozenset({"illness"}))},
        default_chain_rule=ChainRule(max_contracts=draw(st.integers(1, 3)), window_months=24),
        board_shares={1: 0.5, 2: 0.3, 3: 0.2},
        board_received_hours={1: 100.0, 2: 10.0},
        time_limit_s=30.0,
        urgency_weight=0.0 if neutral_weights else 0.5,
        earliness_weight=0.0 if neutral_weights else 0.1,
    )
    return Instance(tuple(pool), asked, policy, existing, history)


# ---------------------------------------------------------------------------------------------
# Independent invariant checker


def _occurrences(start: date, end: date, day_parts: frozenset, hours_per_week: float):
    """(date, part or None, hours) for every day-part occurrence, hours spread evenly over the day-parts."""
    day = start
    per_part = hours_per_week / len(day_parts) if day_parts else hours_per_week / 5
    while day <= end:
        weekday = day.weekday()
        if weekday < 5:
            if day_parts:
                for w, part in day_parts:
                    if w == weekday:
                        yield day, part, per_part
            else:
                yield day, None, per_part
        day += timedelta(days=1)


def violations(instance: Instance, result: AssignmentResult) -> list[str]:
    """Every broken invariant of a result (empty when the plan is sound)."""
    found = []
    policy = instance.policy
    members_by_id = {m.id: m for m in instance.members}
    requests_by_id = {r.id: r for r in instance.requests}
    per_request = defaultdict(list)
    for proposal in result.proposals:
        per_request[proposal.request_id].append(proposal)
        member = members_by_id[proposal.member_id]
        request = requests_by_id[proposal.request_id]
        check = eligibility(member, request, policy, instance.bookings)
        if not check.eligible:
            found.append(f"not eligible: {proposal} {check.exclusions}")
        if not request.day_parts <= member.day_parts:
            found.append(f"outside availability pattern: {proposal}")
        for period in member.unavailable:
            if period.start <= request.end and request.start <= period.end:
                found.append(f"during an unavailable period: {proposal}")
        if proposal.hours_per_week <= 0:
            found.append(f"zero hours: {proposal}")
    for request_id, proposals in per_request.items():
        request = requests_by_id[request_id]
        if sum(p.hours_per_week for p in proposals) > request.hours_per_week + 1e-6:
            found.append(f"request {request_id} over-filled")
        limit = policy.max_members_per_request if policy.allow_partial else 1
        if len(proposals) > limit:
            found.append(f"request {request_id} has {len(proposals)} members, at most {limit}")
        if len({p.member_id for p in proposals}) != len(proposals):
            found.append(f"request {request_id} has a member twice")

    for member in instance.members:
        week_hours = defaultdict(float)
        slot_use = defaultdict(list)
        mine = [p for p in result.proposals if p.member_id == member.id]
        if not mine:
            continue
        for booking in instance.bookings:
            if booking.member_id == member.id:
                for day, part, h in _occurrences(booking.start, booking.end, booking.day_parts, booking.hours_per_week):
                    week_hours[day.isocalendar()[:2]] += h
                    if part is not None:
                        slot_use[(day, part)].append("booking")
        proposed_weeks = set()
        for proposal in mine:
            request = requests_by_id[proposal.request_id]
            for day, part, h in _occurrences(request.start, request.end, request.day_parts, proposal.hours_per_week):
                week_hours[day.isocalendar()[:2]] += h
                proposed_weeks.add(day.isocalendar()[:2])
                if part is not None:
                    slot_use[(day, part)].append(proposal.request_id)
        for week in proposed_weeks:
            if week_hours[week] > member.weekly_hours + 1e-6:
                found.append(
                    f"member {member.id} booked {week_hours[week]:.2f} h in week {week}, max {member.weekly_hours}"
                )
        for slot, users in slot_use.items():
            if len(users) > 1 and any(user != "booking" for user in users):
                found.append(f"member {member.id} double-booked on {slot}: {users}")

        for proposal in mine:
            request = requests_by_id[proposal.request_id]
            rule = policy.chain_rule_for(request.board_id)
            if request.board_id == member.board_id or request.reason in rule.exempt_reasons:
                continue
            low = add_months(request.start, -rule.window_months)
            earlier = sum(
                1 for board, started in member.contracts if board == request.board_id and low < started <= request.start
            )
            batch = sum(
                1
                for other in mine
                if (o := requests_by_id[other.request_id]).board_id == request.board_id
                and o.reason not in rule.exempt_reasons
                and low < o.start <= request.start
            )
            if earlier + batch > rule.max_contracts:
                found.append(f"chain rule of board {request.board_id} broken for member {member.id}")
    return found
