"""The organisations of the demo: real DUO schools and boards in a fictitious pair of regions.

`demo_organisations_build` imports the reference data and the DUO files shipped in data/duo/,
restricted to the labour-market regions of settings.DEMO_LABOUR_MARKET_REGIONS plus FoodValley,
and builds:
- "Onderwijsregio Midden-Nederland (demo)": every current PO, SO and VO location of those
  labour-market regions, one sub-region per labour-market region, every board of those
  locations as a member, teacher-training institutes of the area and a (fictitious)
  representative of the profession;
- "Onderwijsregio FoodValley (demo)": the VO locations of AM38, for cross-region features.

Boards get their real names from the shipped board files (DUO's VO board file first, the derived
national list for the rest, decision 23), so the demo shows "Stichting Meerscholen" for 40180.

A location is current when an address file lists it or it has pupils in the latest year of
the data; closed schools from the history file keep their counts but join no region.
The regions and the profession's council are fictitious (is_synthetic); schools, boards and
pupil counts are real public data. People are added by onderwijsregio.accounts.demo, because
this app may not import accounts. Running it again changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from .importers.duo import ADDRESS_SOURCES
from .models import Municipality, Organisation, PupilCount, RegionMember, RegionSchoolLocation, SchoolLocation, Sector
from .services import (
    area_municipality_codes,
    duo_import,
    organisation_create,
    reference_import,
    region_member_add,
    school_location_assign_region,
    subregion_create,
)

REGION_NAME = "Onderwijsregio Midden-Nederland (demo)"
REGION_SLUG = "onderwijsregio-midden-nederland-demo"
FOODVALLEY_NAME = "Onderwijsregio FoodValley (demo)"
FOODVALLEY_SLUG = "onderwijsregio-foodvalley-demo"
FOODVALLEY_AM = "AM38"
PROFESSION_NAME = "Leraren- en schoolleidersberaad Midden-Nederland (demo)"
PROFESSION_SLUG = "lsb-midden-nederland-demo"

# Real teacher-training institutes of the area (public names); their membership is fictitious.
INSTITUTES = [
    ("hogeschool-utrecht", "Hogeschool Utrecht", "https://www.hu.nl", REGION_SLUG),
    (
        "uu-graduate-school-of-teaching",
        "Universiteit Utrecht (Graduate School of Teaching)",
        "https://www.uu.nl",
        REGION_SLUG,
    ),
    ("marnix-academie", "Marnix Academie", "https://www.marnixacademie.nl", REGION_SLUG),
    ("christelijke-hogeschool-ede", "Christelijke Hogeschool Ede", "https://www.che.nl", FOODVALLEY_SLUG),
]

DUO_FILES = [
    "duo_po_02_alle_schoolvestigingen_basisonderwijs.csv",
    "duo_po_06_historisch_leerlingen_per_schoolvestiging_1996-2025.csv",
    "duo_vo_02_alle_vestigingen_vo.csv",
    "duo_vo_03_leerlingen_per_vestiging_en_bestuur_2025.csv",
    # Board names: DUO's VO board file first, the derived national list for the boards it lacks.
    "duo_vo_03_bevoegde_gezagen_vo_2023.csv",
    "duo_besturen_namen_kvk_2026_whosigns_seed.csv",
]

Step = Callable[[str], None]


@dataclass
class DemoOrganisations:
    region: Organisation
    foodvalley: Organisation
    profession: Organisation
    institutes: dict[str, Organisation]
    # The two boards with most VO pupils in the first demo labour-market region, largest first.
    hr_boards: list[Organisation] = field(default_factory=list)
    # The largest VO location of the largest of those boards (for a demo school leader).
    leader_location: SchoolLocation | None = None


def demo_data_files() -> list[Path]:
    return [Path(settings.DATA_DIR) / "duo" / name for name in DUO_FILES]


def demo_labour_market_regions() -> list[str]:
    return list(settings.DEMO_LABOUR_MARKET_REGIONS)


def _organisation(*, slug: str, actor: Any, **fields: Any) -> Organisation:
    existing = Organisation.objects.filter(slug=slug).first()
    return existing or organisation_create(slug=slug, actor=actor, **fields)


def _member(*, region: Organisation, member: Organisation, role: str, actor: Any) -> None:
    if not RegionMember.objects.filter(region=region, member=member).exists():
        region_member_add(region=region, member=member, role=role, actor=actor)


def current_locations(*, municipality_codes: set[str], sectors: list[str] | None = None) -> list[SchoolLocation]:
    latest = PupilCount.objects.aggregate(latest=Max("year"))["latest"]
    qs = SchoolLocation.objects.filter(municipality__cbs_code__in=municipality_codes)
    if sectors:
        qs = qs.filter(sector__in=sectors)
    qs = qs.filter(Q(source__in=ADDRESS_SOURCES) | Q(pupil_counts__year=latest)).distinct()
    return list(qs.order_by("vestiging_code"))


def _link(*, region: Organisation, locations: list[SchoolLocation], actor: Any) -> None:
    linked = set(
        RegionSchoolLocation.objects.filter(region=region, ended_on__isnull=True).values_list(
            "school_location_id", flat=True
        )
    )
    for location in locations:
        if location.pk not in linked:
            school_location_assign_region(school_location=location, region=region, actor=actor)
    for board_id in sorted({location.board_id for location in locations}):
        _member(region=region, member=Organisation.objects.get(pk=board_id), role=RegionMember.Role.BOARD, actor=actor)


def _top_vo_boards(*, municipality_codes: set[str], year: int | None, how_many: int) -> list[tuple[int, int]]:
    pupils: dict[int, int] = defaultdict(int)
    for board_id, count in PupilCount.objects.filter(
        year=year,
        is_small=False,
        school_location__sector=Sector.VO,
        school_location__municipality__cbs_code__in=municipality_codes,
    ).values_list("school_location__board_id", "count"):
        pupils[board_id] += count
    return sorted(pupils.items(), key=lambda item: (-item[1], item[0]))[:how_many]


def demo_organisations_build(*, actor: Any = None, step: Step | None = None) -> DemoOrganisations:
    step = step or (lambda message: None)
    labour_market_regions = demo_labour_market_regions()

    step(_("referentiegegevens"))
    reference_import(actor=actor)
    area = area_municipality_codes(labour_market_regions=[*labour_market_regions, FOODVALLEY_AM]) or set()

    step(_("DUO-bestanden"))
    duo_import(paths=demo_data_files(), actor=actor, area=area)

    step(_("onderwijsregio's"))
    region = _organisation(
        slug=REGION_SLUG,
        actor=actor,
        kind=Organisation.Kind.REGION,
        name=REGION_NAME,
        sectors=[Sector.PO, Sector.VO],
        description="Fictieve onderwijsregio voor de demo, met echte scholen en leerlingaantallen van DUO.",
        is_synthetic=True,
    )
    foodvalley = _organisation(
        slug=FOODVALLEY_SLUG,
        actor=actor,
        kind=Organisation.Kind.REGION,
        name=FOODVALLEY_NAME,
        sectors=[Sector.VO],
        description="Fictieve tweede onderwijsregio voor de demo (vo in FoodValley).",
        is_synthetic=True,
    )

    region_codes: set[str] = set()
    existing_subregions = set(region.subregions.values_list("name", flat=True))
    for code in labour_market_regions:
        municipalities = list(Municipality.objects.filter(labour_market_region__code=code).order_by("cbs_code"))
        region_codes |= {m.cbs_code for m in municipalities}
        if not municipalities:
            continue
        name = municipalities[0].labour_market_region.name
        if name not in existing_subregions:
            subregion_create(region=region, name=name, municipalities=municipalities, actor=actor)
    foodvalley_codes = set(
        Municipality.objects.filter(labour_market_region__code=FOODVALLEY_AM).values_list("cbs_code", flat=True)
    )

    step(_("vestigingen en besturen"))
    _link(region=region, locations=current_locations(municipality_codes=region_codes), actor=actor)
    _link(
        region=foodvalley,
        locations=current_locations(municipality_codes=foodvalley_codes, sectors=[Sector.VO]),
        actor=actor,
    )

    step(_("lerarenopleidingen en beroepsgroep"))
    institutes = {}
    for slug, name, website, region_slug in INSTITUTES:
        institute = _organisation(slug=slug, actor=actor, kind=Organisation.Kind.INSTITUTE, name=name, website=website)
        institutes[slug] = institute
        target = region if region_slug == REGION_SLUG else foodvalley
        _member(region=target, member=institute, role=RegionMember.Role.INSTITUTE, actor=actor)
    profession = _organisation(
        slug=PROFESSION_SLUG,
        actor=actor,
        kind=Organisation.Kind.PROFESSION,
        name=PROFESSION_NAME,
        description="Fictieve vertegenwoordiging van de beroepsgroep voor de demo.",
        is_synthetic=True,
    )
    _member(region=region, member=profession, role=RegionMember.Role.PROFESSION, actor=actor)

    latest = PupilCount.objects.aggregate(latest=Max("year"))["latest"]
    first_codes = set(
        Municipality.objects.filter(labour_market_region__code=labour_market_regions[0]).values_list(
            "cbs_code", flat=True
        )
    )
    top = _top_vo_boards(municipality_codes=first_codes, year=latest, how_many=2)
    hr_boards = [Organisation.objects.get(pk=board_id) for board_id, _pupils in top]
    leader_location = None
    if hr_boards:
        top_count = (
            PupilCount.objects.filter(
                year=latest,
                is_small=False,
                school_location__board=hr_boards[0],
                school_location__sector=Sector.VO,
                school_location__municipality__cbs_code__in=first_codes,
            )
            .select_related("school_location")
            .order_by("-count", "school_location__vestiging_code")
            .first()
        )
        leader_location = top_count.school_location if top_count else None
    return DemoOrganisations(
        region=region,
        foodvalley=foodvalley,
        profession=profession,
        institutes=institutes,
        hr_boards=hr_boards,
        leader_location=leader_location,
    )
