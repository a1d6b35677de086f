"""The yearly rates of the stock-and-flow model as arrays: retirement hazard by age and year, other outflow
by age and by tenure, the "more hours" lever and the Monte Carlo draws.

Shared by the fast engine (`model.py`) and the brute-force reference simulation (`reference.py`), so both
work from the same rates and differ only in how they move people through the years.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .types import AGE_MAX, AGE_MIN, Assumptions, Scenario

N_AGES = AGE_MAX - AGE_MIN + 1
AGES = np.arange(AGE_MIN, AGE_MAX + 1)


def pension_age(table: Mapping[int, float], year: int) -> float:
    """The state pension age for a calendar year: the nearest earlier year of the table, else its first entry."""
    if not table:
        raise ValueError("the pension age table is empty")
    earlier = [y for y in table if y <= year]
    return float(table[max(earlier)] if earlier else table[min(table)])


def retirement_hazard(assumptions: Assumptions, years: Sequence[int]) -> np.ndarray:
    """Share of the people of each age (at their birthday in that year) still present at the start of a year
    who retire during it: shape (len(years), N_AGES).

    Birthdays are spread evenly over the year. Someone born in year b reaches the pension age P during the
    year b + P, so of an age cohort a = y - b the share clip(a + 1 - P(y), 0, 1) has reached it by the end
    of year y and clip(a - P(y - 1), 0, 1) by the end of the year before. The hazard is the part of the
    cohort that reaches it this year, divided by the part still present: with P = 67.25, a cohort aged 67
    loses 75% and the remaining 25% retire the next year (at 68). Whoever has reached P(y) by the end of y
    is gone; nobody leaves before reaching it. At AGE_MAX everyone leaves (counted as retirement).
    """
    ages = AGES.astype(np.float64)
    hazard = np.empty((len(years), N_AGES))
    for i, year in enumerate(years):
        reached_before = np.clip(ages - pension_age(assumptions.pension_age, year - 1), 0.0, 1.0)
        reached_by_end = np.maximum(
            np.clip(ages + 1.0 - pension_age(assumptions.pension_age, year), 0.0, 1.0), reached_before
        )
        remaining = 1.0 - reached_before
        safe = np.where(remaining > 0.0, remaining, 1.0)
        hazard[i] = np.where(remaining > 0.0, (reached_by_end - reached_before) / safe, 1.0)
        hazard[i, -1] = 1.0
    return hazard


def outflow_by_age(assumptions: Assumptions) -> np.ndarray:
    """Other-outflow rate per age (N_AGES,); ages outside every band have rate 0, a later band wins."""
    rates = np.zeros(N_AGES)
    for age_from, age_to, rate in assumptions.outflow_by_age:
        _check_rate(rate, "outflow_by_age")
        lo, hi = max(age_from, AGE_MIN), min(age_to, AGE_MAX)
        if lo <= hi:
            rates[lo - AGE_MIN : hi - AGE_MIN + 1] = rate
    return rates


def outflow_by_tenure(assumptions: Assumptions) -> np.ndarray:
    """Extra starter outflow per tenure band; the last band is "n+" with rate 0.

    Trailing zeros of the table are dropped, then there are max(4, len + 1) bands: with the default
    table (0.20, 0.03, 0.02, 0.0) the bands are 0, 1, 2 and 3+.
    """
    table = list(assumptions.starter_outflow_by_tenure)
    for rate in table:
        _check_rate(rate, "starter_outflow_by_tenure")
    while table and table[-1] == 0.0:
        table.pop()
    rates = np.zeros(max(4, len(table) + 1))
    rates[: len(table)] = table
    return rates


def more_hours(fte: np.ndarray | float, scenario: Scenario) -> np.ndarray:
    """Expected fte with the "more hours" lever: a share of the part-timers adds more_hours_fte, capped at 1.0.

    Expected value per person: fte + share * min(more_hours_fte, 1 - fte) for fte < 1, unchanged otherwise.
    """
    fte = np.asarray(fte, dtype=np.float64)
    room = np.clip(1.0 - fte, 0.0, None)
    return fte + scenario.more_hours_share * np.minimum(scenario.more_hours_fte, room)


def _check_rate(rate: float, name: str) -> None:
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"{name}: rate {rate} is not between 0 and 1")


def check_inputs(assumptions: Assumptions, scenario: Scenario, horizon: int, runs: int) -> None:
    """Reject inputs the model cannot give a meaning to (programming errors of the caller)."""
    if horizon < 1:
        raise ValueError("horizon must be at least 1 year")
    if runs < 1:
        raise ValueError("runs must be at least 1")
    for name in ("graduate_inflow_rate", "mobility_inflow_rate", "side_entrants_per_year", "absence_pct"):
        if getattr(assumptions, name) < 0:
            raise ValueError(f"{name} must not be negative")
    for name in ("outflow_sd", "inflow_sd", "pupils_sd_per_year", "absence_sd_points", "hidden_shortage_pct"):
        if getattr(assumptions, name) < 0:
            raise ValueError(f"{name} must not be negative")
    if not 0.0 < assumptions.new_staff_fte <= 1.0:
        raise ValueError("new_staff_fte must be above 0 and at most 1")
    for name in ("graduate_age", "side_entrant_age"):
        if not AGE_MIN <= getattr(assumptions, name) <= AGE_MAX:
            raise ValueError(f"{name} must lie between {AGE_MIN} and {AGE_MAX}")
    if not 0.0 <= scenario.more_hours_share <= 1.0:
        raise ValueError("more_hours_share must be between 0 and 1")
    if scenario.more_hours_fte < 0 or scenario.pool_coverage_fte < 0 or scenario.extra_side_entrants_per_year < 0:
        raise ValueError("more_hours_fte, pool_coverage_fte and extra_side_entrants_per_year must not be negative")
    if scenario.pupil_change_pct <= -100:
        raise ValueError("pupil_change_pct must be above -100")


@dataclass(frozen=True)
class Draws:
    """The multipliers of the Monte Carlo runs (all lognormal with median 1, so run medians follow the
    expected path): other outflow and inflow one factor per run; pupils a cumulative path per run
    (log random walk, sd pupils_sd_per_year * sqrt(t)); absence an additive shift in percentage points.
    The base year (column 0) is the snapshot and is not varied."""

    outflow: np.ndarray  # (R,)
    inflow: np.ndarray  # (R,)
    pupils: np.ndarray  # (R, Y), column 0 is 1
    absence: np.ndarray  # (R,) percentage points


def draw_multipliers(assumptions: Assumptions, *, runs: int, horizon: int, seed: int) -> Draws:
    """Draw the run multipliers from numpy's default Generator in a fixed order (same seed, same draws)."""
    rng = np.random.default_rng(seed)
    outflow = np.exp(rng.normal(0.0, assumptions.outflow_sd, runs))
    inflow = np.exp(rng.normal(0.0, assumptions.inflow_sd, runs))
    steps = rng.normal(0.0, assumptions.pupils_sd_per_year, (runs, horizon))
    pupils = np.exp(np.concatenate([np.zeros((runs, 1)), np.cumsum(steps, axis=1)], axis=1))
    absence = rng.normal(0.0, assumptions.absence_sd_points, runs)
    return Draws(outflow=outflow, inflow=inflow, pupils=pupils, absence=absence)
