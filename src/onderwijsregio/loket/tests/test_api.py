"""The candidate desk in the API: the same visibility as the pages, shared parts only, audited reads."""

# ruff: noqa: F401, F811

import re
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.utils import timezone

# The API tests' world and clients (accounts/tests/api_world.py), imported here as fixtures.
from onderwijsregio.accounts.tests.api_world import anon, client_for, world
from onderwijsregio.core.models import AuditEvent
from onderwijsregio.loket import services
from onderwijsregio.loket.models import Candidate, ConsentPurpose, EventKind, Handover, SharedPart, Stage

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
CAMEL = re.compile(r"^[a-z][a-zA-Z0-9]*$")
INTAKE = {
    "last_name": "Bakker",
    "postcode": "3811 AB",
    "target_group": "side_entrant",
    "education_level": "wo_master",
    "education_field": "Natuurkunde",
    "dutch_level": "C1",
    "target_sectors": ["VO"],
    "phone": "06 12345678",
}


def register(region, first_name, **overrides):
    return services.candidate_register(
        region=region,
        data={**INTAKE, "first_name": first_name, "email": f"{first_name.lower()}@example.nl", **overrides},
        consents={ConsentPurpose.SHARE_BOARDS: True},
        send_email=False,
    )


@pytest.fixture
def desk(world):
    """Three candidates; Anna is handed to board A with only her contact details."""
    anna = register(world.region, "Anna")
    bas = register(world.region, "Bas", target_group="returner")
    cor = register(world.region, "Cor")
    handover = services.handover_create(
        candidate=anna,
        receiver=world.board_a,
        shared_parts=[SharedPart.CONTACT],
        actor=world.team,
        trajectory=anna.trajectories.get(),
    )
    return anna, bas, cor, handover


def reads(user):
    return AuditEvent.objects.filter(actor=user, personal_data_read=True)


def test_team_lists_its_region_with_every_part_and_one_audit_event(world, desk, client_for):
    anna, bas, cor, _handover = desk
    response = client_for(world.team).get("/api/v1/candidates")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    by_name = {row["firstName"]: row for row in body["results"]}
    assert by_name["Bas"]["targetGroup"] == "returner"
    assert by_name["Anna"]["email"] == "anna@example.nl"
    assert by_name["Anna"]["sharedParts"] == sorted(SharedPart.values)
    assert by_name["Anna"]["consents"][ConsentPurpose.SHARE_BOARDS] is True
    [event] = reads(world.team)
    assert sorted(event.details["candidates"]) == sorted([anna.pk, bas.pk, cor.pk])
    assert event.organisation_id == world.region.pk and event.details["via"] == "api"


def test_receiver_sees_only_handed_candidates_and_only_shared_fields(world, desk, client_for):
    anna, bas, _cor, _handover = desk
    client = client_for(world.hr_a)
    body = client.get("/api/v1/candidates").json()
    assert [row["id"] for row in body["results"]] == [anna.pk]
    row = body["results"][0]
    assert row["email"] == "anna@example.nl" and row["phone"] == "06 12345678"
    assert row["sharedParts"] == ["contact"]
    for hidden in ("targetGroup", "educationField", "targetSectors", "advice", "documents", "coordinator", "consents"):
        assert hidden not in row
    detail = client.get(f"/api/v1/candidates/{anna.pk}")
    assert detail.status_code == 200 and "educationLevel" not in detail.json()
    assert [event.details["candidates"] for event in reads(world.hr_a)] == [[anna.pk], [anna.pk]]

    # Not handed, or handed to someone else: as if it did not exist.
    assert client.get(f"/api/v1/candidates/{bas.pk}").status_code == 404
    assert client.get(f"/api/v1/candidates/{bas.pk}/trajectories").status_code == 404
    other = client_for(world.hr_b)
    assert other.get("/api/v1/candidates").json()["count"] == 0
    assert other.get(f"/api/v1/candidates/{anna.pk}").status_code == 404
    # A filter on a part that was not shared must not reveal it.
    assert client.get("/api/v1/candidates?targetGroup=side_entrant").json()["count"] == 0


def test_timeline_only_when_shared(world, desk, client_for):
    anna, _bas, _cor, handover = desk
    client = client_for(world.hr_a)
    response = client.get(f"/api/v1/candidates/{anna.pk}/events")
    assert response.status_code == 403 and response["Content-Type"].startswith(PROBLEM)
    Handover.objects.filter(pk=handover.pk).update(shared_parts=["contact", "timeline"])
    events = client.get(f"/api/v1/candidates/{anna.pk}/events").json()["results"]
    assert {event["kind"] for event in events} >= {EventKind.REGISTERED, EventKind.HANDOVER}
    team_events = client_for(world.team).get(f"/api/v1/candidates/{anna.pk}/events").json()
    assert team_events["count"] == len(events)


