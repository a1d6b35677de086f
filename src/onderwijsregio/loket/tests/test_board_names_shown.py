"""A board named from DUO's board file shows that name in the desk, the inbox and the candidate's email (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from onderwijsregio.loket.models import SharedPart
from onderwijsregio.loket.tests.test_staff_views import World, page_text
from onderwijsregio.organisations.models import NameSource, Organisation
from onderwijsregio.organisations.services import duo_import
from onderwijsregio.organisations.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

DUO_BOARDS = Path(settings.DATA_DIR) / "duo" / "duo_vo_03_bevoegde_gezagen_vo_2023.csv"


def test_the_imported_name_replaces_the_number_wherever_the_board_is_shown(
    client, run_worker, django_capture_on_commit_callbacks
):
    world = World()
    # The board as a location import leaves it: only DUO's number.
    Organisation.objects.filter(pk=world.board.pk).update(
        duo_number="40180", name="Bevoegd gezag 40180", name_is_provisional=True, name_source=NameSource.PLACEHOLDER
    )
    MunicipalityFactory()
    duo_import(paths=[DUO_BOARDS])
    world.board.refresh_from_db()
    assert world.board.name == "Stichting Meerscholen"

    candidate = world.register()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        world.hand_over(candidate, [SharedPart.CONTACT])
    run_worker()
    to_candidate = [message for message in mail.outbox if candidate.email in message.to]
    assert to_candidate and "Stichting Meerscholen" in to_candidate[0].body
    assert all("Bevoegd gezag 40180" not in message.body for message in mail.outbox)

    client.force_login(world.team)
    desk = page_text(client.get(reverse("loket:candidate_detail", args=[candidate.pk])))
    assert "Stichting Meerscholen" in desk and "Bevoegd gezag 40180" not in desk
    client.force_login(world.hr)
    inbox = page_text(client.get(reverse("loket:inbox")))
    assert "Stichting Meerscholen" in inbox and "Bevoegd gezag 40180" not in inbox
