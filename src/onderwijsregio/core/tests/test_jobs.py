import pytest

from onderwijsregio.core.models import Job
from onderwijsregio.core.services import job_create, job_fail, job_finish, job_progress, job_start

pytestmark = pytest.mark.django_db


def test_job_lifecycle_reports_percent_and_result():
    job = job_create(kind="duo_import", label="DUO-import")
    assert job.status == Job.Status.QUEUED
    assert job.percent == 0

    job_start(job_id=job.pk, total=200, message="Bestanden lezen")
    job_progress(job_id=job.pk, done=50)
    job.refresh_from_db()
    assert (job.status, job.percent, job.message) == (Job.Status.RUNNING, 25, "Bestanden lezen")

    job_finish(job_id=job.pk, result={"created": 3})
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.percent == 100
    assert job.done == job.total
    assert job.result == {"created": 3}
    assert job.is_finished


def test_failed_job_keeps_message_and_errors():
    job = job_create(kind="duo_import", label="DUO-import")
    job_start(job_id=job.pk, total=10)
    job_fail(job_id=job.pk, message="2 rijen afgekeurd", result={"errors": [{"line": 3, "reason": "x"}]})
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.result["errors"][0]["line"] == 3
    assert job.finished_at is not None
