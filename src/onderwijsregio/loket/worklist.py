"""The working list of the desk: what a user sees of which candidates, the filtered query, its rows and columns.

The list page, the board view, the CSV/XLSX exports (loket.exports) and the API share this module, so a
column a receiver may not see is hidden in all alike. A receiver sees only the trajectory it was handed
(loket.permissions.visible_trajectories_q, as the API and the candidate page do): stages, subjects and
follow-up dates of the candidate's pathways elsewhere are neither shown nor filtered or sorted on, and
desk-only data (the coordinator) only for candidates whose desk the user runs. A `Viewer` works out, in one query, what a user sees of
every candidate (the whole record for the desk, the shared parts for a receiver), so pages never ask
per row.
What a list or an export showed is audit-logged by loket.selectors (list_viewed_record, export_record).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from onderwijsregio.accounts.permissions import access_for
from onderwijsregio.organisations.models import Organisation, PostcodeArea, Sector, SubRegion

from .models import STAGE_ORDER, Candidate, Handover, SharedPart, Trajectory
from .permissions import ACTIVE_HANDOVER, ALL_PARTS, receiving_organisations, visible_trajectories_q
from .selectors import inactive_since, last_activity, visible_candidates

# Rows a page of the working list shows.
PAGE_SIZE = 50


class Viewer:
    """What one user sees of candidates, worked out once per request (one query for the handovers)."""

    def __init__(self, user) -> None:
        self.user = user
        access = access_for(user)
        self.is_admin = access.is_platform_admin
        self.team_regions: set[int] = set(access.team_regions)
        self.received_parts: dict[int, set[str]] = {}
        self.accepted: set[int] = set()
        self.received_regions: set[int] = set()
        organisations = receiving_organisations(user)
        if organisations:
            rows = Handover.objects.filter(receiver_id__in=organisations, status__in=ACTIVE_HANDOVER).values_list(
                "candidate_id", "candidate__region_id", "shared_parts", "status"
            )
            for candidate_id, region_id, parts, status in rows:
                self.received_parts.setdefault(candidate_id, set()).update(parts or [])
                self.received_regions.add(region_id)
                if status == Handover.Status.ACCEPTED:
                    self.accepted.add(candidate_id)

    @property
    def works_at_desk(self) -> bool:
        return self.is_admin or bool(self.team_regions)

    def runs_desk_of(self, candidate: Candidate) -> bool:
        return self.is_admin or candidate.region_id in self.team_regions

    def parts(self, candidate: Candidate) -> frozenset[str]:
        if self.runs_desk_of(candidate):
            return ALL_PARTS
        return frozenset(self.received_parts.get(candidate.pk, ()))

    def can_progress(self, candidate: Candidate) -> bool:
        # Mirrors the rule loket.progress_candidate, without a query per card.
        return self.runs_desk_of(candidate) or candidate.pk in self.accepted

    def part_q(self, part: str) -> Q:
        """Candidates of whom this user sees `part`: filters on hidden data must not reveal it."""
        if self.is_admin:
            return Q()
        shared = [pk for pk, parts in self.received_parts.items() if part in parts]
        return Q(region_id__in=self.team_regions) | Q(pk__in=shared)

    def desk_q(self) -> Q:
        """Candidates whose desk this user runs: filters on desk-only data (the coordinator) stay within them."""
        if self.is_admin:
            return Q()
        return Q(region_id__in=self.team_regions)

    def trajectories(self) -> QuerySet[Trajectory]:
        """Trajectories this user sees: all of the desk's, of a receiver only those handed to it."""
        return Trajectory.objects.filter(visible_trajectories_q(self.user))

    def regions(self) -> QuerySet[Organisation]:
        regions = Organisation.objects.filter(kind=Organisation.Kind.REGION)
        if self.is_admin:
            return regions.order_by("name")
        return regions.filter(pk__in=self.team_regions | self.received_regions).order_by("name")

    def column_visible(self, part: str | None, *, desk_only: bool = False) -> bool:
        """A column is shown when the user may see its part of at least one candidate."""
        if desk_only:
            return self.works_at_desk
        if part is None or self.works_at_desk:
            return True
        return any(part in parts for parts in self.received_parts.values())


