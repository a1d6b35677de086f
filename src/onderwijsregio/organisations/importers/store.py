"""Writing parsed reference and DUO records: compare with what is stored, then bulk writes.

Each function loads the rows it may touch in a few queries, decides per row whether it is new,
changed or unchanged, and writes with bulk_create/bulk_update. That gives update_or_create
semantics at a fraction of the queries, and exact created/updated/unchanged counts, which is
how idempotence is visible: a second run reports everything unchanged. Callers wrap these in
one transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from ..models import (
    NAME_SOURCE_RANK,
    LabourMarketRegion,
    Municipality,
    NameSource,
    Organisation,
    PostcodeArea,
    PupilCount,
    RegionMember,
    RegionSchoolLocation,
    SchoolLocation,
    Subject,
)
from .boards import BoardFileKind, BoardRecord
from .duo import CountRecord, ImportPlan, LocationRecord
from .reference import ReferenceData

BATCH = 500

# DUO's open data has no board names; the board confirms its own name later. Stored data, so
# plain Dutch and not a translated message.
PROVISIONAL_BOARD_NAME = "Bevoegd gezag {number}"

LOCATION_FIELDS = (
    "brin",
    "name",
    "board_id",
    "sector",
    "school_type",
    "onderwijsstructuur",
    "vo_levels",
    "denomination",
    "street",
    "house_number",
    "postcode",
    "place",
    "municipality_id",
    "website",
    "phone",
    "source",
)


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass
class StoreResult:
    tallies: dict[str, Tally] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {name: tally.as_dict() for name, tally in self.tallies.items()}


def _chunks(items: list, size: int = BATCH) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _sync(model, existing: dict, wanted: dict, fields: tuple[str, ...], build) -> tuple[Tally, list]:
    """Create what is missing and update what differs; `build(key, values)` makes a new instance."""
    tally = Tally()
    to_create, to_update = [], []
    for key, values in wanted.items():
        instance = existing.get(key)
        if instance is None:
            to_create.append(build(key, values))
            continue
        changed = [name for name in fields if getattr(instance, name) != values[name]]
        if changed:
            for name in fields:
                setattr(instance, name, values[name])
            to_update.append(instance)
        else:
            tally.unchanged += 1
    if to_create:
        model.objects.bulk_create(to_create, batch_size=BATCH)
    if to_update:
        model.objects.bulk_update(to_update, list(fields), batch_size=BATCH)
    tally.created, tally.updated = len(to_create), len(to_update)
    return tally, to_create


def store_reference(data: ReferenceData) -> StoreResult:
    result = StoreResult()
    regions = {r.code: r for r in LabourMarketRegion.objects.all()}
    result.tallies["labour_market_regions"], _ = _sync(
        LabourMarketRegion,
        regions,
        {code: {"name": name} for code, name in data.labour_market_regions.items()},
        ("name",),
        lambda code, values: LabourMarketRegion(code=code, **values),
    )
    region_ids = dict(LabourMarketRegion.objects.values_list("code", "pk"))

    wanted = {
        m.cbs_code: {
            "name": m.name,
            "duo_name": m.duo_name,
            "province": m.province,
            "labour_market_region_id": region_ids.get(m.labour_market_region),
            "latitude": m.latitude,
            "longitude": m.longitude,
        }
        for m in data.municipalities
    }
    result.tallies["municipalities"], _ = _sync(
        Municipality,
        {m.cbs_code: m for m in Municipality.objects.all()},
        wanted,
        ("name", "duo_name", "province", "labour_market_region_id", "latitude", "longitude"),
        lambda code, values: Municipality(cbs_code=code, **values),
    )
    municipality_ids = dict(Municipality.objects.values_list("cbs_code", "pk"))

    wanted = {
        p.pc4: {
            "place_name": p.place_name,
            "municipality_id": municipality_ids.get(p.municipality_code),
            "latitude": p.latitude,
            "longitude": p.longitude,
        }
        for p in data.postcodes
    }
    result.tallies["postcode_areas"], _ = _sync(
        PostcodeArea,
        {p.pc4: p for p in PostcodeArea.objects.all()},
        wanted,
        ("place_name", "municipality_id", "latitude", "longitude"),
        lambda pc4, values: PostcodeArea(pc4=pc4, **values),
    )
    subject_fields = ("name", "slo_id", "in_po", "in_vmbo", "in_lower_havo_vwo", "in_upper_havo_vwo", "in_so_vso")
    result.tallies["subjects"], _ = _sync(
        Subject,
        {s.code: s for s in Subject.objects.all()},
        {
            row.code: {
                "name": row.name,
                "slo_id": uuid.UUID(row.slo_id) if row.slo_id else None,
                **{name: getattr(row, name) for name in subject_fields[2:]},
            }
            for row in data.subjects
        },
        subject_fields,
        lambda code, values: Subject(code=code, **values),
    )
    return result


def _free_slug(base: str, taken: set[str]) -> str:
    slug, suffix = base, 2
    while slug in taken:
        slug, suffix = f"{base}-{suffix}", suffix + 1
    taken.add(slug)
    return slug


def _location_values(record: LocationRecord, board_id: int | None, municipality_id: int | None) -> dict:
    return {
        "brin": record.brin,
        "name": record.name,
        "board_id": board_id,
        "sector": record.sector,
        "school_type": record.school_type,
        "onderwijsstructuur": record.onderwijsstructuur,
        "vo_levels": list(record.vo_levels),
        "denomination": record.denomination,
        "street": record.street,
        "house_number": record.house_number,
        "postcode": record.postcode,
        "place": record.place,
        "municipality_id": municipality_id,
        "website": record.website,
        "phone": record.phone,
        "source": record.source,
    }


class OutOfScope(StrEnum):
    """Why a record would change reference data outside the regions the importer may change."""

    NEW_LOCATION = "new_location"
    OTHER_REGION = "other_region"
    BOARD_OUTSIDE = "board_outside"


@dataclass(frozen=True)
class Refused:
    """A record left alone because it would change data outside the importer's regions."""

    code: str
    why: OutOfScope
    record: LocationRecord | CountRecord
    board_number: str = ""


