"""Writes of the shared kernel: audit events and job progress."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .audit import audit_action_known
from .errors import actor_or_none
from .models import AuditEvent, Job


def audit_label(obj: Any) -> str:
    """How an object or actor is named in the audit log.

    Objects that hold someone's personal data (a candidate, their account) name themselves by id
    through an `audit_label()` method, so the log says nothing about a person once they are erased.
    """
    label = getattr(obj, "audit_label", None)
    if callable(label):
        return str(label())
    return str(obj)


def _actor_label(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "systeem" if actor is None else "anoniem"
    if callable(getattr(actor, "audit_label", None)):
        return audit_label(actor)
    return getattr(actor, "email", "") or str(actor)


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    organisation_id: int | None = None,
    personal_data_read: bool = False,
    details: dict | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """Append one event to the audit log.

    Services call this inside their own transaction, so an event exists exactly when the change
    it describes was committed. `action` must be declared in an app's audit.py (core.audit): an
    undeclared name is a programming error and is refused with ValueError.
    """
    if not audit_action_known(action):
        raise ValueError(f"audit action {action!r} is not declared in any app's audit.py")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or audit_label(obj)[:255]
    return AuditEvent.objects.create(
        actor=actor_or_none(actor),
        actor_label=_actor_label(actor),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:255],
        organisation_id=organisation_id,
        personal_data_read=personal_data_read,
        details=details or {},
    )


def job_create(*, kind: str, label: str, created_by: Any = None, organisation_id: int | None = None) -> Job:
    return Job.objects.create(
        kind=kind,
        label=label,
        created_by=actor_or_none(created_by),
        organisation_id=organisation_id,
    )


def job_attach_task(*, job: Job, task_result_id: str) -> None:
    Job.objects.filter(pk=job.pk).update(task_result_id=task_result_id)


def job_start(*, job_id, total: int = 0, message: str = "") -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.RUNNING, total=total, done=0, message=message, started_at=timezone.now()
    )


def job_progress(*, job_id, done: int, total: int | None = None, message: str | None = None) -> None:
    """Record progress.

    Call it outside long transactions (importers validate first, reporting progress, and write in
    one short atomic phase at the end), or other connections will not see it until commit.
    """
    fields: dict[str, Any] = {"done": done}
    if total is not None:
        fields["total"] = total
    if message is not None:
        fields["message"] = message[:500]
    Job.objects.filter(pk=job_id).update(**fields)


def job_finish(*, job_id, result: dict | None = None, message: str = "") -> None:
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.SUCCEEDED,
        done=job.total,
        result=result or {},
        message=message[:500],
        finished_at=timezone.now(),
    )


def job_fail(*, job_id, message: str, result: dict | None = None) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.FAILED, message=message[:500], result=result or {}, finished_at=timezone.now()
    )


_emails_suppressed: ContextVar[bool] = ContextVar("emails_suppressed", default=False)


@contextmanager
def emails_suppressed():
    """Build data through the services without mailing anyone (the demo's fictitious people)."""
    token = _emails_suppressed.set(True)
    try:
        yield
    finally:
        _emails_suppressed.reset(token)


def email_send_later(*, to: list[str], subject: str, body: str, html_body: str = "") -> None:
    """Queue an email for the worker, once the surrounding transaction commits.

    A rolled-back change sends nothing, and a slow mail server never slows a page down.
    """
    from .tasks import send_email

    if _emails_suppressed.get():
        return
    transaction.on_commit(lambda: send_email.enqueue(to=list(to), subject=str(subject), body=body, html_body=html_body))
