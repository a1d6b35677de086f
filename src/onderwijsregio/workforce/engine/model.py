"""The workforce forecast: a yearly stock-and-flow model per group x age x tenure, with Monte Carlo bands.

Method (docs/workforce-model.md has every formula and a worked example):

- All rates are the same for every group, so the model is linear in the people: the expected future of
  one person depends only on the cell (age, tenure band) it starts in. We compute, once per year and
  cell, the share still present (a *kernel*), and get a group's path as the sum of its people's kernel
  rows (an aggregate's as `cells (K x A*T) @ kernel (A*T x Y)`). New staff enter as cohorts with their own kernels. This is exactly
  the year-by-year cell simulation (`reference.py`), only rearranged.
- Monte Carlo: supply depends on the runs only through the outflow multiplier m_out (a polynomial of
  degree <= horizon in it) and linearly on the inflow multiplier. We evaluate the aggregate supply at
  horizon + 1 Chebyshev nodes of m_out and interpolate each run exactly (barycentric formula). Demand
  is closed-form per run from a few aggregate sums. Bands are percentiles of the per-run aggregates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .arrays import NO_EXIT, StaffArrays
from .rates import (
    N_AGES,
    Draws,
    check_inputs,
    draw_multipliers,
    more_hours,
    outflow_by_age,
    outflow_by_tenure,
    retirement_hazard,
)
from .types import AGE_MAX, AGE_MIN, FUNCTIONS, Assumptions, Bands, Forecast, PupilProjection, Scenario, StaffRecord

PERCENTILES = (10.0, 50.0, 90.0)
AGGREGATES = ("total", "board", "subject", "function")
_KEY_CHUNK = 128  # keys per block when computing per-run aggregates (bounds memory: runs x chunk x years)

Progress = Callable[[int, int], None]


@dataclass(frozen=True, eq=False)
class Prepared:
    """Everything of a forecast that does not depend on the Monte Carlo multipliers."""

    years: tuple[int, ...]
    staff: StaffArrays
    hazard: np.ndarray  # (Y, A) retirement hazard
    outflow_age: np.ndarray  # (A,)
    outflow_tenure: np.ndarray  # (T,)
    stay_group: np.ndarray  # (S,) group of each person without a planned exit
    stay_cell: np.ndarray  # (S,) their starting cell: age index x T + tenure band
    stay_fte: np.ndarray  # (S,) their fte from the first year ahead (scenario "more hours" applied)
    base_heads: np.ndarray  # (G,) heads in the snapshot
    base_fte: np.ndarray  # (G,) fte in the snapshot
    entry: np.ndarray  # (G, A) new heads per year by age of entry (multiplier 1)
    new_fte: float  # fte of a new head from the first year ahead
    planned_heads: np.ndarray  # (G, Y) people with a planned exit
    planned_fte: np.ndarray  # (G, Y)
    planned_retirements: np.ndarray  # (G, Y)
    planned_other: np.ndarray  # (G, Y)
    core: np.ndarray  # (G, Y) formation: base fte x pupil ratio (x scenario pupil change from year 1)
    absence: np.ndarray  # (G, Y) absence % before clipping at 0 (scenario delta from year 1)
    pool: np.ndarray  # (Y,) fte of absence replacement covered by the pool
    hidden_pct: float

    @property
    def n_tenure(self) -> int:
        return len(self.outflow_tenure)

    @property
    def horizon(self) -> int:
        return len(self.years) - 1

    def cells_by_key(self, key_index: np.ndarray, n_keys: int, *, fte: bool) -> np.ndarray:
        """Heads (or fte from year 1) of the people without a planned exit by key and starting cell: (K, A*T)."""
        n_cells = N_AGES * self.n_tenure
        key = key_index[self.stay_group]
        kept = key >= 0
        flat = key[kept] * n_cells + self.stay_cell[kept]
        weights = self.stay_fte[kept] if fte else None
        return (
            np.bincount(flat, weights=weights, minlength=n_keys * n_cells).astype(np.float64).reshape(n_keys, n_cells)
        )

    def per_group(self, kernel: np.ndarray, *, fte: bool) -> np.ndarray:
        """Sum of a (A*T, Y) kernel over each group's people without a planned exit: (G, Y)."""
        n_groups = len(self.staff.groups)
        weights = self.stay_fte if fte else None
        out = np.empty((n_groups, kernel.shape[1]))
        for t in range(kernel.shape[1]):
            values = kernel[self.stay_cell, t] if weights is None else kernel[self.stay_cell, t] * weights
            out[:, t] = np.bincount(self.stay_group, weights=values, minlength=n_groups)
        return out


