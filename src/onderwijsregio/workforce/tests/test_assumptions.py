"""The assumption catalogue: defaults from public figures, sources for every entry, engine conversion."""

from __future__ import annotations

import pytest

from onderwijsregio.organisations.tests.factories import RegionFactory
from onderwijsregio.workforce import assumptions
from onderwijsregio.workforce.engine.types import Assumptions
from onderwijsregio.workforce.models import AssumptionSet
from onderwijsregio.workforce.scenarios import LEVERS, scenario_levers
from onderwijsregio.workforce.tests.factories import ScenarioFactory


def test_every_entry_has_label_unit_source_and_a_default_within_bounds():
    keys = [entry.key for entry in assumptions.CATALOGUE]
    assert len(keys) == len(set(keys))
    for entry in assumptions.CATALOGUE:
        assert str(entry.label) and str(entry.unit) and str(entry.source)
        assert entry.min <= entry.default <= entry.max


def test_defaults_carry_the_public_figures():
    d = assumptions.DEFAULTS
    assert d["absence_pct"] == 6.0  # VO 2024
    assert d["starter_outflow_year1"] == 20.0  # starters leaving after one year
    assert d["hidden_shortage_pct"] == 3.0
    assert (d["pension_age_2025"], d["pension_age_2028"]) == (67.0, 67.25)
    assert "Rijksoverheid" in str(assumptions.BY_KEY["pension_age_2028"].source)
    assert "6,0%" in str(assumptions.BY_KEY["absence_pct"].source)


def test_default_engine_assumptions_equal_the_engine_defaults_where_they_overlap():
    ours = assumptions.assumptions_from_values({}, 2026)
    engine = Assumptions(base_year=2026)
    for (lo, hi, rate), (elo, ehi, erate) in zip(ours.outflow_by_age, engine.outflow_by_age, strict=True):
        assert (lo, hi) == (elo, ehi) and rate == pytest.approx(erate)
    for name in (
        "graduate_inflow_rate",
        "mobility_inflow_rate",
        "absence_pct",
        "hidden_shortage_pct",
        "new_staff_fte",
        "outflow_sd",
        "inflow_sd",
        "pupils_sd_per_year",
        "absence_sd_points",
        "graduate_age",
        "side_entrant_age",
    ):
        assert getattr(ours, name) == pytest.approx(getattr(engine, name)), name
    assert ours.starter_outflow_by_tenure == pytest.approx(engine.starter_outflow_by_tenure)
    assert ours.pension_age[2025] == 67.0 and ours.pension_age[2028] == 67.25


@pytest.mark.django_db
def test_region_values_override_defaults_and_bad_stored_values_are_ignored():
    region = RegionFactory()
    AssumptionSet.objects.create(region=region, values={"absence_pct": 7.5, "outflow_25_34": 999, "unknown": 1})
    values = assumptions.values_for(region)
    assert values["absence_pct"] == 7.5
    assert values["outflow_25_34"] == 7.0  # out of bounds in the database: the default is used
    engine = assumptions.engine_assumptions(region, 2027)
    assert engine.base_year == 2027 and engine.absence_pct == 7.5
    assert {lo: rate for lo, _hi, rate in engine.outflow_by_age}[25] == pytest.approx(0.07)
    assert assumptions.values_for(None) == assumptions.DEFAULTS


def test_validate_values_messages_are_dutch():
    errors = assumptions.validate_values({"absence_pct": "veel", "graduate_age": 99})
    assert errors["absence_pct"] == "Vul een getal in."
    assert "tot en met" in errors["graduate_age"]


@pytest.mark.django_db
def test_scenario_levers_to_engine():
    scenario = ScenarioFactory(
        levers={"more_hours_share": 0.3, "more_hours_fte": 0.1, "bogus": 5, "pupil_change_pct": 99}
    )
    engine = scenario_levers(scenario)
    assert engine.name == scenario.name
    assert (engine.more_hours_share, engine.more_hours_fte) == (0.3, 0.1)
    assert engine.pupil_change_pct == 0.0  # out of bounds: ignored
    assert scenario_levers(None).name == "basis"
    assert {lever.key for lever in LEVERS} == {
        "more_hours_share",
        "more_hours_fte",
        "absence_delta_points",
        "extra_side_entrants_per_year",
        "pool_coverage_fte",
        "pupil_change_pct",
    }
