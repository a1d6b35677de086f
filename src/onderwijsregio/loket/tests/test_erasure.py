"""Erasure leaves no trace of the candidate's address, and login codes are never stored in task results (issue 10)."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from onderwijsregio.loket import services
from onderwijsregio.loket.models import Candidate, ConsentPurpose
from onderwijsregio.organisations.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db

INTAKE = {
    "first_name": "Fatima",
    "last_name": "El Amrani",
    "postcode": "3811 AB",
    "target_group": "side_entrant",
    "education_level": "wo_master",
    "education_field": "Econometrie",
    "dutch_level": "C1",
    "target_sectors": ["VO"],
}


def register(region, email: str) -> Candidate:
    return services.candidate_register(
        region=region, data={**INTAKE, "email": email}, consents={ConsentPurpose.SHARE_BOARDS: True}
    )


def stored_task_text() -> str:
    return " ".join(f"{row.args_kwargs} {row.return_value}" for row in DBTaskResult.objects.all())


def request_code(client, email, run_worker, capture) -> str:
    mail.outbox.clear()
    with capture(execute=True):
        assert client.post(reverse("loket:candidate_login"), {"email": email}).status_code == 302
    run_worker()
    return re.search(r"^\s+(\d{6})\s*$", mail.outbox[-1].body, re.MULTILINE).group(1)


def test_the_login_code_is_never_stored_in_a_task_result(client, run_worker, django_capture_on_commit_callbacks):
    candidate = register(RegionFactory(), "fatima@example.nl")
    code = request_code(client, "fatima@example.nl", run_worker, django_capture_on_commit_callbacks)
    assert DBTaskResult.objects.exists()
    assert code not in stored_task_text()
    # The code still works, once.
    response = client.post(reverse("loket:candidate_login_code"), {"code": code})
    assert response.status_code == 302 and response["Location"] == reverse("loket:my_record")
    assert candidate.login_codes.get().used_at is not None


def test_a_code_not_yet_sent_opens_nothing(client, django_capture_on_commit_callbacks):
    """Between the request and the worker's run the row holds no usable code."""
    candidate = register(RegionFactory(), "fatima@example.nl")
    with django_capture_on_commit_callbacks(execute=False):
        login_code = services.login_code_issue(email="fatima@example.nl")
    assert login_code is not None and login_code.code_hash == ""
    assert services.login_code_verify(email=candidate.email, code="") is None
    assert services.login_code_verify(email=candidate.email, code="000000") is None


def test_erasure_removes_the_address_from_lockouts_task_results_and_sessions(
    client, run_worker, django_capture_on_commit_callbacks
):
    region = RegionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        candidate = register(region, "fatima@example.nl")
        register(region, "anders@example.nl")
    run_worker()
    # Earlier logins and failed attempts with the address (axes files it lower-cased; be safe anyway).
    when = timezone.now()
    for email in ("Fatima@Example.nl", "anders@example.nl"):
        AccessLog.objects.create(username=email, ip_address="10.0.0.1", user_agent="x", attempt_time=when)
        AccessAttempt.objects.create(
            username=email,
            ip_address="10.0.0.1",
            user_agent="x",
            attempt_time=when,
            failures_since_start=1,
            get_data="",
            post_data=f"email={email}",
        )
        AccessFailureLog.objects.create(username=email, ip_address="10.0.0.1", user_agent="x", attempt_time=when)
    # An unfinished code login in one browser, another person's in another.
    request_code(client, "fatima@example.nl", run_worker, django_capture_on_commit_callbacks)
    other = client.__class__()
    request_code(other, "anders@example.nl", run_worker, django_capture_on_commit_callbacks)
    assert "fatima@example.nl" in stored_task_text()
    sessions_before = Session.objects.count()

    services.candidate_erase(candidate=candidate, actor=None, reason="request")

    for model in (AccessLog, AccessAttempt, AccessFailureLog):
        assert not model.objects.filter(username__iexact="fatima@example.nl").exists(), model
        assert model.objects.filter(username="anders@example.nl").exists(), model
    assert "fatima@example.nl" not in stored_task_text().lower()
    assert "anders@example.nl" in stored_task_text()
    decoded = [session.get_decoded() for session in Session.objects.all()]
    assert not any("fatima@example.nl" in str(data).lower() for data in decoded)
    assert any("anders@example.nl" in str(data) for data in decoded)
    assert Session.objects.count() == sessions_before - 1
    # The browser whose login was unfinished starts again.
    assert client.get(reverse("loket:candidate_login_code")).status_code == 302


def test_erasure_ends_the_candidates_own_sessions(client, django_capture_on_commit_callbacks):
    candidate = register(RegionFactory(), "fatima@example.nl")
    user = services.candidate_login_account(candidate=candidate)
    client.force_login(user)
    assert Session.objects.count() == 1
    services.candidate_erase(candidate=Candidate.objects.get(pk=candidate.pk), actor=None, reason="request")
    assert Session.objects.count() == 0
