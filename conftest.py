"""Shared test set-up: a fast password hasher, captured email, and no login lock-outs."""

import importlib

import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AXES_ENABLED = False


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
