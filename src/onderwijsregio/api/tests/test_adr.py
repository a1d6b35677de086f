"""The NL API Design Rules as the API's clients meet them."""

import re
from unittest import mock

import pytest
from django.conf import settings
from django.test import RequestFactory
from rest_framework.test import APIClient

from onderwijsregio.api.middleware import ApiVersionHeaderMiddleware
from onderwijsregio.organisations import api as organisations_api
from onderwijsregio.organisations.tests.factories import (
    PupilCountFactory,
    RegionSchoolLocationFactory,
    SchoolLocationFactory,
)

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
CAMEL = re.compile(r"^[a-z][a-zA-Z0-9]*$")
# Free-form JSON whose keys are data, not field names.
FREE_FORM = {"details", "result"}


def assert_problem(response, status: int, title: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM)
    assert response["API-Version"] == settings.API_VERSION
    body = response.json()
    assert body["status"] == status
    assert body["title"] == title
    assert body["type"].startswith("urn:onderwijsregio:problem:")
    assert body["detail"]
    assert body["instance"] == response.wsgi_request.get_full_path()
    return body


def test_success_responses_carry_api_version(world, client_for):
    response = client_for(world.hr_a).get("/api/v1/regions")
    assert response.status_code == 200
    assert response["API-Version"] == settings.API_VERSION


def test_unauthenticated_is_401_problem_with_challenge(world, anon):
    response = anon.get("/api/v1/organisations")
    assert_problem(response, 401, "Niet ingelogd")
    assert response["WWW-Authenticate"] == "Token"


def test_trailing_slash_is_404_not_a_redirect(world, client_for):
    client = client_for(world.hr_a)
    assert client.get("/api/v1/regions").status_code == 200
    assert_problem(client.get("/api/v1/regions/"), 404, "Niet gevonden")
    assert_problem(client.get(f"/api/v1/organisations/{world.board_a.pk}/"), 404, "Niet gevonden")


def test_unknown_paths_are_404_problems(world, client_for, anon):
    assert_problem(client_for(world.hr_a).get("/api/v1/schools"), 404, "Niet gevonden")
    # Even without login and for unsafe methods: the path does not exist, whoever asks.
    assert_problem(anon.post("/api/v1/nothing-here", {}, format="json"), 404, "Niet gevonden")


def test_bad_input_is_400_with_invalid_params(world, client_for):
    response = client_for(world.hr_a).get("/api/v1/school-locations?sector=XX&board=abc")
    body = assert_problem(response, 400, "Ongeldige invoer")
    names = {param["name"] for param in body["invalidParams"]}
    assert names == {"sector", "board"}
    for param in body["invalidParams"]:
        assert param["code"] and param["reason"]


def test_forbidden_is_403_problem(world, client_for):
    response = client_for(world.hr_a).patch(
        f"/api/v1/organisations/{world.board_b.pk}", {"name": "Overgenomen"}, format="json", HTTP_IF_MATCH="*"
    )
    assert_problem(response, 403, "Geen toegang")


def test_wrong_method_is_405_problem(world, client_for):
    client = client_for(world.admin)
    assert_problem(client.delete(f"/api/v1/organisations/{world.board_a.pk}"), 405, "Methode niet toegestaan")
    assert_problem(client.post("/api/v1/regions", {}, format="json"), 405, "Methode niet toegestaan")


def test_precondition_problems_412_and_428(world, client_for):
    client = client_for(world.hr_a)
    url = f"/api/v1/organisations/{world.board_a.pk}"
    assert_problem(client.patch(url, {"name": "Nieuw"}, format="json"), 428, "Voorwaarde vereist")
    stale = client.patch(url, {"name": "Nieuw"}, format="json", HTTP_IF_MATCH='"not-the-current-version"')
    assert_problem(stale, 412, "Gewijzigd door een ander")


def test_uncaught_error_inside_api_is_500_problem(world):
    client = APIClient(raise_request_exception=False)
    client.force_login(world.hr_a)
    with mock.patch.object(organisations_api.DistanceView, "get", side_effect=RuntimeError("kapot")):
        response = client.get("/api/v1/distances?from=3811&to=3511")
    body = assert_problem(response, 500, "Interne fout")
    assert "kapot" not in body["detail"]


def test_django_level_errors_are_rewritten_only_inside_api():
    from django.http import HttpResponseNotFound

    middleware = ApiVersionHeaderMiddleware(lambda request: HttpResponseNotFound("<h1>Not Found</h1>"))
    api_response = middleware(RequestFactory().get("/api/v2/regions"))
    assert api_response["Content-Type"] == PROBLEM
    assert api_response["API-Version"] == settings.API_VERSION
    page_response = middleware(RequestFactory().get("/regio/onbekend"))
    assert page_response["Content-Type"].startswith("text/html")
    assert not page_response.has_header("API-Version")


def _keys(value, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield path, key
            if key not in FREE_FORM:
                yield from _keys(item, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item, path)


def test_json_field_names_are_camel_case(world, client_for):
    link = RegionSchoolLocationFactory(region=world.region, school_location=SchoolLocationFactory(board=world.board_a))
    PupilCountFactory(school_location=link.school_location, year=2025, count=None, is_small=True)
    client = client_for(world.admin)
    urls = [
        "/api/v1/organisations",
        "/api/v1/school-locations",
        f"/api/v1/regions/{world.region.pk}/analysis",
        f"/api/v1/regions/{world.region.pk}/members",
        "/api/v1/memberships",
        "/api/v1/users/me",
        "/api/v1/audit-events",
        "/api/v1/municipalities",
        "/api/v1/school-locations?sector=nope",
    ]
    seen = set()
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 400), url
        for path, key in _keys(response.json()):
            assert CAMEL.match(key), f"{url}: {path}.{key}"
            seen.add(key)
    # The check above would pass vacuously on empty bodies; these prove it saw the nested fields.
    assert {"pupilCounts", "isSmall", "vestigingCode", "invalidParams", "bySector", "latestYear"} <= seen


LIST_URLS = [
    "/api/v1/labour-market-regions",
    "/api/v1/municipalities",
    "/api/v1/postcode-areas",
    "/api/v1/distances?from=3811&to=3511",
    "/api/v1/regions",
    "/api/v1/organisations",
    "/api/v1/school-locations",
    "/api/v1/memberships",
    "/api/v1/users/me",
    "/api/v1/audit-events",
]


@pytest.mark.parametrize("url", LIST_URLS)
def test_every_resource_needs_login(world, anon, url):
    response = anon.get(url)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
