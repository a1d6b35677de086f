"""The inbox after a handover ended: no personal data of the candidate, and every read of it audited (issue 10)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from onderwijsregio.core.models import AuditEvent
from onderwijsregio.loket import services
from onderwijsregio.loket.models import Handover, SharedPart
from onderwijsregio.loket.tests.test_staff_views import World, page_text

pytestmark = pytest.mark.django_db

MESSAGE = "Spreek haar aan op haar ervaring in het buitenland, telefoon 0612345678"


@pytest.fixture
def world():
    return World()


def handed(world, last_name: str) -> Handover:
    candidate = world.register(last_name=last_name)
    return services.handover_create(
        candidate=candidate,
        receiver=world.board,
        shared_parts=[SharedPart.CONTACT],
        trajectory=candidate.trajectories.get(),
        message=MESSAGE,
        actor=world.team,
    )


def reads(user) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(actor=user, personal_data_read=True).order_by("pk"))


@pytest.mark.parametrize("ending", ["withdrawn", "declined"])
def test_ended_handover_shows_no_name_nor_message(client, world, ending):
    handover = handed(world, "Teruggetrokken")
    if ending == "withdrawn":
        services.handover_withdraw(handover=handover, actor=world.team)
        label = "Overdracht ingetrokken"
    else:
        services.handover_decide(handover=handover, accept=False, note="", actor=world.hr)
        label = "Overdracht afgewezen"
    client.force_login(world.hr)
    before = len(reads(world.hr))

    inbox = page_text(client.get(reverse("loket:inbox")))
    assert label in inbox
    assert "Teruggetrokken" not in inbox and handover.candidate.first_name not in inbox
    detail = page_text(client.get(reverse("loket:handover_detail", args=[handover.pk])))
    assert label in detail
    assert "Teruggetrokken" not in detail and handover.candidate.first_name not in detail
    assert "0612345678" not in detail and "buitenland" not in detail
    # Nothing personal was shown, so nothing is logged as a read of it.
    assert len(reads(world.hr)) == before


def test_inbox_logs_only_the_candidates_it_names(client, world):
    active = handed(world, "Lopend")
    ended = handed(world, "Beeindigd")
    services.handover_withdraw(handover=ended, actor=world.team)
    client.force_login(world.hr)
    inbox = page_text(client.get(reverse("loket:inbox")))
    assert "Lopend" in inbox and "Beeindigd" not in inbox
    (event,) = AuditEvent.objects.filter(actor=world.hr, action="candidate.list_viewed")
    assert event.details["via"] == "inbox"
    assert event.details["candidates"] == [active.candidate_id]


def test_open_handover_detail_with_its_message_is_an_audited_read(client, world):
    handover = handed(world, "Zichtbaarnaam")
    client.force_login(world.hr)
    detail = page_text(client.get(reverse("loket:handover_detail", args=[handover.pk])))
    assert "Zichtbaarnaam" in detail and "0612345678" in detail
    (event,) = reads(world.hr)
    assert event.action == "candidate.viewed" and event.object_id == str(handover.candidate_id)


def test_only_ended_handovers_on_a_page_log_no_read(client, world):
    handover = handed(world, "Weg")
    services.handover_withdraw(handover=handover, actor=world.team)
    client.force_login(world.hr)
    assert "Overdracht ingetrokken" in page_text(client.get(reverse("loket:inbox")))
    assert reads(world.hr) == []