# --- The query ---------------------------------------------------------------------------------


def _open_trajectories(viewer: Viewer) -> Prefetch:
    return Prefetch(
        "trajectories",
        queryset=viewer.trajectories()
        .filter(ended_at__isnull=True)
        .select_related("subject", "board", "school_location", "institute")
        .order_by("-created_at", "-id"),
        to_attr="open_trajectories",
    )


def stage_rank() -> Case:
    return Case(
        *[When(stage=stage, then=Value(index)) for index, stage in enumerate(STAGE_ORDER)],
        output_field=IntegerField(),
    )


SORTS = {
    "-created": gettext_lazy("nieuwste aanmelding eerst"),
    "created": gettext_lazy("oudste aanmelding eerst"),
    "name": gettext_lazy("achternaam"),
    "follow_up": gettext_lazy("opvolgdatum, vroegste eerst"),
    "stage": gettext_lazy("fase"),
}


def worklist(*, viewer: Viewer, filters: dict) -> QuerySet[Candidate]:
    """Visible candidates matching `filters` (cleaned data of the filter form), sorted.

    Every filter is a condition on the candidate row or an `IN (subquery)` on an indexed column,
    so the database never joins the big tables for counting; data a receiver may not see is only
    filtered where it was shared with them.
    """
    queryset = visible_candidates(user=viewer.user)
    # Stage, subject and follow-up filters and sorts look only at trajectories the user may see.
    open_trajectories = viewer.trajectories().filter(ended_at__isnull=True)
    if region := filters.get("region"):
        queryset = queryset.filter(region=region)
    if stage := filters.get("stage"):
        queryset = queryset.filter(pk__in=open_trajectories.filter(stage=stage).values("candidate_id"))
    if target_group := filters.get("target_group"):
        queryset = queryset.filter(Q(target_group=target_group) & viewer.part_q(SharedPart.BACKGROUND))
    if subject := filters.get("subject"):
        wished = Candidate.target_subjects.through.objects.filter(subject=subject).values("candidate_id")
        in_trajectory = viewer.trajectories().filter(subject=subject).values("candidate_id")
        queryset = queryset.filter((Q(pk__in=wished) & viewer.part_q(SharedPart.WISHES)) | Q(pk__in=in_trajectory))
    if sector := filters.get("sector"):
        # target_sectors is a JSON list of codes; its text holds each code in quotes on every database.
        queryset = queryset.filter(Q(target_sectors__icontains=f'"{sector}"') & viewer.part_q(SharedPart.WISHES))
    if subregion := filters.get("subregion"):
        pc4s = PostcodeArea.objects.filter(municipality__subregions=subregion).values("pc4")
        queryset = (
            queryset.annotate(pc4=Substr("postcode", 1, 4))
            .filter(region_id=subregion.region_id, pc4__in=pc4s)
            .filter(viewer.part_q(SharedPart.CONTACT))
        )
    # The coordinator is desk-only: another region's desk that receives a candidate must not learn it.
    coordinator = filters.get("coordinator")
    if coordinator == "me":
        queryset = queryset.filter(Q(coordinator=viewer.user) & viewer.desk_q())
    elif coordinator == "none":
        queryset = queryset.filter(Q(coordinator__isnull=True) & viewer.desk_q())
    elif coordinator:
        queryset = queryset.filter(Q(coordinator_id=int(coordinator)) & viewer.desk_q())
    # Last worked on: a subquery in the same query, for the "te beoordelen" mark and filter (desk-only).
    queryset = queryset.annotate(last_activity=last_activity())
    if filters.get("needs_decision"):
        queryset = queryset.filter(Q(last_activity__lte=inactive_since()) & viewer.desk_q())
    if filters.get("overdue"):
        overdue = open_trajectories.filter(follow_up_on__lt=timezone.localdate()).values("candidate_id")
        queryset = queryset.filter(pk__in=overdue)
    if filters.get("due_today"):
        due_today = open_trajectories.filter(follow_up_on=timezone.localdate()).values("candidate_id")
        queryset = queryset.filter(pk__in=due_today)
    if query := (filters.get("q") or "").strip():
        for word in query.split()[:5]:
            matches = Q(first_name__icontains=word) | Q(last_name__icontains=word)
            if "@" in word or "." in word:
                matches |= Q(email__icontains=word) & viewer.part_q(SharedPart.CONTACT)
            queryset = queryset.filter(matches)

    sort = filters.get("sort") or "-created"
    if sort == "created":
        queryset = queryset.order_by("created_at", "pk")
    elif sort == "name":
        queryset = queryset.order_by("last_name", "first_name", "pk")
    elif sort == "follow_up":
        next_follow_up = (
            open_trajectories.filter(candidate=OuterRef("pk"), follow_up_on__isnull=False)
            .order_by("follow_up_on")
            .values("follow_up_on")[:1]
        )
        queryset = queryset.annotate(next_follow_up=Subquery(next_follow_up)).order_by(
            F("next_follow_up").asc(nulls_last=True), "pk"
        )
    elif sort == "stage":
        rank = (
            open_trajectories.filter(candidate=OuterRef("pk"))
            .annotate(rank=stage_rank())
            .order_by("-rank")
            .values("rank")[:1]
        )
        queryset = queryset.annotate(stage_rank=Subquery(rank)).order_by(
            F("stage_rank").asc(nulls_last=True), "-created_at", "pk"
        )
    else:
        queryset = queryset.order_by("-created_at", "-pk")
    return queryset


