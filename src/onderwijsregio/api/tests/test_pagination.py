"""Pagination of list endpoints, as every resource gives it."""

import pytest

from onderwijsregio.organisations.models import Organisation
from onderwijsregio.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_pagination(world, client_for):
    OrganisationFactory.create_batch(5)
    client = client_for(world.hr_a)
    total = Organisation.objects.count()
    first = client.get("/api/v1/organisations?pageSize=2").json()
    assert first["count"] == total
    assert len(first["results"]) == 2
    assert first["previous"] is None
    assert "page=2" in first["next"]
    assert "/api/v1/organisations?" in first["next"]
    last_page = (total + 1) // 2
    last = client.get(f"/api/v1/organisations?pageSize=2&page={last_page}").json()
    assert last["next"] is None
    seen = []
    for page in range(1, last_page + 1):
        seen += [row["id"] for row in client.get(f"/api/v1/organisations?pageSize=2&page={page}").json()["results"]]
    assert sorted(seen) == sorted(Organisation.objects.values_list("pk", flat=True))
    beyond = client.get(f"/api/v1/organisations?pageSize=2&page={last_page + 1}")
    assert beyond.status_code == 404
    assert beyond["Content-Type"].startswith("application/problem+json")
