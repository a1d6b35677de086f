"""An offer link speaks for the offer's member, never for whoever is logged in (issue 10).

The link in the email is the member's key. When someone else is logged in in that browser (a
colleague's computer, the coordinator testing), their account used to be recorded as the one who
accepted. Now the link refuses and asks to log out; without a login the member is the actor.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from onderwijsregio.core.models import AuditEvent
from onderwijsregio.pool import services
from onderwijsregio.pool.models import Assignment, Offer

from .workflow_setup import build_world, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_world()


@pytest.fixture
def offer(w):
    return Offer.objects.create(
        request=make_request(w), member=w.m1, hours_per_week=8, expires_at=timezone.now() + timedelta(hours=10)
    )


@pytest.mark.parametrize("action", ["offer_accept", "offer_decline"])
def test_someone_else_logged_in_cannot_answer_the_members_offer(client, w, offer, action):
    client.force_login(w.coordinator)
    url = reverse(f"pool:{action}", args=[offer.token])

    page = client.get(url).content.decode()
    assert "Log uit" in page
    assert "Ja, ik accepteer" not in page and 'name="reason"' not in page
    body = client.post(url, {"reason": "geen tijd"}).content.decode()

    assert "Log uit" in body
    offer.refresh_from_db()
    assert offer.status == Offer.Status.OPEN
    assert not Assignment.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["pool.offer_accepted", "pool.offer_declined"]).exists()


def test_without_login_the_member_is_recorded_as_the_one_who_accepted(client, w, offer):
    client.post(reverse("pool:offer_accept", args=[offer.token]))

    assignment = Assignment.objects.get()
    assert assignment.created_by == w.member_user
    event = AuditEvent.objects.get(action="pool.offer_accepted")
    assert event.actor == w.member_user
    assert event.details["via"] == "link"


def test_without_login_the_member_is_recorded_as_the_one_who_declined(client, w, offer):
    client.post(reverse("pool:offer_decline", args=[offer.token]), {"reason": "ziek"})

    event = AuditEvent.objects.get(action="pool.offer_declined")
    assert event.actor == w.member_user


def test_the_member_logged_in_answers_as_themself(client, w, offer):
    client.force_login(w.member_user)
    client.post(reverse("pool:offer_accept", args=[offer.token]))

    assert Assignment.objects.get().created_by == w.member_user
    assert AuditEvent.objects.get(action="pool.offer_accepted").actor == w.member_user


def test_the_service_refuses_another_actor_too(w, offer):
    with pytest.raises(services.OfferRefused):
        services.offer_accept(token=offer.token, actor=w.coordinator)
    with pytest.raises(services.OfferRefused):
        services.offer_decline(token=offer.token, actor=w.hr_a)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.OPEN
