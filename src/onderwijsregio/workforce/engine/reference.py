"""Brute-force reference: the stock-and-flow model simulated year by year over full cell arrays, one run at
a time. Slow and plain on purpose; the tests check the fast engine (`model.py`) against it, and it is the
most direct reading of the method in docs/workforce-model.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arrays import NO_EXIT, StaffArrays
from .rates import N_AGES, more_hours, outflow_by_age, outflow_by_tenure, retirement_hazard
from .types import AGE_MAX, AGE_MIN, Assumptions, PupilProjection, Scenario


@dataclass(frozen=True, eq=False)
class RunResult:
    """One run's path per group: (G, Y) arrays."""

    headcount: np.ndarray
    supply_fte: np.ndarray
    demand_fte: np.ndarray
    retirements: np.ndarray
    other_outflow: np.ndarray
    inflow: np.ndarray


def simulate(
    staff: StaffArrays,
    pupils: PupilProjection,
    assumptions: Assumptions,
    scenario: Scenario,
    *,
    horizon: int,
    outflow_multiplier: float = 1.0,
    inflow_multiplier: float = 1.0,
    pupil_path: np.ndarray | None = None,
    absence_shift: float = 0.0,
) -> RunResult:
    """Simulate one run: stock[g, age, tenure] moved through the years, people with a planned exit one by one."""
    from .model import pupil_ratios  # the demand inputs are shared; only the dynamics are re-implemented here

    base = assumptions.base_year
    years = list(range(base, base + horizon + 1))
    n_years, n_groups = len(years), len(staff.groups)
    hazard = retirement_hazard(assumptions, years)
    rate_age = outflow_by_age(assumptions)
    rate_tenure = outflow_by_tenure(assumptions)
    n_tenure = len(rate_tenure)
    out_rate = np.minimum(1.0, outflow_multiplier * (rate_age[:, None] + rate_tenure[None, :]))  # (A, T)

    age = np.clip(base - staff.birth_year, AGE_MIN, AGE_MAX) - AGE_MIN
    tenure = np.clip(base - staff.start_year_board, 0, n_tenure - 1)
    planned = staff.planned_exit_year != NO_EXIT
    heads = np.zeros((n_groups, N_AGES, n_tenure))
    fte = np.zeros((n_groups, N_AGES, n_tenure))
    stay = ~planned
    np.add.at(heads, (staff.group[stay], age[stay], tenure[stay]), 1.0)
    # Cells carry the fte each person works from year 1 on ("more hours" lever); year 0 reports the snapshot.
    np.add.at(fte, (staff.group[stay], age[stay], tenure[stay]), more_hours(staff.fte[stay], scenario))

    base_fte = np.bincount(staff.group, weights=staff.fte, minlength=n_groups)
    base_heads = np.bincount(staff.group, minlength=n_groups)
    new_heads_fte = assumptions.new_staff_fte
    entry = np.zeros((n_groups, N_AGES))
    entry[:, assumptions.graduate_age - AGE_MIN] += assumptions.graduate_inflow_rate * base_fte / new_heads_fte
    for g in range(n_groups):
        ages_g = age[staff.group == g]
        for a in ages_g:
            entry[g, a] += assumptions.mobility_inflow_rate * base_fte[g] / new_heads_fte / base_heads[g]
    teaching = [g for g, key in enumerate(staff.groups) if key.function == "teaching"]
    teaching_fte = sum(base_fte[g] for g in teaching)
    side = assumptions.side_entrants_per_year + scenario.extra_side_entrants_per_year
    for g in teaching:
        entry[g, assumptions.side_entrant_age - AGE_MIN] += side * base_fte[g] / teaching_fte
    entry *= inflow_multiplier
    new_fte = float(more_hours(assumptions.new_staff_fte, scenario))

    result = {name: np.zeros((n_groups, n_years)) for name in RunResult.__dataclass_fields__}
    # People with a planned exit, one by one: retirement rule, no other outflow, gone after the planned year.
    people = np.flatnonzero(planned)
    alive = {int(i): 1.0 for i in people}
    for t in range(n_years):
        result["headcount"][:, t] = heads.sum(axis=(1, 2))
        result["supply_fte"][:, t] = fte.sum(axis=(1, 2))
        h = hazard[t][None, :, None]
        retired = heads * h
        left = (heads - retired) * out_rate[None]
        share = 1.0 - h - (1.0 - h) * out_rate[None]
        result["retirements"][:, t] = retired.sum(axis=(1, 2))
        result["other_outflow"][:, t] = left.sum(axis=(1, 2))
        result["inflow"][:, t] = entry.sum(axis=1)
        for i in people.tolist():
            g = staff.group[i]
            person_fte = staff.fte[i] if t == 0 else float(more_hours(staff.fte[i], scenario))
            result["headcount"][g, t] += alive[i]
            result["supply_fte"][g, t] += alive[i] * person_fte
            hz = hazard[t, min(age[i] + t, N_AGES - 1)]
            gone = alive[i] * hz
            result["retirements"][g, t] += gone
            if max(staff.planned_exit_year[i] - base, 0) == t:
                result["other_outflow"][g, t] += alive[i] - gone
                alive[i] = 0.0
            else:
                alive[i] -= gone
        # Survivors age one year and gain one year of tenure; new staff join at tenure 0.
        surviving_heads = heads * share
        surviving_fte = fte * share
        heads = np.zeros_like(heads)
        fte = np.zeros_like(fte)
        for k in range(n_tenure):
            k_next = min(k + 1, n_tenure - 1)
            heads[:, 1:, k_next] += surviving_heads[:, :-1, k]
            fte[:, 1:, k_next] += surviving_fte[:, :-1, k]
        heads[:, :, 0] += entry
        fte[:, :, 0] += entry * new_fte

    ratio = pupil_ratios(pupils, np.array([key.board_id for key in staff.groups], dtype=np.int64), years)
    result["demand_fte"] = _demand(staff, base_fte, ratio, assumptions, scenario, n_years, pupil_path, absence_shift)
    result["supply_fte"][:, 0] = base_fte
    return RunResult(**result)


def _demand(staff, base_fte, ratio, assumptions, scenario, n_years, pupil_path, absence_shift):
    n_groups = len(staff.groups)
    demand = np.zeros((n_groups, n_years))
    absence = np.zeros(n_groups)
    for g in range(n_groups):
        values = staff.absence_pct[(staff.group == g) & ~np.isnan(staff.absence_pct)]
        absence[g] = values.mean() if len(values) else assumptions.absence_pct
    for t in range(n_years):
        ahead = t >= 1
        pupils = 1.0 if pupil_path is None else float(pupil_path[t])
        formation = base_fte * ratio[:, t] * pupils * ((1.0 + scenario.pupil_change_pct / 100.0) if ahead else 1.0)
        level = absence + ((scenario.absence_delta_points + absence_shift) if ahead else 0.0)
        replacement = formation * np.maximum(level, 0.0) / 100.0
        pool = scenario.pool_coverage_fte if ahead else 0.0
        covered = min(1.0, pool / replacement.sum()) if replacement.sum() > 0 else 0.0
        demand[:, t] = formation * (1 + assumptions.hidden_shortage_pct / 100.0) + replacement * (1.0 - covered)
    return demand
