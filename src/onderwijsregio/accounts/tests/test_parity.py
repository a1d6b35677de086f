"""Parity: a membership given and ended on the pages leaves what the same through the API leaves."""

import pytest
from django.urls import reverse

from onderwijsregio.accounts.models import Membership, Role
from onderwijsregio.accounts.tests.factories import UserFactory
from onderwijsregio.core.models import AuditEvent

pytestmark = pytest.mark.django_db

RECORD_FIELDS = ("organisation_id", "role", "school_location_id")


def membership_trace(user) -> tuple[tuple, list[tuple]]:
    """The membership of `user` (without ids and times) and the audit actions written about it."""
    membership = Membership.objects.get(user=user)
    record = (*(getattr(membership, name) for name in RECORD_FIELDS), membership.ended_at is not None)
    events = AuditEvent.objects.filter(object_type="accounts.membership", object_id=str(membership.pk)).order_by("pk")
    return record, [(event.action, event.actor_id, event.organisation_id, event.details) for event in events]


def test_membership_given_and_ended_on_the_page_and_through_the_api_leave_the_same(world, client_for):
    by_page = UserFactory(email="pagina@example.nl")
    by_api = UserFactory(email="api@example.nl")

    page = client_for(world.hr_a)
    response = page.post(
        reverse("accounts:membership_add", args=[world.board_a.pk]),
        {"email": by_page.email, "full_name": "", "role": Role.SCHOOL_LEADER},
    )
    assert response.status_code == 302, response.content
    ended = page.post(reverse("accounts:membership_end", args=[Membership.objects.get(user=by_page).pk]))
    assert ended.status_code == 302

    api = client_for(world.hr_a)
    created = api.post(
        "/api/v1/memberships",
        {"email": by_api.email, "organisation": world.board_a.pk, "role": Role.SCHOOL_LEADER},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert api.delete(f"/api/v1/memberships/{created.json()['id']}").status_code == 204

    page_record, page_events = membership_trace(by_page)
    api_record, api_events = membership_trace(by_api)
    assert page_record == api_record == (world.board_a.pk, Role.SCHOOL_LEADER, None, True)
    # The details name the person, so compare them with each person's own id in place.
    assert [(a, actor, org, {**d, "user": None}) for a, actor, org, d in page_events] == [
        (a, actor, org, {**d, "user": None}) for a, actor, org, d in api_events
    ]
    assert [action for action, *_ in page_events] == ["membership.created", "membership.ended"]