def prepare(
    staff: StaffArrays, pupils: PupilProjection, assumptions: Assumptions, scenario: Scenario, horizon: int
) -> Prepared:
    """Bin the people into cells and compute inflow, planned exits and demand inputs (no multipliers yet)."""
    base = assumptions.base_year
    years = tuple(range(base, base + horizon + 1))
    n_groups, n_years = len(staff.groups), len(years)
    outflow_tenure = outflow_by_tenure(assumptions)
    n_tenure = len(outflow_tenure)
    hazard = retirement_hazard(assumptions, years)

    age = np.clip(base - staff.birth_year, AGE_MIN, AGE_MAX) - AGE_MIN
    tenure = np.clip(base - staff.start_year_board, 0, n_tenure - 1)
    fte_ahead = more_hours(staff.fte, scenario)
    planned = staff.planned_exit_year != NO_EXIT
    stay = ~planned

    base_heads = np.bincount(staff.group, minlength=n_groups).astype(np.float64)
    base_fte = np.bincount(staff.group, weights=staff.fte, minlength=n_groups)

    # Inflow in heads per year: rates are shares of the group's base fte, a new head works new_staff_fte.
    ages_by_group = np.bincount(staff.group * N_AGES + age, minlength=n_groups * N_AGES).reshape(n_groups, N_AGES)
    age_share = ages_by_group / np.maximum(base_heads, 1.0)[:, None]
    entry = np.zeros((n_groups, N_AGES))
    entry[:, assumptions.graduate_age - AGE_MIN] += (
        assumptions.graduate_inflow_rate * base_fte / assumptions.new_staff_fte
    )
    entry += (assumptions.mobility_inflow_rate * base_fte / assumptions.new_staff_fte)[:, None] * age_share
    teaching = np.array([key.function == "teaching" for key in staff.groups], dtype=bool)
    teaching_fte = base_fte[teaching].sum()
    side_heads = assumptions.side_entrants_per_year + scenario.extra_side_entrants_per_year
    if teaching_fte > 0:
        entry[teaching, assumptions.side_entrant_age - AGE_MIN] += side_heads * base_fte[teaching] / teaching_fte

    planned_paths = _planned_paths(staff, planned, age, fte_ahead, hazard, base, n_groups)

    # Demand inputs.
    boards = np.array([key.board_id for key in staff.groups], dtype=np.int64)
    ratio = pupil_ratios(pupils, boards, years)
    ahead = np.arange(n_years) >= 1
    core = base_fte[:, None] * ratio * np.where(ahead, 1.0 + scenario.pupil_change_pct / 100.0, 1.0)[None, :]
    supplied = ~np.isnan(staff.absence_pct)
    count = np.bincount(staff.group[supplied], minlength=n_groups)
    total = np.bincount(staff.group[supplied], weights=staff.absence_pct[supplied], minlength=n_groups)
    group_absence = np.where(count > 0, total / np.maximum(count, 1), assumptions.absence_pct)
    absence = group_absence[:, None] + np.where(ahead, scenario.absence_delta_points, 0.0)[None, :]
    pool = np.where(ahead, scenario.pool_coverage_fte, 0.0)

    return Prepared(
        years=years,
        staff=staff,
        hazard=hazard,
        outflow_age=outflow_by_age(assumptions),
        outflow_tenure=outflow_tenure,
        stay_group=staff.group[stay],
        stay_cell=age[stay] * n_tenure + tenure[stay],
        stay_fte=fte_ahead[stay],
        base_heads=base_heads,
        base_fte=base_fte,
        entry=entry,
        new_fte=float(more_hours(assumptions.new_staff_fte, scenario)),
        planned_heads=planned_paths[0],
        planned_fte=planned_paths[1],
        planned_retirements=planned_paths[2],
        planned_other=planned_paths[3],
        core=core,
        absence=absence,
        pool=pool,
        hidden_pct=assumptions.hidden_shortage_pct,
    )


