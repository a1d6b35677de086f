import pytest
from django.core import mail
from django.db import transaction

from onderwijsregio.core.services import email_send_later

pytestmark = pytest.mark.django_db


def test_email_is_sent_by_the_worker_after_commit(run_worker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_send_later(to=["a@example.nl"], subject="Onderwerp", body="Tekst")
    assert mail.outbox == []  # queued, not sent by the request
    run_worker()
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [(["a@example.nl"], "Onderwerp", "Tekst")]


def test_rolled_back_change_sends_nothing(run_worker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                email_send_later(to=["a@example.nl"], subject="Onderwerp", body="Tekst")
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
    run_worker()
    assert mail.outbox == []
