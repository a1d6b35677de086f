"""Accept/decline pages by token (GET never acts) and the member's own page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from onderwijsregio.pool.models import Assignment, Offer

from .workflow_setup import build_world, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_world()


@pytest.fixture
def offer(w):
    request = make_request(w)
    return Offer.objects.create(
        request=request, member=w.m1, hours_per_week=8, expires_at=timezone.now() + timedelta(hours=10)
    )


def test_get_shows_the_offer_and_does_nothing(client, offer):
    url = reverse("pool:offer_accept", args=[offer.token])
    body = client.get(url).content.decode()
    assert "Ja, ik accepteer dit aanbod" in body
    assert "wiskunde" in body
    offer.refresh_from_db()
    assert offer.status == Offer.Status.OPEN
    assert not Assignment.objects.exists()


def test_post_accepts_without_login(client, offer):
    url = reverse("pool:offer_accept", args=[offer.token])
    body = client.post(url).content.decode()
    assert "U bent ingezet" in body
    assert Assignment.objects.get().member == offer.member
    body = client.get(url).content.decode()
    assert "al geaccepteerd" in body
    assert "Ja, ik accepteer" not in body


def test_decline_with_reason(client, offer):
    url = reverse("pool:offer_decline", args=[offer.token])
    assert "Aanbod afwijzen" in client.get(url).content.decode()
    body = client.post(url, {"reason": "ander werk"}).content.decode()
    assert "afgewezen" in body
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DECLINED and offer.decline_reason == "ander werk"


def test_expired_and_unknown_links(client, offer):
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    url = reverse("pool:offer_accept", args=[offer.token])
    body = client.get(url).content.decode()
    assert "verlopen" in body and "Ja, ik accepteer" not in body
    body = client.post(url).content.decode()
    assert "verlopen" in body
    assert not Assignment.objects.exists()
    response = client.get(reverse("pool:offer_accept", args=["onbekend-token"]))
    assert response.status_code == 404
    assert "onbekend" in response.content.decode()


def test_my_work_shows_offers_and_saves_availability(client, w, offer):
    client.force_login(w.member_user)
    url = reverse("pool:my_work")
    body = client.get(url).content.decode()
    assert reverse("pool:offer_accept", args=[offer.token]) in body
    response = client.post(
        url, {"form": "availability", "day_parts": ["0-0", "1-0"], "pool_hours": "10", "max_travel_km": "15"}
    )
    assert response.status_code == 302
    w.m1.refresh_from_db()
    assert w.m1.day_parts == ["0-0", "1-0"] and w.m1.max_travel_km == 15
    body = client.post(
        url, {"form": "unavailability", "start_date": "2030-05-10", "end_date": "2030-05-01"}
    ).content.decode()
    assert "vóór de begindatum" in body
    client.post(url, {"form": "unavailability", "start_date": "2030-05-01", "end_date": "2030-05-10"})
    period = w.m1.unavailable_periods.get()
    client.post(reverse("pool:my_unavailability_remove", args=[period.pk]))
    assert not w.m1.unavailable_periods.exists()


def test_my_work_cannot_touch_someone_elses_period(client, w):
    period = w.m2.unavailable_periods.create(start_date="2030-01-01", end_date="2030-01-02")
    client.force_login(w.member_user)
    assert client.post(reverse("pool:my_unavailability_remove", args=[period.pk])).status_code == 404


def test_my_work_without_member_record(client, w):
    client.force_login(w.hr_a)
    assert "niet gekoppeld" in client.get(reverse("pool:my_work")).content.decode()
