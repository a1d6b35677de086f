"""Pages of organisations: public figures that match the data, permissions, forms and the import."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from onderwijsregio.accounts.models import Role
from onderwijsregio.accounts.tests.factories import MembershipFactory, UserFactory
from onderwijsregio.core.models import AuditEvent, Job
from onderwijsregio.organisations import services
from onderwijsregio.organisations.models import (
    Organisation,
    PostcodeArea,
    RegionMember,
    RegionSchoolLocation,
    Sector,
    SubRegion,
)
from onderwijsregio.organisations.tests.factories import (
    BoardFactory,
    InstituteFactory,
    MunicipalityFactory,
    PupilCountFactory,
    RegionFactory,
    RegionMemberFactory,
    RegionSchoolLocationFactory,
    SchoolLocationFactory,
)

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page as a reader sees it: tags dropped, whitespace collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def place(region, **location_fields):
    location = SchoolLocationFactory(**location_fields)
    RegionSchoolLocationFactory(region=region, school_location=location)
    return location


@pytest.fixture
def amersfoort():
    """A small region: 3 locations of 2 boards in 2 municipalities, one with DUO's "<5"."""
    region = RegionFactory(name="Onderwijsregio Eemland", slug="eemland", sectors=["PO", "VO"])
    amersfoort = MunicipalityFactory(cbs_code="0307", name="Amersfoort")
    leusden = MunicipalityFactory(cbs_code="0327", name="Leusden")
    board_1 = BoardFactory(name="Stichting Eemlandcollege", duo_number="41234")
    board_2 = BoardFactory(name="Stichting Primair Leusden", duo_number="30001", name_is_provisional=True)
    vo_big = place(region, board=board_1, municipality=amersfoort, sector=Sector.VO, name="Eemcollege")
    vo_small = place(
        region, board=board_1, municipality=leusden, sector=Sector.VO, name="Eemcollege dependance", vo_levels=["pro"]
    )
    po = place(region, board=board_2, municipality=leusden, sector=Sector.PO, name="De Linde", vo_levels=[])
    PupilCountFactory(school_location=vo_big, year=2024, count=480)
    PupilCountFactory(school_location=vo_big, year=2025, count=500)
    PupilCountFactory(school_location=vo_small, year=2025, count=None, is_small=True)
    PupilCountFactory(school_location=po, year=2024, count=210)
    PupilCountFactory(school_location=po, year=2025, count=200)

    # Noise that must not be counted: another region, and a location that left this one.
    other = RegionFactory(name="Onderwijsregio Elders", slug="elders")
    elsewhere = place(other, board=board_1, municipality=amersfoort, name="Elders college")
    PupilCountFactory(school_location=elsewhere, year=2025, count=9999)
    left = SchoolLocationFactory(board=BoardFactory(), municipality=amersfoort, name="Vertrokken school")
    RegionSchoolLocationFactory(
        region=region,
        school_location=left,
        started_on=datetime.date(2020, 1, 1),
        ended_on=datetime.date(2021, 1, 1),
    )
    PupilCountFactory(school_location=left, year=2025, count=7777)

    RegionMemberFactory(region=region, member=board_1, role=RegionMember.Role.BOARD, is_applicant=True)
    RegionMemberFactory(region=region, member=InstituteFactory(name="Hogeschool Utrecht"), role="institute")
    return {
        "region": region,
        "board_1": board_1,
        "board_2": board_2,
        "vo_big": vo_big,
        "vo_small": vo_small,
        "po": po,
        "amersfoort": amersfoort,
        "leusden": leusden,
    }


def regional_team(region):
    return MembershipFactory(organisation=region, role=Role.REGIONAL_TEAM).user


def hr_of(board):
    return MembershipFactory(organisation=board, role=Role.BOARD_HR).user


# --- Region list and region page ----------------------------------------------------------------


