"""Workforce forecast at national scale: our engine against a plain per-person Monte Carlo loop.

Case: about 1,000 boards, 250,000 staff (mean age about 43, the largest group 55-64, mean fte about
0.75, teaching staff over 20 subjects and 5 degrees, support and management staff), 10 years ahead,
1,000 Monte Carlo runs.

- ours: `StaffArrays.from_columns(...)` + `forecast_arrays(...)` on all staff (expected path per group
  and P10/P50/P90 bands for total, board, subject and function).
- plain_loop: what a first implementation plausibly does: for each run, each person, each year, age
  the person, retire at pension age, draw other outflow with a random number. Run on a sample of
  persons (it is slow); the metric is person-years simulated per second. It does less than ours (no
  inflow, no demand, no aggregation), so the ratio flatters it.

No Django needed: the engine is pure Python + numpy.

    python benchmarks/workforce_forecast.py [--quick]
"""

from __future__ import annotations

import argparse
import random
import sys
import time

import numpy as np
from _setup import ROOT, emit

sys.path.insert(0, str(ROOT / "src"))

from onderwijsregio.workforce.engine import (
    Assumptions,
    PupilProjection,
    StaffArrays,
    forecast_arrays,
    pension_age,
)
from onderwijsregio.workforce.engine.rates import outflow_by_age, outflow_by_tenure

SUBJECTS = ["ak", "bio", "du", "ec", "en", "fa", "gs", "ne", "na", "sk", "wi", "inf", "lo", "ckv", "gr", "la"]
SUBJECTS += ["mu", "bv", "maw", "lv"]
TEACHING_DEGREES = ["first", "second", "limited_second", "pdg", "in_training"]
BASE_YEAR = 2026


def generate(n_staff: int, n_boards: int, seed: int = 2026) -> dict[str, np.ndarray]:
    """Columns of a synthetic national snapshot (numpy, vectorised)."""
    rng = np.random.default_rng(seed)
    board_sizes = rng.lognormal(0.0, 1.0, n_boards)
    board = rng.choice(np.arange(1, n_boards + 1) * 10 + 40000, n_staff, p=board_sizes / board_sizes.sum())
    function = rng.choice(["teaching", "support", "management"], n_staff, p=[0.72, 0.22, 0.06])
    teaching = function == "teaching"
    subject = np.where(teaching, rng.choice(SUBJECTS, n_staff), "")
    degree = np.where(teaching, rng.choice(TEACHING_DEGREES, n_staff, p=[0.35, 0.45, 0.08, 0.07, 0.05]), "none")
    # Age mixture: young, middle and a large 55-64 group; mean about 43.
    component = rng.choice(3, n_staff, p=[0.38, 0.30, 0.32])
    age = np.select(
        [component == 0, component == 1],
        [rng.normal(30, 5, n_staff), rng.normal(43, 6, n_staff)],
        rng.normal(59, 3, n_staff),
    )
    age = np.clip(np.rint(age), 21, 67).astype(np.int64)
    fte = rng.choice([0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0], n_staff, p=[0.05, 0.1, 0.15, 0.15, 0.2, 0.1, 0.25])
    years_at_board = np.minimum(rng.geometric(0.1, n_staff) - 1, age - 21)
    absence = np.where(rng.random(n_staff) < 0.6, rng.gamma(1.2, 5.0, n_staff), np.nan)
    planned = np.where(rng.random(n_staff) < 0.01, BASE_YEAR + rng.integers(0, 5, n_staff), 0)
    return {
        "board_id": board,
        "function": function,
        "subject": subject,
        "degree": degree,
        "birth_year": BASE_YEAR - age,
        "fte": fte,
        "start_year_board": BASE_YEAR - years_at_board,
        "absence_pct": absence,
        "planned_exit_year": planned,
    }


def pupil_projection(boards: np.ndarray, horizon: int, seed: int = 7) -> PupilProjection:
    rng = np.random.default_rng(seed)
    by_board = {}
    for board in np.unique(boards).tolist():
        trend = rng.normal(-0.01, 0.01)
        start = float(rng.integers(500, 20000))
        by_board[board] = {BASE_YEAR + t: start * (1 + trend) ** t for t in range(horizon + 1)}
    return PupilProjection(by_board=by_board)


