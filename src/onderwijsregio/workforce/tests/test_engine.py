"""Unit tests of the workforce forecast engine: each flow on its own, demand, the array input, and the fast
Monte Carlo bands against a brute-force per-run simulation."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from onderwijsregio.workforce.engine import (
    AGE_MAX,
    Assumptions,
    GroupKey,
    PupilProjection,
    Scenario,
    StaffArrays,
    StaffRecord,
    draw_multipliers,
    forecast,
    forecast_arrays,
    model,
    pension_age,
    reference,
)

NO_PUPILS = PupilProjection(by_board={})
# No flows at all unless a test switches one on.
QUIET = Assumptions(
    base_year=2026,
    pension_age={2025: 200.0},
    outflow_by_age=(),
    starter_outflow_by_tenure=(),
    graduate_inflow_rate=0.0,
    mobility_inflow_rate=0.0,
    side_entrants_per_year=0.0,
    absence_pct=0.0,
    hidden_shortage_pct=0.0,
)


def person(board=1, function="teaching", subject="wi", degree="first", birth_year=1980, fte=1.0, start=2010, **kw):
    if function != "teaching":
        subject, degree = "", "none"
    return StaffRecord(
        board_id=board,
        function=function,
        subject=subject,
        degree=degree,
        birth_year=birth_year,
        fte=fte,
        start_year_board=start,
        start_year_education=start,
        **kw,
    )


def run(staff, assumptions=QUIET, scenario=None, pupils=NO_PUPILS, horizon=4, runs=20, **kw):
    return forecast(staff, pupils, assumptions, scenario or Scenario(), horizon=horizon, runs=runs, **kw)


# --- retirement ---------------------------------------------------------------------------------


def test_pension_age_table_uses_nearest_earlier_year_or_first_entry():
    table = {2025: 67.0, 2028: 67.25}
    assert pension_age(table, 2024) == 67.0
    assert pension_age(table, 2027) == 67.0
    assert pension_age(table, 2028) == 67.25
    assert pension_age(table, 2040) == 67.25


def test_retirement_in_the_year_the_pension_age_is_reached():
    a = dataclasses.replace(QUIET, pension_age={2025: 67.0})
    result = run([person(birth_year=1961)], a)  # 65 in 2026, 67 in 2028
    np.testing.assert_allclose(result.headcount[0], [1, 1, 1, 0, 0])
    np.testing.assert_allclose(result.retirements[0], [0, 0, 1, 0, 0])


def test_fractional_pension_age_splits_the_cohort_over_two_years():
    a = dataclasses.replace(QUIET, pension_age={2025: 67.0, 2028: 67.25})
    result = run([person(birth_year=1961)], a)  # 67 in 2028: three quarters reach 67.25 in 2028
    np.testing.assert_allclose(result.retirements[0], [0, 0, 0.75, 0.25, 0])
    np.testing.assert_allclose(result.headcount[0], [1, 1, 1, 0.25, 0])


def test_people_already_past_pension_age_retire_in_the_base_year():
    a = dataclasses.replace(QUIET, pension_age={2025: 67.0})
    result = run([person(birth_year=1955)], a)  # 71 in 2026
    np.testing.assert_allclose(result.retirements[0], [1, 0, 0, 0, 0])
    np.testing.assert_allclose(result.headcount[0], [1, 0, 0, 0, 0])


def test_nobody_stays_beyond_age_max():
    result = run([person(birth_year=2026 - AGE_MAX + 1)])  # AGE_MAX - 1 in 2026
    np.testing.assert_allclose(result.headcount[0], [1, 1, 0, 0, 0])
    np.testing.assert_allclose(result.retirements[0], [0, 1, 0, 0, 0])


# --- other outflow --------------------------------------------------------------------------------


def test_other_outflow_by_age_band():
    a = dataclasses.replace(QUIET, outflow_by_age=((16, 40, 0.10), (41, 75, 0.05)))
    result = run([person(birth_year=1986, start=2000)], a)  # 40 in 2026, 41 from 2027
    np.testing.assert_allclose(result.headcount[0, :3], [1, 0.9, 0.9 * 0.95])
    np.testing.assert_allclose(result.other_outflow[0, :2], [0.1, 0.9 * 0.05])


def test_starter_outflow_by_tenure_and_tenure_advances():
    a = dataclasses.replace(QUIET, starter_outflow_by_tenure=(0.2, 0.1))
    result = run([person(start=2026)], a)  # first year at the board in 2026
    np.testing.assert_allclose(result.headcount[0], [1, 0.8, 0.72, 0.72, 0.72])


def test_planned_exit_leaves_at_the_end_of_that_year_as_other_outflow():
    a = dataclasses.replace(QUIET, outflow_by_age=((16, 75, 0.5),))
    result = run([person(planned_exit_year=2027)], a)
    np.testing.assert_allclose(result.headcount[0], [1, 1, 0, 0, 0])  # no random outflow before
    np.testing.assert_allclose(result.other_outflow[0], [0, 1, 0, 0, 0])
    assert result.retirements.sum() == 0


def test_planned_exit_at_pension_age_counts_as_retirement():
    a = dataclasses.replace(QUIET, pension_age={2025: 67.0})
    result = run([person(birth_year=1960, planned_exit_year=2027)], a)  # 67 in 2027
    np.testing.assert_allclose(result.retirements[0], [0, 1, 0, 0, 0])
    np.testing.assert_allclose(result.other_outflow[0], [0, 0, 0, 0, 0])


# --- inflow -------------------------------------------------------------------------------------


def test_graduates_enter_at_graduate_age_with_tenure_zero():
    a = dataclasses.replace(
        QUIET, graduate_inflow_rate=0.1, new_staff_fte=0.5, starter_outflow_by_tenure=(0.5,), graduate_age=25
    )
    result = run([person(fte=1.0), person(fte=1.0)], a, horizon=2)  # base fte 2 -> 0.2 fte = 0.4 heads a year
    np.testing.assert_allclose(result.inflow[0], [0.4, 0.4, 0.4])
    # 2027: 0.4 new; during 2027 half of them leave (first year), then 0.4 more join.
    np.testing.assert_allclose(result.headcount[0], [2, 2.4, 2.6])
    np.testing.assert_allclose(result.supply_fte[0], [2, 2.2, 2.3])


def test_mobility_follows_the_groups_age_distribution():
    a = dataclasses.replace(QUIET, mobility_inflow_rate=0.1, new_staff_fte=1.0, pension_age={2025: 67.0})
    staff = [person(birth_year=1960), person(birth_year=1990)]  # 66 and 36: half the newcomers are 66
    result = run(staff, a, horizon=3)
    # 0.2 heads a year, of whom 0.1 enter at 66 (and retire a year later at 67) and 0.1 at 36. The 1960
    # person retires during 2027. 2028: 1 + 0.1 (young of 2027) + 0.1 (old of 2027) + 0.2 new.
    np.testing.assert_allclose(result.headcount[0], [2, 2.2, 1.4, 1.5])
    np.testing.assert_allclose(result.retirements[0], [0, 1, 0.1, 0.1])


def test_side_entrants_spread_over_teaching_groups_by_fte():
    a = dataclasses.replace(QUIET, side_entrants_per_year=3.0, side_entrant_age=38)
    staff = [person(subject="wi", fte=1.0), person(subject="ne", fte=1.0), person(subject="ne", fte=1.0)]
    staff.append(person(function="support"))
    scenario = Scenario(extra_side_entrants_per_year=3.0)
    result = run(staff, a, scenario, horizon=1)
    by_group = dict(zip(result.groups, result.inflow[:, 0], strict=True))
    assert {g.subject: v for g, v in by_group.items()} == pytest.approx({"ne": 4.0, "wi": 2.0, "": 0.0})


def test_more_hours_lever_is_capped_at_one_fte_and_starts_in_year_one():
    scenario = Scenario(more_hours_share=0.5, more_hours_fte=0.4)
    result = run([person(fte=0.5), person(fte=0.8), person(fte=1.0)], QUIET, scenario, horizon=1)
    # 0.5 -> +0.5*0.4, 0.8 -> +0.5*0.2 (cap), 1.0 unchanged
    np.testing.assert_allclose(result.supply_fte[0], [2.3, 2.3 + 0.2 + 0.1])


# --- demand -------------------------------------------------------------------------------------


def test_demand_follows_pupils_of_the_board_and_is_constant_without_projection():
    pupils = PupilProjection(by_board={1: {2026: 200, 2027: 220, 2029: 180}})
    staff = [person(board=1, fte=2.0), person(board=2, fte=1.0)]
    result = run(staff, pupils=pupils)
    np.testing.assert_allclose(result.demand_fte[0], [2, 2.2, 2.2, 1.8, 1.8])  # 2028 carries 2027 forward
    np.testing.assert_allclose(result.demand_fte[1], [1, 1, 1, 1, 1])
    np.testing.assert_allclose(result.gap_fte, result.demand_fte - result.supply_fte)


def test_absence_and_hidden_shortage_are_added_to_demand():
    a = dataclasses.replace(QUIET, absence_pct=5.0, hidden_shortage_pct=3.0)
    staff = [person(subject="wi", absence_pct=10.0), person(subject="wi", absence_pct=4.0), person(subject="ne")]
    result = run(staff, a, horizon=1)
    by_subject = {g.subject: row[0] for g, row in zip(result.groups, result.demand_fte, strict=True)}
    assert by_subject == pytest.approx({"wi": 2 * (1 + 0.07 + 0.03), "ne": 1 + 0.05 + 0.03})


def test_scenario_demand_levers_act_from_year_one():
    a = dataclasses.replace(QUIET, absence_pct=6.0)
    scenario = Scenario(absence_delta_points=-1.0, pupil_change_pct=10.0, pool_coverage_fte=0.05)
    result = run([person(fte=2.0), person(board=2, fte=2.0)], a, scenario, horizon=1)
    # Year 0 unchanged; year 1: formation 2.2 each, replacement 5% = 0.11 each, pool covers 0.05 in proportion.
    np.testing.assert_allclose(result.demand_fte[:, 0], [2.12, 2.12])
    np.testing.assert_allclose(result.demand_fte[:, 1], [2.2 + 0.11 - 0.025, 2.2 + 0.11 - 0.025])


def test_pool_never_covers_more_than_the_absence_replacement():
    a = dataclasses.replace(QUIET, absence_pct=5.0)
    result = run([person(fte=1.0)], a, Scenario(pool_coverage_fte=10.0), horizon=1)
    np.testing.assert_allclose(result.demand_fte[0], [1.05, 1.0])


# --- accounting, input, progress ----------------------------------------------------------------


def small_case(seed=1, n=40):
    rng = np.random.default_rng(seed)
    staff = []
    for _ in range(n):
        function = str(rng.choice(["teaching", "teaching", "support", "management"]))
        staff.append(
            person(
                board=int(rng.integers(1, 4)),
                function=function,
                subject=str(rng.choice(["wi", "ne", "en"])),
                degree=str(rng.choice(["first", "second"])),
                birth_year=int(rng.integers(1957, 2003)),
                fte=float(rng.choice([0.4, 0.6, 0.8, 1.0])),
                start=int(rng.integers(2010, 2027)),
                absence_pct=None if rng.random() < 0.5 else float(rng.uniform(0, 8)),
                planned_exit_year=2028 if rng.random() < 0.1 else None,
            )
        )
    pupils = PupilProjection(by_board={1: {2026: 500, 2028: 450, 2031: 420}, 2: {2026: 300, 2027: 330}})
    assumptions = Assumptions(base_year=2026, side_entrants_per_year=2.0, pension_age={2025: 67.0, 2028: 67.25})
    return staff, pupils, assumptions


def test_stock_accounting_holds_every_year():
    staff, pupils, assumptions = small_case()
    result = forecast(staff, pupils, assumptions, horizon=6, runs=10)
    h = result.headcount
    np.testing.assert_allclose(
        h[:, 1:], h[:, :-1] - result.retirements[:, :-1] - result.other_outflow[:, :-1] + result.inflow[:, :-1]
    )


def test_expected_path_equals_the_cell_by_cell_simulation():
    staff, pupils, assumptions = small_case(2)
    scenario = Scenario(more_hours_share=0.3, more_hours_fte=0.2, absence_delta_points=-2.0, pool_coverage_fte=0.3)
    result = forecast(staff, pupils, assumptions, scenario, horizon=7, runs=5)
    slow = reference.simulate(StaffArrays.from_records(staff), pupils, assumptions, scenario, horizon=7)
    for name in ("headcount", "supply_fte", "demand_fte", "retirements", "other_outflow", "inflow"):
        np.testing.assert_allclose(getattr(result, name), getattr(slow, name), rtol=1e-12, atol=1e-12)


def brute_force_bands(staff, pupils, assumptions, scenario, horizon, runs, seed):
    """Percentiles over a full cell-by-cell simulation of every run with the engine's draws."""
    arrays = StaffArrays.from_records(staff)
    draws = draw_multipliers(assumptions, runs=runs, horizon=horizon, seed=seed)
    results = [
        reference.simulate(
            arrays,
            pupils,
            assumptions,
            scenario,
            horizon=horizon,
            outflow_multiplier=draws.outflow[r],
            inflow_multiplier=draws.inflow[r],
            pupil_path=draws.pupils[r],
            absence_shift=draws.absence[r],
        )
        for r in range(runs)
    ]
    prep = model.prepare(arrays, pupils, assumptions, scenario, horizon)
    bands = {}
    for name, (keys, index) in model.aggregate_keys(prep).items():
        supply = np.stack([model._sum_by_key(x.supply_fte, index, len(keys)) for x in results])
        demand = np.stack([model._sum_by_key(x.demand_fte, index, len(keys)) for x in results])
        bands[name] = {
            "keys": keys,
            "supply_fte": np.percentile(supply, model.PERCENTILES, axis=0),
            "demand_fte": np.percentile(demand, model.PERCENTILES, axis=0),
            "gap_fte": np.percentile(demand - supply, model.PERCENTILES, axis=0),
        }
    return bands