def pupil_ratios(pupils: PupilProjection, boards: np.ndarray, years: Sequence[int]) -> np.ndarray:
    """pupils(board, year) / pupils(board, base year) per group's board: (len(boards), Y).

    A year missing from a board's projection takes the nearest earlier year; a board without a
    projection, or without a positive base-year figure, keeps ratio 1 (constant demand)."""
    base = years[0]
    by_board = {}
    for board in np.unique(boards).tolist():
        projection = pupils.by_board.get(board) or {}
        row = np.ones(len(years))
        if projection.get(base, 0) and projection[base] > 0:
            known = sorted(projection)
            for i, year in enumerate(years):
                earlier = [y for y in known if y <= year]
                row[i] = projection[earlier[-1]] / projection[base] if earlier else 1.0
        by_board[board] = row
    if not len(boards):
        return np.ones((0, len(years)))
    return np.stack([by_board[b] for b in boards.tolist()])


def _planned_paths(staff, planned, age, fte_ahead, hazard, base, n_groups):
    """Expected paths of people with a planned exit: they retire on the pension rule, are not subject to
    other outflow, and whoever is left leaves at the end of the planned year (other outflow).
    A planned year before the base year counts as the base year."""
    n_years = hazard.shape[0]
    shape = (n_groups, n_years)
    heads, fte, retired, other = (np.zeros(shape) for _ in range(4))
    if not planned.any():
        return heads, fte, retired, other
    group = staff.group[planned]
    person_age = age[planned]
    exit_index = np.maximum(staff.planned_exit_year[planned] - base, 0)
    alive = np.ones(len(group))
    for t in range(n_years):
        h = hazard[t, np.minimum(person_age + t, N_AGES - 1)]
        leaving_now = exit_index == t
        ret = alive * h
        rest = np.where(leaving_now, alive - ret, 0.0)
        person_fte = staff.fte[planned] if t == 0 else fte_ahead[planned]
        heads[:, t] = np.bincount(group, weights=alive, minlength=n_groups)
        fte[:, t] = np.bincount(group, weights=alive * person_fte, minlength=n_groups)
        retired[:, t] = np.bincount(group, weights=ret, minlength=n_groups)
        other[:, t] = np.bincount(group, weights=rest, minlength=n_groups)
        alive = alive - ret - rest
    return heads, fte, retired, other


