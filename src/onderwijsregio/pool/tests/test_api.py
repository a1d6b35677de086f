"""The pool API (/api/v1/replacement-requests, offers, assignments): same rules and refusals as the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from onderwijsregio.core.models import AuditEvent
from onderwijsregio.pool.models import Assignment, Offer, ReplacementRequest

from .workflow_setup import build_world, make_request

pytestmark = pytest.mark.django_db
BASE = "/api/v1"


@pytest.fixture
def w():
    return build_world()


def payload(w, **overrides):
    data = {
        "pool": w.pool.slug,
        "schoolLocation": w.school_a1.vestiging_code,
        "subject": "wi",
        "levels": ["havo_vwo_lower"],
        "startDate": w.start.isoformat(),
        "endDate": (w.start + timedelta(days=18)).isoformat(),
        "hoursPerWeek": 8,
        "dayParts": ["0-0", "2-0"],
        "reason": "illness",
        "contactName": "J. de Vries",
        "contactEmail": "rooster@eemcollege.example.nl",
    }
    data.update(overrides)
    return data


def test_school_creates_and_reads_a_request(client, w):
    client.force_login(w.leader_a1)
    response = client.post(f"{BASE}/replacement-requests", payload(w), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["schoolLocation"] == w.school_a1.vestiging_code
    assert body["status"] == "open" and body["hoursPerWeek"] == 8.0
    assert response["ETag"] == '"1"'
    listing = client.get(f"{BASE}/replacement-requests", {"pool": w.pool.slug}).json()
    assert [item["id"] for item in listing["results"]] == [body["id"]]


def test_validation_problems_name_the_fields(client, w):
    client.force_login(w.hr_a)
    response = client.post(
        f"{BASE}/replacement-requests",
        payload(w, endDate=(w.start - timedelta(days=1)).isoformat(), hoursPerWeek=12, dayParts=["0-0"]),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    names = {param["name"]: param["reason"] for param in response.json()["invalidParams"]}
    assert "vóór de eerste dag" in names["endDate"]
    assert "hoogstens 5 lesuren" in names["hoursPerWeek"]
    assert not ReplacementRequest.objects.exists()


def test_other_location_and_outsiders_are_refused(client, w):
    client.force_login(w.leader_a1)
    response = client.post(
        f"{BASE}/replacement-requests",
        payload(w, schoolLocation=w.school_a2.vestiging_code),
        content_type="application/json",
    )
    assert response.status_code == 403
    other = make_request(w, school_location=w.school_a2)
    assert client.get(f"{BASE}/replacement-requests/{other.pk}").status_code == 404
    client.force_login(w.hr_c)
    assert client.post(f"{BASE}/replacement-requests", payload(w), content_type="application/json").status_code == 404


def test_patch_needs_if_match_and_refuses_stale(client, w):
    request = make_request(w)
    client.force_login(w.hr_a)
    url = f"{BASE}/replacement-requests/{request.pk}"
    assert client.patch(url, {"notesForSubstitute": "x"}, content_type="application/json").status_code == 428
    response = client.patch(
        url, {"notesForSubstitute": "Lokaal 3"}, content_type="application/json", headers={"If-Match": '"1"'}
    )
    assert response.status_code == 200 and response.json()["notesForSubstitute"] == "Lokaal 3"
    assert response["ETag"] == '"2"'
    stale = client.patch(url, {"notesForSubstitute": "y"}, content_type="application/json", headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    unknown = client.patch(url, {"status": "filled"}, content_type="application/json", headers={"If-Match": '"2"'})
    assert unknown.status_code == 400


def test_cancel(client, w):
    request = make_request(w)
    client.force_login(w.leader_a1)
    response = client.post(
        f"{BASE}/replacement-requests/{request.pk}/cancel", {"reason": "terug"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    again = client.post(f"{BASE}/replacement-requests/{request.pk}/cancel", {}, content_type="application/json")
    assert again.status_code == 409


def test_member_accepts_and_declines_own_offers(client, w):
    first = make_request(w)
    second = make_request(w, school_location=w.school_a2, day_parts=["4-1"], hours_per_week=4, class_key="5V")
    offer = Offer.objects.create(
        request=first, member=w.m1, hours_per_week=8, expires_at=timezone.now() + timedelta(hours=2)
    )
    other = Offer.objects.create(
        request=second, member=w.m1, hours_per_week=4, expires_at=timezone.now() + timedelta(hours=2)
    )
    client.force_login(w.member_user2)
    assert client.get(f"{BASE}/offers/{offer.pk}").status_code == 404
    client.force_login(w.member_user)
    listing = client.get(f"{BASE}/offers").json()
    assert {item["id"] for item in listing["results"]} == {offer.pk, other.pk}
    assert "token" not in listing["results"][0]
    assert AuditEvent.objects.filter(action="pool.offer_viewed", personal_data_read=True).exists()
    response = client.post(f"{BASE}/offers/{offer.pk}/accept", content_type="application/json")
    assert response.status_code == 200 and response.json()["member"]["id"] == w.m1.pk
    again = client.post(f"{BASE}/offers/{offer.pk}/accept", content_type="application/json")
    assert again.status_code == 409 and "al geaccepteerd" in again.json()["detail"]
    declined = client.post(f"{BASE}/offers/{other.pk}/decline", {"reason": "te ver"}, content_type="application/json")
    assert declined.json()["status"] == "declined"
    assert [a["id"] for a in client.get(f"{BASE}/assignments").json()["results"]] == [Assignment.objects.get().pk]


def test_school_cannot_answer_an_offer(client, w):
    request = make_request(w)
    offer = Offer.objects.create(
        request=request, member=w.m1, hours_per_week=8, expires_at=timezone.now() + timedelta(hours=2)
    )
    client.force_login(w.leader_a1)
    assert client.get(f"{BASE}/offers/{offer.pk}").status_code == 200
    assert client.post(f"{BASE}/offers/{offer.pk}/accept", content_type="application/json").status_code == 403
