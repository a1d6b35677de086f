"""The audit log is append-only, in the ORM and in the database itself."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from onderwijsregio.accounts.tests.factories import UserFactory
from onderwijsregio.core.models import AuditEvent, AuditLogIsAppendOnly
from onderwijsregio.core.services import audit_record
from onderwijsregio.organisations.tests.factories import BoardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _append_only_triggers(db):
    # A transactional test before this one may have dropped them to clean up (see conftest.py).
    from conftest import audit_triggers_install

    audit_triggers_install()


def test_audit_record_stores_actor_object_and_details():
    user = UserFactory(email="hr@example.nl")
    board = BoardFactory(name="Stichting Eemland")

    event = audit_record(
        actor=user, action="organisation.updated", obj=board, organisation_id=board.pk, details={"a": 1}
    )

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == user
    assert stored.actor_label == "hr@example.nl"
    assert stored.object_type == "organisations.organisation"
    assert stored.object_id == str(board.pk)
    assert stored.object_repr == "Stichting Eemland"
    assert stored.organisation_id == board.pk
    assert stored.details == {"a": 1}
    assert stored.personal_data_read is False


def test_system_actor_is_labelled():
    event = audit_record(actor=None, action="import.finished")
    assert event.actor is None
    assert event.actor_label == "systeem"


def test_orm_refuses_update_and_delete():
    event = audit_record(actor=None, action="x")
    event.action = "y"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="z")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "x"


@pytest.mark.parametrize("statement", ["UPDATE core_auditevent SET action = 'tampered'", "DELETE FROM core_auditevent"])
def test_database_refuses_raw_update_and_delete(statement):
    event = audit_record(actor=None, action="original")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEvent.objects.get(pk=event.pk).action == "original"
