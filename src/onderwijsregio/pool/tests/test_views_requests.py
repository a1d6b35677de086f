"""Request pages: the school's form with its Dutch errors, the status list, the coordinator's "why not"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from onderwijsregio.core.models import AuditEvent
from onderwijsregio.pool.models import ReplacementRequest

from .workflow_setup import build_world, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_world()


def form_data(w, **overrides):
    data = {
        "school_location": w.school_a1.pk,
        "subject": w.wi.pk,
        "levels": ["havo_vwo_lower"],
        "start_date": w.start.isoformat(),
        "end_date": (w.start + timedelta(days=18)).isoformat(),
        "hours_per_week": "8",
        "day_parts": ["0-0", "2-0"],
        "reason": "leave",
        "urgency": "0",
        "contact_name": "J. de Vries",
        "contact_email": "rooster@eemcollege.example.nl",
        "year_groups": "2B",
    }
    data.update(overrides)
    return data


def test_school_leader_files_a_request(client, w):
    client.force_login(w.leader_a1)
    url = reverse("pool:request_create", args=[w.pool.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert w.school_a2.name not in page.content.decode()  # only their own location
    response = client.post(url, form_data(w))
    request = ReplacementRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("pool:request_detail", args=[w.pool.slug, request.pk])
    assert request.school_location == w.school_a1
    assert request.created_by == w.leader_a1


def test_errors_are_dutch_and_input_is_kept(client, w):
    client.force_login(w.hr_a)
    url = reverse("pool:request_create", args=[w.pool.slug])
    data = form_data(
        w,
        end_date=(w.start - timedelta(days=1)).isoformat(),
        hours_per_week="12",
        day_parts=["0-0"],
        year_groups="3 havo",
    )
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "De laatste dag ligt vóór de eerste dag" in body
    assert "hoogstens 5 lesuren" in body
    assert 'value="3 havo"' in body
    assert not ReplacementRequest.objects.exists()


def test_period_too_short_and_no_day_parts(client, w):
    client.force_login(w.hr_a)
    data = form_data(w, end_date=(w.start + timedelta(days=1)).isoformat())
    data.pop("day_parts")
    body = client.post(reverse("pool:request_create", args=[w.pool.slug]), data).content.decode()
    assert "ten minste 5 werkdagen" in body
    assert "ten minste één dagdeel" in body


def test_past_start_is_refused(client, w):
    client.force_login(w.hr_a)
    from datetime import date

    data = form_data(w, start_date=(date.today() - timedelta(days=3)).isoformat())
    body = client.post(reverse("pool:request_create", args=[w.pool.slug]), data).content.decode()
    assert "in het verleden" in body


def test_supplying_board_may_not_request(client, w):
    client.force_login(w.hr_b)
    assert client.get(reverse("pool:request_create", args=[w.pool.slug])).status_code == 403


def test_list_shows_only_own_requests_with_status(client, w):
    mine = make_request(w, school_location=w.school_a1, year_groups="mijn klas")
    make_request(w, school_location=w.school_a2, year_groups="andere klas")
    client.force_login(w.leader_a1)
    body = client.get(reverse("pool:request_list", args=[w.pool.slug])).content.decode()
    assert "mijn klas" in body
    assert "andere klas" not in body
    assert mine.get_status_display() in body


def test_other_schools_request_is_404(client, w):
    other = make_request(w, school_location=w.school_a2)
    client.force_login(w.leader_a1)
    assert client.get(reverse("pool:request_detail", args=[w.pool.slug, other.pk])).status_code == 404
    client.force_login(w.hr_c)
    assert client.get(reverse("pool:request_detail", args=[w.pool.slug, other.pk])).status_code == 404


def test_coordinator_sees_every_exclusion_reason(client, w):
    request = make_request(w)
    client.force_login(w.coordinator)
    body = client.get(reverse("pool:request_detail", args=[w.pool.slug, request.pk])).content.decode()
    assert "Geschiktheid per poollid" in body
    assert "Greta Ver" in body
    assert "reisafstand" in body
    assert AuditEvent.objects.filter(action="pool.eligibility_viewed", personal_data_read=True).exists()


def test_school_does_not_see_why_not(client, w):
    request = make_request(w)
    client.force_login(w.leader_a1)
    body = client.get(reverse("pool:request_detail", args=[w.pool.slug, request.pk])).content.decode()
    assert "Geschiktheid per poollid" not in body
    assert "Greta Ver" not in body


def test_edit_and_cancel(client, w):
    request = make_request(w)
    client.force_login(w.leader_a1)
    url = reverse("pool:request_edit", args=[w.pool.slug, request.pk])
    assert client.get(url).status_code == 200
    data = form_data(w, notes_for_substitute="Lokaal 12", version=request.version)
    response = client.post(url, data)
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.notes_for_substitute == "Lokaal 12"
    # a second save with the old version is refused, not overwritten
    body = client.post(url, form_data(w, notes_for_substitute="x", version=1)).content.decode()
    assert "intussen gewijzigd" in body
    client.post(reverse("pool:request_cancel", args=[w.pool.slug, request.pk]), {"reason": "hersteld"})
    request.refresh_from_db()
    assert request.status == ReplacementRequest.Status.CANCELLED


def test_one_submit_shows_every_problem(client, w):
    """A period ending before it starts, too many hours, no levels and no day-parts: all four at once."""
    client.force_login(w.hr_a)
    data = form_data(w, end_date=(w.start - timedelta(days=9)).isoformat(), hours_per_week="30", contact_name="Els")
    data.pop("day_parts")
    data.pop("levels")
    body = client.post(reverse("pool:request_create", args=[w.pool.slug]), data).content.decode()
    assert "De laatste dag ligt vóór de eerste dag" in body
    assert "ten minste één niveau" in body
    assert "ten minste één dagdeel" in body
    assert 'value="Els"' in body
    assert not ReplacementRequest.objects.exists()