def test_region_list_is_public_and_counts_only_current_locations(client, amersfoort):
    response = client.get(reverse("organisations:region_list"))
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r.region.slug == "eemland")
    assert (row.location_count, row.board_count, row.latest_year) == (3, 2, 2025)
    assert (row.pupils.known, row.pupils.small) == (700, 1)
    text = text_of(response)
    assert "Onderwijsregio Eemland" in text
    assert "plus 1 vestiging met minder dan 5 leerlingen" in text
    assert "Primair onderwijs, Voortgezet onderwijs" in text


def test_region_page_totals_and_breakdowns_match_the_data(client, amersfoort):
    response = client.get(reverse("organisations:region_detail", args=["eemland"]))
    assert response.status_code == 200
    analysis = response.context["analysis"]
    assert analysis.latest_year == 2025
    assert (analysis.total.locations, analysis.total.board_count) == (3, 2)
    assert (analysis.total.pupils.known, analysis.total.pupils.small) == (700, 1)
    by_sector = {
        row.key: (row.locations, row.board_count, row.pupils.known, row.pupils.small) for row in analysis.by_sector
    }
    assert by_sector == {"PO": (1, 1, 200, 0), "VO": (2, 1, 500, 1)}
    by_municipality = {
        row.label: (row.locations, row.board_count, row.pupils.known) for row in analysis.by_municipality
    }
    assert by_municipality == {"Amersfoort": (1, 1, 500), "Leusden": (2, 2, 200)}
    assert response.context["series_rows"][0][0] == 2024

    text = text_of(response)
    # The known sum and the honest remainder, never "<5" counted as zero or as a number.
    assert "700 plus 1 vestiging met minder dan 5 leerlingen" in text
    assert "DUO Open Onderwijsdata, teldatum 1 oktober 2025" in text
    assert "9.999" not in text and "7.777" not in text
    # Members grouped by role, the applicant marked.
    assert "Schoolbestuur" in text and "Lerarenopleiding" in text and "Hogeschool Utrecht" in text
    assert "penvoerder" in text
    # Both charts are inline SVG with a text alternative, next to their tables.
    html = response.content.decode()
    assert html.count('role="img"') == 2
    assert "Leerlingen per gemeente in Onderwijsregio Eemland" in html
    assert 'style="' not in html and "<script>" not in html


def test_region_page_sector_filter(client, amersfoort):
    response = client.get(reverse("organisations:region_detail", args=["eemland"]), {"sector": "PO"})
    analysis = response.context["analysis"]
    assert (analysis.total.locations, analysis.total.pupils.known, analysis.total.pupils.small) == (1, 200, 0)
    assert [row.key for row in analysis.by_sector] == ["PO"]
    assert "Kerncijfers Primair onderwijs" in text_of(response)


def test_region_page_ignores_an_unknown_sector_and_says_so(client, amersfoort):
    response = client.get(reverse("organisations:region_detail", args=["eemland"]), {"sector": "XX"})
    assert response.status_code == 200
    assert response.context["analysis"].total.locations == 3
    assert response.context["filter_form"].errors["sector"]


def test_region_page_shows_locations_without_a_count(client, amersfoort):
    place(amersfoort["region"], board=amersfoort["board_1"], municipality=amersfoort["amersfoort"], name="Nieuw")
    text = text_of(client.get(reverse("organisations:region_detail", args=["eemland"])))
    assert "(1 vestiging zonder telling)" in text


def test_region_page_by_subregion(client, amersfoort):
    subregion = SubRegion.objects.create(region=amersfoort["region"], name="Zuid")
    subregion.municipalities.set([amersfoort["leusden"]])
    response = client.get(reverse("organisations:region_detail", args=["eemland"]))
    (row,) = response.context["analysis"].by_subregion
    assert (row.label, row.locations, row.pupils.known, row.pupils.small) == ("Zuid", 2, 200, 1)
    assert response.context["outside_subregions"] == 1


def test_region_page_unknown_region_is_404(client, amersfoort):
    assert client.get(reverse("organisations:region_detail", args=["bestaat-niet"])).status_code == 404
    # A board's slug is not a region.
    assert client.get(reverse("organisations:region_detail", args=[amersfoort["board_1"].slug])).status_code == 404


