"""Settlement between the boards of a pool: who received and supplied which hours, and who owes what.

The arithmetic is a pure function over plain rows (`settlement_compute`), so it can be property-tested
without a database; `settlement_run_create` gathers the rows (hours per receiving and supplying board,
the key weights), runs the arithmetic and freezes the outcome as a SettlementRun with one
SettlementLine per board.

The model of the settlement:
- every hour worked in the period costs the supplying board its payroll rate; the pool as a whole
  therefore costs `total hours × payroll rate`;
- each board contributes to that total by its share of the contribution key (pupils, fte or hours
  used); what it supplied is credited at the payroll rate; the balance is what it pays (positive) or
  receives (negative);
- the savings are what the hours a board received would have cost through an agency, minus their
  payroll cost.

Money is Decimal and rounded to cents. Amounts that must add up to a total (the value supplied and the
contributions, both summing to the pool's payroll cost) are distributed with the largest-remainder
method, so the balances of a run add up to exactly zero.

A week's hours count in the period in which its Monday falls.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from onderwijsregio.core.errors import actor_or_none
from onderwijsregio.core.services import audit_record
from onderwijsregio.organisations.selectors import region_school_locations, with_latest_pupils

from .. import audit
from ..errors import PoolError
from ..models import ContributionKey, HoursEntry, Pool, SettlementLine, SettlementRun

CENT = Decimal("0.01")
SHARE_PLACES = Decimal("0.000001")
ZERO = Decimal("0")
# A settlement covers at most this many days: longer periods are almost certainly a typing error.
MAX_PERIOD_DAYS = 3 * 366


def cents(*, value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class BoardHours:
    """One board's input: hours its schools received, hours its members supplied, its key weight."""

    board_id: int
    hours_received: Decimal
    hours_supplied: Decimal
    key_weight: Decimal  # pupils, fte or hours used: only its proportion to the others matters


@dataclass(frozen=True)
class LineFigures:
    board_id: int
    hours_received: Decimal
    hours_supplied: Decimal
    cost_received: Decimal
    agency_cost_avoided: Decimal
    savings: Decimal
    key_share: Decimal
    contribution_due: Decimal
    value_supplied: Decimal
    balance: Decimal


@dataclass(frozen=True)
class SettlementFigures:
    lines: list[LineFigures]
    total_hours: Decimal
    total_payroll_cost: Decimal
    equal_shares: bool  # the key had no weight at all, so every board got the same share


