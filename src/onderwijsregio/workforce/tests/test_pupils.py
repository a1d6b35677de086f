"""Pupil projections: entered forecast, else the DUO count, else the DUO trend, else flat."""

from __future__ import annotations

import pytest

from onderwijsregio.organisations.tests.factories import (
    PupilCountFactory,
    RegionFactory,
    RegionSchoolLocationFactory,
    SchoolLocationFactory,
)
from onderwijsregio.workforce import pupils
from onderwijsregio.workforce.models import PupilForecast


def test_trend_uses_the_last_five_years_least_squares():
    series = {2015: 5000, 2021: 100, 2022: 110, 2023: 120, 2024: 130, 2025: 140}
    intercept, slope = pupils.trend_line(series)
    assert slope == pytest.approx(10.0)
    assert intercept + slope * 2027 == pytest.approx(160.0)
    assert pupils.trend_line({2025: 10}) is None


def test_projection_order_forecast_duo_trend_and_clip_at_zero():
    projection, sources, _slope = pupils.project(
        {2021: 100, 2022: 80, 2023: 60, 2024: 40, 2025: 20}, {2027: 55}, range(2025, 2030)
    )
    assert projection == {2025: 20.0, 2026: pytest.approx(0.0, abs=1e-9), 2027: 55.0, 2028: 0.0, 2029: 0.0}
    assert sources[2025] == pupils.Source.DUO and sources[2027] == pupils.Source.FORECAST
    assert sources[2028] == pupils.Source.TREND


def test_flat_without_series():
    projection, sources, _ = pupils.project({2025: 300}, {}, range(2025, 2028))
    assert projection == {2025: 300.0, 2026: 300.0, 2027: 300.0}
    projection, _, _ = pupils.project({}, {2027: 80}, range(2026, 2029))
    assert projection == {2026: 80.0, 2027: 80.0, 2028: 80.0}
    projection, _, _ = pupils.project({}, {}, range(2026, 2028))
    assert projection == {2026: 0.0, 2027: 0.0}


@pytest.mark.django_db
def test_location_board_and_region_projection():
    region = RegionFactory()
    growing = SchoolLocationFactory()
    board = growing.board
    small = SchoolLocationFactory(board=board)
    outside = SchoolLocationFactory(board=board)  # not in the region
    closed = SchoolLocationFactory(board=board)
    for location in (growing, small, outside):
        RegionSchoolLocationFactory(region=region, school_location=location) if location is not outside else None
    RegionSchoolLocationFactory(region=region, school_location=closed)
    for year, count in zip(range(2021, 2026), (400, 420, 440, 460, 480), strict=True):
        PupilCountFactory(school_location=growing, year=year, count=count)
        PupilCountFactory(school_location=outside, year=year, count=100)
    PupilCountFactory(school_location=small, year=2024, count=None, is_small=True)
    PupilCountFactory(school_location=small, year=2025, count=50)
    PupilCountFactory(school_location=closed, year=2015, count=300)  # stopped long ago
    PupilForecast.objects.create(school_location=growing, year=2027, pupils=600)

    assert pupils.location_projection(growing, 2025, 3) == pytest.approx(
        {2025: 480.0, 2026: 500.0, 2027: 600.0, 2028: 540.0}
    )
    whole_board = pupils.board_projection([board.pk], 2025, 2)
    assert whole_board.by_board[board.pk] == pytest.approx({2025: 630.0, 2026: 650.0, 2027: 750.0})
    in_region = pupils.board_projection([board.pk], 2025, 2, region=region)
    assert in_region.by_board[board.pk] == pytest.approx({2025: 530.0, 2026: 550.0, 2027: 650.0})
    assert pupils.region_totals(region, 2025, 2) == pytest.approx({2025: 530.0, 2026: 550.0, 2027: 650.0})
    # A board without locations still gets its years, with zero pupils.
    assert pupils.board_projection([999999], 2025, 1).by_board == {999999: {2025: 0.0, 2026: 0.0}}
