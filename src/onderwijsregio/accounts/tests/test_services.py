import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from onderwijsregio.accounts.models import Membership, Role
from onderwijsregio.accounts.services import membership_create, membership_end, user_create
from onderwijsregio.core.models import AuditEvent
from onderwijsregio.organisations.tests.factories import BoardFactory, RegionFactory, SchoolLocationFactory

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_user_create_normalises_email_and_refuses_duplicates():
    user = user_create(email="Ana.de.Vries@Example.NL", full_name="Ana de Vries", actor=None)
    assert user.email == "ana.de.vries@example.nl"
    assert not user.has_usable_password()
    with pytest.raises(ValidationError) as excinfo:
        user_create(email="ana.de.vries@example.nl", actor=None)
    assert "email" in excinfo.value.message_dict


def test_membership_role_must_fit_organisation_kind():
    user = UserFactory()
    region = RegionFactory()
    with pytest.raises(ValidationError) as excinfo:
        membership_create(user=user, organisation=region, role=Role.BOARD_HR, actor=None)
    assert "organisation" in excinfo.value.message_dict
    assert not Membership.objects.exists()


def test_school_leader_location_must_belong_to_board():
    user = UserFactory()
    board = BoardFactory()
    other_location = SchoolLocationFactory()
    with pytest.raises(ValidationError):
        membership_create(
            user=user, organisation=board, role=Role.SCHOOL_LEADER, school_location=other_location, actor=None
        )


def test_membership_create_and_end_are_audited_and_unique_while_active():
    actor = UserFactory()
    user = UserFactory()
    board = BoardFactory()
    membership = membership_create(user=user, organisation=board, role=Role.BOARD_HR, actor=actor)
    with pytest.raises(ValidationError):
        membership_create(user=user, organisation=board, role=Role.BOARD_HR, actor=actor)
    # The database enforces it too, for writers that bypass the service.
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, organisation=board, role=Role.BOARD_HR)

    membership_end(membership=membership, actor=actor)
    again = membership_create(user=user, organisation=board, role=Role.BOARD_HR, actor=actor)
    assert again.pk != membership.pk
    actions = list(AuditEvent.objects.filter(organisation_id=board.pk).values_list("action", flat=True))
    assert sorted(actions) == ["membership.created", "membership.created", "membership.ended"]
    with pytest.raises(ValidationError):
        membership_end(membership=membership, actor=actor)


def test_regional_team_membership_grants_and_withdraws_admin_access():
    user = UserFactory()
    region = RegionFactory()
    membership = membership_create(user=user, organisation=region, role=Role.REGIONAL_TEAM, actor=None)
    user.refresh_from_db()
    assert user.is_staff
    membership_end(membership=membership, actor=None)
    user.refresh_from_db()
    assert not user.is_staff


def test_nobody_ends_their_own_last_membership_but_others_may():
    board = BoardFactory()
    user = UserFactory()
    membership = membership_create(user=user, organisation=board, role=Role.BOARD_HR, actor=None)
    with pytest.raises(ValidationError) as refused:
        membership_end(membership=membership, actor=user)
    assert refused.value.error_code == "last_own_membership"
    membership.refresh_from_db()
    assert membership.ended_at is None
    # Another administrator (or a task, actor None) may still end it.
    membership_end(membership=membership, actor=UserFactory())
    membership.refresh_from_db()
    assert membership.ended_at is not None
