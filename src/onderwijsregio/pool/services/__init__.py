"""The writes of the substitute pool, one module per sub-domain; this package re-exports their public names.

Every use case is one function: atomic, validated, audited, mailing only after commit. `lifecycle` holds
the shared state transitions of requests, offers and assignments; the sub-domain modules call down into
it and never into each other. Reads live in `pool.selectors`, display texts in `pool.labels`.
"""

from __future__ import annotations

from ..errors import OfferRefused, PoolConflict, PoolError
from .assignments import assignment_cancel
from .batches import batch_confirm, batch_discard, batch_run, batch_start, proposal_remove, proposal_replace
from .hours import (
    MAX_HOURS_FACTOR,
    assignment_weeks,
    hours_acting_side,
    hours_confirm_side,
    hours_entry_confirm,
    hours_entry_confirmable,
    hours_entry_create,
    hours_entry_dispute,
    max_hours,
)
from .housekeeping import housekeeping_run, requests_close_ended, scheduled_batches_start
from .lifecycle import assignment_stop, day_parts_of, offer_withdraw, request_status_refresh
from .members import (
    MEMBER_FIELDS,
    member_availability_update,
    member_create,
    member_update,
    unavailability_add,
    unavailability_remove,
)
from .offers import offer_accept, offer_decline, offer_link_problem, offer_state_problem, offers_expire
from .requests import (
    LESSON_HOURS_PER_DAY_PART,
    RELEASE_ORDER,
    REQUEST_FIELDS,
    release_tiers_widen,
    request_cancel,
    request_create,
    request_problems,
    request_update,
)
from .settlement import (
    BoardHours,
    LineFigures,
    SettlementFigures,
    SettlementTotals,
    cents,
    distribute,
    hours_in_period,
    key_weights,
    settlement_compute,
    settlement_period_errors,
    settlement_rows,
    settlement_run_create,
    settlement_totals,
)
from .setup import POOL_POLICY_FIELDS, pool_board_remove, pool_board_save, pool_update

__all__ = [
    "BoardHours",
    "LESSON_HOURS_PER_DAY_PART",
    "LineFigures",
    "MAX_HOURS_FACTOR",
    "MEMBER_FIELDS",
    "OfferRefused",
    "POOL_POLICY_FIELDS",
    "PoolConflict",
    "PoolError",
    "RELEASE_ORDER",
    "REQUEST_FIELDS",
    "SettlementFigures",
    "SettlementTotals",
    "assignment_cancel",
    "assignment_stop",
    "assignment_weeks",
    "batch_confirm",
    "batch_discard",
    "batch_run",
    "batch_start",
    "cents",
    "day_parts_of",
    "distribute",
    "hours_entry_confirm",
    "hours_entry_create",
    "hours_entry_dispute",
    "housekeeping_run",
    "hours_acting_side",
    "hours_confirm_side",
    "hours_entry_confirmable",
    "hours_in_period",
    "key_weights",
    "max_hours",
    "member_availability_update",
    "member_create",
    "member_update",
    "offer_accept",
    "offer_decline",
    "offer_state_problem",
    "offer_withdraw",
    "offer_link_problem",
    "offers_expire",
    "pool_board_remove",
    "pool_board_save",
    "pool_update",
    "proposal_remove",
    "proposal_replace",
    "release_tiers_widen",
    "request_cancel",
    "request_create",
    "request_problems",
    "request_status_refresh",
    "request_update",
    "scheduled_batches_start",
    "requests_close_ended",
    "settlement_compute",
    "settlement_period_errors",
    "settlement_rows",
    "settlement_run_create",
    "settlement_totals",
    "unavailability_add",
    "unavailability_remove",
]