def distribute(*, total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split `total` (in cents) in proportion to `weights`, so the parts add up to `total` exactly.

    Largest remainder: every part is rounded down to the cent, and the cents left over go to the
    parts with the largest remainders (ties to the earlier part, so the outcome is deterministic).
    Each part differs less than a cent from its exact value.
    """
    total = cents(value=total)
    weight_sum = sum(weights, ZERO)
    if not weights:
        return []
    if weight_sum <= 0:
        raise ValueError("weights must have a positive sum")
    total_cents = int(total / CENT)
    exact = [Decimal(total_cents) * weight / weight_sum for weight in weights]
    floors = [int(value // 1) for value in exact]
    left = total_cents - sum(floors)
    order = sorted(range(len(weights)), key=lambda index: (-(exact[index] - floors[index]), index))
    for index in order[:left]:
        floors[index] += 1
    return [Decimal(value) * CENT for value in floors]


def settlement_compute(
    *, boards: Sequence[BoardHours], payroll_rate: Decimal, agency_rate: Decimal
) -> SettlementFigures:
    """The settlement lines for the given boards (pure: no database, no rounding surprises).

    The total payroll cost is the pool's hours (the hours supplied, which are the same hours as those
    received) at the payroll rate. Boards whose key weights are all zero (no pupil counts known, no
    fte entered) share equally, and the result says so.
    """
    total_hours = sum((board.hours_supplied for board in boards), ZERO)
    total_cost = cents(value=total_hours * payroll_rate)
    weights = [max(board.key_weight, ZERO) for board in boards]
    equal_shares = sum(weights, ZERO) <= 0
    if equal_shares:
        weights = [Decimal(1)] * len(boards)
    weight_sum = sum(weights, ZERO)
    if boards:
        values_supplied = (
            distribute(total=total_cost, weights=[board.hours_supplied for board in boards])
            if total_hours > 0
            else [ZERO] * len(boards)
        )
        contributions = distribute(total=total_cost, weights=weights)
    else:
        values_supplied, contributions = [], []
    lines = []
    for board, weight, value_supplied, contribution in zip(
        boards, weights, values_supplied, contributions, strict=True
    ):
        cost = cents(value=board.hours_received * payroll_rate)
        agency = cents(value=board.hours_received * agency_rate)
        lines.append(
            LineFigures(
                board_id=board.board_id,
                hours_received=board.hours_received,
                hours_supplied=board.hours_supplied,
                cost_received=cost,
                agency_cost_avoided=agency,
                savings=agency - cost,
                key_share=(weight / weight_sum).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP),
                contribution_due=contribution,
                value_supplied=value_supplied,
                balance=contribution - value_supplied,
            )
        )
    return SettlementFigures(
        lines=lines, total_hours=total_hours, total_payroll_cost=total_cost, equal_shares=equal_shares
    )


# --- Gathering the rows ------------------------------------------------------------------------


def hours_in_period(
    *, pool: Pool, period_start: date, period_end: date, only_confirmed_hours: bool = True
) -> QuerySet[HoursEntry]:
    """The hours entries that count for a period: confirmed ones, or all that are not disputed."""
    entries = HoursEntry.objects.filter(
        assignment__request__pool=pool, week_start__gte=period_start, week_start__lte=period_end
    )
    if only_confirmed_hours:
        return entries.filter(status=HoursEntry.Status.CONFIRMED)
    return entries.exclude(status=HoursEntry.Status.DISPUTED)


def pupils_per_board(*, pool: Pool, board_ids: Sequence[int]) -> dict[int, Decimal]:
    """Latest pupil count of each board's school locations in the pool's region ("<5" counts as 0)."""
    locations = with_latest_pupils(locations=region_school_locations(region=pool.region).filter(board_id__in=board_ids))
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for board_id, count in locations.values_list("board_id", "latest_count"):
        totals[board_id] += Decimal(count or 0)
    return dict(totals)


def key_weights(
    *, pool: Pool, board_ids: Sequence[int], hours_received: dict[int, Decimal], key: str
) -> dict[int, Decimal]:
    """Each board's weight under the contribution key (only the proportions matter)."""
    if key == ContributionKey.PER_PUPIL:
        pupils = pupils_per_board(pool=pool, board_ids=board_ids)
        return {board_id: pupils.get(board_id, ZERO) for board_id in board_ids}
    if key == ContributionKey.PER_FTE:
        fte = dict(pool.participants.filter(board_id__in=board_ids).values_list("board_id", "contribution_fte"))
        return {board_id: fte.get(board_id) or ZERO for board_id in board_ids}
    return {board_id: hours_received.get(board_id, ZERO) for board_id in board_ids}


def settlement_rows(
    *, pool: Pool, period_start: date, period_end: date, only_confirmed_hours: bool = True, key: str | None = None
) -> list[BoardHours]:
    """The input rows: every participating board, plus any employer whose members supplied hours.

    Two grouped queries for the hours, one for the key: the number of entries does not matter.
    """
    entries = hours_in_period(
        pool=pool, period_start=period_start, period_end=period_end, only_confirmed_hours=only_confirmed_hours
    )
    received = {
        row["assignment__request__board_id"]: row["hours"] or ZERO
        for row in entries.order_by().values("assignment__request__board_id").annotate(hours=Sum("hours"))
    }
    supplied = {
        row["assignment__member__employer_id"]: row["hours"] or ZERO
        for row in entries.order_by().values("assignment__member__employer_id").annotate(hours=Sum("hours"))
    }
    participants = list(pool.participants.values_list("board_id", flat=True))
    board_ids = sorted(set(participants) | set(received) | set(supplied))
    weights = key_weights(pool=pool, board_ids=board_ids, hours_received=received, key=key or pool.contribution_key)
    return [
        BoardHours(
            board_id=board_id,
            hours_received=received.get(board_id, ZERO),
            hours_supplied=supplied.get(board_id, ZERO),
            key_weight=weights.get(board_id, ZERO),
        )
        for board_id in board_ids
    ]


