"""Page and API are two doors to the same use cases: the same request filed, changed and withdrawn
through either leaves the same record and the same audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from onderwijsregio.core.models import AuditEvent
from onderwijsregio.pool.models import ReplacementRequest

from .workflow_setup import build_world

pytestmark = pytest.mark.django_db

# What differs by nature between two records: identity and clocks.
IGNORED = {"id", "created_at", "updated_at", "filled_at"}


@pytest.fixture
def w():
    return build_world()


def _record(request: ReplacementRequest) -> dict:
    request.refresh_from_db()
    values = {
        field.attname: getattr(request, field.attname)
        for field in ReplacementRequest._meta.concrete_fields
        if field.attname not in IGNORED
    }
    values["levels"] = sorted(values["levels"])
    return values


def _trail(request: ReplacementRequest) -> list[tuple]:
    events = AuditEvent.objects.filter(object_id=str(request.pk), action__startswith="pool.request_").order_by("pk")
    return [(event.action, event.actor_id, event.organisation_id, event.details) for event in events]


def _through_the_pages(client, w) -> ReplacementRequest:
    create = reverse("pool:request_create", args=[w.pool.slug])
    form = {
        "school_location": w.school_a1.pk,
        "subject": w.wi.pk,
        "levels": ["havo_vwo_lower"],
        "start_date": w.start.isoformat(),
        "end_date": (w.start + timedelta(days=18)).isoformat(),
        "hours_per_week": "8",
        "day_parts": ["0-0", "2-0"],
        "reason": "illness",
        "urgency": "1",
        "contact_name": "J. de Vries",
        "contact_email": "rooster@eemcollege.example.nl",
        "year_groups": "2B",
    }
    assert client.post(create, form).status_code == 302
    request = ReplacementRequest.objects.latest("pk")
    edit = reverse("pool:request_edit", args=[w.pool.slug, request.pk])
    changed = {**form, "notes_for_substitute": "Lokaal 12", "hours_per_week": "6", "version": request.version}
    assert client.post(edit, changed).status_code == 302
    cancel = reverse("pool:request_cancel", args=[w.pool.slug, request.pk])
    assert client.post(cancel, {"reason": "hersteld"}).status_code == 302
    return request


def _through_the_api(client, w) -> ReplacementRequest:
    payload = {
        "pool": w.pool.slug,
        "schoolLocation": w.school_a1.vestiging_code,
        "subject": w.wi.code,
        "levels": ["havo_vwo_lower"],
        "startDate": w.start.isoformat(),
        "endDate": (w.start + timedelta(days=18)).isoformat(),
        "hoursPerWeek": 8,
        "dayParts": ["0-0", "2-0"],
        "reason": "illness",
        "urgency": 1,
        "contactName": "J. de Vries",
        "contactEmail": "rooster@eemcollege.example.nl",
        "yearGroups": "2B",
    }
    created = client.post("/api/v1/replacement-requests", payload, content_type="application/json")
    assert created.status_code == 201, created.json()
    url = f"/api/v1/replacement-requests/{created.json()['id']}"
    changed = client.patch(
        url,
        {"notesForSubstitute": "Lokaal 12", "hoursPerWeek": 6},
        content_type="application/json",
        headers={"If-Match": created["ETag"]},
    )
    assert changed.status_code == 200, changed.json()
    cancelled = client.post(f"{url}/cancel", {"reason": "hersteld"}, content_type="application/json")
    assert cancelled.status_code == 200
    return ReplacementRequest.objects.get(pk=created.json()["id"])


def test_page_and_api_file_change_and_withdraw_a_request_alike(client, w):
    client.force_login(w.leader_a1)
    by_page = _through_the_pages(client, w)
    by_api = _through_the_api(client, w)
    assert _record(by_api) == _record(by_page)
    assert _record(by_page)["status"] == ReplacementRequest.Status.CANCELLED
    assert [action for action, *_rest in _trail(by_page)] == [
        "pool.request_created",
        "pool.request_updated",
        "pool.request_cancelled",
    ]
    assert _trail(by_api) == _trail(by_page)