TOLERANCE = 1e-9  # fte; the fast method is exact up to rounding (docs/workforce-model.md section 7)


@pytest.mark.parametrize(
    ("assumption_changes", "scenario"),
    [
        ({}, Scenario()),
        # Absence shifts that clip some groups at 0 (the exact piecewise part) and a pool.
        ({"absence_sd_points": 3.0}, Scenario(absence_delta_points=-4.0, pool_coverage_fte=0.5)),
        # So much outflow uncertainty that some runs hit the cap of 1: evaluated per distinct run value.
        ({"outflow_sd": 1.5}, Scenario(more_hours_share=0.5, more_hours_fte=0.2)),
    ],
)
def test_fast_bands_match_brute_force_per_run_simulation(assumption_changes, scenario):
    staff, pupils, assumptions = small_case(3)
    assumptions = dataclasses.replace(assumptions, **assumption_changes)
    fast = forecast(staff, pupils, assumptions, scenario, horizon=6, runs=60, seed=11)
    slow = brute_force_bands(staff, pupils, assumptions, scenario, horizon=6, runs=60, seed=11)
    for name, bands in fast.bands.items():
        assert bands.keys == slow[name]["keys"]
        for field in ("supply_fte", "demand_fte", "gap_fte"):
            np.testing.assert_allclose(getattr(bands, field), slow[name][field], rtol=0, atol=TOLERANCE)


