"""Bad input the API must refuse with a 400 problem instead of a 500 or a silent answer (issue 10)."""

import pytest
import yaml
from django.conf import settings

from onderwijsregio.api.problems import PROBLEM_CONTENT_TYPE

HUGE = "9" * 30

# (url, the parameter the problem must name)
HUGE_FILTERS = [
    (f"/api/v1/organisations?region={HUGE}", "region"),
    (f"/api/v1/school-locations?region={HUGE}", "region"),
    (f"/api/v1/school-locations?board={HUGE}", "board"),
    (f"/api/v1/memberships?organisation={HUGE}", "organisation"),
    (f"/api/v1/audit-events?organisation={HUGE}", "organisation"),
    ("/api/v1/organisations?region=99999999999999999999", "region"),
]


def _problem_names(response) -> set[str]:
    assert response["Content-Type"].startswith(PROBLEM_CONTENT_TYPE)
    return {param["name"] for param in response.json()["invalidParams"]}


@pytest.mark.parametrize(("url", "name"), HUGE_FILTERS)
def test_huge_integer_filters_are_a_400_naming_the_parameter(world, client_for, url, name):
    response = client_for(world.admin).get(url)
    assert response.status_code == 400
    assert _problem_names(response) == {name}


@pytest.mark.parametrize(
    "path",
    ["regions", "organisations", "memberships", "audit-events", "candidates", "handovers", "replacement-requests"],
)
def test_huge_ids_in_the_path_are_a_404(world, client_for, path):
    response = client_for(world.admin).get(f"/api/v1/{path}/{HUGE}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith(PROBLEM_CONTENT_TYPE)


def test_malformed_json_names_the_body(world, client_for):
    response = client_for(world.admin).post("/api/v1/memberships", data="{bad", content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "parse_error"
    assert [param["name"] for param in body["invalidParams"]] == ["body"]
    assert body["invalidParams"][0]["code"] == "parse_error"


LIST_ENDPOINTS = [
    "/api/v1/labour-market-regions",
    "/api/v1/municipalities",
    "/api/v1/postcode-areas",
    "/api/v1/regions",
    "/api/v1/organisations",
    "/api/v1/school-locations",
    "/api/v1/memberships",
    "/api/v1/audit-events",
    "/api/v1/candidates",
    "/api/v1/handovers",
    "/api/v1/replacement-requests",
    "/api/v1/offers",
    "/api/v1/assignments",
]


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_unknown_query_parameters_are_refused(world, client_for, url):
    """A misspelt filter (`?stadium=` for `?stage=`) would otherwise return everything, unfiltered."""
    response = client_for(world.admin).get(f"{url}?stadium=intake")
    assert response.status_code == 400
    assert _problem_names(response) == {"stadium"}
    assert response.json()["invalidParams"][0]["code"] == "unknown_parameter"


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_pagination_parameters_are_still_accepted(world, client_for, url):
    assert client_for(world.admin).get(f"{url}?page=1&pageSize=10").status_code == 200


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/v1/candidates?stage=nonsense", "stage"),
        ("/api/v1/candidates?updatedSince=gisteren", "updatedSince"),
        ("/api/v1/audit-events?from=gisteren", "from"),
        ("/api/v1/memberships?active=misschien", "active"),
        ("/api/v1/offers?status=nonsense", "status"),
        ("/api/v1/regions?page=0", "page"),
        ("/api/v1/regions?page=eerste", "page"),
        ("/api/v1/regions?pageSize=0", "pageSize"),
        ("/api/v1/regions?pageSize=veel", "pageSize"),
    ],
)
def test_bad_filter_values_are_a_400_naming_the_parameter(world, client_for, url, name):
    response = client_for(world.admin).get(url)
    assert response.status_code == 400
    assert _problem_names(response) == {name}


def test_a_page_past_the_end_is_a_documented_404(world, client_for):
    response = client_for(world.admin).get(f"/api/v1/regions?page={HUGE}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith(PROBLEM_CONTENT_TYPE)
    document = yaml.safe_load((settings.BASE_DIR / "docs" / "openapi.yaml").read_text(encoding="utf-8"))
    assert "404" in document["paths"]["/api/v1/regions"]["get"]["responses"]


def test_paged_and_object_operations_document_404_and_every_operation_414(world):
    """A page past the last one and an unknown object are 404 problems; a URL too long for the server a 414."""
    document = yaml.safe_load((settings.BASE_DIR / "docs" / "openapi.yaml").read_text(encoding="utf-8"))
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "414" in responses, (method, path)
            paged = any(parameter.get("name") == "page" for parameter in operation.get("parameters", []))
            if paged or "{" in path:
                assert responses["404"]["content"].keys() == {PROBLEM_CONTENT_TYPE}, (method, path)
