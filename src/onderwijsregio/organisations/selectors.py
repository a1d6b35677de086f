"""Reads of organisations and the region analysis shown on region pages and in the API."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum, TextField
from django.db.models.functions import Cast

from .geo import haversine_km
from .models import (
    Municipality,
    Organisation,
    PostcodeArea,
    PupilCount,
    RegionMember,
    RegionSchoolLocation,
    SchoolLocation,
    SubRegion,
)


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


def latest_pupil_counts(*, locations: Iterable[SchoolLocation]) -> dict[int, PupilCount]:
    """The most recent count per location, in one query."""
    result: dict[int, PupilCount] = {}
    for pupil_count in PupilCount.objects.filter(school_location__in=locations).order_by("school_location_id", "year"):
        result[pupil_count.school_location_id] = pupil_count
    return result


# --- Pages: overviews, searches and lookups used by the organisation views ------------------------


@dataclass
class RegionOverviewRow:
    region: Organisation
    location_count: int = 0
    board_count: int = 0
    latest_year: int | None = None
    pupils: PupilTotal = field(default_factory=PupilTotal)


def regions_overview() -> list[RegionOverviewRow]:
    """Every region with its current locations, their boards and pupils in its latest year.

    Three queries whatever the number of regions or locations: the regions, the counts of
    locations and boards, and the pupil sums grouped by region and year.
    """
    rows = {region.pk: RegionOverviewRow(region=region) for region in regions()}
    current = RegionSchoolLocation.objects.filter(ended_on__isnull=True, region_id__in=rows)
    for item in current.values("region_id").annotate(
        location_count=Count("school_location_id", distinct=True),
        board_count=Count("school_location__board_id", distinct=True),
    ):
        row = rows[item["region_id"]]
        row.location_count = item["location_count"]
        row.board_count = item["board_count"]

    sums = (
        PupilCount.objects.filter(
            school_location__region_links__ended_on__isnull=True,
            school_location__region_links__region_id__in=rows,
        )
        .values("school_location__region_links__region_id", "year")
        .annotate(
            known=Sum("count"),
            small=Count("pk", filter=Q(is_small=True)),
            located=Count("pk"),
        )
    )
    by_region: dict[int, dict[int, dict]] = defaultdict(dict)
    for item in sums:
        by_region[item["school_location__region_links__region_id"]][item["year"]] = item
    for region_id, per_year in by_region.items():
        year = max(per_year)
        item = per_year[year]
        row = rows[region_id]
        row.latest_year = year
        row.pupils = PupilTotal(known=item["known"] or 0, small=item["small"], locations=item["located"])
    return list(rows.values())


def with_latest_pupils(*, locations: QuerySet[SchoolLocation]) -> QuerySet[SchoolLocation]:
    """Annotate each location with its most recent count: latest_year, latest_count, latest_is_small."""
    newest = PupilCount.objects.filter(school_location=OuterRef("pk")).order_by("-year")
    return locations.annotate(
        latest_year=Subquery(newest.values("year")[:1]),
        latest_count=Subquery(newest.values("count")[:1]),
        latest_is_small=Subquery(newest.values("is_small")[:1]),
    )


def region_boards(*, region: Organisation) -> QuerySet[Organisation]:
    """Boards that are members of the region or run one of its current school locations."""
    with_locations = RegionSchoolLocation.objects.filter(region=region, ended_on__isnull=True).values(
        "school_location__board_id"
    )
    members = RegionMember.objects.filter(region=region).values("member_id")
    return boards().filter(Q(pk__in=with_locations) | Q(pk__in=members))


def board_search(*, region: Organisation | None = None, query: str = "") -> QuerySet[Organisation]:
    """Boards with their number of school locations, optionally within a region and matching a text.

    The text matches the name (any part) or the DUO number (from its start), so "41" finds 41234.
    """
    qs = region_boards(region=region) if region is not None else boards()
    query = query.strip()
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(duo_number__startswith=query))
    return qs.annotate(location_count=Count("school_locations", distinct=True)).order_by("name", "pk")


def board_regions(*, board: Organisation) -> QuerySet[RegionMember]:
    """The regions a board is a member of, with its role there."""
    return RegionMember.objects.filter(member=board).select_related("region").order_by("region__name")


def school_location_search(
    *,
    region: Organisation | None = None,
    sector: str = "",
    municipality: Municipality | None = None,
    level: str = "",
    query: str = "",
) -> QuerySet[SchoolLocation]:
    """School locations filtered as on the public list page, with board, municipality and latest count."""
    qs = SchoolLocation.objects.select_related("board", "municipality")
    if region is not None:
        qs = qs.filter(pk__in=region_school_locations(region=region).values("pk"))
    if sector:
        qs = qs.filter(sector=sector)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    if level:
        # JSON containment is not available on SQLite; the JSON text holds each level quoted,
        # so a quoted match cannot mistake "vmbo" for "vmbo-tl".
        qs = qs.annotate(_levels_text=Cast("vo_levels", TextField())).filter(_levels_text__contains=f'"{level}"')
    query = query.strip()
    if query:
        qs = qs.filter(
            Q(name__icontains=query)
            | Q(vestiging_code__iexact=query)
            | Q(brin__iexact=query)
            | Q(place__icontains=query)
            | Q(postcode__istartswith=query)
        )
    return with_latest_pupils(locations=qs).order_by("name", "pk")


def school_location_pupil_counts(*, school_location: SchoolLocation) -> QuerySet[PupilCount]:
    return PupilCount.objects.filter(school_location=school_location).order_by("-year")


def region_municipalities(*, region: Organisation) -> QuerySet[Municipality]:
    """Municipalities where the region has current school locations or that are members of it."""
    with_locations = region_school_locations(region=region).values("municipality_id")
    return Municipality.objects.filter(pk__in=with_locations).order_by("name")


def organisations_addable_to_region(*, region: Organisation) -> QuerySet[Organisation]:
    """Organisations that could join the region: not a region themselves and not a member yet."""
    current = RegionMember.objects.filter(region=region).values("member_id")
    return (
        Organisation.objects.exclude(kind=Organisation.Kind.REGION)
        .exclude(pk__in=current)
        .order_by("kind", "name", "pk")
    )


def pc4_distance_km(*, from_pc4: str, to_pc4: str) -> float | None:
    """Straight-line distance between two four-digit postcode centroids (GeoNames), or None if unknown."""
    points = {
        area.pc4: (area.latitude, area.longitude)
        for area in PostcodeArea.objects.filter(pc4__in={from_pc4, to_pc4}).only("pc4", "latitude", "longitude")
    }
    if from_pc4 not in points or to_pc4 not in points:
        return None
    return round(haversine_km(*points[from_pc4], *points[to_pc4]), 1)
