"""Shared test set-up: a fast password hasher, captured email, and no login lock-outs."""

import importlib

import pytest
from django.db import connection

# Test-only audit actions: audit_record refuses any action no catalogue declares.
import onderwijsregio.core.tests.audit_actions  # noqa: F401


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AXES_ENABLED = False
    # allauth's login rate limits live in the cache; each test starts with a clean slate.
    from django.core.cache import cache

    cache.clear()


AUDIT_TRIGGERS = importlib.import_module("onderwijsregio.core.migrations.0002_audit_append_only")


def audit_triggers_install() -> None:
    """(Re)create the SQLite append-only triggers of the audit log (PostgreSQL keeps its own)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for statement in AUDIT_TRIGGERS.SQLITE:
                cursor.execute(statement)


@pytest.fixture(autouse=True)
def _audit_log_flushable(request):
    """Let transactional tests empty the audit log afterwards.

    pytest-django empties tables after a transactional (or live-server) test. PostgreSQL does that
    with TRUNCATE, which row triggers do not see; SQLite deletes rows, which the append-only
    trigger refuses. So on SQLite the triggers are dropped just before that clean-up and put back
    before the next test that needs them (core/tests/test_audit.py asks for them explicitly).
    """
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames)
    if not transactional or connection.vendor != "sqlite":
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    with connection.cursor() as cursor:
        for statement in AUDIT_TRIGGERS.SQLITE_REVERSE:
            cursor.execute(statement)


@pytest.fixture
def run_worker(monkeypatch):
    """Run the real background worker until the queue is empty (django-tasks database backend)."""
    from django.core.management import call_command

    # The worker drops connections it thinks are stale; inside the test's transaction that would
    # close the connection under the test, so only that housekeeping is switched off.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)

    def run() -> None:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    return run