def test_filters_and_bad_filters(world, desk, client_for):
    anna, bas, cor, _handover = desk
    services.trajectory_move(trajectory=cor.trajectories.get(), to_stage=Stage.INTAKE_DONE, actor=world.team)
    client = client_for(world.team)

    def ids(query):
        return sorted(row["id"] for row in client.get(f"/api/v1/candidates?{query}").json()["results"])

    assert ids("stage=intake_done") == [cor.pk]
    assert ids("targetGroup=returner") == [bas.pk]
    Candidate.objects.filter(pk=anna.pk).update(updated_at=timezone.now() + timedelta(days=1))
    since = (timezone.now() + timedelta(hours=12)).isoformat().replace("+00:00", "Z")
    assert ids(f"updatedSince={since}") == [anna.pk]
    bad = client.get("/api/v1/candidates?stage=hired&updatedSince=gisteren")
    assert bad.status_code == 400
    assert {param["name"] for param in bad.json()["invalidParams"]} == {"stage", "updatedSince"}


def test_desk_registers_a_candidate(world, client_for):
    payload = {
        "region": world.region.pk,
        "firstName": "Dirk",
        "lastName": "de Graaf",
        "email": "Dirk@Example.nl",
        "postcode": "3511ab",
        "targetGroup": "refugee_teacher",
        "educationLevel": "wo_master",
        "dutchLevel": "B1",
        "targetSectors": ["VO"],
        "foreignDiplomaCountry": "Syrië",
        "foreignDiplomaRecognition": "requested",
        "consents": {"shareBoards": True, "retainOneYear": True},
    }
    response = client_for(world.team).post("/api/v1/candidates", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["email"], body["postcode"]) == ("dirk@example.nl", "3511 AB")
    assert body["consents"] == {
        "share_boards": True,
        "share_institutes": False,
        "share_other_region": False,
        "retain_one_year": True,
    }
    candidate = Candidate.objects.get(pk=body["id"])
    assert candidate.trajectories.get().stage == Stage.NEW
    assert AuditEvent.objects.filter(action="candidate.registered", actor=world.team).exists()

    assert client_for(world.hr_a).post("/api/v1/candidates", payload, format="json").status_code == 403
    missing = client_for(world.team).post(
        "/api/v1/candidates", {"region": world.region.pk, "firstName": "X", "shoeSize": 44}, format="json"
    )
    assert missing.status_code == 400
    names = {param["name"] for param in missing.json()["invalidParams"]}
    assert {"lastName", "email", "postcode", "targetGroup", "educationLevel", "dutchLevel"} <= names
    bad_postcode = client_for(world.team).post("/api/v1/candidates", {**payload, "postcode": "12"}, format="json")
    assert bad_postcode.status_code == 400
    assert [param["name"] for param in bad_postcode.json()["invalidParams"]] == ["postcode"]


def test_registering_through_the_api_stores_route_advice(world, client_for):
    payload = {
        "region": world.region.pk,
        "firstName": "Eva",
        "lastName": "Jansen",
        "email": "eva@example.nl",
        "postcode": "3811AB",
        "targetGroup": "side_entrant",
        "educationLevel": "wo_master",
        "educationField": "Wiskunde",
        "dutchLevel": "C1",
        "targetSectors": ["VO"],
    }
    response = client_for(world.team).post("/api/v1/candidates", payload, format="json")
    assert response.status_code == 201, response.content
    candidate = Candidate.objects.get(pk=response.json()["id"])
    assert candidate.advice != {}
    assert candidate.advice["ruleset_version"] and candidate.advice["routes"]
    assert candidate.advice["profile"]["target_group"] == "side_entrant"
    assert candidate.events.filter(kind=EventKind.ADVISED).count() == 1
    assert response.json()["advice"] == candidate.advice


