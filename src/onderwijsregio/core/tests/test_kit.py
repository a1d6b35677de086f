"""The shared kit every app uses: domain errors with codes, the form helper, the guard, the job runner."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory

from onderwijsregio.api.problems import problem_exception_handler
from onderwijsregio.core.audit import audit_action, audit_action_label, audit_actions
from onderwijsregio.core.errors import DomainError, StaleVersion, actor_or_none, version_check
from onderwijsregio.core.forms import add_service_errors
from onderwijsregio.core.guards import require_perm
from onderwijsregio.core.jobs import job_create, job_enqueue, job_failure_message, job_running
from onderwijsregio.core.models import Job


class Refused(DomainError):
    default_code = "refused_for_a_reason"


class Conflict(DomainError):
    default_code = "already_answered"
    http_status = 409


def test_domain_error_puts_its_code_on_every_field_message():
    error = Refused({"end_date": "Het einde ligt voor het begin.", "hours": ["Te veel.", "Niet heel."]})
    assert error.error_code == "refused_for_a_reason"
    codes = {field: [item.code for item in items] for field, items in error.error_dict.items()}
    assert codes == {"end_date": ["refused_for_a_reason"], "hours": ["refused_for_a_reason", "refused_for_a_reason"]}
    assert error.message_dict["hours"] == ["Te veel.", "Niet heel."]


def test_domain_error_code_can_be_given_per_raise():
    error = Refused("Het einde ligt voor het begin.", code="end_before_start")
    assert (error.error_code, error.code, error.messages) == (
        "end_before_start",
        "end_before_start",
        ["Het einde ligt voor het begin."],
    )


def _problem(error):
    request = RequestFactory().post("/api/v1/things")
    return problem_exception_handler(error, {"request": request})


def test_api_carries_the_domain_code_in_invalid_params():
    response = _problem(Refused({"hours": "Te veel."}, code="too_many_hours"))
    assert response.status_code == 400
    assert response.data["invalidParams"] == [{"name": "hours", "code": "too_many_hours", "reason": "Te veel."}]
    response = _problem(Refused("Dat kan niet."))
    assert response.data["invalidParams"] == [
        {"name": "nonFieldErrors", "code": "refused_for_a_reason", "reason": "Dat kan niet."}
    ]


def test_api_answers_a_stale_version_with_412_and_a_conflict_with_its_own_status():
    assert _problem(StaleVersion("Gewijzigd.")).status_code == 412
    response = _problem(Conflict("Dit aanbod is al beantwoord."))
    assert (response.status_code, response.data["code"], response.data["detail"]) == (
        409,
        "already_answered",
        "Dit aanbod is al beantwoord.",
    )


def test_plain_validation_errors_still_answer_invalid():
    response = _problem(ValidationError({"name": "Verplicht."}))
    assert response.data["invalidParams"] == [{"name": "name", "code": "invalid", "reason": "Verplicht."}]


class _Record:
    version = 3


def test_version_check_refuses_another_version_and_lets_none_through():
    version_check(_Record(), 3)
    version_check(_Record(), None)
    with pytest.raises(StaleVersion) as refused:
        version_check(_Record(), 2)
    assert refused.value.error_code == "stale_version"


def test_actor_or_none_keeps_only_a_logged_in_user(django_user_model):
    user = django_user_model(email="a@example.org")
    assert actor_or_none(user) is user
    assert actor_or_none(AnonymousUser()) is None
    assert actor_or_none(None) is None


class _Form(forms.Form):
    start_date = forms.DateField()
    note = forms.CharField(required=False)


def test_service_errors_land_on_the_named_field_or_at_the_top_and_the_input_stays():
    form = _Form({"start_date": "2026-12-07", "note": "getypt"})
    assert form.is_valid()
    add_service_errors(
        form, ValidationError({"start": "Te vroeg.", "other": "Elders."}), field_map={"start": "start_date"}
    )
    assert form.errors["start_date"] == ["Te vroeg."]
    assert form.non_field_errors() == ["Elders."]
    assert form["note"].value() == "getypt"
    form = _Form({"start_date": "2026-12-07"})
    form.is_valid()
    add_service_errors(form, DomainError("Niet toegestaan."))
    assert form.non_field_errors() == ["Niet toegestaan."]


class _User:
    def __init__(self, perms):
        self.perms = perms

    def has_perm(self, perm, obj=None):
        return perm in self.perms


def test_require_perm_refuses_with_403_or_hides_with_404():
    request = RequestFactory().get("/")
    request.user = _User({"app.see"})
    require_perm(request, "app.see")
    with pytest.raises(PermissionDenied):
        require_perm(request, "app.change")
    with pytest.raises(Http404):
        require_perm(request, "app.change", hide=True)


@pytest.mark.django_db
def test_job_running_finishes_the_job_with_its_result():
    job = job_create(kind="test", label="Test")
    with job_running(job.pk, failure="Mislukt", total=2, message="Begin") as progress:
        progress.step(done=1, message="Halverwege")
        job.refresh_from_db()
        assert (job.status, job.done, job.total, job.message) == (Job.Status.RUNNING, 1, 2, "Halverwege")
        progress.finish(result={"made": 2}, message="Klaar")
    job.refresh_from_db()
    assert (job.status, job.result, job.message, job.done) == (Job.Status.SUCCEEDED, {"made": 2}, "Klaar", 2)


@pytest.mark.django_db
def test_an_unexpected_error_reaches_the_user_in_dutch_and_the_detail_stays_in_the_result():
    job = job_create(kind="test", label="Test")
    kept = []
    with (
        pytest.raises(KeyError),
        job_running(job.pk, failure="De ronde is mislukt", hint="probeer het later opnieuw", on_failure=kept.append),
    ):
        raise KeyError("internal_column_x")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "De ronde is mislukt: probeer het later opnieuw."
    assert "internal_column_x" not in job.message
    assert "KeyError" in job.result["error"] and "internal_column_x" in job.result["error"]
    assert kept == [job.message]


@pytest.mark.django_db
def test_a_refusal_reaches_the_user_with_its_own_text():
    job = job_create(kind="test", label="Test")
    with pytest.raises(Refused), job_running(job.pk, failure="De prognose kon niet worden berekend", hint="x"):
        raise Refused("Een personeelsbestand bestaat niet meer.")
    job.refresh_from_db()
    assert job.message == "De prognose kon niet worden berekend: Een personeelsbestand bestaat niet meer."


@pytest.mark.django_db
def test_work_that_ends_the_job_itself_is_not_finished_again():
    job = job_create(kind="test", label="Test")
    with job_running(job.pk, failure="Mislukt") as progress:
        progress.fail(message="3 rijen afgekeurd", result={"errors": [1, 2, 3]})
    job.refresh_from_db()
    assert (job.status, job.message, job.result) == (Job.Status.FAILED, "3 rijen afgekeurd", {"errors": [1, 2, 3]})


def test_work_without_a_job_runs_the_same():
    with job_running(None, failure="Mislukt") as progress:
        progress.step(done=1)
        progress.finish(result={})
    assert job_failure_message(ValueError("x"), failure="Mislukt") == "Mislukt."


class _Task:
    def __init__(self):
        self.calls = []

    def enqueue(self, **arguments):
        self.calls.append(arguments)

        class Result:
            id = "task-1"

        return Result()


@pytest.mark.django_db(transaction=True)
def test_job_enqueue_waits_for_the_commit_and_queues_nothing_on_rollback():
    from django.db import transaction

    task = _Task()
    job = job_create(kind="test", label="Test")
    with pytest.raises(RuntimeError), transaction.atomic():
        job_enqueue(job=job, task=task, job_id=str(job.pk))
        raise RuntimeError
    assert task.calls == []
    with transaction.atomic():
        job_enqueue(job=job, task=task, job_id=str(job.pk))
        assert task.calls == []
    assert task.calls == [{"job_id": str(job.pk)}]
    job.refresh_from_db()
    assert job.task_result_id == "task-1"


def test_audit_catalogue_refuses_a_second_label_for_the_same_name():
    name = audit_action("test.kit_checked", "Kit nagekeken")
    assert audit_action("test.kit_checked", "Kit nagekeken") == name
    assert audit_action_label(name) == "Kit nagekeken"
    assert name in audit_actions()
    with pytest.raises(ValueError):
        audit_action("test.kit_checked", "Iets anders")
    assert audit_action_label("older.unknown_action") == "older.unknown_action"
