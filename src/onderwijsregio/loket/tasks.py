"""Daily housekeeping of the candidate desk, run by the worker (`manage.py db_worker`).

- retention: erase candidates whose trajectories closed long enough ago (services.retention_run);
- login codes: the worker makes and emails each code (services.login_code_send), so no code is stored
  in a task's arguments or result;
- follow-up reminders: one email per coordinator listing the candidates due for follow-up
  (services.follow_up_reminders_send).

`manage.py loket_housekeeping` runs both now or enqueues them; the operator guide shows how to
schedule it daily.
"""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def retention_task() -> dict:
    """Erase what the retention rules say must go; the service writes an audit event per erasure."""
    return {"erased": services.retention_run()}


@task()
def login_code_send_task(*, login_code_id: int) -> dict:
    """Make and email a candidate's login code: only the row's id is stored with the task, never the code."""
    return {"sent": services.login_code_send(login_code_id=login_code_id)}


@task()
def follow_up_reminders_task() -> dict:
    return services.follow_up_reminders_send()