def test_editing_through_the_api_refreshes_the_route_advice(world, desk, client_for):
    anna, *_ = desk
    before = Candidate.objects.get(pk=anna.pk).advice
    client = client_for(world.team)
    etag = client.get(f"/api/v1/candidates/{anna.pk}")["ETag"]
    response = client.patch(
        f"/api/v1/candidates/{anna.pk}", {"targetSectors": ["PO"]}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.content
    after = Candidate.objects.get(pk=anna.pk).advice
    assert after["profile"]["target_sectors"] == ["PO"] and after != before
    assert response.json()["advice"] == after


def test_patch_needs_the_current_version(world, desk, client_for):
    anna, *_ = desk
    client = client_for(world.team)
    url = f"/api/v1/candidates/{anna.pk}"
    etag = client.get(url)["ETag"]
    assert client.patch(url, {"currentWork": "Docent"}, format="json").status_code == 428
    changed = client.patch(url, {"currentWork": "Docent", "hoursAvailable": 24}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200, changed.content
    assert changed.json()["currentWork"] == "Docent" and changed["ETag"] != etag
    stale = client.patch(url, {"currentWork": "Iets anders"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    anna.refresh_from_db()
    assert anna.current_work == "Docent"
    assert client.patch(url, {"hoursAvailable": 99}, format="json", HTTP_IF_MATCH=changed["ETag"]).status_code == 400
    # A receiver may see Anna but not change her record; someone else does not see her at all.
    assert client_for(world.hr_a).patch(url, {"phone": ""}, format="json", HTTP_IF_MATCH="*").status_code == 403
    assert client_for(world.hr_b).patch(url, {"phone": ""}, format="json", HTTP_IF_MATCH="*").status_code == 404


def test_trajectories_move_and_end(world, desk, client_for):
    _anna, bas, _cor, _handover = desk
    client = client_for(world.team)
    [trajectory] = client.get(f"/api/v1/candidates/{bas.pk}/trajectories").json()
    url = f"/api/v1/trajectories/{trajectory['id']}"
    etag = client.get(url)["ETag"]
    moved = client.patch(url, {"stage": "intake_done", "note": "Goed gesprek"}, format="json", HTTP_IF_MATCH=etag)
    assert moved.status_code == 200, moved.content
    assert moved.json()["stage"] == "intake_done"
    assert client.patch(url, {"stage": "advised"}, format="json", HTTP_IF_MATCH=etag).status_code == 412
    assert client.patch(url, {"stage": "hired"}, format="json", HTTP_IF_MATCH=moved["ETag"]).status_code == 400
    unknown = client.post(f"{url}/end", {"exitReason": "bestaat-niet"}, format="json")
    assert unknown.status_code == 400
    ended = client.post(f"{url}/end", {"exitReason": "other-job", "note": "Andere baan"}, format="json")
    assert ended.status_code == 200
    assert ended.json()["exitReason"] == "other-job" and ended.json()["isOpen"] is False
    again = client.post(f"{url}/end", {"exitReason": "other-job"}, format="json")
    assert again.status_code == 400
    assert client_for(world.hr_a).get(url).status_code == 404


def test_receiver_decides_from_the_inbox_and_then_moves_the_journey(world, desk, client_for):
    anna, _bas, _cor, handover = desk
    client = client_for(world.hr_a)
    trajectory = anna.trajectories.get()
    url = f"/api/v1/trajectories/{trajectory.pk}"
    # Pending: the receiver sees the trajectory but may not move it yet.
    assert client.patch(url, {"stage": "in_conversation"}, format="json", HTTP_IF_MATCH="*").status_code == 403

    inbox = client.get("/api/v1/handovers").json()
    assert [row["id"] for row in inbox["results"]] == [handover.pk]
    assert inbox["results"][0]["sharedParts"] == ["contact"]
    assert client_for(world.hr_b).get(f"/api/v1/handovers/{handover.pk}").status_code == 404
    assert client_for(world.hr_b).post(f"/api/v1/handovers/{handover.pk}/decide", {"accept": True}).status_code == 404

    decided = client.post(f"/api/v1/handovers/{handover.pk}/decide", {"accept": True, "note": "Welkom"}, format="json")
    assert decided.status_code == 200 and decided.json()["status"] == "accepted"
    assert client.post(f"/api/v1/handovers/{handover.pk}/decide", {"accept": False}, format="json").status_code == 400
    assert client.get("/api/v1/handovers?status=accepted").json()["count"] == 1
    assert client.get("/api/v1/handovers?status=nope").status_code == 400

    moved = client.patch(url, {"stage": "in_conversation"}, format="json", HTTP_IF_MATCH="*")
    assert moved.status_code == 200 and moved.json()["board"]["id"] == world.board_a.pk
    # Ending stays with the desk.
    assert client.post(f"{url}/end", {"exitReason": "other-job"}, format="json").status_code == 403


def test_needs_login_and_answers_problems(world, desk, anon):
    anna, *_ = desk
    for url in ("/api/v1/candidates", f"/api/v1/candidates/{anna.pk}", "/api/v1/handovers"):
        response = anon.get(url)
        assert response.status_code == 401 and response["Content-Type"].startswith(PROBLEM)
        assert response["API-Version"] == settings.API_VERSION
    assert anon.get("/api/v1/candidates/").status_code == 404


def _keys(value, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield path, key
            if key not in {"details", "advice", "consents"}:
                yield from _keys(item, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item, path)


def test_json_is_camel_case_and_matches_the_openapi_document(world, desk, client_for):
    anna, *_ = desk
    document = yaml.safe_load((Path(settings.BASE_DIR) / "docs" / "openapi.yaml").read_text(encoding="utf-8"))
    schemas = document["components"]["schemas"]
    samples = [
        ("Candidate", client_for(world.team).get(f"/api/v1/candidates/{anna.pk}").json()),
        ("Candidate", client_for(world.hr_a).get(f"/api/v1/candidates/{anna.pk}").json()),
        ("Trajectory", client_for(world.team).get(f"/api/v1/candidates/{anna.pk}/trajectories").json()[0]),
        ("Event", client_for(world.team).get(f"/api/v1/candidates/{anna.pk}/events").json()["results"][0]),
        ("Handover", client_for(world.hr_a).get("/api/v1/handovers").json()["results"][0]),
    ]
    for name, body in samples:
        for path, key in _keys(body):
            assert CAMEL.match(key), f"{name}: {path}.{key}"
        schema = schemas[name]
        assert set(body) <= set(schema["properties"]), name
        assert set(schema.get("required", [])) <= set(body), name
