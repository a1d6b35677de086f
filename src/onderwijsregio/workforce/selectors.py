"""Reads for strategic personnel planning: which boards and regions a user sees, and their snapshots.

Every function here returns only what the caller may see; views never build these querysets themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from onderwijsregio.organisations.models import Organisation, RegionMember

from .models import Scenario, StaffSnapshot
from .permissions import board_ids_managed, region_ids_managed, region_ids_viewable


def visible_boards(user) -> QuerySet[Organisation]:
    """Boards whose own detail (snapshots, rows, board forecast) the user may see: its HR, or an admin."""
    return Organisation.objects.filter(pk__in=board_ids_managed(user)).order_by("name")


def visible_regions(user) -> QuerySet[Organisation]:
    """Regions whose aggregated figures the user may see (regional team, HR of a member board, admin)."""
    return Organisation.objects.filter(pk__in=region_ids_viewable(user)).order_by("name")


def managed_regions(user) -> QuerySet[Organisation]:
    """Regions whose assumptions and scenarios the user may change (regional team, admin)."""
    return Organisation.objects.filter(pk__in=region_ids_managed(user)).order_by("name")


def snapshots_for_board(board) -> QuerySet[StaffSnapshot]:
    """All versions of all reference dates of a board, newest first."""
    return StaffSnapshot.objects.filter(board=board).order_by("-reference_date", "-version")


def latest_snapshot(board) -> StaffSnapshot | None:
    """The newest version of the board's latest reference date, or None."""
    return snapshots_for_board(board).first()


def region_board_ids(region) -> list[int]:
    """Member boards of a region."""
    return list(
        RegionMember.objects.filter(region=region, member__kind=Organisation.Kind.BOARD)
        .order_by("member_id")
        .values_list("member_id", flat=True)
    )


def latest_snapshots_for_region(region) -> list[StaffSnapshot]:
    """The latest snapshot of each member board of the region that has one, ordered by board name (two queries)."""
    latest: dict[int, int] = {}
    for pk, board_id in (
        StaffSnapshot.objects.filter(board_id__in=region_board_ids(region))
        .order_by("board_id", "-reference_date", "-version")
        .values_list("pk", "board_id")
    ):
        latest.setdefault(board_id, pk)
    snapshots = StaffSnapshot.objects.filter(pk__in=latest.values()).select_related("board")
    return sorted(snapshots, key=lambda s: (s.board.name, s.board_id))


def boards_with_snapshots(region) -> int:
    """How many member boards of the region have at least one snapshot."""
    return StaffSnapshot.objects.filter(board_id__in=region_board_ids(region)).values("board_id").distinct().count()


def scenarios_for_owner(owner) -> QuerySet[Scenario]:
    return Scenario.objects.filter(owner=owner).order_by("name")


def scenarios_usable_for(organisation) -> QuerySet[Scenario]:
    """Scenarios a forecast of `organisation` can use: its own, and for a board also those of its regions."""
    owners = [organisation.pk]
    if organisation.kind == Organisation.Kind.BOARD:
        owners += list(RegionMember.objects.filter(member=organisation).values_list("region_id", flat=True))
    return Scenario.objects.filter(owner_id__in=owners).select_related("owner").order_by("owner__name", "name")


AGE_BANDS = ((0, 24), (25, 29), (30, 34), (35, 39), (40, 44), (45, 49), (50, 54), (55, 59), (60, 64), (65, 120))


def age_band_label(band: tuple[int, int]) -> str:
    low, high = band
    if low == 0:
        return f"< {high + 1}"
    if high >= 120:
        return f"{low}+"
    return f"{low}-{high}"


@dataclass
class SnapshotSummary:
    heads: int
    fte: float
    mean_age: float | None
    mean_fte: float | None
    mean_absence: float | None
    absence_known: int
    planned_exits: int
    by_function: list[dict]
    by_contract: list[dict]
    pyramid: list[dict]  # oldest band first: label, v, m, x, total
    by_subject: list[dict]  # subject, name, heads, first, second, other


def snapshot_summary(snapshot: StaffSnapshot) -> SnapshotSummary:
    """Aggregates of one snapshot for its board's own pages (no row-level data)."""
    from onderwijsregio.organisations.models import Subject

    from .models import ContractType, Function, Gender

    rows = list(
        snapshot.rows.values_list(
            "birth_year", "gender", "function", "subjects", "fte", "contract_type", "absence_pct", "planned_exit_date"
        )
    )
    ref_year = snapshot.reference_date.year
    heads = len(rows)
    fte_total = float(sum((row[4] for row in rows), Decimal("0")))
    ages = [ref_year - row[0] for row in rows]
    absences = [float(row[6]) for row in rows if row[6] is not None]

    functions = []
    for value, label in Function.choices:
        selected = [row for row in rows if row[2] == value]
        functions.append(
            {"key": value, "label": label, "heads": len(selected), "fte": float(sum(r[4] for r in selected))}
        )
    contracts = []
    for value, label in ContractType.choices:
        selected = [row for row in rows if row[5] == value]
        contracts.append(
            {"key": value, "label": label, "heads": len(selected), "fte": float(sum(r[4] for r in selected))}
        )
    pyramid = []
    for band in reversed(AGE_BANDS):
        in_band = [row for row, age in zip(rows, ages, strict=True) if band[0] <= age <= band[1]]
        counts = {gender: sum(1 for row in in_band if row[1] == gender) for gender in Gender.values}
        pyramid.append({"label": age_band_label(band), **counts, "total": len(in_band)})
    subjects: dict[str, dict] = {}
    for row in rows:
        for item in row[3] or []:
            entry = subjects.setdefault(
                item.get("subject", ""),
                {"subject": item.get("subject", ""), "heads": 0, "first": 0, "second": 0, "other": 0},
            )
            entry["heads"] += 1
            degree = item.get("degree")
            entry["first" if degree == "first" else "second" if degree == "second" else "other"] += 1
    names = dict(Subject.objects.filter(code__in=list(subjects)).values_list("code", "name"))
    by_subject = sorted(
        ({**entry, "name": names.get(code, code)} for code, entry in subjects.items()),
        key=lambda e: (-e["heads"], e["name"]),
    )
    return SnapshotSummary(
        heads=heads,
        fte=fte_total,
        mean_age=(sum(ages) / heads) if heads else None,
        mean_fte=(fte_total / heads) if heads else None,
        mean_absence=(sum(absences) / len(absences)) if absences else None,
        absence_known=len(absences),
        planned_exits=sum(1 for row in rows if row[7] is not None),
        by_function=functions,
        by_contract=contracts,
        pyramid=pyramid,
        by_subject=by_subject,
    )
