"""The OpenAPI document: committed, current, and true to what the API answers."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db

COMMITTED = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"


@pytest.fixture(scope="module")
def document() -> dict:
    return yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))


def test_committed_document_is_current(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", validate=True, fail_on_warn=True, file=str(generated))
    assert generated.read_text(encoding="utf-8") == COMMITTED.read_text(encoding="utf-8"), (
        "docs/openapi.yaml is stale: run `make openapi`"
    )


def test_served_publicly_as_yaml_and_json(anon, document):
    as_yaml = anon.get("/api/v1/openapi.yaml")
    assert as_yaml.status_code == 200
    assert yaml.safe_load(as_yaml.content)["paths"].keys() == document["paths"].keys()
    as_json = anon.get("/api/v1/openapi.json")
    assert as_json.status_code == 200
    assert as_json.json()["info"]["version"] == settings.API_VERSION
    assert as_json["API-Version"] == settings.API_VERSION


def test_paths_follow_the_design_rules(document):
    for path in document["paths"]:
        assert path.startswith("/api/v1/")
        assert not path.endswith("/")
        for segment in path.removeprefix("/api/v1/").split("/"):
            if not segment.startswith("{"):
                assert segment == segment.lower() and "_" not in segment, path


def test_every_operation_documents_problems_and_the_version_header(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "401" in responses, (method, path)
            assert responses["401"]["content"].keys() == {"application/problem+json"}
            for code, response in responses.items():
                assert response["headers"]["API-Version"] == {"$ref": "#/components/headers/API-Version"}, (
                    method,
                    path,
                    code,
                )
    problem = document["components"]["schemas"]["ValidationProblem"]
    assert {"type", "title", "status", "detail", "instance", "invalidParams"} <= problem["properties"].keys()


def test_responses_match_their_documented_fields(world, client_for, document):
    """A tiny schema check: every field the API sends is documented, and every required one is sent."""
    schemas = document["components"]["schemas"]
    client = client_for(world.admin)
    samples = {
        "Organisation": client.get(f"/api/v1/organisations/{world.board_a.pk}").json(),
        "Membership": client.get(f"/api/v1/memberships/{world.membership_a.pk}").json(),
        "CurrentUser": client.get("/api/v1/users/me").json(),
        "Region": client.get(f"/api/v1/regions/{world.region.pk}").json(),
        "ValidationProblem": client.get("/api/v1/organisations?kind=nope").json(),
    }
    for name, body in samples.items():
        schema = schemas[name]
        assert set(body) <= set(schema["properties"]), name
        assert set(schema.get("required", [])) <= set(body), name
