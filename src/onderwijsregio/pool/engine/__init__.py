"""Substitute-pool engine (pure Python + numpy + scipy, no Django): who may take which request, and who should.

Public interface, for the pool app (`pool/engine_input.py` builds the dataclasses from models):

    from onderwijsregio.pool.engine import Policy, assign, eligibility, eligible_pairs, greedy_dispatch

    check = eligibility(member, request, policy, bookings)   # every failing check, with Dutch details
    screen = eligible_pairs(members, requests, policy, bookings)
    screen[request.id]                                      # eligible pairs of one request
    screen.requests[request.id].reason_counts               # why the other members were excluded
    result = assign(members, requests, policy, bookings, history)
    result.proposals, result.unfilled                       # each with a Dutch explanation
    result.method, result.status, result.bound, result.gap  # exact/heuristic, optimal/time_limit

See docs/pool-engine.md for the model, size limits and measured figures.
"""

from .assignment import assign, assign_exact, components_of, fairness_deficits
from .calendar import (
    day_part_name,
    lesson_hours,
    period_weeks,
    week_index,
    week_label,
    weekly_profile,
    working_days,
)
from .eligibility import (
    LEVELS_BY_DEGREE,
    MIN_PART_HOURS,
    BookingLedger,
    PairScreen,
    RequestScreen,
    best_degree,
    chain_status,
    covered_levels,
    eligibility,
    eligible_pairs,
    haversine_km,
)
from .explain import proposal_explanation, required_degree, subject_name, unfilled_explanation
from .greedy import greedy_dispatch
from .types import (
    AssignmentResult,
    Booking,
    ChainRule,
    DayPart,
    Degree,
    Eligibility,
    Exclusion,
    Level,
    Member,
    Period,
    Policy,
    Proposal,
    Qualification,
    Reason,
    Request,
    Unfilled,
)

__all__ = [
    "LEVELS_BY_DEGREE",
    "MIN_PART_HOURS",
    "AssignmentResult",
    "Booking",
    "BookingLedger",
    "ChainRule",
    "DayPart",
    "Degree",
    "Eligibility",
    "Exclusion",
    "Level",
    "Member",
    "PairScreen",
    "Period",
    "Policy",
    "Proposal",
    "Qualification",
    "Reason",
    "Request",
    "RequestScreen",
    "Unfilled",
    "assign",
    "assign_exact",
    "best_degree",
    "chain_status",
    "components_of",
    "covered_levels",
    "day_part_name",
    "eligibility",
    "eligible_pairs",
    "fairness_deficits",
    "greedy_dispatch",
    "haversine_km",
    "lesson_hours",
    "period_weeks",
    "proposal_explanation",
    "required_degree",
    "subject_name",
    "unfilled_explanation",
    "week_index",
    "week_label",
    "weekly_profile",
    "working_days",
]
