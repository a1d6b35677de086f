"""The demo region: real DUO figures per municipality, members, and the synthetic logins.

`load_demo` lives in the accounts app (it creates users); this app may not import accounts,
so the test drives the command and reads users through the auth user model.
"""

import csv
from collections import defaultdict
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from onderwijsregio.organisations import demo
from onderwijsregio.organisations.models import (
    Municipality,
    Organisation,
    RegionMember,
    RegionSchoolLocation,
    SchoolLocation,
    Sector,
)
from onderwijsregio.organisations.selectors import region_analysis, region_school_locations

pytestmark = pytest.mark.django_db


def vo_pupils_from_source(municipality_codes: set[str]) -> tuple[dict[str, int], int]:
    """VO pupils on 1 October 2025 per municipality, straight from DUO's file."""
    path = next((Path(settings.DATA_DIR) / "duo").glob("duo_vo_03_leerlingen_*.csv"))
    per_municipality: dict[str, int] = defaultdict(int)
    small = 0
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            if row["GEMEENTENUMMER"] not in municipality_codes:
                continue
            if row["AANTAL LEERLINGEN"] == "<5":
                small += 1
            else:
                per_municipality[row["GEMEENTENUMMER"]] += int(row["AANTAL LEERLINGEN"])
    return dict(per_municipality), small


def test_load_demo_builds_regions_with_real_figures_and_logins(settings, client):
    settings.DEMO_LABOUR_MARKET_REGIONS = ["AM14", "AM13", "AM12", "AM10"]
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    region = Organisation.objects.get(slug=demo.REGION_SLUG)
    foodvalley = Organisation.objects.get(slug=demo.FOODVALLEY_SLUG)
    area = set(
        Municipality.objects.filter(labour_market_region__code__in=settings.DEMO_LABOUR_MARKET_REGIONS).values_list(
            "cbs_code", flat=True
        )
    )
    assert len(area) == 36

    # The region page's VO figures equal DUO's file for the same municipalities.
    expected, expected_small = vo_pupils_from_source(area)
    analysis = region_analysis(region=region, sector=Sector.VO)
    assert analysis.latest_year == 2025
    assert analysis.total.pupils.known == sum(expected.values())
    assert analysis.total.pupils.small == expected_small
    cbs_of = dict(Municipality.objects.values_list("pk", "cbs_code"))
    shown = {cbs_of[int(row.key)]: row.pupils.known for row in analysis.by_municipality if row.pupils.known}
    assert shown == expected

    # And the page a person opens shows those figures: the total and each municipality's row.
    from django.utils import formats, translation

    page = client.get(f"/regios/{region.slug}?sector=VO", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    with translation.override("nl"):
        assert formats.number_format(sum(expected.values()), force_grouping=True) in page
        names = dict(Municipality.objects.values_list("cbs_code", "name"))
        for code, pupils in expected.items():
            row = f">{names[code]}</th>"
            assert row in page, names[code]
            row_html = page[page.index(row) : page.index("</tr>", page.index(row))]
            assert formats.number_format(pupils, force_grouping=True) in row_html, (names[code], pupils)

    # Sub-regions are the four labour-market regions; every location of the area belongs to it.
    assert sorted(region.subregions.values_list("name", flat=True)) == [
        "Amersfoort",
        "Gooi en Vechtstreek",
        "Midden-Utrecht",
        "Rivierenland",
    ]
    locations = region_school_locations(region=region)
    assert set(locations.values_list("sector", flat=True)) == {Sector.PO, Sector.SO, Sector.VO}
    assert not locations.exclude(municipality__cbs_code__in=area).exists()
    vo_in_area = SchoolLocation.objects.filter(sector=Sector.VO, municipality__cbs_code__in=area)
    assert set(vo_in_area.values_list("pk", flat=True)) <= set(locations.values_list("pk", flat=True))

    # Every board of its locations is a member, plus institutes and the profession.
    members = RegionMember.objects.filter(region=region)
    board_ids = set(locations.values_list("board_id", flat=True))
    assert set(members.filter(role=RegionMember.Role.BOARD).values_list("member_id", flat=True)) == board_ids
    assert members.filter(role=RegionMember.Role.INSTITUTE).count() == 3
    assert members.get(role=RegionMember.Role.PROFESSION).member.is_synthetic

    # Boards carry their real names (issue 17): DUO's VO board file first, the derived list for the rest.
    boards = Organisation.objects.filter(kind=Organisation.Kind.BOARD)
    assert boards.get(duo_number="40180").name == "Stichting Meerscholen"
    assert boards.get(duo_number="40180").name_source == "duo_file"
    assert boards.get(duo_number="41208").name == "Stichting Onderwijsgroep Amersfoort"
    assert boards.get(duo_number="41514").name == "Stichting Meerkring Primair Onderwijs Amersfoort"
    assert boards.get(duo_number="41514").name_source == "derived_list"
    placeholders = boards.filter(pk__in=board_ids, name__startswith="Bevoegd gezag ")
    assert placeholders.count() <= 3, list(placeholders.values_list("duo_number", flat=True))

    # FoodValley holds only VO locations of AM38.
    foodvalley_locations = region_school_locations(region=foodvalley)
    assert foodvalley_locations.exists()
    assert set(foodvalley_locations.values_list("sector", flat=True)) == {Sector.VO}
    assert set(foodvalley_locations.values_list("municipality__labour_market_region__code", flat=True)) == {"AM38"}

    # Synthetic logins with the memberships the brief names.
    User = get_user_model()
    Membership = apps.get_model("accounts", "Membership")
    admin = User.objects.get(email="beheer@demo.onderwijsregio.nl")
    assert admin.is_superuser and admin.is_synthetic and admin.check_password("demo-wachtwoord-2026")
    hr = Membership.objects.filter(role="board_hr", user__email__startswith="hr-")
    assert hr.count() == 2
    top_two = demo._top_vo_boards(
        municipality_codes=set(
            Municipality.objects.filter(labour_market_region__code="AM14").values_list("cbs_code", flat=True)
        ),
        year=2025,
        how_many=2,
    )
    assert set(hr.values_list("organisation_id", flat=True)) == {board_id for board_id, _ in top_two}
    assert Membership.objects.get(user__email="regioteam@demo.onderwijsregio.nl").organisation == region
    assert Membership.objects.get(user__email="regioteam-foodvalley@demo.onderwijsregio.nl").organisation == foodvalley
    leader = Membership.objects.get(role="school_leader")
    assert leader.school_location.board_id == leader.organisation_id
    assert not User.objects.filter(is_synthetic=False).exists()

    logins = StringIO()
    call_command("demo_logins", stdout=logins)
    assert "regioteam@demo.onderwijsregio.nl" in logins.getvalue()
    assert "demo-wachtwoord-2026" in logins.getvalue()

    # --if-empty leaves an existing platform alone; a full re-run duplicates nothing.
    counts = (RegionSchoolLocation.objects.count(), RegionMember.objects.count(), User.objects.count())
    call_command("load_demo", "--if-empty", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    assert (RegionSchoolLocation.objects.count(), RegionMember.objects.count(), User.objects.count()) == counts