def with_row_data(queryset: QuerySet[Candidate], viewer: Viewer) -> QuerySet[Candidate]:
    """What a row shows, fetched in a fixed number of queries however many rows there are.

    `open_trajectories` holds only the open trajectories the viewer may see.
    """
    return queryset.select_related("region", "coordinator").prefetch_related(
        _open_trajectories(viewer), "target_subjects"
    )


def subregion_names(region_ids: Iterable[int]) -> dict[tuple[int, str], str]:
    """(region id, PC4) → name of the sub-region it lies in, in two queries."""
    region_ids = set(region_ids)
    if not region_ids:
        return {}
    by_municipality: dict[int, list[tuple[int, str]]] = {}
    links = SubRegion.municipalities.through.objects.filter(subregion__region_id__in=region_ids).values_list(
        "municipality_id", "subregion__region_id", "subregion__name"
    )
    for municipality_id, region_id, name in links.order_by("subregion__name"):
        by_municipality.setdefault(municipality_id, []).append((region_id, name))
    names: dict[tuple[int, str], str] = {}
    areas = PostcodeArea.objects.filter(municipality_id__in=by_municipality).values_list("pc4", "municipality_id")
    for pc4, municipality_id in areas:
        for region_id, name in by_municipality[municipality_id]:
            names.setdefault((region_id, pc4), name)
    return names


# --- Rows and columns --------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # The shared part a receiver needs to see this column; None: part of every handover.
    part: str | None
    value: Callable[[Candidate, dict], str]
    # Only for the desk of the candidate's region (never for a receiver, whatever it was shared).
    desk_only: bool = False


