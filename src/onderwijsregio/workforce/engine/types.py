"""The data the workforce forecast engine works on: frozen dataclasses in, numpy arrays out. No Django.

The app turns a staff snapshot, a pupil projection, the region's assumptions and a scenario into
these (`workforce/engine_input.py`), calls `forecast()` and stores or renders the `Forecast`.

A *group* is one cell of the staff: (board, function, subject, degree). Non-teaching staff have
subject "" and degree "none". All people are counted as heads and as fte.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

FUNCTIONS = ("teaching", "support", "management")
DEGREES = ("first", "second", "limited_second", "pdg", "in_training", "none")
AGE_MIN = 16
AGE_MAX = 75  # anyone older leaves at the end of the year


@dataclass(frozen=True, order=True)
class GroupKey:
    board_id: int
    function: str  # one of FUNCTIONS
    subject: str  # SLO subject code, "" for non-teaching staff
    degree: str  # one of DEGREES


@dataclass(frozen=True)
class StaffRecord:
    """One employee of a snapshot, without name: what the forecast needs and nothing more."""

    board_id: int
    function: str
    subject: str
    degree: str
    birth_year: int
    fte: float
    start_year_board: int
    start_year_education: int
    absence_pct: float | None = None  # over the last 12 months, if the board supplied it
    planned_exit_year: int | None = None  # leaves at the end of this year


@dataclass(frozen=True)
class Assumptions:
    """Rates of the model, each with a source in the app's assumption list. Rates are per year."""

    base_year: int
    # state pension age (AOW) per calendar year in years, e.g. {2026: 67.0, 2028: 67.25};
    # a year not in the table uses the nearest earlier year (or the first entry)
    pension_age: dict[int, float] = field(default_factory=lambda: {2025: 67.0, 2028: 67.25})
    # other outflow (not retirement) by age band: (age_from, age_to inclusive, rate)
    outflow_by_age: tuple[tuple[int, int, float], ...] = (
        (16, 24, 0.08),
        (25, 34, 0.07),
        (35, 44, 0.045),
        (45, 54, 0.035),
        (55, 75, 0.05),
    )
    # extra outflow of starters by years at the board (index 0 = first year); afterwards 0
    starter_outflow_by_tenure: tuple[float, ...] = (0.20, 0.03, 0.02, 0.0)
    graduate_inflow_rate: float = 0.025  # new graduates as a share of the group's base fte per year
    mobility_inflow_rate: float = 0.02  # experienced staff arriving from elsewhere, share of base fte
    side_entrants_per_year: float = 0.0  # heads per year over all teaching groups (candidate desk pipeline)
    graduate_age: int = 25
    side_entrant_age: int = 38
    new_staff_fte: float = 0.8  # mean fte of new staff
    absence_pct: float = 6.0  # used for people and boards without their own figure
    hidden_shortage_pct: float = 3.0  # structurally unfilled share of the formation
    # relative uncertainty of the rates for the Monte Carlo runs (standard deviations)
    outflow_sd: float = 0.15
    inflow_sd: float = 0.25
    pupils_sd_per_year: float = 0.01  # relative, grows with the square root of the years ahead
    absence_sd_points: float = 0.5


@dataclass(frozen=True)
class Scenario:
    """What-if levers; the zero scenario is the baseline."""

    name: str = "basis"
    more_hours_share: float = 0.0  # share of part-timers willing to work more
    more_hours_fte: float = 0.0  # extra fte each of them works (no one above 1.0 fte)
    absence_delta_points: float = 0.0  # -1.0: absence one percentage point lower
    extra_side_entrants_per_year: float = 0.0  # heads per year on top of the assumptions
    pool_coverage_fte: float = 0.0  # fte of absence replacement covered by the substitute pool
    pupil_change_pct: float = 0.0  # +5.0: five percent more pupils than projected, every year


@dataclass(frozen=True)
class PupilProjection:
    """Pupils per board per year; the base year is the snapshot's year."""

    by_board: dict[int, dict[int, float]]


@dataclass(frozen=True)
class Bands:
    """P10/P50/P90 over the Monte Carlo runs of one aggregate: arrays of shape (3, n_keys, n_years)."""

    keys: tuple  # board ids, subject codes, functions, or ("total",)
    supply_fte: np.ndarray
    demand_fte: np.ndarray
    gap_fte: np.ndarray


@dataclass(frozen=True)
class Forecast:
    """The expected path per group and uncertainty bands per aggregate. Gap = demand - supply (> 0 is a shortage)."""

    years: tuple[int, ...]  # base year first, then one entry per year ahead
    groups: tuple[GroupKey, ...]
    headcount: np.ndarray  # (G, Y) expected heads at the start of each year
    supply_fte: np.ndarray  # (G, Y)
    demand_fte: np.ndarray  # (G, Y)
    gap_fte: np.ndarray  # (G, Y)
    retirements: np.ndarray  # (G, Y) heads retiring during each year (pension age reached)
    other_outflow: np.ndarray  # (G, Y) heads leaving for other reasons during each year
    inflow: np.ndarray  # (G, Y) heads arriving during each year
    bands: dict[str, Bands]  # "total", "board", "subject", "function"
    runs: int
    seed: int
    scenario: Scenario
