"""The one job runner: queue a background task with a Job, report progress, finish or fail.

Every long piece of work (an import, a pool batch, a forecast) has a `core.Job` row that pages and
`manage.py job_status` show. The use case's service creates the job and queues the task with
`job_enqueue`; the task's service runs its work inside `job_running`, which starts the job, hands out a
`JobProgress`, finishes the job when the work returns and fails it when the work raises. A failure always
reaches the user as a Dutch sentence (the DomainError's own text, or the caller's hint for anything
unexpected); the technical detail goes into the job's result and the log, never onto the page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction

from .errors import DomainError
from .models import Job
from .services import job_attach_task, job_create, job_fail, job_finish, job_progress, job_start

logger = logging.getLogger(__name__)

__all__ = ["JobProgress", "job_create", "job_enqueue", "job_failure_message", "job_running"]


def job_enqueue(*, job: Job, task: Any, **arguments: Any) -> None:
    """Queue `task` for the worker once the surrounding transaction commits, and attach it to `job`.

    Outside a transaction it is queued at once. A rolled-back use case queues nothing.
    """

    def enqueue() -> None:
        result = task.enqueue(**arguments)
        job_attach_task(job=job, task_result_id=str(result.id))

    transaction.on_commit(enqueue)


class JobProgress:
    """What the work inside `job_running` reports; every call is a no-op for work without a job."""

    def __init__(self, job_id: Any) -> None:
        self.job_id = job_id
        self.ended = False

    def step(self, *, done: int, total: int | None = None, message: str | None = None) -> None:
        if self.job_id:
            job_progress(job_id=self.job_id, done=done, total=total, message=message)

    def finish(self, *, result: dict | None = None, message: str = "") -> None:
        if self.job_id and not self.ended:
            job_finish(job_id=self.job_id, result=result, message=message)
        self.ended = True

    def fail(self, *, message: str, result: dict | None = None) -> None:
        """End the job as failed without an exception: the work was refused as a whole (a rejected file)."""
        if self.job_id and not self.ended:
            job_fail(job_id=self.job_id, message=message, result=result)
        self.ended = True


def job_failure_message(error: BaseException, *, failure: str, hint: str = "") -> str:
    """The Dutch sentence a user reads: `failure`, then the refusal's own text or else the hint."""
    reason = " ".join(error.messages) if isinstance(error, DomainError) else hint
    reason = str(reason).strip().rstrip(".")
    return (f"{failure}: {reason}." if reason else f"{failure}.")[:500]


@contextmanager
def job_running(
    job_id: Any,
    *,
    failure: str,
    hint: str = "",
    total: int = 0,
    message: str = "",
    on_failure: Callable[[str], None] | None = None,
) -> Iterator[JobProgress]:
    """Run work for a job: started on entry, finished on return (unless the work ended it), failed on error.

    On an exception the job fails with `job_failure_message(...)` and the technical detail in its result;
    `on_failure` gets the same message (to keep it on the domain's own record), and the exception goes on.
    """
    progress = JobProgress(job_id)
    if job_id:
        job_start(job_id=job_id, total=total, message=message)
    try:
        yield progress
    except Exception as error:
        text = job_failure_message(error, failure=failure, hint=hint)
        logger.exception("job %s failed", job_id)
        if on_failure is not None:
            on_failure(text)
        if job_id and not progress.ended:
            job_fail(job_id=job_id, message=text, result={"error": f"{type(error).__name__}: {error}"[:1000]})
        progress.ended = True
        raise
    progress.finish()