@dataclass
class ScopedPlan:
    plan: ImportPlan
    refused: list[Refused]
    unchanged_locations: int = 0
    unchanged_counts: int = 0


def plan_within_regions(plan: ImportPlan, region_ids: set[int]) -> ScopedPlan:
    """Keep only the records that change nothing outside `region_ids`.

    DUO's files describe every school in the country, while a regional team may change the
    reference data of its own region only. A record stays when its location is now placed in
    one of those regions and, if it moves the location to another board, that board takes part
    in (or already has a location in) one of them. Every other record is dropped: quietly when
    it would change nothing, listed in `refused` otherwise. Creating a location (it is in no
    region yet) is left to the platform administrator.
    """
    existing: dict[str, SchoolLocation] = {}
    region_of: dict[str, int] = {}
    codes = list(plan.locations)
    for chunk in _chunks(codes):
        existing.update({loc.vestiging_code: loc for loc in SchoolLocation.objects.filter(vestiging_code__in=chunk)})
        region_of.update(
            RegionSchoolLocation.objects.filter(
                ended_on__isnull=True, school_location__vestiging_code__in=chunk
            ).values_list("school_location__vestiging_code", "region_id")
        )
    boards_in_scope = set(
        RegionMember.objects.filter(region_id__in=region_ids).values_list("member_id", flat=True)
    ) | set(
        RegionSchoolLocation.objects.filter(region_id__in=region_ids, ended_on__isnull=True).values_list(
            "school_location__board_id", flat=True
        )
    )
    board_ids = dict(
        Organisation.objects.filter(
            kind=Organisation.Kind.BOARD, duo_number__in={r.board_number for r in plan.locations.values()}
        ).values_list("duo_number", "pk")
    )
    municipality_ids = dict(
        Municipality.objects.filter(cbs_code__in={r.municipality_code for r in plan.locations.values()}).values_list(
            "cbs_code", "pk"
        )
    )
    counts_by_code: dict[str, list[CountRecord]] = {}
    for (code, _year), count in plan.counts.items():
        counts_by_code.setdefault(code, []).append(count)

    outside = [code for code in codes if code in existing and region_of.get(code) not in region_ids]
    stored_counts: dict[tuple[str, int], tuple[int | None, bool, str]] = {}
    for chunk in _chunks(outside):
        for code, year, number, small, source in PupilCount.objects.filter(
            school_location__vestiging_code__in=chunk
        ).values_list("school_location__vestiging_code", "year", "count", "is_small", "source"):
            stored_counts[(code, year)] = (number, small, source)

    scoped = ScopedPlan(plan=ImportPlan(locations={}, counts={}), refused=[])
    for code in codes:
        record = plan.locations[code]
        location = existing.get(code)
        counts = counts_by_code.get(code, [])
        if location is None:
            scoped.refused.append(Refused(code, OutOfScope.NEW_LOCATION, record))
            continue
        board_id = board_ids.get(record.board_number)
        if region_of.get(code) not in region_ids:
            wanted = _location_values(record, board_id, municipality_ids.get(record.municipality_code))
            location_changes = record.authoritative and any(
                getattr(location, name) != wanted[name] for name in LOCATION_FIELDS
            )
            changed_counts = [
                count
                for count in counts
                if stored_counts.get((code, count.year)) != (count.count, count.is_small, count.source)
            ]
            if location_changes or changed_counts:
                scoped.refused.append(
                    Refused(code, OutOfScope.OTHER_REGION, record if location_changes else changed_counts[0])
                )
            else:
                scoped.unchanged_locations += 1
                scoped.unchanged_counts += len(counts)
            continue
        if record.authoritative and board_id != location.board_id and board_id not in boards_in_scope:
            scoped.refused.append(Refused(code, OutOfScope.BOARD_OUTSIDE, record, board_number=record.board_number))
            continue
        scoped.plan.locations[code] = record
        for count in counts:
            scoped.plan.counts[(code, count.year)] = count
    return scoped


