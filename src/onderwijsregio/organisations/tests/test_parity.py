"""Parity: one profile change on the edit page and through PATCH /api/v1/organisations/{id} leaves the same."""

import pytest
from django.urls import reverse

from onderwijsregio.accounts.models import Role
from onderwijsregio.accounts.tests.factories import MembershipFactory, UserFactory
from onderwijsregio.core.models import AuditEvent
from onderwijsregio.organisations.tests.factories import BoardFactory

pytestmark = pytest.mark.django_db

PROFILE = ("name", "website", "description", "name_is_provisional", "name_source", "version")


def trace(board) -> tuple[tuple, list[tuple]]:
    board.refresh_from_db()
    events = AuditEvent.objects.filter(object_type="organisations.organisation", object_id=str(board.pk)).order_by("pk")
    return (
        tuple(getattr(board, name) for name in PROFILE),
        [(event.action, event.actor_id, event.details) for event in events],
    )


def test_profile_change_on_the_page_and_through_the_api_leaves_the_same_record_and_audit(client_for):
    on_page = BoardFactory(name="Stichting Voorlopig", name_is_provisional=True, website="", description="")
    by_api = BoardFactory(name="Stichting Voorlopig", name_is_provisional=True, website="", description="")
    hr = UserFactory()
    MembershipFactory(user=hr, organisation=on_page, role=Role.BOARD_HR)
    MembershipFactory(user=hr, organisation=by_api, role=Role.BOARD_HR)
    change = {"name": "Stichting De Eem", "website": "https://www.de-eem.example", "description": "Tien scholen"}

    page = client_for(hr)
    url = reverse("organisations:board_edit", args=[on_page.pk])
    version = page.get(url).context["form"].initial["version"]
    assert page.post(url, {**change, "version": str(version)}).status_code == 302

    api = client_for(hr)
    api_url = f"/api/v1/organisations/{by_api.pk}"
    etag = api.get(api_url)["ETag"]
    assert api.patch(api_url, change, format="json", HTTP_IF_MATCH=etag).status_code == 200

    page_record, page_events = trace(on_page)
    api_record, api_events = trace(by_api)
    assert page_record == api_record == (*change.values(), False, "board", 2)
    assert page_events == api_events
    # A new name is the board's own: both ways record that it confirmed (here: corrected) it.
    assert [action for action, *_ in page_events] == ["organisation.updated", "organisation.board_name_confirmed"]