def test_without_uncertainty_all_bands_equal_the_expected_path():
    staff, pupils, assumptions = small_case(4)
    assumptions = dataclasses.replace(
        assumptions, outflow_sd=0.0, inflow_sd=0.0, pupils_sd_per_year=0.0, absence_sd_points=0.0
    )
    result = forecast(staff, pupils, assumptions, horizon=5, runs=30)
    total = result.bands["total"]
    for band in range(3):
        np.testing.assert_allclose(total.supply_fte[band, 0], result.supply_fte.sum(axis=0))
        np.testing.assert_allclose(total.gap_fte[band, 0], result.gap_fte.sum(axis=0))
    board = result.bands["board"]
    for i, board_id in enumerate(board.keys):
        rows = [g.board_id == board_id for g in result.groups]
        np.testing.assert_allclose(board.demand_fte[1, i], result.demand_fte[rows].sum(axis=0))


def test_band_keys():
    staff, pupils, assumptions = small_case(5)
    result = forecast(staff, pupils, assumptions, horizon=3, runs=20)
    assert result.bands["total"].keys == ("total",)
    assert result.bands["board"].keys == (1, 2, 3)
    assert result.bands["subject"].keys == ("en", "ne", "wi")  # teaching only
    assert result.bands["function"].keys == ("teaching", "support", "management")
    assert result.bands["board"].gap_fte.shape == (3, 3, 4)