def store_duo(plan: ImportPlan) -> StoreResult:
    result = StoreResult()
    codes = list(plan.locations)
    existing_locations: dict[str, SchoolLocation] = {}
    for chunk in _chunks(codes):
        existing_locations.update(
            {loc.vestiging_code: loc for loc in SchoolLocation.objects.filter(vestiging_code__in=chunk)}
        )

    # Address records always apply; a pupil-file record only describes a location nobody has.
    applied: dict[str, LocationRecord] = {
        code: record
        for code, record in plan.locations.items()
        if record.authoritative or code not in existing_locations
    }
    municipality_ids = dict(
        Municipality.objects.filter(cbs_code__in={r.municipality_code for r in applied.values()}).values_list(
            "cbs_code", "pk"
        )
    )

    board_sectors: dict[str, set[str]] = {}
    for record in applied.values():
        board_sectors.setdefault(record.board_number, set()).add(record.sector)
    boards = {
        board.duo_number: board
        for board in Organisation.objects.filter(kind=Organisation.Kind.BOARD, duo_number__in=list(board_sectors))
    }
    taken_slugs = set(Organisation.objects.filter(slug__startswith="bestuur-").values_list("slug", flat=True))
    wanted_boards = {
        number: {"sectors": sorted(set(boards[number].sectors if number in boards else []) | sectors)}
        for number, sectors in board_sectors.items()
    }
    # Only sectors are kept up to date; the name is the board's own once it has confirmed it.
    result.tallies["boards"], _ = _sync(
        Organisation,
        boards,
        wanted_boards,
        ("sectors",),
        lambda number, values: Organisation(
            kind=Organisation.Kind.BOARD,
            duo_number=number,
            name=PROVISIONAL_BOARD_NAME.format(number=number),
            name_is_provisional=True,
            name_source=NameSource.PLACEHOLDER,
            slug=_free_slug(f"bestuur-{number}", taken_slugs),
            **values,
        ),
    )
    board_ids = dict(
        Organisation.objects.filter(kind=Organisation.Kind.BOARD, duo_number__in=list(board_sectors)).values_list(
            "duo_number", "pk"
        )
    )

    wanted_locations = {
        code: _location_values(record, board_ids[record.board_number], municipality_ids[record.municipality_code])
        for code, record in applied.items()
    }
    tally, _ = _sync(
        SchoolLocation,
        existing_locations,
        wanted_locations,
        LOCATION_FIELDS,
        lambda code, values: SchoolLocation(vestiging_code=code, **values),
    )
    tally.unchanged += len(plan.locations) - len(applied)
    result.tallies["school_locations"] = tally

    location_ids: dict[str, int] = {}
    for chunk in _chunks(codes):
        location_ids.update(SchoolLocation.objects.filter(vestiging_code__in=chunk).values_list("vestiging_code", "pk"))
    existing_counts: dict[tuple[int, int], PupilCount] = {}
    id_chunks = list(_chunks(sorted({location_ids[code] for code, _year in plan.counts})))
    for chunk in id_chunks:
        for pupil_count in PupilCount.objects.filter(school_location_id__in=chunk):
            existing_counts[(pupil_count.school_location_id, pupil_count.year)] = pupil_count
    wanted_counts = {
        (location_ids[code], year): {"count": record.count, "is_small": record.is_small, "source": record.source}
        for (code, year), record in plan.counts.items()
    }
    result.tallies["pupil_counts"], _ = _sync(
        PupilCount,
        existing_counts,
        wanted_counts,
        ("count", "is_small", "source"),
        lambda key, values: PupilCount(school_location_id=key[0], year=key[1], **values),
    )
    return result


