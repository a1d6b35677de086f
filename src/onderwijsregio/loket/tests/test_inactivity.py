"""A record nobody works on expires too: "te beoordelen" after LOKET_MAX_INACTIVE_DAYS, erased after the retention
period on top of that, even with a trajectory that was never closed (issue 10)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from onderwijsregio.core.models import AuditEvent
from onderwijsregio.loket import services
from onderwijsregio.loket.models import Candidate, CandidateStatistic, ConsentPurpose, SharedPart
from onderwijsregio.loket.tests.test_staff_views import World, page_text
from onderwijsregio.loket.worklist import Viewer, worklist

pytestmark = pytest.mark.django_db

MAX_INACTIVE = 730


@pytest.fixture
def world(settings):
    settings.LOKET_MAX_INACTIVE_DAYS = MAX_INACTIVE
    settings.LOKET_RETENTION_DAYS = 28
    settings.LOKET_RETENTION_DAYS_WITH_CONSENT = 365
    return World()


def registered_ago(world, days: int, last_name: str, *, retain: bool = False) -> Candidate:
    consents = {ConsentPurpose.SHARE_BOARDS: True, ConsentPurpose.RETAIN_ONE_YEAR: retain}
    with time_machine.travel(timezone.now() - timedelta(days=days), tick=False):
        return world.register(last_name=last_name, consents=consents)


def test_retention_erases_a_never_closed_record_after_inactivity_plus_retention(world):
    expired = registered_ago(world, MAX_INACTIVE + 28 + 1, "Verlopen")
    waiting = registered_ago(world, MAX_INACTIVE + 27, "TeBeoordelen")
    registered_ago(world, MAX_INACTIVE + 28 + 1, "Bewaren", retain=True)
    consent_over = registered_ago(world, MAX_INACTIVE + 365 + 1, "BewarenVerlopen", retain=True)
    revived = registered_ago(world, MAX_INACTIVE + 400, "Actief")
    services.note_add(candidate=revived, text="Nog steeds geinteresseerd", actor=world.team)
    assert all(c.trajectories.filter(ended_at__isnull=True).exists() for c in (expired, waiting, revived))

    erased = services.retention_run()

    assert erased == 2
    remaining = set(Candidate.objects.values_list("last_name", flat=True))
    assert remaining == {"TeBeoordelen", "Bewaren", "Actief"}
    assert CandidateStatistic.objects.count() == 2
    reasons = set(AuditEvent.objects.filter(action="candidate.erased").values_list("details__reason", flat=True))
    assert reasons == {"retention_inactive"}
    assert not Candidate.objects.filter(pk__in=[expired.pk, consent_over.pk]).exists()


def test_the_desk_sees_inactive_records_as_te_beoordelen_and_can_filter_them(client, world):
    stale = registered_ago(world, MAX_INACTIVE + 1, "Stilgevallen")
    registered_ago(world, MAX_INACTIVE - 1, "Recent")
    client.force_login(world.team)
    text = page_text(client.get(reverse("loket:candidate_list")))
    row = text[text.index("Stilgevallen") :].split("</tr>")[0]
    assert "te beoordelen" in row
    recent_row = text[text.index("Recent") :].split("</tr>")[0]
    assert "te beoordelen" not in recent_row
    filtered = page_text(client.get(reverse("loket:candidate_list"), {"needs_decision": "on"}))
    assert "Stilgevallen" in filtered and "Recent" not in filtered
    # A receiver neither sees the mark nor filters on the desk's activity.
    world.hand_over(stale, [SharedPart.CONTACT])
    client.force_login(world.hr)
    text = page_text(client.get(reverse("loket:candidate_list")))
    assert "Stilgevallen" in text
    assert "te beoordelen" not in text[text.index("Stilgevallen") :].split("</tr>")[0]
    assert 'name="needs_decision"' not in text
    hr_viewer = Viewer(world.hr)
    assert not worklist(viewer=hr_viewer, filters={"needs_decision": True}).exists()
    assert worklist(viewer=hr_viewer, filters={}).filter(pk=stale.pk).exists()


def test_reminders_list_inactive_records_as_te_beoordelen(world, run_worker, django_capture_on_commit_callbacks):
    stale = registered_ago(world, MAX_INACTIVE + 1, "Stilgevallen")
    services.coordinator_assign(candidate=stale, coordinator=world.team, actor=world.team)
    # The assignment is itself activity; the record then lies still for the maximum.
    Candidate.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - timedelta(days=MAX_INACTIVE + 1))
    stale.events.update(created_at=timezone.now() - timedelta(days=MAX_INACTIVE + 1))
    registered_ago(world, 10, "Recent")
    with django_capture_on_commit_callbacks(execute=True):
        result = services.follow_up_reminders_send()
    assert result["reminded"] == 1, result
    run_worker()
    (message,) = [m for m in mail.outbox if m.to == [world.team.email]]
    assert "Stilgevallen"[:1] in message.body and stale.first_name in message.body
    assert "te beoordelen" in message.body
    # Once a day, like follow-up reminders.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.follow_up_reminders_send()["reminded"] == 0
