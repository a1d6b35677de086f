"""The organisation, region, school-location and reference-data resources of the API: ETags, filters, numbers."""

import pytest

from onderwijsregio.core.models import AuditEvent
from onderwijsregio.organisations.geo import haversine_km
from onderwijsregio.organisations.models import Organisation, PostcodeArea
from onderwijsregio.organisations.tests.factories import (
    BoardFactory,
    LabourMarketRegionFactory,
    MunicipalityFactory,
    PupilCountFactory,
    RegionMemberFactory,
    RegionSchoolLocationFactory,
    SchoolLocationFactory,
)

pytestmark = pytest.mark.django_db


def results(response) -> list:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_token_client_may_patch_without_csrf(world, token_client_for):
    client = token_client_for(world.hr_a)
    url = f"/api/v1/organisations/{world.board_a.pk}"
    etag = client.get(url)["ETag"]
    assert client.patch(url, {"website": "https://a.example.nl"}, format="json", HTTP_IF_MATCH=etag).status_code == 200


def test_etag_flow_prevents_silent_overwrites(world, client_for):
    first, second = client_for(world.hr_a), client_for(world.admin)
    url = f"/api/v1/organisations/{world.board_a.pk}"
    etag_first = first.get(url)["ETag"]
    etag_second = second.get(url)["ETag"]
    assert etag_first == etag_second

    saved = first.patch(url, {"name": "Stichting A (nieuw)"}, format="json", HTTP_IF_MATCH=etag_first)
    assert saved.status_code == 200, saved.content
    assert saved.json()["name"] == "Stichting A (nieuw)"
    assert saved["ETag"] != etag_first
    assert first.get(url)["ETag"] == saved["ETag"]

    # The second user still holds the old version: refused, and the first user's change stays.
    stale = second.patch(url, {"name": "Stichting A (oud)"}, format="json", HTTP_IF_MATCH=etag_second)
    assert stale.status_code == 412
    world.board_a.refresh_from_db()
    assert world.board_a.name == "Stichting A (nieuw)"
    assert world.board_a.name_is_provisional is False
    assert AuditEvent.objects.filter(action="organisation.updated", organisation_id=world.board_a.pk).count() == 1

    assert first.get(url, HTTP_IF_NONE_MATCH=saved["ETag"]).status_code == 304


def test_patch_validation_errors_name_the_fields(world, client_for):
    client = client_for(world.hr_a)
    url = f"/api/v1/organisations/{world.board_a.pk}"
    etag = client.get(url)["ETag"]
    bad_url = client.patch(url, {"website": "geen adres"}, format="json", HTTP_IF_MATCH=etag)
    assert bad_url.status_code == 400
    assert [p["name"] for p in bad_url.json()["invalidParams"]] == ["website"]
    not_editable = client.patch(url, {"kind": "region", "duo_number": "12345"}, format="json", HTTP_IF_MATCH=etag)
    assert not_editable.status_code == 400
    assert {p["name"] for p in not_editable.json()["invalidParams"]} == {"kind", "duoNumber"}
    world.board_a.refresh_from_db()
    assert world.board_a.kind == Organisation.Kind.BOARD


def test_organisation_filters(world, client_for):
    other_region_board = BoardFactory(name="Verweg Scholen")
    RegionMemberFactory(member=other_region_board)
    client = client_for(world.hr_a)
    by_region = {row["id"] for row in results(client.get(f"/api/v1/organisations?region={world.region.pk}"))}
    assert by_region == {world.board_a.pk, world.board_b.pk}
    regions = results(client.get("/api/v1/organisations?kind=region"))
    assert {row["kind"] for row in regions} == {"region"}
    by_duo = results(client.get(f"/api/v1/organisations?duoNumber={world.board_b.duo_number}"))
    assert [row["id"] for row in by_duo] == [world.board_b.pk]
    assert [row["id"] for row in results(client.get("/api/v1/organisations?search=verweg"))] == [other_region_board.pk]
    assert client.get("/api/v1/organisations?duoNumber=12").status_code == 400


def test_school_location_filters_and_small_counts(world, client_for):
    amersfoort = MunicipalityFactory(cbs_code="0307", name="Amersfoort")
    havo = SchoolLocationFactory(
        vestiging_code="01AB00", name="Havo Amersfoort", board=world.board_a, municipality=amersfoort
    )
    mavo = SchoolLocationFactory(
        vestiging_code="02CD00", name="Mavo Elders", board=world.board_b, vo_levels=["vmbo-tl"], place="LEUSDEN"
    )
    po = SchoolLocationFactory(vestiging_code="03EF00", sector="PO", vo_levels=[], board=world.board_b)
    RegionSchoolLocationFactory(region=world.region, school_location=havo)
    RegionSchoolLocationFactory(region=world.region, school_location=mavo)
    PupilCountFactory(school_location=havo, year=2024, count=812)
    PupilCountFactory(school_location=havo, year=2025, count=None, is_small=True)

    client = client_for(world.hr_a)

    def codes(query: str) -> set[str]:
        return {row["vestigingCode"] for row in results(client.get(f"/api/v1/school-locations?{query}"))}

    assert codes(f"region={world.region.pk}") == {"01AB00", "02CD00"}
    assert codes(f"board={world.board_b.pk}") == {"02CD00", "03EF00"}
    assert codes("municipality=0307") == {"01AB00"}
    assert codes("sector=PO") == {"03EF00"}
    # "vmbo" must not match "vmbo-tl": the levels are matched whole.
    assert codes("level=vmbo") == {"01AB00"}
    assert codes("level=vmbo-tl") == {"01AB00", "02CD00"}
    assert codes("search=leusden") == {"02CD00"}
    assert po.vestiging_code not in codes("level=havo")

    detail = client.get("/api/v1/school-locations/01AB00").json()
    assert detail["pupilCounts"] == [
        {"year": 2024, "count": 812, "isSmall": False},
        {"year": 2025, "count": None, "isSmall": True},
    ]
    assert detail["region"] == {"id": world.region.pk, "name": world.region.name, "kind": "region"}
    assert detail["board"]["id"] == world.board_a.pk
    assert client.get("/api/v1/school-locations/99ZZ99").status_code == 404


