"""Factories for organisations; Dutch fake data, marked synthetic."""

import factory
from factory.django import DjangoModelFactory

from onderwijsregio.organisations.models import (
    LabourMarketRegion,
    Municipality,
    Organisation,
    PupilCount,
    RegionMember,
    RegionSchoolLocation,
    SchoolLocation,
    Sector,
)


class LabourMarketRegionFactory(DjangoModelFactory):
    class Meta:
        model = LabourMarketRegion
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"AM{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Arbeidsmarktregio {n}")


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("cbs_code",)

    cbs_code = factory.Sequence(lambda n: f"{9000 + n % 1000:04d}")
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    duo_name = factory.LazyAttribute(lambda o: o.name.upper())
    province = "Utrecht"
    labour_market_region = factory.SubFactory(LabourMarketRegionFactory)
    latitude = 52.1
    longitude = 5.1


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.BOARD
    name = factory.Sequence(lambda n: f"Stichting Voorbeeld {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    is_synthetic = True


class BoardFactory(OrganisationFactory):
    kind = Organisation.Kind.BOARD
    duo_number = factory.Sequence(lambda n: f"{90000 + n:05d}")


class RegionFactory(OrganisationFactory):
    kind = Organisation.Kind.REGION
    name = factory.Sequence(lambda n: f"Onderwijsregio Voorbeeld {n}")
    slug = factory.Sequence(lambda n: f"regio-{n}")
    sectors = ["VO"]


class InstituteFactory(OrganisationFactory):
    kind = Organisation.Kind.INSTITUTE
    name = factory.Sequence(lambda n: f"Lerarenopleiding {n}")


class RegionMemberFactory(DjangoModelFactory):
    class Meta:
        model = RegionMember

    region = factory.SubFactory(RegionFactory)
    member = factory.SubFactory(BoardFactory)
    role = RegionMember.Role.BOARD


class SchoolLocationFactory(DjangoModelFactory):
    class Meta:
        model = SchoolLocation

    vestiging_code = factory.Sequence(
        lambda n: f"{n % 100:02d}{chr(65 + (n // 100) % 26)}{chr(65 + (n // 2600) % 26)}{n % 97:02d}"
    )
    brin = factory.LazyAttribute(lambda o: o.vestiging_code[:4])
    name = factory.Sequence(lambda n: f"Voorbeeldcollege {n}")
    board = factory.SubFactory(BoardFactory)
    sector = Sector.VO
    onderwijsstructuur = "VBO/MAVO/HAVO/VWO"
    vo_levels = ["vmbo", "vmbo-tl", "havo", "vwo"]
    postcode = "3811 AA"
    place = "AMERSFOORT"
    municipality = factory.SubFactory(MunicipalityFactory)


class RegionSchoolLocationFactory(DjangoModelFactory):
    class Meta:
        model = RegionSchoolLocation

    region = factory.SubFactory(RegionFactory)
    school_location = factory.SubFactory(SchoolLocationFactory)
    started_on = factory.Faker("date_between", start_date="-2y", end_date="-1y")


class PupilCountFactory(DjangoModelFactory):
    class Meta:
        model = PupilCount

    school_location = factory.SubFactory(SchoolLocationFactory)
    year = 2025
    count = 500
    is_small = False
