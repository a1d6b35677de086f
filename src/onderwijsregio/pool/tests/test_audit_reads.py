"""Reads of pool members' personal data are audit-logged on every page that shows them (issue 10).

The batch page names the member on every proposal, the replacement page lists every member with
reasons, the hours pages name the member of each assignment, and the admin lists pool members and
(as task results) the arguments of sent emails, login codes included.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from onderwijsregio.accounts.tests.factories import UserFactory
from onderwijsregio.core.models import AuditEvent
from onderwijsregio.pool import services
from onderwijsregio.pool.tests.factories import HoursEntryFactory
from onderwijsregio.pool.tests.test_hours import build_hours_world

from .workflow_setup import build_world, make_request

pytestmark = pytest.mark.django_db


def reads(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, personal_data_read=True))


def test_the_batch_page_logs_whose_proposals_were_read(client):
    w = build_world()
    make_request(w)
    batch = services.batch_run(pool=w.pool, actor=w.coordinator)
    proposal = batch.proposals.get()
    client.force_login(w.coordinator)

    body = client.get(reverse("pool:batch_detail", args=[w.pool.slug, batch.pk])).content.decode()

    assert proposal.member.full_name in body
    [event] = reads("pool.batch_viewed")
    assert event.actor == w.coordinator
    assert event.object_id == str(batch.pk)
    assert event.organisation_id == w.pool.region_id
    assert event.details["members"] == [proposal.member_id]


def test_the_replacement_page_logs_the_eligibility_read(client):
    w = build_world()
    make_request(w)
    batch = services.batch_run(pool=w.pool, actor=w.coordinator)
    proposal = batch.proposals.get()
    client.force_login(w.coordinator)

    body = client.get(reverse("pool:proposal_replace", args=[w.pool.slug, batch.pk, proposal.pk])).content.decode()

    assert "Greta Ver" in body
    [event] = reads("pool.eligibility_viewed")
    assert event.actor == w.coordinator


@pytest.mark.parametrize("page", ["list", "assignment"])
def test_hours_pages_log_whose_hours_were_read(client, page):
    w = build_hours_world()
    HoursEntryFactory(assignment=w.assignment, week_start=w.start, entered_side="member", status="entered")
    client.force_login(w.leader_a)
    url = {
        "list": reverse("pool:hours_list", kwargs={"slug": w.pool.slug}),
        "assignment": reverse("pool:hours_assignment", kwargs={"slug": w.pool.slug, "assignment_pk": w.assignment.pk}),
    }[page]

    response = client.get(url)

    assert response.status_code == 200
    assert "Anna Eerste" in response.content.decode()
    [event] = reads("pool.hours_viewed")
    assert event.actor == w.leader_a
    assert event.details["page"] == page
    assert event.details["members"] == [w.m1.pk]


def test_a_member_reading_only_their_own_hours_is_not_a_read_of_someone_elses_data(client):
    w = build_hours_world()
    client.force_login(w.member_user)
    assert client.get(reverse("pool:hours_list", kwargs={"slug": w.pool.slug})).status_code == 200
    assert reads("pool.hours_viewed") == []


def test_the_admin_pool_member_list_is_logged(client):
    w = build_hours_world()
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)

    response = client.get(reverse("admin:pool_poolmember_changelist"), {"is_active__exact": "1"})

    assert response.status_code == 200
    [event] = reads("pool.members_listed")
    assert event.actor == admin
    assert event.details["via"] == "admin"
    assert event.details["count"] == w.pool.members.filter(is_active=True).count()
    assert event.details["filters"] == {"is_active__exact": "1"}


def test_the_admin_never_shows_task_arguments_or_results(client, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from onderwijsregio.core.services import email_send_later

    with django_capture_on_commit_callbacks(execute=True):
        email_send_later(to=["kandidaat@example.nl"], subject="Uw code", body="Uw inlogcode is 493817.")
    result = DBTaskResult.objects.get()
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)

    listing = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))
    detail = client.get(reverse("admin:django_tasks_database_dbtaskresult_change", args=[result.pk]))

    assert listing.status_code == 200 and detail.status_code == 200
    for page in (listing, detail):
        body = page.content.decode()
        assert "493817" not in body
        assert "kandidaat@example.nl" not in body