def stock_kernels(prep: Prepared, m_out: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each outflow multiplier and starting cell (age, tenure) in the base year: expected share present
    at the start of each year, retiring during it, leaving otherwise during it. Each (M, A*T, Y).

    A person starting at (a, k) is at (a + t, min(k + t, T - 1)) in year t; per year first retirement
    (hazard h), then other outflow min(1, m * (rate_age + rate_tenure)) of those not retiring."""
    m = np.asarray(m_out, dtype=np.float64)
    n_years, n_tenure = len(prep.years), prep.n_tenure
    shape = (len(m), N_AGES, n_tenure, n_years)
    present, retired, other = np.empty(shape), np.empty(shape), np.empty(shape)
    alive = np.ones((len(m), N_AGES, n_tenure))
    start_age, start_tenure = np.arange(N_AGES), np.arange(n_tenure)
    for t in range(n_years):
        age_now = np.minimum(start_age + t, N_AGES - 1)  # beyond AGE_MAX nobody is left (hazard 1 there)
        h = prep.hazard[t, age_now][None, :, None]
        rate = prep.outflow_age[age_now][:, None] + prep.outflow_tenure[np.minimum(start_tenure + t, n_tenure - 1)]
        o = np.minimum(1.0, m[:, None, None] * rate[None])
        ret = alive * h
        out = (alive - ret) * o
        present[..., t], retired[..., t], other[..., t] = alive, ret, out
        alive = alive - ret - out
    cells = N_AGES * n_tenure
    return (
        present.reshape(len(m), cells, n_years),
        retired.reshape(len(m), cells, n_years),
        other.reshape(len(m), cells, n_years),
    )


def entry_kernels(prep: Prepared, m_out: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For one new head per year entering at each age: expected heads present at the start of each year,
    retiring and leaving during it. Each (M, A, Y). The inflow of year t joins at the start of year t + 1
    with tenure 0 at its age of entry (so its first year at the board is t + 1)."""
    m = np.asarray(m_out, dtype=np.float64)
    n_years, n_tenure = len(prep.years), prep.n_tenure
    shape = (len(m), N_AGES, n_years)
    present, retired, other = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    entry_age = np.arange(N_AGES)
    for start in range(1, n_years):
        alive = np.ones((len(m), N_AGES))
        for t in range(start, n_years):
            age_now = np.minimum(entry_age + (t - start), N_AGES - 1)
            h = prep.hazard[t, age_now][None, :]
            rate = prep.outflow_age[age_now] + prep.outflow_tenure[min(t - start, n_tenure - 1)]
            o = np.minimum(1.0, m[:, None] * rate[None, :])
            ret = alive * h
            out = (alive - ret) * o
            present[..., t] += alive
            retired[..., t] += ret
            other[..., t] += out
            alive = alive - ret - out
    return present, retired, other


@dataclass(frozen=True, eq=False)
class ExpectedPath:
    """The path with every multiplier at 1, per group: (G, Y) arrays."""

    headcount: np.ndarray
    supply_fte: np.ndarray
    demand_fte: np.ndarray
    retirements: np.ndarray
    other_outflow: np.ndarray
    inflow: np.ndarray


def expected_path(prep: Prepared) -> ExpectedPath:
    present, retired, other = (k[0] for k in stock_kernels(prep, np.ones(1)))
    new_present, new_retired, new_other = (k[0] for k in entry_kernels(prep, np.ones(1)))
    entry = prep.entry
    headcount = prep.per_group(present, fte=False) + entry @ new_present + prep.planned_heads
    supply = prep.per_group(present, fte=True) + prep.new_fte * (entry @ new_present) + prep.planned_fte
    supply[:, 0] = prep.base_fte
    retirements = prep.per_group(retired, fte=False) + entry @ new_retired + prep.planned_retirements
    other_outflow = prep.per_group(other, fte=False) + entry @ new_other + prep.planned_other
    inflow = np.repeat(entry.sum(axis=1)[:, None], len(prep.years), axis=1)
    return ExpectedPath(headcount, supply, group_demand(prep), retirements, other_outflow, inflow)


def group_demand(prep: Prepared, pupils: np.ndarray | None = None, absence_shift: float = 0.0) -> np.ndarray:
    """Demand per group and year (G, Y) for one pupil path (Y,) and absence shift (points, from year 1).

    formation = core x pupils; absence replacement = formation x max(0, absence%)/100, of which the pool
    covers min(pool, total replacement) in proportion; hidden shortage = formation x hidden%/100."""
    factor = np.ones(len(prep.years)) if pupils is None else np.asarray(pupils)
    formation = prep.core * factor[None, :]
    shift = np.where(np.arange(len(prep.years)) >= 1, absence_shift, 0.0)
    replacement = formation * np.clip(prep.absence + shift[None, :], 0.0, None) / 100.0
    total = replacement.sum(axis=0)
    covered = np.where(total > 0, np.minimum(1.0, prep.pool / np.where(total > 0, total, 1.0)), 0.0)
    return formation * (1.0 + prep.hidden_pct / 100.0) + replacement * (1.0 - covered)[None, :]


# --- Monte Carlo bands ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Interpolation:
    """How per-run values follow from values at nodes: rows of `weights` (R x n), or picking `index` (R,)."""

    nodes: np.ndarray
    weights: np.ndarray | None = None
    index: np.ndarray | None = None

    def apply(self, node_values: np.ndarray) -> np.ndarray:
        flat = node_values.reshape(len(self.nodes), -1)
        result = flat[self.index] if self.index is not None else self.weights @ flat
        return result.reshape((-1, *node_values.shape[1:]))


def outflow_interpolation(m_out: np.ndarray, degree: int, max_rate: float) -> _Interpolation:
    """Exact evaluation plan in m_out: a polynomial of degree <= `degree` is fixed by degree + 1 values.

    With few distinct run values, or when some run would push an outflow rate over 1 (then the cap makes
    it no polynomial), we evaluate at every distinct run value; otherwise at Chebyshev points of the
    second kind on [min, max] with barycentric weights (well conditioned, exact up to rounding)."""
    distinct, index = np.unique(m_out, return_inverse=True)
    if len(distinct) <= degree + 1 or distinct[-1] * max_rate > 1.0:
        return _Interpolation(nodes=distinct, index=index.reshape(-1))
    lo, hi = distinct[0], distinct[-1]
    j = np.arange(degree + 1)
    nodes = (lo + hi) / 2 + (hi - lo) / 2 * np.cos(np.pi * j / degree)
    bary = np.where(j % 2 == 0, 1.0, -1.0)
    bary[0] *= 0.5
    bary[-1] *= 0.5
    diff = m_out[:, None] - nodes[None, :]
    exact = diff == 0.0
    terms = bary[None, :] / np.where(exact, 1.0, diff)
    weights = terms / terms.sum(axis=1, keepdims=True)
    hit = exact.any(axis=1)
    weights[hit] = exact[hit].astype(np.float64)
    return _Interpolation(nodes=nodes, weights=weights)


def _sum_by_key(values: np.ndarray, key_index: np.ndarray, n_keys: int) -> np.ndarray:
    """Sum rows of `values` per key (rows with key -1 are left out): (n_keys, ...)."""
    kept = np.flatnonzero(key_index >= 0)
    take = kept[np.argsort(key_index[kept], kind="stable")]
    rows = values[take]
    keys = key_index[take]
    out = np.zeros((n_keys, *values.shape[1:]))
    if len(rows):
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        out[keys[starts]] = np.add.reduceat(rows, starts, axis=0)
    return out


def aggregate_keys(prep: Prepared) -> dict[str, tuple[tuple, np.ndarray]]:
    """For each aggregate: its keys and, per group, the index of its key (-1: not part of it)."""
    groups = prep.staff.groups
    n = len(groups)
    result: dict[str, tuple[tuple, np.ndarray]] = {"total": (("total",), np.zeros(n, dtype=np.int64))}
    boards = tuple(sorted({g.board_id for g in groups}))
    position = {b: i for i, b in enumerate(boards)}
    result["board"] = (boards, np.array([position[g.board_id] for g in groups], dtype=np.int64))
    subjects = tuple(sorted({g.subject for g in groups if g.function == "teaching"}))
    position = {s: i for i, s in enumerate(subjects)}
    result["subject"] = (
        subjects,
        np.array([position[g.subject] if g.function == "teaching" else -1 for g in groups], dtype=np.int64),
    )
    functions = tuple(f for f in FUNCTIONS if any(g.function == f for g in groups))
    position = {f: i for i, f in enumerate(functions)}
    result["function"] = (functions, np.array([position[g.function] for g in groups], dtype=np.int64))
    return result


class _BandMaker:
    """Per-run aggregates and their percentiles; what is shared by all aggregates is computed once."""

    def __init__(self, prep: Prepared, draws: Draws) -> None:
        self.prep = prep
        self.draws = draws
        n_years = len(prep.years)
        max_rate = float(prep.outflow_age.max() + prep.outflow_tenure.max())
        self.plan = outflow_interpolation(draws.outflow, prep.horizon, max_rate)
        self.stock_present = stock_kernels(prep, self.plan.nodes)[0]  # (n, A*T, Y)
        self.entry_present = entry_kernels(prep, self.plan.nodes)[0]  # (n, A, Y)
        self.ahead = np.arange(n_years) >= 1
        self.shift = draws.absence[:, None] * self.ahead[None, :]  # (R, Y)
        # Absence levels from year 1 are equal in every year ahead; groups that may clip at 0 are "low".
        level = prep.absence[:, 1]
        self.low = level + draws.absence.min() < 0.0
        total_keys = np.zeros(len(prep.staff.groups), dtype=np.int64)
        self.total_clipped = self._clipped_absence(total_keys, 1)[:, 0, :]  # (R, Y) sum core x max(0, a + d)
        replacement = draws.pupils * self.total_clipped / 100.0
        safe = np.where(replacement > 0, replacement, 1.0)
        self.uncovered = 1.0 - np.where(replacement > 0, np.minimum(1.0, prep.pool[None, :] / safe), 0.0)  # (R, Y)

    def _clipped_absence(self, key_index: np.ndarray, n_keys: int) -> np.ndarray:
        """sum over a key's groups of core x max(0, absence + d) per run: (R, K, Y), exactly.

        max(0, x) = x + max(0, -x): a part linear in d (all groups), plus for the "low" groups (those
        whose absence from year 1 plus some run's d falls below 0) the clipped part. With their kinks
        kappa_g = -absence_g sorted per key, that part is sum over kappa_g > d of core_g x (kappa_g - d):
        two suffix sums picked by a binary search per key and run."""
        prep = self.prep
        linear = _sum_by_key(prep.core * prep.absence, key_index, n_keys)  # (K, Y), exact at d = 0
        slope = _sum_by_key(prep.core * self.ahead[None, :], key_index, n_keys)  # d acts from year 1
        result = linear[None] + self.shift[:, None, :] * slope[None]
        low = np.flatnonzero(self.low & (key_index >= 0))
        if not len(low):
            return result
        keys = key_index[low]
        kappa = -prep.absence[low, 1]
        order = np.lexsort((kappa, keys))
        keys, kappa = keys[order], kappa[order]
        core = prep.core[low[order]] * self.ahead[None, :]  # the base year has no shift and absence >= 0
        # Suffix sums within each key's segment (a zero row at the end for "no group above d").
        suffix_core = np.vstack([np.cumsum(core[::-1], axis=0)[::-1], np.zeros((1, core.shape[1]))])
        suffix_kappa = np.vstack([np.cumsum((core * kappa[:, None])[::-1], axis=0)[::-1], np.zeros((1, core.shape[1]))])
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        ends = np.r_[starts[1:], len(keys)]
        shifts = self.draws.absence
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            first_above = start + np.searchsorted(kappa[start:end], shifts, side="right")  # (R,)
            key = keys[start]
            part_core = suffix_core[first_above] - suffix_core[end]
            part_kappa = suffix_kappa[first_above] - suffix_kappa[end]
            result[:, key, :] += part_kappa - shifts[:, None] * part_core
        return result

    def bands(self, key_index: np.ndarray, keys: tuple) -> Bands:
        prep, draws = self.prep, self.draws
        n_keys = len(keys)
        cells = prep.cells_by_key(key_index, n_keys, fte=True)  # (K, A*T)
        entry = _sum_by_key(prep.entry, key_index, n_keys) * prep.new_fte  # (K, A)
        planned = _sum_by_key(prep.planned_fte, key_index, n_keys)  # (K, Y)
        base = _sum_by_key(prep.base_fte, key_index, n_keys)  # (K,)
        formation = _sum_by_key(prep.core, key_index, n_keys)  # (K, Y)
        stock_nodes = np.matmul(cells[None], self.stock_present)  # (n, K, Y)
        entry_nodes = np.matmul(entry[None], self.entry_present)  # (n, K, Y)
        clipped = self._clipped_absence(key_index, n_keys)  # (R, K, Y)
        out = {name: np.empty((3, n_keys, len(prep.years))) for name in ("supply", "demand", "gap")}
        pupils = draws.pupils[:, None, :]
        for start in range(0, n_keys, _KEY_CHUNK):
            part = slice(start, min(start + _KEY_CHUNK, n_keys))
            supply = self.plan.apply(stock_nodes[:, part]) + draws.inflow[:, None, None] * self.plan.apply(
                entry_nodes[:, part]
            )
            supply += planned[None, part]
            supply[:, :, 0] = base[None, part]
            demand = pupils * (
                formation[None, part] * (1.0 + prep.hidden_pct / 100.0)
                + self.uncovered[:, None, :] * clipped[:, part] / 100.0
            )
            gap = demand - supply
            for name, values in (("supply", supply), ("demand", demand), ("gap", gap)):
                out[name][:, part] = np.percentile(values, PERCENTILES, axis=0)
        return Bands(keys=keys, supply_fte=out["supply"], demand_fte=out["demand"], gap_fte=out["gap"])


# --- Public entry points ----------------------------------------------------------------------------


def forecast_arrays(
    staff: StaffArrays,
    pupils: PupilProjection,
    assumptions: Assumptions,
    scenario: Scenario = Scenario(),  # noqa: B008 - frozen dataclass, safe as default
    *,
    horizon: int = 10,
    runs: int = 1000,
    seed: int = 2026,
    progress: Progress | None = None,
) -> Forecast:
    """The forecast from column-wise staff (see `StaffArrays.from_columns`); same result as `forecast()`."""
    check_inputs(assumptions, scenario, horizon, runs)
    total_steps = 2 + len(AGGREGATES)
    report = progress or (lambda done, total: None)
    report(0, total_steps)
    prep = prepare(staff, pupils, assumptions, scenario, horizon)
    path = expected_path(prep)
    report(1, total_steps)
    draws = draw_multipliers(assumptions, runs=runs, horizon=horizon, seed=seed)
    maker = _BandMaker(prep, draws)
    report(2, total_steps)
    bands = {}
    for step, (name, (keys, key_index)) in enumerate(aggregate_keys(prep).items(), start=3):
        bands[name] = maker.bands(key_index, keys)
        report(step, total_steps)
    return Forecast(
        years=prep.years,
        groups=staff.groups,
        headcount=path.headcount,
        supply_fte=path.supply_fte,
        demand_fte=path.demand_fte,
        gap_fte=path.demand_fte - path.supply_fte,
        retirements=path.retirements,
        other_outflow=path.other_outflow,
        inflow=path.inflow,
        bands=bands,
        runs=runs,
        seed=seed,
        scenario=scenario,
    )


def forecast(
    staff: Sequence[StaffRecord],
    pupils: PupilProjection,
    assumptions: Assumptions,
    scenario: Scenario = Scenario(),  # noqa: B008 - frozen dataclass, safe as default
    *,
    horizon: int = 10,
    runs: int = 1000,
    seed: int = 2026,
    progress: Progress | None = None,
) -> Forecast:
    """Project supply, demand and gap per group for `horizon` years after the base year, with P10/P50/P90
    bands over `runs` Monte Carlo runs (numpy Generator seeded with `seed`: same seed, same arrays)."""
    return forecast_arrays(
        StaffArrays.from_records(staff),
        pupils,
        assumptions,
        scenario,
        horizon=horizon,
        runs=runs,
        seed=seed,
        progress=progress,
    )