def _date(value: date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _stages(candidate: Candidate, _context: dict) -> str:
    return ", ".join(str(trajectory.get_stage_display()) for trajectory in candidate.open_trajectories)


def next_follow_up(candidate: Candidate) -> date | None:
    dates = [t.follow_up_on for t in candidate.open_trajectories if t.follow_up_on is not None]
    return min(dates) if dates else None


def _follow_up(candidate: Candidate, _context: dict) -> str:
    return _date(next_follow_up(candidate))


def _subjects(candidate: Candidate, context: dict) -> str:
    names = [] if SharedPart.WISHES not in context["parts"] else [s.name for s in candidate.target_subjects.all()]
    for trajectory in candidate.open_trajectories:
        if trajectory.subject is not None and trajectory.subject.name not in names:
            names.append(trajectory.subject.name)
    return ", ".join(names)


SECTOR_LABELS = dict(Sector.choices)


def _sectors(candidate: Candidate, _context: dict) -> str:
    return ", ".join(str(SECTOR_LABELS.get(code, code)) for code in candidate.target_sectors or [])


def _subregion(candidate: Candidate, context: dict) -> str:
    return context["subregions"].get((candidate.region_id, candidate.postcode[:4]), "")


COLUMNS: list[Column] = [
    Column("name", gettext_lazy("Naam"), None, lambda c, _x: c.full_name),
    Column("email", gettext_lazy("E-mailadres"), SharedPart.CONTACT, lambda c, _x: c.email),
    Column(
        "target_group",
        gettext_lazy("Doelgroep"),
        SharedPart.BACKGROUND,
        lambda c, _x: str(c.get_target_group_display()),
    ),
    Column("stage", gettext_lazy("Fase"), None, _stages),
    Column("subjects", gettext_lazy("Vak(ken)"), None, _subjects),
    Column("sectors", gettext_lazy("Sector"), SharedPart.WISHES, _sectors),
    Column("subregion", gettext_lazy("Subregio"), SharedPart.CONTACT, _subregion),
    Column("region", gettext_lazy("Onderwijsregio"), None, lambda c, _x: c.region.name),
    Column(
        "coordinator",
        gettext_lazy("Ketenregisseur"),
        None,
        lambda c, _x: c.coordinator.get_full_name() if c.coordinator else "",
        desk_only=True,
    ),
    Column("follow_up", gettext_lazy("Opvolgen op"), None, _follow_up),
    Column("created", gettext_lazy("Aangemeld"), None, lambda c, _x: _date(timezone.localdate(c.created_at))),
]


def visible_columns(viewer: Viewer, *, multiple_regions: bool) -> list[Column]:
    return [
        column
        for column in COLUMNS
        if viewer.column_visible(column.part, desk_only=column.desk_only)
        and (column.key != "region" or multiple_regions)
    ]


@dataclass
class Row:
    candidate: Candidate
    parts: frozenset[str]
    cells: dict[str, str | None]
    follow_up: date | None
    overdue: bool
    can_progress: bool
    # Nobody worked on the record for LOKET_MAX_INACTIVE_DAYS: the desk must decide (only the desk sees it).
    needs_decision: bool = False

    def values(self) -> list[tuple[str, str | None]]:
        return list(self.cells.items())


def rows_for(viewer: Viewer, candidates: Iterable[Candidate], columns: list[Column], subregions: dict) -> Iterator[Row]:
    """Rows with only the cells this user may see of each candidate (hidden cells are empty)."""
    today = timezone.localdate()
    cutoff = inactive_since()
    for candidate in candidates:
        parts = viewer.parts(candidate)
        runs_desk = viewer.runs_desk_of(candidate)
        context = {"parts": parts, "subregions": subregions}
        # None marks a cell that was not shared with this user (an empty string is just empty).
        cells = {
            column.key: column.value(candidate, context)
            if (column.part is None or column.part in parts) and (runs_desk or not column.desk_only)
            else None
            for column in columns
        }
        follow_up = next_follow_up(candidate)
        yield Row(
            candidate=candidate,
            parts=parts,
            cells=cells,
            follow_up=follow_up,
            overdue=follow_up is not None and follow_up < today,
            can_progress=viewer.can_progress(candidate),
            needs_decision=runs_desk
            and getattr(candidate, "last_activity", None) is not None
            and candidate.last_activity <= cutoff,
        )


def next_stage(stage: str) -> str | None:
    index = STAGE_ORDER.index(stage)
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None
