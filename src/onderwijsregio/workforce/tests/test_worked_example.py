"""The worked example of docs/workforce-model.md section 9: the engine gives exactly the hand-computed numbers."""

from __future__ import annotations

import numpy as np
import pytest

from onderwijsregio.workforce.engine import Assumptions, GroupKey, PupilProjection, StaffRecord, forecast


def person(function, subject, birth_year, fte, start, absence=None, planned=None):
    return StaffRecord(
        board_id=7,
        function=function,
        subject=subject,
        degree="first" if function == "teaching" else "none",
        birth_year=birth_year,
        fte=fte,
        start_year_board=start,
        start_year_education=start,
        absence_pct=absence,
        planned_exit_year=planned,
    )


STAFF = [
    person("teaching", "wi", 1959, 1.0, 2000),  # 1: 67 in 2026, retires
    person("teaching", "wi", 1961, 0.8, 1990),  # 2: 67 in 2028, pension age 67.25
    person("teaching", "wi", 1990, 0.6, 2020, absence=4.0),  # 3
    person("teaching", "wi", 2000, 0.6, 2026),  # 4: starter
    person("teaching", "ne", 1970, 0.5, 2010),  # 5
    person("teaching", "ne", 1985, 1.0, 2015, planned=2027),  # 6: planned exit
    person("teaching", "ne", 1995, 0.5, 2025),  # 7: second year
    person("support", "", 1963, 0.6, 2000),  # 8
    person("support", "", 1980, 1.0, 2024),  # 9
    person("management", "", 1972, 1.0, 2018),  # 10
]
ASSUMPTIONS = Assumptions(
    base_year=2026,
    pension_age={2025: 67.0, 2028: 67.25},
    outflow_by_age=((16, 34, 0.10), (35, 54, 0.05), (55, 75, 0.0)),
    starter_outflow_by_tenure=(0.20,),
    graduate_inflow_rate=0.08,
    mobility_inflow_rate=0.0,
    side_entrants_per_year=1.0,
    new_staff_fte=0.8,
    absence_pct=5.0,
    hidden_shortage_pct=2.0,
)
PUPILS = PupilProjection(by_board={7: {2026: 1000, 2027: 980, 2028: 950}})

# Rows in group order: management, support, teaching ne, teaching wi; columns 2026, 2027, 2028.
EXPECTED = {
    "headcount": [[1, 1.05, 1.12], [2, 2.11, 2.1745], [3, 3.5, 2.85], [4, 3.55, 4.0925]],
    "supply_fte": [[1.0, 1.03, 1.086], [1.6, 1.678, 1.7201], [2.0, 2.43, 1.737], [3.0, 2.51, 2.9675]],
    "demand_fte": [[1.07, 1.0486, 1.0165], [1.712, 1.67776, 1.6264], [2.14, 2.0972, 2.033], [3.18, 3.1164, 3.021]],
    "gap_fte": [[0.07, 0.0186, -0.0695], [0.112, -0.00024, -0.0937], [0.14, -0.3328, 0.296], [0.18, 0.6064, 0.0535]],
    "inflow": [[0.1, 0.1, 0.1], [0.16, 0.16, 0.16], [0.6, 0.6, 0.6], [0.9, 0.9, 0.9]],
}


@pytest.fixture(scope="module")
def result():
    return forecast(STAFF, PUPILS, ASSUMPTIONS, horizon=2, runs=50, seed=2026)


def test_groups_and_years(result):
    assert result.years == (2026, 2027, 2028)
    assert result.groups == (
        GroupKey(7, "management", "", "none"),
        GroupKey(7, "support", "", "none"),
        GroupKey(7, "teaching", "ne", "first"),
        GroupKey(7, "teaching", "wi", "first"),
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_paths_match_the_hand_computation(result, name):
    np.testing.assert_allclose(getattr(result, name), EXPECTED[name], rtol=0, atol=1e-9)


def test_totals_match_the_hand_computation(result):
    np.testing.assert_allclose(result.headcount.sum(axis=0), [10, 10.21, 10.237], atol=1e-9)
    np.testing.assert_allclose(result.supply_fte.sum(axis=0), [7.6, 7.648, 7.5106], atol=1e-9)
    np.testing.assert_allclose(result.demand_fte.sum(axis=0), [8.102, 7.93996, 7.6969], atol=1e-9)
    np.testing.assert_allclose(result.gap_fte.sum(axis=0), [0.502, 0.29196, 0.1863], atol=1e-9)


def test_flows_match_the_hand_computation(result):
    # 2026: person 1 retires; 2027: nobody; 2028: 75% of person 2 (pension age 67.25).
    np.testing.assert_allclose(result.retirements[3], [1.0, 0.0, 0.75], atol=1e-12)
    assert result.retirements[:3].sum() == 0
    # Other outflow in 2026 and 2027 (2028's is in the doc's last table).
    np.testing.assert_allclose(result.other_outflow[:, 0], [0.05, 0.05, 0.1, 0.35], atol=1e-12)
    np.testing.assert_allclose(result.other_outflow[:, 1], [0.03, 0.0955, 1.25, 0.3575], atol=1e-12)
    np.testing.assert_allclose(result.other_outflow[:, 2], [0.037, 0.104325, 0.27, 0.391625], atol=1e-12)


def test_bands_are_exact_in_the_base_year(result):
    total = result.bands["total"]
    np.testing.assert_allclose(total.supply_fte[:, 0, 0], [7.6, 7.6, 7.6], atol=1e-12)
    np.testing.assert_allclose(total.gap_fte[:, 0, 0], [0.502] * 3, atol=1e-12)
