"""Workforce forecast engine (pure Python + numpy, no Django): strategic personnel planning per board.

Public interface, for the workforce app:

    from onderwijsregio.workforce.engine import (
        Assumptions, PupilProjection, Scenario, StaffArrays, StaffRecord, forecast, forecast_arrays,
    )

    result = forecast(records, PupilProjection(by_board={...}), Assumptions(base_year=2026),
                      Scenario(more_hours_share=0.3, more_hours_fte=0.1), horizon=10, runs=1000, seed=2026,
                      progress=lambda done, total: ...)
    result.years, result.groups            # (base year, ...), GroupKey per row
    result.supply_fte, result.gap_fte      # (groups, years): the expected path
    result.bands["board"].gap_fte          # (3, boards, years): P10/P50/P90 over the runs

At national scale build the input column-wise (`StaffArrays.from_columns(board_id=..., ...)`) and call
`forecast_arrays()`: same result, no Python object per person. Method: docs/workforce-model.md.
"""

from .arrays import NO_EXIT, StaffArrays
from .model import AGGREGATES, PERCENTILES, forecast, forecast_arrays
from .rates import Draws, draw_multipliers, more_hours, pension_age, retirement_hazard
from .types import (
    AGE_MAX,
    AGE_MIN,
    DEGREES,
    FUNCTIONS,
    Assumptions,
    Bands,
    Forecast,
    GroupKey,
    PupilProjection,
    Scenario,
    StaffRecord,
)

__all__ = [
    "AGE_MAX",
    "AGE_MIN",
    "AGGREGATES",
    "DEGREES",
    "FUNCTIONS",
    "NO_EXIT",
    "PERCENTILES",
    "Assumptions",
    "Bands",
    "Draws",
    "Forecast",
    "GroupKey",
    "PupilProjection",
    "Scenario",
    "StaffArrays",
    "StaffRecord",
    "draw_multipliers",
    "forecast",
    "forecast_arrays",
    "more_hours",
    "pension_age",
    "retirement_hazard",
]
