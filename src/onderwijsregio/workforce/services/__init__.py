"""Writes of strategic personnel planning: every change atomic, validated and in the audit log.

One module per sub-domain: `snapshots` (a board's staff files), `pupils` (expected pupils),
`assumptions` (a region's forecast assumptions), `scenarios` (levers) and `forecasts` (asking for
a forecast and computing it on the worker). The public names are re-exported here, so callers
import `workforce.services` whatever module a service lives in. Reads live in `workforce.selectors`.
"""

from __future__ import annotations

from ..errors import ForecastUnavailable, SnapshotRejected
from .assumptions import assumptions_update
from .forecasts import JOB_KIND, compact_result, engine_inputs, forecast_request, forecast_run
from .pupils import MAX_PUPILS, pupil_forecast_set
from .scenarios import scenario_create, scenario_delete, scenario_update
from .snapshots import BULK_BATCH, snapshot_delete, snapshot_store_rows, snapshot_upload

__all__ = [
    "BULK_BATCH",
    "JOB_KIND",
    "MAX_PUPILS",
    "ForecastUnavailable",
    "SnapshotRejected",
    "assumptions_update",
    "compact_result",
    "engine_inputs",
    "forecast_request",
    "forecast_run",
    "pupil_forecast_set",
    "scenario_create",
    "scenario_delete",
    "scenario_update",
    "snapshot_delete",
    "snapshot_store_rows",
    "snapshot_upload",
]
