"""Forecast requests: the input key is the cache, the job runs on the real worker and stores a compact result."""

from __future__ import annotations

from datetime import date

import pytest

from onderwijsregio.core.models import AuditEvent, Job
from onderwijsregio.workforce import selectors as workforce_selectors
from onderwijsregio.workforce import services as workforce_services
from onderwijsregio.workforce.models import AssumptionSet, ForecastRun
from onderwijsregio.workforce.tests.factories import ScenarioFactory
from onderwijsregio.workforce.tests.forecast_helpers import hr_of, make_board, make_region, make_snapshot

pytestmark = pytest.mark.django_db

SMALL = {"horizon": 6, "runs": 50}


def test_same_inputs_reuse_the_run_and_the_worker_stores_the_result(run_worker, django_capture_on_commit_callbacks):
    board, _snapshot = make_board(people=14)
    actor = hr_of(board)
    with django_capture_on_commit_callbacks(execute=True):
        run = workforce_services.forecast_request(subject_organisation=board, scenario=None, actor=actor, **SMALL)
    assert run.status == ForecastRun.Status.QUEUED
    assert run.job.kind == workforce_services.JOB_KIND and run.job.created_by == actor
    # Asked again before the worker ran: the queued run is the answer, no second job.
    assert (
        workforce_services.forecast_request(subject_organisation=board, scenario=None, actor=actor, **SMALL).pk
        == run.pk
    )

    run_worker()

    run.refresh_from_db()
    assert run.status == ForecastRun.Status.SUCCEEDED, run.message
    assert Job.objects.get(pk=run.job_id).status == Job.Status.SUCCEEDED
    result = run.result
    assert result["years"] == list(range(2026, 2026 + 7))
    assert result["total"]["persons"] == 14
    # 14 people, one teaching two subjects twice over: 16 records, heads per subject count them in each.
    assert sum(group["headcount"][0] for group in result["by_group"]) == pytest.approx(16)
    subjects = {group["subject"] for group in result["by_group"] if group["function"] == "teaching"}
    assert subjects == {"wiskunde", "nederlands", "geschiedenis", "engels"}
    for name in ("total", "board", "subject", "function"):
        band = result["bands"][name]
        for per_key in band["gap"]:
            p10, p50, p90 = per_key
            assert all(a <= b + 1e-6 <= c + 2e-6 for a, b, c in zip(p10, p50, p90, strict=True))
    assert sum(map(sum, result["age_pyramid"]["counts"])) == 14
    assert run.wall_time_s is not None and run.finished_at is not None
    # The rows were read for the forecast: logged as a personal-data read.
    assert AuditEvent.objects.filter(action="workforce.snapshot_rows_read", personal_data_read=True).exists()
    # Finished: the same question is still answered by this run (the cache).
    assert (
        workforce_services.forecast_request(subject_organisation=board, scenario=None, actor=actor, **SMALL).pk
        == run.pk
    )
    assert ForecastRun.objects.count() == 1


def test_changing_an_assumption_or_uploading_a_new_version_gives_a_new_key():
    region, [(board, snapshot)] = make_region(boards=1)
    base = workforce_selectors.forecast_inputs(organisation=board, scenario=None, **SMALL)
    key = workforce_selectors.input_key(base.as_json())
    assert (
        workforce_selectors.input_key(
            workforce_selectors.forecast_inputs(organisation=board, scenario=None, **SMALL).as_json()
        )
        == key
    )

    AssumptionSet.objects.create(region=region, values={"absence_pct": 7.0}, version=2)
    changed = workforce_selectors.forecast_inputs(organisation=board, scenario=None, **SMALL)
    assert changed.assumption_values["absence_pct"] == 7.0
    key_assumption = workforce_selectors.input_key(changed.as_json())
    assert key_assumption != key

    make_snapshot(board, people=15, reference_date=snapshot.reference_date, version=2)
    key_version = workforce_selectors.input_key(
        workforce_selectors.forecast_inputs(organisation=board, scenario=None, **SMALL).as_json()
    )
    assert key_version not in (key, key_assumption)

    scenario = ScenarioFactory(owner=board, levers={"more_hours_share": 0.5, "more_hours_fte": 0.1})
    key_scenario = workforce_selectors.input_key(
        workforce_selectors.forecast_inputs(organisation=board, scenario=scenario, **SMALL).as_json()
    )
    assert key_scenario != key_version
    assert (
        workforce_selectors.input_key(
            workforce_selectors.forecast_inputs(organisation=board, scenario=None, runs=60, horizon=6).as_json()
        )
        != key_version
    )


def test_a_new_key_makes_a_new_run(django_capture_on_commit_callbacks):
    region, [(board, _snapshot)] = make_region(boards=1)
    actor = hr_of(board)
    first = workforce_services.forecast_request(subject_organisation=board, scenario=None, actor=actor, **SMALL)
    AssumptionSet.objects.create(region=region, values={"hidden_shortage_pct": 4.0}, version=2)
    second = workforce_services.forecast_request(subject_organisation=board, scenario=None, actor=actor, **SMALL)
    assert second.pk != first.pk and second.input_key != first.input_key


def test_base_year_follows_the_school_year():
    board, _ = make_board(people=3, reference_date=date(2026, 3, 1))
    assert workforce_selectors.forecast_inputs(organisation=board, scenario=None, **SMALL).base_year == 2025


def test_no_snapshot_and_foreign_scenario_are_refused_in_dutch():
    board, _ = make_board(people=0)
    with pytest.raises(workforce_services.ForecastUnavailable, match="personeelsbestand"):
        workforce_services.forecast_request(subject_organisation=board, scenario=None, actor=None, **SMALL)
    other, _ = make_board(people=3)
    foreign = ScenarioFactory(owner=board)
    with pytest.raises(workforce_services.ForecastUnavailable, match="scenario"):
        workforce_selectors.forecast_inputs(organisation=other, scenario=foreign, **SMALL)


def test_region_forecast_adds_up_its_boards(run_worker, django_capture_on_commit_callbacks):
    region, boards = make_region(boards=2, people=7)
    with django_capture_on_commit_callbacks(execute=True):
        run = workforce_services.forecast_request(subject_organisation=region, scenario=None, actor=None, **SMALL)
    run_worker()
    run.refresh_from_db()
    assert run.status == ForecastRun.Status.SUCCEEDED, run.message
    assert run.result["total"]["persons"] == 14
    assert {entry["board_id"] for entry in run.result["by_board"]} == {board.pk for board, _ in boards}
    assert len(run.inputs["snapshots"]) == 2


def test_failure_is_recorded_in_dutch_on_run_and_job(run_worker, django_capture_on_commit_callbacks):
    board, _ = make_board(people=5)
    with django_capture_on_commit_callbacks(execute=True):
        run = workforce_services.forecast_request(subject_organisation=board, scenario=None, actor=None, **SMALL)
    # An impossible input slipped in (the engine refuses a share above 1).
    inputs = dict(run.inputs, levers={**run.inputs["levers"], "more_hours_share": 5.0})
    ForecastRun.objects.filter(pk=run.pk).update(inputs=inputs)
    run_worker()
    run.refresh_from_db()
    assert run.status == ForecastRun.Status.FAILED
    assert run.message.startswith("De prognose kon niet worden berekend")
    job = Job.objects.get(pk=run.job_id)
    assert job.status == Job.Status.FAILED and job.message == run.message
    # The key is free again: asking anew makes a new run.
    assert (
        workforce_services.forecast_request(subject_organisation=board, scenario=None, actor=None, **SMALL).pk != run.pk
    )
