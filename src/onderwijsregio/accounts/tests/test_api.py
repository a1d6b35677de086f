"""Memberships, the current user, the audit log and jobs in the API: who may read and change what."""

import pytest

from onderwijsregio.accounts.models import Membership, Role
from onderwijsregio.accounts.tests.factories import MembershipFactory
from onderwijsregio.core.models import AuditEvent
from onderwijsregio.core.services import audit_record, job_create

pytestmark = pytest.mark.django_db


def results(response) -> list:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_token_authentication(world, token_client_for, anon):
    response = token_client_for(world.hr_a).get("/api/v1/users/me")
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == world.hr_a.email
    assert [(m["organisation"]["id"], m["role"]) for m in body["memberships"]] == [(world.board_a.pk, "board_hr")]
    anon.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    assert anon.get("/api/v1/users/me").status_code == 401


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


def test_audit_event_filters(world, client_for):
    audit_record(actor=None, action="organisation.updated", organisation_id=world.board_a.pk)
    audit_record(actor=None, action="people.viewed", organisation_id=world.board_a.pk, personal_data_read=True)
    client = client_for(world.hr_a)
    actions = [row["action"] for row in results(client.get("/api/v1/audit-events?personalDataRead=true"))]
    assert actions == ["people.viewed"]
    assert [row["action"] for row in results(client.get("/api/v1/audit-events?action=organisation.updated"))] == [
        "organisation.updated"
    ]
    assert results(client.get("/api/v1/audit-events?from=2999-01-01T00:00:00Z")) == []
    assert len(results(client.get("/api/v1/audit-events?to=2999-01-01"))) >= 2
    bad = client.get("/api/v1/audit-events?from=2025-02-01&to=2025-01-01")
    assert [p["name"] for p in bad.json()["invalidParams"]] == ["to"]


def test_refusals_carry_their_codes(world, client_for):
    client = client_for(world.hr_a)
    unknown = client.post(
        "/api/v1/memberships",
        {"email": "niemand@example.nl", "organisation": world.board_a.pk, "role": Role.BOARD_HR},
        format="json",
    )
    assert [(p["name"], p["code"]) for p in unknown.json()["invalidParams"]] == [("email", "unknown_account")]
    twice = client.post(
        "/api/v1/memberships",
        {"email": world.hr_a.email, "organisation": world.board_a.pk, "role": Role.BOARD_HR},
        format="json",
    )
    assert [p["code"] for p in twice.json()["invalidParams"]] == ["membership_exists"]
    admin = client_for(world.admin)
    assert admin.delete(f"/api/v1/memberships/{world.membership_b.pk}").status_code == 204
    again = admin.delete(f"/api/v1/memberships/{world.membership_b.pk}")
    assert [p["code"] for p in again.json()["invalidParams"]] == ["membership_already_ended"]
    bad_dates = client_for(world.admin).get("/api/v1/audit-events?from=2025-02-01&to=2025-01-01")
    assert [(p["name"], p["code"]) for p in bad_dates.json()["invalidParams"]] == [("to", "to_before_from")]


def test_ending_ones_own_last_membership_is_refused(world, client_for):
    """HR ending their own only role would lock themselves out of the board's accounts for good."""
    response = client_for(world.hr_a).delete(f"/api/v1/memberships/{world.membership_a.pk}")
    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "last_own_membership"
    assert "laatste" in body["detail"]
    world.membership_a.refresh_from_db()
    assert world.membership_a.ended_at is None
    assert not AuditEvent.objects.filter(action="membership.ended").exists()


def test_ending_ones_own_membership_is_allowed_while_another_remains(world, client_for):
    second = MembershipFactory(user=world.hr_a, organisation=world.board_a, role=Role.SCHOOL_LEADER)
    assert client_for(world.hr_a).delete(f"/api/v1/memberships/{second.pk}").status_code == 204
    second.refresh_from_db()
    assert second.ended_at is not None
