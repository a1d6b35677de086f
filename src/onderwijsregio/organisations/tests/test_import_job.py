"""The DUO import as a background job on the real database task backend and worker command."""

import pytest
from django.core.management import call_command

from onderwijsregio.core.models import Job
from onderwijsregio.organisations.models import Organisation, PupilCount, SchoolLocation
from onderwijsregio.organisations.services import duo_import_start
from onderwijsregio.organisations.tests.test_import_duo import (
    VO_ADDRESS_HEADER,
    VO_PUPILS_HEADER,
    municipalities,  # noqa: F401 - fixture
    vo_address,
    vo_pupils,
    write,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _worker_keeps_test_connection(monkeypatch):
    # The worker drops connections it thinks are stale; inside the test's transaction that would
    # close the connection under the test, so only that housekeeping is switched off.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def test_job_runs_the_import_on_the_worker(tmp_path, municipalities, django_capture_on_commit_callbacks):  # noqa: F811
    addresses = write(tmp_path / "vo_adressen.csv", [VO_ADDRESS_HEADER, vo_address()])
    pupils = write(tmp_path / "leerlingen_vo_2025.csv", [VO_PUPILS_HEADER, vo_pupils(count="640")])
    # The task is queued when the starting transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        job = duo_import_start(paths=[addresses, pupils], actor=None)
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert job.task_result_id

    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.percent == 100 and job.total == 2
    assert job.result["counts"]["school_locations"]["created"] == 1
    assert PupilCount.objects.get(school_location__vestiging_code="99ZZ00", year=2025).count == 640


def test_failing_file_fails_the_job_with_every_row_and_writes_nothing(
    tmp_path,
    municipalities,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    path = write(
        tmp_path / "vo_adressen.csv",
        [
            VO_ADDRESS_HEADER,
            vo_address(code="99ZZ00"),
            vo_address(code="BAD"),
            vo_address(code="99ZZ01", municipality="7777"),
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = duo_import_start(paths=[path], actor=None)
    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert [(e["line"], e["file"]) for e in job.result["errors"]] == [(3, "vo_adressen.csv"), (4, "vo_adressen.csv")]
    assert "2 rijen afgekeurd" in job.message
    assert not SchoolLocation.objects.exists()
    assert not Organisation.objects.filter(kind=Organisation.Kind.BOARD).exists()
