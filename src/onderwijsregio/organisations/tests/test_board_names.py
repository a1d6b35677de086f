"""A board's HR or the regional team confirms or corrects the board's name on its profile page (issue 17)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from onderwijsregio.core.models import AuditEvent
from onderwijsregio.organisations.models import NameSource
from onderwijsregio.organisations.tests.factories import BoardFactory, RegionFactory, RegionMemberFactory
from onderwijsregio.organisations.tests.test_views import hr_of, regional_team, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def duo_named():
    region = RegionFactory(slug="eemland")
    board = BoardFactory(
        name="Stichting Meerscholen",
        duo_number="40180",
        name_source=NameSource.DUO,
        name_source_detail="DUO, duo_vo_03_bevoegde_gezagen_vo_2023.csv (2023)",
        kvk_number="41189899",
    )
    RegionMemberFactory(region=region, member=board)
    return {"region": region, "board": board}


def test_the_profile_shows_where_the_name_comes_from(client, duo_named):
    board = duo_named["board"]
    page = text_of(client.get(reverse("organisations:board_detail", args=[board.pk])))
    assert "DUO-bestand bevoegde gezagen (DUO, duo_vo_03_bevoegde_gezagen_vo_2023.csv (2023))" in page
    assert "41189899" in page


def test_board_hr_confirms_the_duo_name(client, duo_named):
    board = duo_named["board"]
    hr = hr_of(board)
    client.force_login(hr)
    url = reverse("organisations:board_edit", args=[board.pk])
    page = text_of(client.get(url))
    assert "Deze naam klopt" in page and "DUO-bestand bevoegde gezagen" in page
    client.post(url, {"name": board.name, "website": "", "description": "", "confirm_name": "on", "version": 1})
    board.refresh_from_db()
    assert (board.name, board.name_source) == ("Stichting Meerscholen", NameSource.BOARD)
    assert board.name_confirmed_by == hr and board.name_confirmed_at is not None
    event = AuditEvent.objects.get(action="organisation.board_name_confirmed", object_id=str(board.pk))
    assert event.details["before"]["source"] == NameSource.DUO and event.details["corrected"] is False
    assert "bevestigd door het bestuur" in text_of(client.get(reverse("organisations:board_detail", args=[board.pk])))


def test_the_regional_team_corrects_the_name(client, duo_named):
    board = duo_named["board"]
    client.force_login(regional_team(duo_named["region"]))
    detail = text_of(client.get(reverse("organisations:board_detail", args=[board.pk])))
    assert "Naam bevestigen of verbeteren" in detail and "Profiel bewerken" not in detail
    url = reverse("organisations:board_name_edit", args=[board.pk])
    assert 'value="Stichting Meerscholen"' in client.get(url).content.decode()
    client.post(url, {"name": "Meerscholen", "version": 1})
    board.refresh_from_db()
    assert (board.name, board.name_source) == ("Meerscholen", NameSource.BOARD)
    assert AuditEvent.objects.get(action="organisation.board_name_confirmed").details["corrected"] is True


def test_another_boards_hr_cannot_confirm(client, duo_named):
    board = duo_named["board"]
    client.force_login(hr_of(BoardFactory(duo_number="41208")))
    for name in ("organisations:board_edit", "organisations:board_name_edit"):
        url = reverse(name, args=[board.pk])
        assert client.get(url).status_code == 404
        response = client.post(url, {"name": "Overgenomen", "website": "", "description": "", "confirm_name": "on"})
        assert response.status_code == 404
    # Nor can the team of a region the board takes no part in.
    client.force_login(regional_team(RegionFactory(slug="elders")))
    assert client.post(url, {"name": "Overgenomen"}).status_code == 404
    board.refresh_from_db()
    assert (board.name, board.name_source) == ("Stichting Meerscholen", NameSource.DUO)
    assert not AuditEvent.objects.filter(action="organisation.board_name_confirmed").exists()


def test_a_stale_confirmation_is_refused(client, duo_named):
    board = duo_named["board"]
    client.force_login(hr_of(board))
    url = reverse("organisations:board_name_edit", args=[board.pk])
    response = client.post(url, {"name": "Meerscholen", "version": board.version + 1})
    assert response.status_code == 200 and response.context["form"].errors
    board.refresh_from_db()
    assert (board.name, board.name_source) == ("Stichting Meerscholen", NameSource.DUO)


def test_board_name_confirm_refuses_what_is_not_a_board(duo_named):
    from onderwijsregio.core.errors import DomainError
    from onderwijsregio.organisations.services import board_name_confirm

    with pytest.raises(DomainError):
        board_name_confirm(board=duo_named["region"], actor=None)