BOARD_NAME_FIELDS = (
    "name",
    "name_is_provisional",
    "name_source",
    "name_source_detail",
    "kvk_number",
    "street",
    "postcode",
    "place",
)
_RECORD_SOURCE = {BoardFileKind.DUO_BOARDS: NameSource.DUO, BoardFileKind.DERIVED_LIST: NameSource.DERIVED}


def _board_name_values(board: Organisation, record: BoardRecord) -> dict:
    """What `record` may change on `board`: the name only when its source ranks at least as high.

    A name the board confirmed (or corrected) is never replaced; DUO's file replaces the derived
    list's name and the placeholder; the derived list replaces only the placeholder or itself.
    """
    source = _RECORD_SOURCE[record.kind]
    values = {name: getattr(board, name) for name in BOARD_NAME_FIELDS}
    if NAME_SOURCE_RANK[source] >= NAME_SOURCE_RANK[board.name_rank_source]:
        values.update(
            name=record.name,
            name_is_provisional=False,
            name_source=source,
            name_source_detail=record.source_detail,
        )
    if record.kvk_number and (source == NameSource.DUO or not board.kvk_number):
        values["kvk_number"] = record.kvk_number
    if source == NameSource.DUO:
        # The board office's address is DUO's, whoever chose the name.
        values.update(street=record.street, postcode=record.postcode, place=record.place)
    return values


def store_board_names(records: dict[str, BoardRecord], *, board_ids: set[int] | None = None) -> Tally:
    """Give the boards on the platform the names (and KvK numbers, addresses) of `records`.

    Boards are matched on their DUO number; a record for a board the platform does not have
    creates nothing (the files list every board of the country). `board_ids`, when given, are the
    only boards that may change (a regional team's own boards).
    """
    tally = Tally()
    boards = Organisation.objects.filter(kind=Organisation.Kind.BOARD, duo_number__in=list(records))
    if board_ids is not None:
        boards = boards.filter(pk__in=board_ids)
    to_update = []
    for board in boards:
        values = _board_name_values(board, records[board.duo_number])
        if any(getattr(board, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(board, name, value)
            # Someone editing the profile read the old name: their save must not silently undo this one.
            board.version += 1
            to_update.append(board)
        else:
            tally.unchanged += 1
    if to_update:
        Organisation.objects.bulk_update(to_update, [*BOARD_NAME_FIELDS, "version"], batch_size=BATCH)
    tally.updated = len(to_update)
    return tally
