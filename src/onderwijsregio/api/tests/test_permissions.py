"""Who may read and change what through the API: the same rules as the pages."""

import pytest

from onderwijsregio.accounts.models import Membership, Role
from onderwijsregio.core.models import AuditEvent
from onderwijsregio.core.services import audit_record, job_create

pytestmark = pytest.mark.django_db

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


def test_board_hr_sees_only_memberships_of_its_own_board(world, client_for):
    client = client_for(world.hr_a)
    ids = {row["id"] for row in client.get("/api/v1/memberships").json()["results"]}
    assert world.membership_a.pk in ids
    assert world.membership_b.pk not in ids
    assert client.get(f"/api/v1/memberships/{world.membership_a.pk}").status_code == 200
    # Not 403: whether B's membership exists is none of A's business.
    assert client.get(f"/api/v1/memberships/{world.membership_b.pk}").status_code == 404


def test_regional_team_sees_memberships_of_member_boards(world, client_for):
    ids = {row["id"] for row in client_for(world.team).get("/api/v1/memberships").json()["results"]}
    assert {world.membership_a.pk, world.membership_b.pk} <= ids


def test_board_hr_cannot_patch_another_board(world, client_for):
    client = client_for(world.hr_a)
    url = f"/api/v1/organisations/{world.board_b.pk}"
    etag = client.get(url)["ETag"]
    response = client.patch(url, {"name": "Overgenomen"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 403
    world.board_b.refresh_from_db()
    assert world.board_b.name == "Stichting B"


def test_board_hr_cannot_give_or_end_memberships_of_another_board(world, client_for):
    client = client_for(world.hr_a)
    response = client.post(
        "/api/v1/memberships",
        {"email": world.outsider.email, "organisation": world.board_b.pk, "role": Role.BOARD_HR},
        format="json",
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=world.outsider).exists()
    assert client.delete(f"/api/v1/memberships/{world.membership_b.pk}").status_code == 404
    world.membership_b.refresh_from_db()
    assert world.membership_b.ended_at is None


def test_board_hr_gives_and_ends_memberships_of_its_own_board(world, client_for):
    client = client_for(world.hr_a)
    response = client.post(
        "/api/v1/memberships",
        {"email": world.outsider.email.upper(), "organisation": world.board_a.pk, "role": Role.SCHOOL_LEADER},
        format="json",
    )
    assert response.status_code == 201, response.content
    created = Membership.objects.get(user=world.outsider)
    assert response.json()["id"] == created.pk
    assert response.json()["isActive"] is True
    assert AuditEvent.objects.filter(action="membership.created", organisation_id=world.board_a.pk).exists()

    assert client.delete(f"/api/v1/memberships/{created.pk}").status_code == 204
    created.refresh_from_db()
    assert created.ended_at is not None
    # Ending twice is refused by the service, as a problem the client can read.
    again = client.delete(f"/api/v1/memberships/{created.pk}")
    assert again.status_code == 400
    assert again.json()["invalidParams"][0]["name"] == "nonFieldErrors"


def test_membership_for_unknown_account_or_wrong_role_is_invalid(world, client_for):
    client = client_for(world.hr_a)
    unknown = client.post(
        "/api/v1/memberships",
        {"email": "niemand@example.nl", "organisation": world.board_a.pk, "role": Role.BOARD_HR},
        format="json",
    )
    assert unknown.status_code == 400
    assert [p["name"] for p in unknown.json()["invalidParams"]] == ["email"]
    wrong_kind = client.post(
        "/api/v1/memberships",
        {"email": world.outsider.email, "organisation": world.board_a.pk, "role": Role.REGIONAL_TEAM},
        format="json",
    )
    assert wrong_kind.status_code == 400
    assert [p["name"] for p in wrong_kind.json()["invalidParams"]] == ["organisation"]


def test_reading_other_peoples_memberships_is_audited_per_organisation(world, client_for):
    client_for(world.team).get("/api/v1/memberships")
    events = AuditEvent.objects.filter(action="people.viewed", actor=world.team)
    by_organisation = {event.organisation_id: event for event in events}
    assert set(by_organisation) == {world.board_a.pk, world.board_b.pk}
    for event in events:
        assert event.personal_data_read is True
        assert event.details["via"] == "api"
        assert set(event.details["organisation_ids"]) == {world.board_a.pk, world.board_b.pk}
    assert by_organisation[world.board_a.pk].details["user_ids"] == [world.hr_a.pk]


def test_reading_only_ones_own_membership_is_not_audited(world, client_for):
    client = client_for(world.hr_a)
    client.get(f"/api/v1/memberships/{world.membership_a.pk}")
    client.get("/api/v1/users/me")
    assert not AuditEvent.objects.filter(action="people.viewed").exists()


def test_audit_log_needs_permission_and_shows_only_visible_organisations(world, client_for):
    audit_record(actor=None, action="test.a", organisation_id=world.board_a.pk)
    audit_record(actor=None, action="test.b", organisation_id=world.board_b.pk)
    assert client_for(world.outsider).get("/api/v1/audit-events").status_code == 403

    client = client_for(world.hr_a)
    actions = {row["action"] for row in client.get("/api/v1/audit-events").json()["results"]}
    assert "test.a" in actions
    assert "test.b" not in actions
    event_b = AuditEvent.objects.get(action="test.b")
    assert client.get(f"/api/v1/audit-events/{event_b.pk}").status_code == 404

    team_actions = {row["action"] for row in client_for(world.team).get("/api/v1/audit-events").json()["results"]}
    assert {"test.a", "test.b"} <= team_actions


def test_jobs_are_visible_to_their_creator_and_superusers_only(world, client_for):
    job = job_create(kind="import", label="DUO-import", created_by=world.hr_a)
    url = f"/api/v1/jobs/{job.pk}"
    response = client_for(world.hr_a).get(url)
    assert response.status_code == 200
    assert response.json()["status"] == "queued"
    assert client_for(world.admin).get(url).status_code == 200
    assert client_for(world.hr_b).get(url).status_code == 404
    assert client_for(world.hr_a).get("/api/v1/jobs/not-a-uuid").status_code == 404