def settlement_period_errors(*, period_start: date | None, period_end: date | None) -> dict[str, str]:
    """Field errors of a settlement period, in Dutch; empty when the period is fine."""
    errors: dict[str, str] = {}
    if period_start is None:
        errors["period_start"] = _("Vul de eerste dag van de periode in.")
    if period_end is None:
        errors["period_end"] = _("Vul de laatste dag van de periode in.")
    if errors:
        return errors
    if period_end < period_start:
        errors["period_end"] = _("De laatste dag ligt vóór de eerste dag van de periode.")
    elif (period_end - period_start).days > MAX_PERIOD_DAYS:
        errors["period_end"] = _("Een afrekening beslaat hoogstens drie jaar. Kies een kortere periode.")
    return errors


@transaction.atomic
def settlement_run_create(
    *, pool: Pool, period_start: date, period_end: date, actor: Any, only_confirmed_hours: bool = True
) -> SettlementRun:
    """Freeze a settlement for a period at the pool's current rates and key."""
    errors = settlement_period_errors(period_start=period_start, period_end=period_end)
    if errors:
        raise PoolError(errors, code="period_invalid")
    rows = settlement_rows(
        pool=pool, period_start=period_start, period_end=period_end, only_confirmed_hours=only_confirmed_hours
    )
    figures = settlement_compute(boards=rows, payroll_rate=pool.payroll_rate, agency_rate=pool.agency_rate)
    run = SettlementRun(
        pool=pool,
        period_start=period_start,
        period_end=period_end,
        payroll_rate=pool.payroll_rate,
        agency_rate=pool.agency_rate,
        contribution_key=pool.contribution_key,
        only_confirmed_hours=only_confirmed_hours,
        created_by=actor_or_none(actor),
    )
    run.full_clean()
    run.save()
    lines = [
        SettlementLine(
            run=run,
            board_id=line.board_id,
            hours_received=line.hours_received,
            hours_supplied=line.hours_supplied,
            cost_received=line.cost_received,
            agency_cost_avoided=line.agency_cost_avoided,
            savings=line.savings,
            key_share=line.key_share,
            contribution_due=line.contribution_due,
            value_supplied=line.value_supplied,
            balance=line.balance,
        )
        for line in figures.lines
    ]
    SettlementLine.objects.bulk_create(lines)
    audit_record(
        actor=actor,
        action=audit.SETTLEMENT_CREATED,
        obj=run,
        organisation_id=pool.region_id,
        details={
            "period": [period_start.isoformat(), period_end.isoformat()],
            "boards": len(lines),
            "hours": str(figures.total_hours),
            "payroll_cost": str(figures.total_payroll_cost),
            "only_confirmed_hours": only_confirmed_hours,
            "equal_shares": figures.equal_shares,
        },
    )
    return run


@dataclass
class SettlementTotals:
    hours_received: Decimal = ZERO
    hours_supplied: Decimal = ZERO
    cost_received: Decimal = ZERO
    agency_cost_avoided: Decimal = ZERO
    savings: Decimal = ZERO
    key_share: Decimal = ZERO
    contribution_due: Decimal = ZERO
    value_supplied: Decimal = ZERO
    balance: Decimal = ZERO


TOTAL_FIELDS = (
    "hours_received",
    "hours_supplied",
    "cost_received",
    "agency_cost_avoided",
    "savings",
    "key_share",
    "contribution_due",
    "value_supplied",
    "balance",
)


def settlement_totals(*, lines: Sequence[SettlementLine]) -> SettlementTotals:
    totals = SettlementTotals()
    for line in lines:
        for name in TOTAL_FIELDS:
            setattr(totals, name, getattr(totals, name) + getattr(line, name))
    return totals


__all__ = [
    "BoardHours",
    "LineFigures",
    "SettlementFigures",
    "SettlementTotals",
    "cents",
    "distribute",
    "hours_in_period",
    "key_weights",
    "settlement_compute",
    "settlement_period_errors",
    "settlement_rows",
    "settlement_run_create",
    "settlement_totals",
]
