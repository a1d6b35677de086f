"""Writes of personnel planning: versions per date, one transaction, audit events, version conflicts."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from onderwijsregio.core.errors import StaleVersion
from onderwijsregio.core.models import AuditEvent
from onderwijsregio.workforce import assumptions, services
from onderwijsregio.workforce.models import AssumptionSet, PupilForecast, Scenario, StaffRow, StaffSnapshot

from .data_helpers import World, csv_bytes, row, subjects_create

pytestmark = pytest.mark.django_db
REF = date(2026, 10, 1)


@pytest.fixture
def world():
    subjects_create()
    return World()


def upload(world, rows, ref=REF):
    return services.snapshot_upload(
        board=world.board_a, reference_date=ref, file=csv_bytes(rows), filename="p.csv", actor=world.hr_a
    )


def test_upload_numbers_versions_per_board_and_date(world):
    first = upload(world, [row(1), row(2)])
    second = upload(world, [row(1)])
    other_date = upload(world, [row(1)], ref=date(2025, 10, 1))
    assert (first.version, second.version, other_date.version) == (1, 2, 1)
    assert first.row_count == 2 and str(first.total_fte) == "1.60"
    assert first.uploaded_by == world.hr_a and first.source_filename == "p.csv" and not first.is_synthetic
    assert StaffRow.objects.filter(snapshot=first).count() == 2
    event = AuditEvent.objects.get(action="workforce.snapshot_uploaded", object_id=str(first.pk))
    assert event.organisation_id == world.board_a.pk
    assert event.details["rows"] == 2 and event.details["version"] == 1


def test_rejected_upload_writes_no_snapshot_no_rows_no_audit(world):
    with pytest.raises(services.SnapshotRejected):
        upload(world, [row(1), row(2, fte="twee")])
    assert not StaffSnapshot.objects.exists()
    assert not StaffRow.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="workforce.snapshot").exists()


def test_only_boards_get_snapshots(world):
    with pytest.raises(ValidationError):
        services.snapshot_upload(board=world.region, reference_date=REF, file=csv_bytes([row(1)]), actor=world.team)


def test_snapshot_delete_removes_rows_and_is_audited(world):
    snapshot = upload(world, [row(1)])
    services.snapshot_delete(snapshot=snapshot, actor=world.hr_a)
    assert not StaffRow.objects.exists()
    assert AuditEvent.objects.filter(action="workforce.snapshot_deleted").count() == 1


def test_pupil_forecast_set_update_and_remove(world):
    forecast = services.pupil_forecast_set(location=world.location_a, year=2028, pupils=640, actor=world.hr_a)
    assert forecast.pupils == 640 and forecast.entered_by == world.hr_a
    services.pupil_forecast_set(location=world.location_a, year=2028, pupils=700, actor=world.hr_a)
    assert PupilForecast.objects.get().pupils == 700
    services.pupil_forecast_set(location=world.location_a, year=2028, pupils=None, actor=world.hr_a)
    assert not PupilForecast.objects.exists()
    actions = list(AuditEvent.objects.filter(action__startswith="workforce.pupil").values_list("action", flat=True))
    assert actions.count("workforce.pupil_forecast_set") == 2 and "workforce.pupil_forecast_removed" in actions
    with pytest.raises(ValidationError):
        services.pupil_forecast_set(location=world.location_a, year=2028, pupils=-1, actor=world.hr_a)
    with pytest.raises(ValidationError):
        services.pupil_forecast_set(location=world.location_a, year=1999, pupils=5, actor=world.hr_a)


def test_assumptions_update_with_optimistic_version(world):
    first = services.assumptions_update(
        region=world.region, values={"absence_pct": 5.5}, actor=world.team, expected_version=0
    )
    assert first.version == 1
    assert assumptions.values_for(world.region)["absence_pct"] == 5.5
    second = services.assumptions_update(
        region=world.region, values={"hidden_shortage_pct": 4}, actor=world.team, expected_version=1
    )
    assert second.version == 2
    # Someone who loaded the page at version 1 is refused; nothing changes.
    with pytest.raises(StaleVersion):
        services.assumptions_update(
            region=world.region, values={"absence_pct": 9}, actor=world.team, expected_version=1
        )
    assert assumptions.values_for(world.region)["absence_pct"] == 5.5
    event = AuditEvent.objects.filter(action="workforce.assumptions_updated").order_by("pk").last()
    assert event.details["changed"] == {"hidden_shortage_pct": [3.0, 4.0]}


def test_assumptions_update_refuses_out_of_bounds_and_unknown(world):
    with pytest.raises(ValidationError) as error:
        services.assumptions_update(
            region=world.region, values={"absence_pct": 45, "shoe_size": 3}, actor=world.team, expected_version=0
        )
    assert set(error.value.message_dict) == {"absence_pct", "shoe_size"}
    assert not AssumptionSet.objects.exists()


def test_scenario_create_update_delete(world):
    scenario = services.scenario_create(
        owner=world.board_a, name="Meer uren", levers={"more_hours_share": 0.3, "more_hours_fte": 0.1}, actor=world.hr_a
    )
    assert scenario.levers == {"more_hours_share": 0.3, "more_hours_fte": 0.1}
    with pytest.raises(ValidationError) as duplicate:
        services.scenario_create(owner=world.board_a, name="meer uren", levers={}, actor=world.hr_a)
    assert "name" in duplicate.value.message_dict
    with pytest.raises(ValidationError) as bad:
        services.scenario_create(owner=world.board_a, name="X", levers={"pupil_change_pct": 80}, actor=world.hr_a)
    assert "pupil_change_pct" in bad.value.message_dict
    updated = services.scenario_update(
        scenario=scenario, actor=world.hr_a, expected_version=1, levers={"absence_delta_points": -1}
    )
    assert updated.version == 2 and updated.levers == {"absence_delta_points": -1.0}
    with pytest.raises(StaleVersion):
        services.scenario_update(scenario=scenario, actor=world.hr_a, expected_version=1, name="Oud")
    services.scenario_delete(scenario=updated, actor=world.hr_a)
    assert not Scenario.objects.exists()
    assert AuditEvent.objects.filter(action__startswith="workforce.scenario").count() == 3


def test_latest_snapshots_per_board_of_the_region(world):
    from onderwijsregio.workforce import selectors

    old = upload(world, [row(1)], ref=date(2025, 10, 1))
    upload(world, [row(1)])
    newest = upload(world, [row(1), row(2)])
    outside = services.snapshot_upload(
        board=world.board_outside, reference_date=REF, file=csv_bytes([row(1)]), actor=None
    )
    assert selectors.latest_snapshot(board=world.board_a) == newest
    assert selectors.latest_snapshots_for_region(region=world.region) == [newest]
    assert selectors.boards_with_snapshots(region=world.region) == 1
    assert old not in selectors.latest_snapshots_for_region(region=world.region)
    assert selectors.latest_snapshots_for_region(region=world.other_region) == [outside]
