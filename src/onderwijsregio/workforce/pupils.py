"""Pupil projections per school location, per board and per region.

For each year a location's number is, in this order: the forecast a user entered for that year;
the DUO count of that year if it is already known; the least-squares linear trend over the last
(up to) five known DUO years, never below zero; and when there is no DUO series at all, the
nearest entered forecast carried flat (or 0 with nothing to go on). DUO's "<5" counts are unknown,
not zero, and are skipped. A location is left out of board and region totals when it is closed:
its DUO series stopped before the latest DUO year and nobody entered a forecast for it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Max, Q

from onderwijsregio.organisations.models import PupilCount, RegionSchoolLocation, SchoolLocation

from .engine.types import PupilProjection
from .models import PupilForecast

TREND_YEARS = 5


class Source:
    FORECAST = "forecast"  # entered by a user
    DUO = "duo"  # the DUO count of that year
    TREND = "trend"  # DUO trend
    FLAT = "flat"  # carried flat


@dataclass
class LocationSeries:
    """What is known about one location, and its projection with the source of every year."""

    location: SchoolLocation
    duo: dict[int, int] = field(default_factory=dict)
    forecasts: dict[int, int] = field(default_factory=dict)
    projection: dict[int, float] = field(default_factory=dict)
    sources: dict[int, str] = field(default_factory=dict)
    slope: float | None = None  # pupils per year of the DUO trend, if there is one


def trend_line(series: dict[int, int]) -> tuple[float, float] | None:
    """(intercept, slope) of the least-squares line through the last up-to-5 known years, or None (<2 years)."""
    years = sorted(series)[-TREND_YEARS:]
    if len(years) < 2:
        return None
    x = np.array(years, dtype=float)
    y = np.array([series[year] for year in years], dtype=float)
    slope, intercept = np.polyfit(x, y, 1)
    return float(intercept), float(slope)


def project(
    duo: dict[int, int], forecasts: dict[int, int], years: Iterable[int]
) -> tuple[dict[int, float], dict[int, str], float | None]:
    """The projection for `years` from a DUO series and entered forecasts (both {year: pupils})."""
    line = trend_line(duo)
    projection: dict[int, float] = {}
    sources: dict[int, str] = {}
    for year in years:
        if year in forecasts:
            projection[year], sources[year] = float(forecasts[year]), Source.FORECAST
        elif year in duo:
            projection[year], sources[year] = float(duo[year]), Source.DUO
        elif line is not None:
            intercept, slope = line
            projection[year], sources[year] = max(0.0, intercept + slope * year), Source.TREND
        elif duo:
            projection[year], sources[year] = float(duo[max(duo)]), Source.FLAT
        elif forecasts:
            earlier = [y for y in forecasts if y < year]
            nearest = max(earlier) if earlier else min(forecasts)
            projection[year], sources[year] = float(forecasts[nearest]), Source.FLAT
        else:
            projection[year], sources[year] = 0.0, Source.FLAT
    return projection, sources, (line[1] if line else None)


def _years(base_year: int, horizon: int) -> range:
    return range(int(base_year), int(base_year) + int(horizon) + 1)


def latest_duo_year() -> int | None:
    return PupilCount.objects.aggregate(latest=Max("year"))["latest"]


def location_series(locations: Iterable[SchoolLocation], base_year: int, horizon: int) -> list[LocationSeries]:
    """A LocationSeries per location (same order), fetched in two queries."""
    locations = list(locations)
    ids = [location.pk for location in locations]
    duo: dict[int, dict[int, int]] = defaultdict(dict)
    for location_id, year, count in PupilCount.objects.filter(
        school_location_id__in=ids, is_small=False, count__isnull=False
    ).values_list("school_location_id", "year", "count"):
        duo[location_id][year] = count
    forecasts: dict[int, dict[int, int]] = defaultdict(dict)
    for location_id, year, pupils in PupilForecast.objects.filter(school_location_id__in=ids).values_list(
        "school_location_id", "year", "pupils"
    ):
        forecasts[location_id][year] = pupils
    result = []
    for location in locations:
        projection, sources, slope = project(duo[location.pk], forecasts[location.pk], _years(base_year, horizon))
        result.append(
            LocationSeries(
                location=location,
                duo=dict(duo[location.pk]),
                forecasts=dict(forecasts[location.pk]),
                projection=projection,
                sources=sources,
                slope=slope,
            )
        )
    return result


def location_projection(location: SchoolLocation, base_year: int, horizon: int) -> dict[int, float]:
    """Pupils per year from base_year to base_year + horizon: user forecast, else DUO (trend), else flat."""
    return location_series([location], base_year, horizon)[0].projection


def _is_open(series: LocationSeries, latest: int | None) -> bool:
    if series.forecasts:
        return True
    if not series.duo:
        return False
    return latest is None or max(series.duo) >= latest - 1


def board_locations(board_ids: Iterable[int], region=None) -> list[SchoolLocation]:
    """The school locations of the boards; with a region, only those currently in that region."""
    qs = SchoolLocation.objects.filter(board_id__in=list(board_ids))
    if region is not None:
        qs = qs.filter(
            pk__in=RegionSchoolLocation.objects.filter(region=region, ended_on__isnull=True).values(
                "school_location_id"
            )
        )
    return list(qs.order_by("board_id", "vestiging_code"))


def open_series(locations: Iterable[SchoolLocation], base_year: int, horizon: int) -> list[LocationSeries]:
    latest = latest_duo_year()
    return [s for s in location_series(locations, base_year, horizon) if _is_open(s, latest)]


def board_projection(board_ids: Iterable[int], base_year: int, horizon: int, region=None) -> PupilProjection:
    """Pupils per board per year, summed over the boards' open locations (in `region` when given)."""
    board_ids = list(board_ids)
    by_board: dict[int, dict[int, float]] = {
        board_id: dict.fromkeys(_years(base_year, horizon), 0.0) for board_id in board_ids
    }
    for series in open_series(board_locations(board_ids, region), base_year, horizon):
        totals = by_board[series.location.board_id]
        for year, pupils in series.projection.items():
            totals[year] += pupils
    return PupilProjection(by_board=by_board)


def region_locations(region) -> list[SchoolLocation]:
    return list(
        SchoolLocation.objects.filter(Q(region_links__region=region) & Q(region_links__ended_on__isnull=True))
        .select_related("board")
        .order_by("board_id", "vestiging_code")
    )


def region_totals(region, base_year: int, horizon: int) -> dict[int, float]:
    """Pupils per year over all open locations currently in the region."""
    totals = dict.fromkeys(_years(base_year, horizon), 0.0)
    for series in open_series(region_locations(region), base_year, horizon):
        for year, pupils in series.projection.items():
            totals[year] += pupils
    return totals
