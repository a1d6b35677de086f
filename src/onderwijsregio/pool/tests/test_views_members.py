"""Member pages: audited reads, HR limited to its own employees, qualifications and VOG warnings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from onderwijsregio.core.models import AuditEvent
from onderwijsregio.pool.models import PoolMember

from .workflow_setup import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    world = build_world()
    world.pool.vog_max_age_months = 36
    world.pool.save()
    return world


def test_coordinator_list_is_audited_and_shows_vog_warnings(client, w):
    w.m1.vog_date = date.today() - timedelta(days=37 * 31)  # expired
    w.m1.save()
    w.m2.vog_date = date.today().replace(year=date.today().year - 3) + timedelta(days=30)  # expires within 60 days
    w.m2.save()
    client.force_login(w.coordinator)
    body = client.get(reverse("pool:member_list", args=[w.pool.slug])).content.decode()
    assert "Anna Eerste" in body and "Greta Ver" in body
    assert "VOG verlopen" in body
    assert "VOG verloopt binnen 60 dagen" in body
    assert AuditEvent.objects.filter(action="pool.members_listed", personal_data_read=True).exists()
    filtered = client.get(reverse("pool:member_list", args=[w.pool.slug]), {"vog": "warning"}).content.decode()
    assert "Greta Ver" not in filtered
    assert "Anna Eerste" in filtered and "Bram Tweede" in filtered


def test_member_detail_is_audited(client, w):
    client.force_login(w.hr_b)
    response = client.get(reverse("pool:member_detail", args=[w.pool.slug, w.m1.pk]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="pool.member_viewed")
    assert event.personal_data_read and event.object_id == str(w.m1.pk)


def test_other_board_cannot_list_or_open_members(client, w):
    client.force_login(w.hr_a)
    assert client.get(reverse("pool:member_list", args=[w.pool.slug])).status_code == 200
    assert "Anna Eerste" not in client.get(reverse("pool:member_list", args=[w.pool.slug])).content.decode()
    assert client.get(reverse("pool:member_detail", args=[w.pool.slug, w.m1.pk])).status_code == 404
    client.force_login(w.leader_a1)
    assert client.get(reverse("pool:member_list", args=[w.pool.slug])).status_code == 404
    client.force_login(w.hr_c)
    assert client.get(reverse("pool:member_list", args=[w.pool.slug])).status_code == 404


def test_create_member_with_qualifications(client, w):
    client.force_login(w.hr_b)
    url = reverse("pool:member_create", args=[w.pool.slug])
    assert client.get(url).status_code == 200
    data = {
        "full_name": "Carla Nieuw",
        "email": "carla@example.nl",
        "employer": w.board_b.pk,
        "levels": ["havo_vwo_lower"],
        "contract_hours": "20",
        "pool_hours": "12",
        "day_parts": ["0-0", "0-1"],
        "home_postcode": "3811",
        "max_travel_km": "25",
        "vog_date": date.today().isoformat(),
        "is_active": "on",
        "q_subject_0": w.wi.pk,
        "q_degree_0": "first",
        "q_subject_1": w.ne.pk,
        "q_degree_1": "",
    }
    body = client.post(url, data).content.decode()
    assert "Kies de bevoegdheid voor Nederlands" in body
    data["q_degree_1"] = "second"
    response = client.post(url, data)
    member = PoolMember.objects.get(email="carla@example.nl")
    assert response.status_code == 302
    assert {(q.subject.code, q.degree) for q in member.qualifications.all()} == {("wi", "first"), ("ne", "second")}
    assert member.latitude == pytest.approx(52.156)


def test_hr_cannot_add_member_for_another_board(client, w):
    client.force_login(w.hr_b)
    data = {
        "full_name": "X",
        "email": "x@example.nl",
        "employer": w.board_a.pk,
        "contract_hours": "1",
        "pool_hours": "1",
        "home_postcode": "3811",
        "max_travel_km": "10",
    }
    body = client.post(reverse("pool:member_create", args=[w.pool.slug]), data).content.decode()
    assert "employer" in body or "Selecteer een geldige keuze" in body
    assert not PoolMember.objects.filter(email="x@example.nl").exists()


def test_bad_postcode_is_explained(client, w):
    client.force_login(w.coordinator)
    data = {
        "full_name": "X",
        "email": "x@example.nl",
        "employer": w.board_b.pk,
        "contract_hours": "1",
        "pool_hours": "1",
        "home_postcode": "38",
        "max_travel_km": "10",
    }
    body = client.post(reverse("pool:member_create", args=[w.pool.slug]), data).content.decode()
    assert "vier cijfers van de postcode" in body
    assert 'value="X"' in body


def test_unavailability_add_and_remove(client, w):
    client.force_login(w.coordinator)
    url = reverse("pool:member_unavailability_add", args=[w.pool.slug, w.m1.pk])
    client.post(url, {"start_date": "2030-01-10", "end_date": "2030-01-01"})
    assert not w.m1.unavailable_periods.exists()
    client.post(url, {"start_date": "2030-01-01", "end_date": "2030-01-10", "note": "vakantie"})
    period = w.m1.unavailable_periods.get()
    client.post(reverse("pool:member_unavailability_remove", args=[w.pool.slug, w.m1.pk, period.pk]))
    assert not w.m1.unavailable_periods.exists()
