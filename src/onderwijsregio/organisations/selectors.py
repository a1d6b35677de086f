"""Reads of organisations and the region analysis shown on region pages and in the API."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet

from .models import Organisation, PupilCount, RegionMember, RegionSchoolLocation, SchoolLocation, SubRegion


def regions() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.REGION).order_by("name")


def boards() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.BOARD).order_by("name")


def region_members(*, region: Organisation) -> QuerySet[RegionMember]:
    return RegionMember.objects.filter(region=region).select_related("member").order_by("role", "member__name")


def region_school_locations(*, region: Organisation, on: date | None = None) -> QuerySet[SchoolLocation]:
    """School locations that belong to the region now (or on a given date)."""
    if on is None:
        links = RegionSchoolLocation.objects.filter(region=region, ended_on__isnull=True)
    else:
        links = RegionSchoolLocation.objects.filter(region=region, started_on__lte=on).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=on)
        )
    return SchoolLocation.objects.filter(pk__in=links.values("school_location_id"))


def region_of_school_location(*, school_location: SchoolLocation) -> Organisation | None:
    link = (
        RegionSchoolLocation.objects.filter(school_location=school_location, ended_on__isnull=True)
        .select_related("region")
        .first()
    )
    return link.region if link else None


@dataclass
class PupilTotal:
    """A sum of DUO pupil counts where "<5" stays visible: `known` plus `small` locations of 1-4."""

    known: int = 0
    small: int = 0
    locations: int = 0

    def add(self, count: int | None, is_small: bool) -> None:
        self.locations += 1
        if is_small:
            self.small += 1
        else:
            self.known += count or 0

    @property
    def minimum(self) -> int:
        return self.known + self.small

    @property
    def maximum(self) -> int:
        return self.known + 4 * self.small


@dataclass
class AnalysisRow:
    key: str
    label: str
    locations: int = 0
    boards: set[int] = field(default_factory=set)
    pupils: PupilTotal = field(default_factory=PupilTotal)

    @property
    def board_count(self) -> int:
        return len(self.boards)


@dataclass
class RegionAnalysis:
    latest_year: int | None
    years: list[int]
    total: AnalysisRow
    by_sector: list[AnalysisRow]
    by_municipality: list[AnalysisRow]
    by_subregion: list[AnalysisRow]
    # sector -> year -> PupilTotal, for the series over the years available
    series: dict[str, dict[int, PupilTotal]]


def _location_subregions(region: Organisation) -> dict[int, str]:
    by_municipality: dict[int, str] = {}
    for subregion in SubRegion.objects.filter(region=region).prefetch_related("municipalities"):
        for municipality in subregion.municipalities.all():
            by_municipality[municipality.pk] = subregion.name
    return by_municipality


def region_analysis(*, region: Organisation, sector: str | None = None) -> RegionAnalysis:
    """Pupils, locations and boards per sector, municipality and sub-region, like a plan's analysis.

    Per-breakdown figures use each location's count in the latest year that has counts; the series
    covers every year with counts for the region's current locations.
    """
    from .models import Sector

    locations = region_school_locations(region=region).select_related("municipality")
    if sector:
        locations = locations.filter(sector=sector)
    locations = list(locations.values("pk", "sector", "board_id", "municipality_id", "municipality__name"))
    location_ids = [loc["pk"] for loc in locations]
    counts = list(
        PupilCount.objects.filter(school_location_id__in=location_ids).values_list(
            "school_location_id", "year", "count", "is_small"
        )
    )
    years = sorted({year for _, year, _, _ in counts})
    latest_year = years[-1] if years else None
    latest: dict[int, tuple[int | None, bool]] = {
        loc_id: (count, small) for loc_id, year, count, small in counts if year == latest_year
    }
    subregion_of_municipality = _location_subregions(region)
    sector_labels = dict(Sector.choices)

    total = AnalysisRow("total", "totaal")
    by_sector: dict[str, AnalysisRow] = {}
    by_municipality: dict[int, AnalysisRow] = {}
    by_subregion: dict[str, AnalysisRow] = {}
    for loc in locations:
        rows = [
            total,
            by_sector.setdefault(
                loc["sector"], AnalysisRow(loc["sector"], str(sector_labels.get(loc["sector"], loc["sector"])))
            ),
            by_municipality.setdefault(
                loc["municipality_id"], AnalysisRow(str(loc["municipality_id"]), loc["municipality__name"])
            ),
        ]
        subregion_name = subregion_of_municipality.get(loc["municipality_id"])
        if subregion_name:
            rows.append(by_subregion.setdefault(subregion_name, AnalysisRow(subregion_name, subregion_name)))
        for row in rows:
            row.locations += 1
            row.boards.add(loc["board_id"])
            if loc["pk"] in latest:
                row.pupils.add(*latest[loc["pk"]])

    sector_of = {loc["pk"]: loc["sector"] for loc in locations}
    series: dict[str, dict[int, PupilTotal]] = defaultdict(lambda: defaultdict(PupilTotal))
    for loc_id, year, count, small in counts:
        series[sector_of[loc_id]][year].add(count, small)
        series["total"][year].add(count, small)

    return RegionAnalysis(
        latest_year=latest_year,
        years=years,
        total=total,
        by_sector=sorted(by_sector.values(), key=lambda r: r.key),
        by_municipality=sorted(by_municipality.values(), key=lambda r: -r.pupils.known),
        by_subregion=sorted(by_subregion.values(), key=lambda r: r.label),
        series={key: dict(sorted(value.items())) for key, value in series.items()},
    )


def board_school_locations(*, board: Organisation) -> QuerySet[SchoolLocation]:
    return SchoolLocation.objects.filter(board=board).select_related("municipality").order_by("name")


def boards_with_counts(*, region: Organisation | None = None) -> QuerySet[Organisation]:
    qs = boards().annotate(location_count=Count("school_locations", distinct=True))
    if region is not None:
        qs = qs.filter(region_memberships__region=region)
    return qs


def latest_pupil_counts(*, locations) -> dict[int, PupilCount]:
    """The most recent count per location, in one query."""
    result: dict[int, PupilCount] = {}
    for pupil_count in PupilCount.objects.filter(school_location__in=locations).order_by("school_location_id", "year"):
        result[pupil_count.school_location_id] = pupil_count
    return result