def test_region_analysis_keeps_small_counts_visible(world, client_for):
    municipality = MunicipalityFactory(cbs_code="0307", name="Amersfoort")
    big = SchoolLocationFactory(board=world.board_a, municipality=municipality)
    small = SchoolLocationFactory(board=world.board_b, municipality=municipality)
    for location in (big, small):
        RegionSchoolLocationFactory(region=world.region, school_location=location)
    PupilCountFactory(school_location=big, year=2025, count=500)
    PupilCountFactory(school_location=small, year=2025, count=None, is_small=True)
    PupilCountFactory(school_location=big, year=2024, count=480)

    body = client_for(world.hr_a).get(f"/api/v1/regions/{world.region.pk}/analysis").json()
    assert body["latestYear"] == 2025
    assert body["years"] == [2024, 2025]
    assert body["total"]["locations"] == 2
    assert body["total"]["boards"] == 2
    assert body["total"]["pupils"] == {"known": 500, "small": 1, "min": 501, "max": 504}
    assert [row["key"] for row in body["byMunicipality"]] == ["0307"]
    total_series = next(series for series in body["series"] if series["key"] == "total")
    assert [(point["year"], point["pupils"]["known"]) for point in total_series["points"]] == [(2024, 480), (2025, 500)]
    assert (
        client_for(world.hr_a).get(f"/api/v1/regions/{world.region.pk}/analysis?sector=PO").json()["total"]["locations"]
        == 0
    )


def test_region_members_and_detail(world, client_for):
    client = client_for(world.hr_a)
    members = results(client.get(f"/api/v1/regions/{world.region.pk}/members"))
    assert {row["member"]["id"] for row in members} == {world.board_a.pk, world.board_b.pk}
    assert client.get(f"/api/v1/regions/{world.region.pk}").json()["slug"] == world.region.slug
    # A board is an organisation but not a region.
    assert client.get(f"/api/v1/regions/{world.board_a.pk}").status_code == 404


def test_reference_data_filters(world, client_for):
    am14 = LabourMarketRegionFactory(code="AM14", name="Amersfoort")
    MunicipalityFactory(cbs_code="0307", name="Amersfoort", province="Utrecht", labour_market_region=am14)
    MunicipalityFactory(cbs_code="0034", name="Almere", province="Flevoland")
    client = client_for(world.hr_a)
    assert [row["cbsCode"] for row in results(client.get("/api/v1/municipalities?province=flevoland"))] == ["0034"]
    assert [row["cbsCode"] for row in results(client.get("/api/v1/municipalities?labourMarketRegion=AM14"))] == ["0307"]
    region = client.get("/api/v1/labour-market-regions/AM14").json()
    assert region == {"code": "AM14", "name": "Amersfoort", "municipalityCount": 1}
    assert client.get("/api/v1/municipalities/0307").json()["labourMarketRegion"]["code"] == "AM14"
    assert client.get("/api/v1/municipalities?labourMarketRegion=14").status_code == 400


def test_distances_between_postcode_areas(world, client_for):
    PostcodeArea.objects.create(pc4="3811", place_name="Amersfoort", latitude=52.1561, longitude=5.3878)
    PostcodeArea.objects.create(pc4="3511", place_name="Utrecht", latitude=52.0907, longitude=5.1214)
    client = client_for(world.hr_a)
    body = client.get("/api/v1/distances?from=3811&to=3511").json()
    assert body["origin"]["pc4"] == "3811"
    assert body["destination"]["placeName"] == "Utrecht"
    assert body["distanceKm"] == round(haversine_km(52.1561, 5.3878, 52.0907, 5.1214), 1)
    assert 19 < body["distanceKm"] < 20
    assert client.get("/api/v1/postcode-areas/3811").json()["placeName"] == "Amersfoort"

    unknown = client.get("/api/v1/distances?from=3811&to=9999")
    assert unknown.status_code == 400
    assert [p["name"] for p in unknown.json()["invalidParams"]] == ["to"]
    malformed = client.get("/api/v1/distances?from=38")
    assert {p["name"] for p in malformed.json()["invalidParams"]} == {"from", "to"}


def test_board_hr_cannot_patch_another_board(world, client_for):
    client = client_for(world.hr_a)
    url = f"/api/v1/organisations/{world.board_b.pk}"
    etag = client.get(url)["ETag"]
    response = client.patch(url, {"name": "Overgenomen"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 403
    world.board_b.refresh_from_db()
    assert world.board_b.name == "Stichting B"


def test_refusals_carry_their_codes(world, client_for):
    client = client_for(world.hr_a)
    url = f"/api/v1/organisations/{world.board_a.pk}"
    etag = client.get(url)["ETag"]
    not_editable = client.patch(url, {"kind": "region"}, format="json", HTTP_IF_MATCH=etag)
    assert [(p["name"], p["code"]) for p in not_editable.json()["invalidParams"]] == [("kind", "field_not_editable")]
    nothing = client.patch(url, {}, format="json", HTTP_IF_MATCH=etag)
    assert [p["code"] for p in nothing.json()["invalidParams"]] == ["no_changes"]
    unknown = client.get("/api/v1/distances?from=0000&to=0001")
    assert {(p["name"], p["code"]) for p in unknown.json()["invalidParams"]} == {
        ("from", "unknown_postcode"),
        ("to", "unknown_postcode"),
    }