def _region_with_locations(count: int):
    region = RegionFactory()
    for number in range(count):
        location = place(region, municipality=MunicipalityFactory(), board=BoardFactory())
        PupilCountFactory(school_location=location, year=2024, count=10 + number)
        PupilCountFactory(school_location=location, year=2025, count=None, is_small=True)
    subregion = SubRegion.objects.create(region=region, name="Noord")
    subregion.municipalities.set(region.region_school_locations.values_list("school_location__municipality", flat=True))
    RegionMemberFactory(region=region)
    return region


def test_region_page_queries_do_not_grow_with_the_number_of_locations(client):
    small, large = _region_with_locations(2), _region_with_locations(12)
    client.get(reverse("organisations:region_detail", args=[small.slug]))  # warm caches (content types, ...)
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse("organisations:region_detail", args=[small.slug]))
    assert response.context["analysis"].total.locations == 2
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("organisations:region_detail", args=[large.slug]))
    assert response.context["analysis"].total.locations == 12
    assert len(many) == len(few)


def test_region_list_queries_do_not_grow_with_the_number_of_regions(client):
    _region_with_locations(2)
    client.get(reverse("organisations:region_list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("organisations:region_list"))
    for _ in range(3):
        _region_with_locations(3)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("organisations:region_list"))
    assert len(response.context["rows"]) == 4
    assert len(many) == len(few)


def test_manage_link_only_for_the_regional_team(client, amersfoort):
    url = reverse("organisations:region_detail", args=["eemland"])
    manage = reverse("organisations:region_manage", args=["eemland"])
    assert manage not in client.get(url).content.decode()
    client.force_login(hr_of(amersfoort["board_1"]))
    assert manage not in client.get(url).content.decode()
    client.force_login(regional_team(amersfoort["region"]))
    assert manage in client.get(url).content.decode()


# --- Boards ---------------------------------------------------------------------------------------


def test_board_list_filters_by_region_and_searches_name_and_duo_number(client, amersfoort):
    outsider = BoardFactory(name="Stichting Buiten", duo_number="41999")
    url = reverse("organisations:board_list")
    names = lambda response: [board.name for board in response.context["page"].object_list]  # noqa: E731
    assert set(names(client.get(url))) >= {"Stichting Eemlandcollege", "Stichting Buiten"}
    # In the region: a member (board_1) and a board that runs one of its locations (board_2).
    assert names(client.get(url, {"region": "eemland"})) == ["Stichting Eemlandcollege", "Stichting Primair Leusden"]
    assert names(client.get(url, {"q": "412"})) == ["Stichting Eemlandcollege"]
    assert names(client.get(url, {"q": "buiten"})) == [outsider.name]
    assert names(client.get(url, {"q": "41", "region": "eemland"})) == ["Stichting Eemlandcollege"]
    board = client.get(url, {"q": "41234"}).context["page"].object_list[0]
    assert board.location_count == 3  # two in the region, one elsewhere


def test_board_detail_shows_locations_regions_and_provisional_name(client, amersfoort):
    response = client.get(reverse("organisations:board_detail", args=[amersfoort["board_2"].pk]))
    text = text_of(response)
    assert "naam nog niet bevestigd" in text
    assert "30001" in text and "De Linde" in text and "Leusden" in text and "200" in text
    response = client.get(reverse("organisations:board_detail", args=[amersfoort["board_1"].pk]))
    text = text_of(response)
    assert "naam nog niet bevestigd" not in text
    assert "Onderwijsregio Eemland" in text
    assert "minder dan 5" in text  # the dependance's "<5"
    assert "praktijkonderwijs" in text


def test_board_detail_of_a_region_is_404(client, amersfoort):
    assert client.get(reverse("organisations:board_detail", args=[amersfoort["region"].pk])).status_code == 404


def test_board_edit_by_its_own_hr(client, amersfoort):
    board = amersfoort["board_2"]
    client.force_login(hr_of(board))
    url = reverse("organisations:board_edit", args=[board.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'value="Stichting Primair Leusden"' in response.content.decode()
    response = client.post(
        url, {"name": "Stichting Leusden Primair", "website": "https://www.leusden.example", "description": "PO"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:board_detail", args=[board.pk])
    board.refresh_from_db()
    assert (board.name, board.website, board.description) == (
        "Stichting Leusden Primair",
        "https://www.leusden.example",
        "PO",
    )
    assert board.name_is_provisional is False
    assert AuditEvent.objects.filter(action="organisation.updated", object_id=str(board.pk)).exists()
    assert "is opgeslagen" in text_of(client.get(response["Location"]))


def test_board_edit_refuses_to_overwrite_a_change_made_in_between(client, amersfoort):
    """Two editors open the page; the second to save is told, and the first one's change stays."""
    board = amersfoort["board_2"]
    hr = hr_of(board)
    client.force_login(hr)
    url = reverse("organisations:board_edit", args=[board.pk])
    shown = client.get(url).context["form"].initial["version"]
    assert f'name="version" value="{shown}"' in client.get(url).content.decode()
    # Someone else saves the profile after this page was shown.
    services.organisation_update(organisation=board, actor=hr, expected_version=shown, website="https://a.example")

    response = client.post(
        url, {"name": "Overschreven", "website": "", "description": "", "version": str(shown)}, follow=False
    )
    assert response.status_code == 200
    assert "Iemand anders heeft dit intussen gewijzigd" in text_of(response)
    board.refresh_from_db()
    assert (board.name, board.website, board.version) == ("Stichting Primair Leusden", "https://a.example", shown + 1)
    assert AuditEvent.objects.filter(action="organisation.updated", object_id=str(board.pk)).count() == 1

    # With the version it now shows, the save goes through.
    fresh = client.get(url).context["form"].initial["version"]
    saved = client.post(url, {"name": "Stichting Leusden", "website": "", "description": "", "version": str(fresh)})
    assert saved.status_code == 302
    board.refresh_from_db()
    assert (board.name, board.version) == ("Stichting Leusden", fresh + 1)


def test_board_edit_keeps_input_and_shows_errors(client, amersfoort):
    board = amersfoort["board_1"]
    client.force_login(hr_of(board))
    response = client.post(
        reverse("organisations:board_edit", args=[board.pk]),
        {"name": "Nieuwe naam", "website": "dit is geen adres", "description": "Onze scholen"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Nieuwe naam"' in html
    assert "Onze scholen" in html
    assert "dit is geen adres" in html
    assert "Voer een geldige URL in" in html or "geldige" in html
    assert 'aria-invalid="true"' in html
    board.refresh_from_db()
    assert board.name == "Stichting Eemlandcollege"


def test_board_edit_requires_a_name(client, amersfoort):
    board = amersfoort["board_1"]
    client.force_login(hr_of(board))
    response = client.post(reverse("organisations:board_edit", args=[board.pk]), {"name": "", "website": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]


def test_board_edit_of_another_board_is_404_and_changes_nothing(client, amersfoort):
    client.force_login(hr_of(amersfoort["board_1"]))
    other = amersfoort["board_2"]
    url = reverse("organisations:board_edit", args=[other.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Overgenomen"}).status_code == 404
    other.refresh_from_db()
    assert other.name == "Stichting Primair Leusden"
    # The board detail page offers no edit link either.
    page = client.get(reverse("organisations:board_detail", args=[other.pk])).content.decode()
    assert url not in page


def test_regional_team_cannot_edit_a_member_boards_profile(client, amersfoort):
    # accounts/permissions.py gives a board's profile to its own HR (and platform admins) only.
    client.force_login(regional_team(amersfoort["region"]))
    url = reverse("organisations:board_edit", args=[amersfoort["board_1"].pk])
    assert client.get(url).status_code == 404


def test_board_edit_anonymous_goes_to_login(client, amersfoort):
    url = reverse("organisations:board_edit", args=[amersfoort["board_1"].pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_board_edit_by_a_platform_admin(client, amersfoort):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("organisations:board_edit", args=[amersfoort["board_1"].pk])).status_code == 200


# --- School locations -----------------------------------------------------------------------------


def test_school_location_detail(client, amersfoort):
    location = amersfoort["vo_small"]
    PupilCountFactory(school_location=location, year=2024, count=12)
    response = client.get(reverse("organisations:school_location_detail", args=[location.vestiging_code]))
    assert response.status_code == 200
    text = text_of(response)
    assert location.vestiging_code in text and location.brin in text
    assert "1 oktober 2025 minder dan 5" in text
    assert "1 oktober 2024 12" in text
    assert "praktijkonderwijs" in text
    html = response.content.decode()
    assert reverse("organisations:region_detail", args=["eemland"]) in html
    assert reverse("organisations:board_detail", args=[amersfoort["board_1"].pk]) in html


def test_school_location_detail_lowercase_code_and_unknown_code(client, amersfoort):
    code = amersfoort["po"].vestiging_code
    assert client.get(reverse("organisations:school_location_detail", args=[code.lower()])).status_code == 200
    assert client.get(reverse("organisations:school_location_detail", args=["00XX00"])).status_code == 404


def test_school_location_distance_helper(client, amersfoort):
    location = amersfoort["vo_big"]  # postcode 3811 AA
    PostcodeArea.objects.create(pc4="3811", latitude=52.156, longitude=5.387)
    PostcodeArea.objects.create(pc4="3832", latitude=52.133, longitude=5.427)
    url = reverse("organisations:school_location_detail", args=[location.vestiging_code])
    text = text_of(client.get(url, {"postcode": "3832 AB"}))
    assert "Van postcode 3832 tot postcode 3811 is het hemelsbreed ongeveer 3,7 km." in text
    assert "kan niet worden berekend" in text_of(client.get(url, {"postcode": "9999"}))
    response = client.get(url, {"postcode": "abc"})
    assert response.context["distance_form"].errors["postcode"] == [
        "Vul een postcode in, bijvoorbeeld 3811 of 3811 AB."
    ]


def test_school_location_list_filters(client, amersfoort):
    url = reverse("organisations:school_location_list")

    def names(**params):
        return [location.name for location in client.get(url, params).context["page"].object_list]

    assert names(region="eemland") == ["De Linde", "Eemcollege", "Eemcollege dependance"]
    assert names(region="eemland", sector="PO") == ["De Linde"]
    assert names(region="eemland", municipality="0327") == ["De Linde", "Eemcollege dependance"]
    assert names(level="pro") == ["Eemcollege dependance"]
    # "vmbo" must not match a location with only vmbo-tl.
    SchoolLocationFactory(name="Alleen mavo", vo_levels=["vmbo-tl"])
    assert "Alleen mavo" not in names(level="vmbo")
    assert "Alleen mavo" in names(level="vmbo-tl")
    assert names(q="linde") == ["De Linde"]
    assert names(q=amersfoort["po"].vestiging_code) == ["De Linde"]
    response = client.get(url, {"region": "eemland"})
    latest = {location.name: (location.latest_count, location.latest_is_small) for location in response.context["page"]}
    assert latest == {"De Linde": (200, False), "Eemcollege": (500, False), "Eemcollege dependance": (None, True)}
    assert "minder dan 5" in text_of(response)


def test_school_location_list_paginates_and_keeps_filters(client):
    board = BoardFactory()
    for number in range(55):
        SchoolLocationFactory(board=board, name=f"School {number:02d}", sector=Sector.PO)
    url = reverse("organisations:school_location_list")
    first = client.get(url, {"sector": "PO"})
    assert len(first.context["page"].object_list) == 50
    html = first.content.decode()
    assert "sector=PO" in html and "page=2" in html
    second = client.get(url, {"sector": "PO", "page": "2"})
    assert [location.name for location in second.context["page"]] == [f"School {n}" for n in range(50, 55)]


def test_school_location_list_queries_do_not_grow_with_the_page(client):
    board = BoardFactory()
    for number in range(3):
        PupilCountFactory(school_location=SchoolLocationFactory(board=board, name=f"A{number}"))
    url = reverse("organisations:school_location_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(10):
        PupilCountFactory(school_location=SchoolLocationFactory(name=f"B{number}"))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


# --- Region management ----------------------------------------------------------------------------


def test_region_manage_access(client, amersfoort):
    url = reverse("organisations:region_manage", args=["eemland"])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    client.force_login(hr_of(amersfoort["board_1"]))
    assert client.get(url).status_code == 404
    client.force_login(regional_team(RegionFactory()))  # the team of another region
    assert client.get(url).status_code == 404
    client.force_login(regional_team(amersfoort["region"]))
    response = client.get(url)
    assert response.status_code == 200
    assert "Stichting Eemlandcollege" in text_of(response)


def test_region_manage_add_member_by_duo_number_and_by_list(client, amersfoort):
    region = amersfoort["region"]
    client.force_login(regional_team(region))
    url = reverse("organisations:region_manage", args=["eemland"])
    response = client.post(url, {"action": "add_member", "lid-duo_number": "30001"})
    assert response.status_code == 302
    member = RegionMember.objects.get(region=region, member=amersfoort["board_2"])
    assert member.role == RegionMember.Role.BOARD
    assert AuditEvent.objects.filter(action="region.member_added").exists()

    municipality_org = Organisation.objects.create(kind="municipality", name="Gemeente Amersfoort", slug="gem-amf")
    response = client.post(url, {"action": "add_member", "lid-organisation": municipality_org.pk})
    assert response.status_code == 302
    assert RegionMember.objects.get(region=region, member=municipality_org).role == RegionMember.Role.MUNICIPALITY


def test_region_manage_member_errors_are_dutch_and_keep_input(client, amersfoort):
    region = amersfoort["region"]
    client.force_login(regional_team(region))
    url = reverse("organisations:region_manage", args=["eemland"])
    before = RegionMember.objects.count()
    response = client.post(url, {"action": "add_member", "lid-duo_number": "12345"})
    assert response.status_code == 200
    assert "Er is geen bestuur met DUO-nummer 12345." in text_of(response)
    assert 'value="12345"' in response.content.decode()
    response = client.post(url, {"action": "add_member", "lid-duo_number": "41234"})
    assert "Dit bestuur is al deelnemer van deze regio." in text_of(response)
    response = client.post(url, {"action": "add_member"})
    assert "Kies een organisatie of vul het DUO-nummer van een bestuur in." in text_of(response)
    assert RegionMember.objects.count() == before


def test_region_manage_create_subregion(client, amersfoort):
    region = amersfoort["region"]
    client.force_login(regional_team(region))
    url = reverse("organisations:region_manage", args=["eemland"])
    response = client.post(
        url,
        {"action": "create_subregion", "subregio-name": "Zuid", "subregio-municipalities": [amersfoort["leusden"].pk]},
    )
    assert response.status_code == 302
    subregion = SubRegion.objects.get(region=region, name="Zuid")
    assert list(subregion.municipalities.all()) == [amersfoort["leusden"]]
    (row,) = client.get(reverse("organisations:region_detail", args=["eemland"])).context["analysis"].by_subregion
    assert (row.label, row.locations) == ("Zuid", 2)

    response = client.post(url, {"action": "create_subregion", "subregio-name": "zuid"})
    assert response.status_code == 200
    errors = response.context["subregion_form"].errors
    assert errors["name"] == ["Deze regio heeft al een subregio met deze naam."]
    assert errors["municipalities"]


def test_region_manage_post_by_others_changes_nothing(client, amersfoort):
    client.force_login(hr_of(amersfoort["board_2"]))
    url = reverse("organisations:region_manage", args=["eemland"])
    assert client.post(url, {"action": "add_member", "lid-duo_number": "30001"}).status_code == 404
    assert not RegionMember.objects.filter(member=amersfoort["board_2"]).exists()


# --- DUO import -----------------------------------------------------------------------------------

VALID_CSV = (
    b"BEVOEGD GEZAG NUMMER;INSTELLINGSCODE;VESTIGINGSCODE;INSTELLINGSNAAM VESTIGING;PLAATSNAAM;"
    b"GEMEENTENUMMER;GEMEENTENAAM;PROVINCIE;AANTAL LEERLINGEN;AANTAL VO LEERLINGEN UITBESTEED AAN VAVO\n"
    b'"41234";"02KT";"02KT00";"Eemcollege";"AMERSFOORT";"0307";"AMERSFOORT";"Utrecht";500;"<5"\n'
)


@pytest.fixture
def importer(settings, tmp_path, amersfoort):
    settings.IMPORT_UPLOAD_DIR = tmp_path / "imports"
    return regional_team(amersfoort["region"])


def test_import_page_access(client, amersfoort, importer):
    url = reverse("organisations:import")
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    client.force_login(hr_of(amersfoort["board_1"]))
    assert client.get(url).status_code == 403
    client.force_login(importer)
    assert client.get(url).status_code == 200


def test_import_rejects_a_non_csv_file_in_dutch(client, importer, settings):
    client.force_login(importer)
    upload = SimpleUploadedFile("leerlingen.xlsx", b"PK\x03\x04binary", content_type="application/vnd.ms-excel")
    response = client.post(reverse("organisations:import"), {"files": [upload]})
    assert response.status_code == 200
    assert "leerlingen.xlsx is geen CSV-bestand." in text_of(response)
    assert not Job.objects.exists()
    assert not settings.IMPORT_UPLOAD_DIR.exists() or not any(settings.IMPORT_UPLOAD_DIR.rglob("*"))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("leeg.csv", b"", "leeg.csv is leeg."),
        ("komma.csv", b"a,b,c\n1,2,3\n", "komma.csv heeft geen kolommen gescheiden door puntkomma"),
        ("plaatje.csv", b"\x89PNG\x00\x00;", "plaatje.csv is geen tekstbestand"),
    ],
)
def test_import_rejects_files_that_are_not_duo_csv(client, importer, name, content, message):
    client.force_login(importer)
    response = client.post(reverse("organisations:import"), {"files": [SimpleUploadedFile(name, content)]})
    assert message in text_of(response)
    assert not Job.objects.exists()


def test_import_rejects_files_over_20_mb(client, importer):
    client.force_login(importer)
    big = SimpleUploadedFile("groot.csv", b"a;b\n" + b"1;2\n" * (5 * 1024 * 1024 + 1))
    response = client.post(reverse("organisations:import"), {"files": [big]})
    assert "groot.csv is groter dan 20 MB." in text_of(response)
    assert not Job.objects.exists()


def test_import_needs_files_or_the_bundled_ones(client, importer):
    client.force_login(importer)
    response = client.post(reverse("organisations:import"), {})
    assert "Kies één of meer bestanden" in text_of(response)


def test_import_of_a_valid_csv_enqueues_a_job(client, importer, settings, django_capture_on_commit_callbacks):
    client.force_login(importer)
    upload = SimpleUploadedFile("../../etc/duo leerlingen 2025.csv", VALID_CSV, content_type="text/csv")
    # The task is queued when the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organisations:import"), {"files": [upload]})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert (job.kind, job.created_by, job.status) == ("duo_import", importer, Job.Status.QUEUED)
    assert job.task_result_id
    (saved,) = [path for path in settings.IMPORT_UPLOAD_DIR.rglob("*") if path.is_file()]
    # Stored under a generated directory with a cleaned name, never where the sender said.
    assert saved.read_bytes() == VALID_CSV
    assert saved.parent.parent == settings.IMPORT_UPLOAD_DIR
    assert saved.name == "01-duo_leerlingen_2025.csv"
    # The job appears in the list of the user's recent imports.
    assert job.label in text_of(client.get(reverse("organisations:import")))


def test_import_with_the_bundled_files(client, importer, settings, tmp_path, monkeypatch):
    (tmp_path / "data" / "duo").mkdir(parents=True)
    (tmp_path / "data" / "duo" / "duo_vo_03.csv").write_bytes(VALID_CSV)
    (tmp_path / "data" / "duo" / "duo_vo_03.source.md").write_text("bron")
    settings.DATA_DIR = tmp_path / "data"
    started = {}

    def fake_start(*, paths, actor, organisation_id=None):
        started["paths"] = paths
        return Job.objects.create(kind="duo_import", label="DUO-import", created_by=actor)

    monkeypatch.setattr("onderwijsregio.organisations.services.duo_import_start", fake_start)
    client.force_login(importer)
    response = client.post(reverse("organisations:import"), {"use_bundled": "on"})
    assert response.status_code == 302
    assert [path.name for path in started["paths"]] == ["duo_vo_03.csv"]


def test_import_lists_only_the_users_own_jobs(client, importer):
    other = UserFactory()
    Job.objects.create(kind="duo_import", label="Import van een ander", created_by=other)
    Job.objects.create(kind="duo_import", label="Mijn import", created_by=importer)
    client.force_login(importer)
    text = text_of(client.get(reverse("organisations:import")))
    assert "Mijn import" in text and "Import van een ander" not in text


def test_region_school_location_noise_is_really_noise(amersfoort):
    # Guards the fixture: the ended link exists, so the region pages really had something to leave out.
    assert RegionSchoolLocation.objects.filter(region=amersfoort["region"], ended_on__isnull=False).count() == 1


def test_region_page_total_over_the_years_only_when_sectors_share_their_years(client, amersfoort):
    url = reverse("organisations:region_detail", args=["eemland"])
    response = client.get(url)
    assert response.context["series_keys"] == ["PO", "VO", "total"]
    assert [(year, [t.known for t in totals]) for year, totals in response.context["series_rows"]] == [
        (2024, [210, 480, 690]),
        (2025, [200, 500, 700]),
    ]
    # PO counted in 2023 and VO not: a total would jump, so the page leaves it out and says why.
    PupilCountFactory(school_location=amersfoort["po"], year=2023, count=190)
    response = client.get(url)
    assert response.context["series_keys"] == ["PO", "VO"]
    assert response.context["series_rows"][0][0] == 2023
    assert response.context["series_rows"][0][1][1] is None
    assert "Er staat geen totaal over de jaren bij" in text_of(response)


def test_board_edit_confirms_a_provisional_name_only_when_asked(client, amersfoort):
    board = amersfoort["board_2"]  # name_is_provisional
    client.force_login(hr_of(board))
    url = reverse("organisations:board_edit", args=[board.pk])
    assert "Deze naam klopt" in text_of(client.get(url))
    client.post(url, {"name": board.name, "website": "", "description": "Openbaar primair onderwijs"})
    board.refresh_from_db()
    assert (board.description, board.name_is_provisional) == ("Openbaar primair onderwijs", True)
    client.post(url, {"name": board.name, "website": "", "description": board.description, "confirm_name": "on"})
    board.refresh_from_db()
    assert board.name_is_provisional is False
    assert "Deze naam klopt" not in text_of(client.get(url))


def test_board_edit_without_changes_writes_nothing(client, amersfoort):
    board = amersfoort["board_1"]
    client.force_login(hr_of(board))
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("organisations:board_edit", args=[board.pk]), {"name": board.name, "website": "", "description": ""}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.count() == before
    assert "Er is niets gewijzigd." in text_of(client.get(response["Location"]))


def test_import_with_bundled_files_missing_says_so(client, importer, settings, tmp_path):
    settings.DATA_DIR = tmp_path / "leeg"
    client.force_login(importer)
    response = client.post(reverse("organisations:import"), {"use_bundled": "on"})
    assert response.status_code == 200
    assert "Er zijn geen meegeleverde DUO-bestanden gevonden op de server." in text_of(response)
    assert not Job.objects.exists()