def test_columns_and_records_give_the_same_forecast():
    staff, pupils, assumptions = small_case(6)
    arrays = StaffArrays.from_columns(
        board_id=np.array([p.board_id for p in staff]),
        function=np.array([p.function for p in staff]),
        subject=np.array([p.subject for p in staff]),
        degree=np.array([p.degree for p in staff]),
        birth_year=np.array([p.birth_year for p in staff]),
        fte=np.array([p.fte for p in staff]),
        start_year_board=np.array([p.start_year_board for p in staff]),
        absence_pct=np.array([np.nan if p.absence_pct is None else p.absence_pct for p in staff]),
        planned_exit_year=np.array([p.planned_exit_year or 0 for p in staff]),
    )
    assert arrays.groups == tuple(sorted({GroupKey(p.board_id, p.function, p.subject, p.degree) for p in staff}))
    a = forecast_arrays(arrays, pupils, assumptions, horizon=4, runs=50)
    b = forecast(staff, pupils, assumptions, horizon=4, runs=50)
    np.testing.assert_array_equal(a.supply_fte, b.supply_fte)
    np.testing.assert_array_equal(a.bands["board"].gap_fte, b.bands["board"].gap_fte)


def test_unknown_function_is_rejected():
    with pytest.raises(ValueError, match="unknown function"):
        run([person(function="teacher")])


def test_rates_outside_zero_and_one_are_rejected():
    with pytest.raises(ValueError, match="between 0 and 1"):
        run([person()], dataclasses.replace(QUIET, outflow_by_age=((16, 75, 1.5),)))


def test_progress_is_reported_a_handful_of_times_up_to_done():
    calls = []
    staff, pupils, assumptions = small_case(7)
    forecast(staff, pupils, assumptions, horizon=3, runs=10, progress=lambda done, total: calls.append((done, total)))
    assert 3 <= len(calls) <= 10
    assert calls[0][0] == 0
    assert calls[-1][0] == calls[-1][1]
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_empty_staff_gives_empty_groups():
    result = run([], horizon=2)
    assert result.groups == ()
    assert result.headcount.shape == (0, 3)
    np.testing.assert_array_equal(result.bands["total"].supply_fte, np.zeros((3, 1, 3)))
