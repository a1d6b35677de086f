"""`manage.py job_status`: status, progress bar and the rejected rows of a failed job."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from onderwijsregio.core.management.commands.job_status import render_bar
from onderwijsregio.core.services import job_create, job_fail, job_finish, job_progress, job_start

pytestmark = pytest.mark.django_db


def test_render_bar():
    assert render_bar(0, 0, width=10) == "[..........]   0% (0/0)"
    assert render_bar(3, 10, width=10) == "[###.......]  30% (3/10)"
    assert render_bar(12, 10, width=10) == "[##########] 100% (12/10)"


def test_running_job_shows_progress():
    job = job_create(kind="duo_import", label="DUO-import: vo.csv")
    job_start(job_id=job.pk, total=400, message="Controleren: vo.csv")
    job_progress(job_id=job.pk, done=100)
    out = StringIO()
    call_command("job_status", str(job.pk), stdout=out)
    assert "DUO-import: vo.csv" in out.getvalue()
    assert "bezig          [########......................]  25% (100/400) Controleren: vo.csv" in out.getvalue()


def test_follow_stops_when_finished():
    job = job_create(kind="duo_import", label="DUO-import")
    job_start(job_id=job.pk, total=10)
    job_finish(job_id=job.pk, result={}, message="Import klaar")
    out = StringIO()
    call_command("job_status", str(job.pk), "--follow", stdout=out)
    assert "100% (10/10) Import klaar" in out.getvalue()


def test_failed_job_lists_rows_and_exits_non_zero():
    job = job_create(kind="duo_import", label="DUO-import")
    job_start(job_id=job.pk, total=3)
    job_fail(
        job_id=job.pk,
        message="1 rij afgekeurd",
        result={"errors": [{"file": "vo.csv", "line": 3, "reason": "onbekende gemeentecode 7777"}]},
    )
    err = StringIO()
    with pytest.raises(CommandError, match="1 rij afgekeurd"):
        call_command("job_status", str(job.pk), stdout=StringIO(), stderr=err)
    assert "vo.csv, regel 3: onbekende gemeentecode 7777" in err.getvalue()


def test_unknown_job_is_a_clear_error():
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("job_status", "geen-uuid")