def plain_loop(columns: dict[str, np.ndarray], sample: np.ndarray, assumptions: Assumptions, horizon: int, runs: int):
    """Per run, per person, per year: age, retire at pension age (birthday drawn in the year), draw other
    outflow. Returns the person-years simulated."""
    rng = random.Random(1)
    age_rates = outflow_by_age(assumptions).tolist()
    tenure_rates = outflow_by_tenure(assumptions).tolist()
    pensions = [pension_age(assumptions.pension_age, BASE_YEAR + t) for t in range(horizon + 1)]
    people = [
        (int(columns["birth_year"][i]), int(columns["start_year_board"][i]), float(columns["fte"][i])) for i in sample
    ]
    person_years = 0
    for _ in range(runs):
        multiplier = rng.lognormvariate(0.0, assumptions.outflow_sd)
        supply = [0.0] * (horizon + 1)
        for birth_year, start_year, fte in people:
            birthday = rng.random()
            for t in range(horizon + 1):
                year = BASE_YEAR + t
                age = year - birth_year
                person_years += 1
                supply[t] += fte
                if age + 1 - birthday >= pensions[t] or age >= 75:
                    break
                tenure = min(year - start_year, len(tenure_rates) - 1)
                rate = age_rates[min(max(age, 16), 75) - 16] + tenure_rates[max(tenure, 0)]
                if rng.random() < rate * multiplier:
                    break
    return person_years


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="25,000 staff, 100 boards, 200 runs")
    args = parser.parse_args()
    n_staff, n_boards, runs = (25_000, 100, 200) if args.quick else (250_000, 1_000, 1_000)
    sample_size, loop_runs = (500, 20) if args.quick else (2_000, 50)
    horizon = 10
    assumptions = Assumptions(base_year=BASE_YEAR, side_entrants_per_year=300.0)
    columns = generate(n_staff, n_boards)
    pupils = pupil_projection(columns["board_id"], horizon)
    size = f"{n_staff} staff, {len(np.unique(columns['board_id']))} boards, {horizon} years, {runs} runs"

    start = time.perf_counter()
    staff = StaffArrays.from_columns(**columns)
    grouped = time.perf_counter() - start
    start = time.perf_counter()
    result = forecast_arrays(staff, pupils, assumptions, horizon=horizon, runs=runs, seed=2026)
    engine = time.perf_counter() - start
    ours_seconds = grouped + engine
    ours_rate = n_staff * horizon * runs / ours_seconds

    sample = np.random.default_rng(3).choice(n_staff, sample_size, replace=False)
    start = time.perf_counter()
    person_years = plain_loop(columns, sample, assumptions, horizon, loop_runs)
    loop_seconds = time.perf_counter() - start
    loop_rate = person_years / loop_seconds
    loop_national = n_staff * horizon * runs / loop_rate

    emit(
        benchmark="workforce_forecast",
        metric="national_forecast_seconds",
        ours=round(ours_seconds, 3),
        baseline=round(loop_national, 1),
        ratio=round(loop_national / ours_seconds, 1),
        unit="s",
        size=size,
        grouping_seconds=round(grouped, 3),
        engine_seconds=round(engine, 3),
        groups=len(staff.groups),
        baseline_note="plain loop extrapolated from its person-year rate",
    )
    emit(
        benchmark="workforce_forecast",
        metric="person_years_per_second",
        ours=round(ours_rate),
        baseline=round(loop_rate),
        ratio=round(ours_rate / loop_rate, 1),
        unit="person-years/s",
        size=f"ours: {size}; plain loop: {sample_size} persons x {horizon} years x {loop_runs} runs",
    )
    total = result.bands["total"]
    emit(
        benchmark="workforce_forecast",
        metric="national_gap_fte_final_year",
        ours=[round(float(v), 1) for v in total.gap_fte[:, 0, -1]],
        baseline=None,
        ratio=None,
        unit="fte (P10, P50, P90)",
        size=size,
        mean_age=round(float((BASE_YEAR - columns["birth_year"]).mean()), 1),
        mean_fte=round(float(columns["fte"].mean()), 3),
    )


if __name__ == "__main__":
    main()
