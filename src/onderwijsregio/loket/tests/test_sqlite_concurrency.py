"""SQLite as `make run` configures it survives concurrent writers and the worker (issue 10).

The test database is in memory, where WAL and file locking do not exist, so this test copies its schema
into a database file of its own and runs every thread on its own connection to that file, with the
OPTIONS of settings.DATABASES. Ten writers start together and each, three times over, changes the same
candidate (select_for_update + version bump + events + audit, as the API's PATCH does) and requests a
login code for their own candidate (reads, then writes, and queues the email). Meanwhile the real
background worker claims and sends those emails. Nothing may fail with "database is locked" and every
write must land.
"""

from __future__ import annotations

import copy
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable

import pytest
from django.core import mail
from django.db import connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from onderwijsregio.accounts.models import Role
from onderwijsregio.accounts.tests.factories import MembershipFactory
from onderwijsregio.core.models import AuditEvent
from onderwijsregio.loket import audit, services
from onderwijsregio.loket.models import Candidate, LoginCode
from onderwijsregio.loket.tests.factories import CandidateFactory
from onderwijsregio.organisations.tests.factories import RegionFactory

WRITERS = 10
ROUNDS = 3  # below LOGIN_CODES_PER_HOUR, so no request is throttled

# The marker makes pytest-django set up the test database, whose schema is copied; the test's own
# transaction on it stays empty.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def schema_file(django_db_setup, django_db_blocker, tmp_path_factory):
    """A database file with the test database's schema, copied before any test transaction holds a lock."""
    if connection.vendor != "sqlite":
        return None
    path = tmp_path_factory.mktemp("sqlite_schema") / "schema.sqlite3"
    with django_db_blocker.unblock():
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
    return path


@pytest.fixture
def file_database(schema_file, tmp_path):
    """Settings of a fresh file database with the schema and the OPTIONS of settings.DATABASES."""
    if schema_file is None:
        pytest.skip("SQLite only: PostgreSQL has row locks and no database-wide write lock")
    path = tmp_path / "concurrency.sqlite3"
    shutil.copyfile(schema_file, path)
    return {**copy.deepcopy(connection.settings_dict), "NAME": str(path)}


def on_own_connection(settings_dict: dict, work: Callable[[], None]) -> Callable[[], None]:
    """`work` as a thread target with its own connection to the file database as alias "default"."""

    def target() -> None:
        # Connections are per thread: this replaces "default" in this thread only.
        connections["default"] = DatabaseWrapper(copy.deepcopy(settings_dict), "default")
        try:
            work()
        finally:
            connections["default"].close()

    return target


def run_in_thread(settings_dict: dict, work: Callable[[], object]) -> object:
    result: list[object] = []
    thread = threading.Thread(target=on_own_connection(settings_dict, lambda: result.append(work())))
    thread.start()
    thread.join()
    assert result, "set-up failed in its thread (see the traceback above)"
    return result[0]


def test_concurrent_writers_and_worker_on_sqlite_never_hit_a_locked_database(file_database):
    def set_up():
        region = RegionFactory()
        team = MembershipFactory(organisation=region, role=Role.REGIONAL_TEAM).user
        shared = CandidateFactory(region=region)
        own = [CandidateFactory(region=region) for _ in range(WRITERS)]
        return team, shared, own

    team, shared, own = run_in_thread(file_database, set_up)
    # The timeout only keeps a broken run from hanging CI; nothing here measures time.
    start = threading.Barrier(WRITERS + 1, timeout=120)
    writers_done = threading.Event()
    errors: list[str] = []
    issued: list[LoginCode | None] = []

    def writer(number: int) -> Callable[[], None]:
        def work() -> None:
            start.wait()
            for round_ in range(ROUNDS):
                try:
                    services.candidate_update(
                        candidate=shared, actor=team, education_field=f"Schrijver {number} ronde {round_}"
                    )
                    issued.append(services.login_code_issue(email=own[number].email))
                except Exception as error:  # every failure counts, a 500 in production
                    errors.append(f"writer {number} round {round_}: {error!r}")

        return work

    def worker() -> None:
        db_worker = Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="concurrency-test",
            excluded_queue_names=[],
        )
        start.wait()
        try:
            while not writers_done.is_set():
                db_worker.run()  # batch mode: returns as soon as the queue is empty
                time.sleep(0.01)
            db_worker.run()
        except Exception as error:
            errors.append(f"worker: {error!r}")

    threads = [threading.Thread(target=on_own_connection(file_database, writer(n))) for n in range(WRITERS)]
    worker_thread = threading.Thread(target=on_own_connection(file_database, worker))
    for thread in [*threads, worker_thread]:
        thread.start()
    for thread in threads:
        thread.join()
    writers_done.set()
    worker_thread.join()

    locked = [error for error in errors if "locked" in error]
    assert errors == [], f"{len(locked)} of {len(errors)} failures say the database is locked: {errors[:3]}"
    total = WRITERS * ROUNDS

    def landed():
        return {
            "version": Candidate.objects.get(pk=shared.pk).version,
            "updated_events": AuditEvent.objects.filter(
                action=audit.CANDIDATE_UPDATED, object_id=str(shared.pk)
            ).count(),
            "login_codes": LoginCode.objects.filter(candidate__in=own).count(),
            "codes_sent_events": AuditEvent.objects.filter(action=audit.CANDIDATE_LOGIN_CODE_SENT).count(),
            "emails_sent_by_worker": DBTaskResult.objects.successful().count(),
            "emails_waiting": DBTaskResult.objects.exclude(status="SUCCESSFUL").count(),
        }

    assert all(code is not None for code in issued)
    assert run_in_thread(file_database, landed) == {
        "version": shared.version + total,  # no update lost
        "updated_events": total,
        "login_codes": total,
        "codes_sent_events": total,
        "emails_sent_by_worker": total,
        "emails_waiting": 0,
    }
    assert sorted(message.to[0] for message in mail.outbox) == sorted(c.email for c in own for _ in range(ROUNDS))
