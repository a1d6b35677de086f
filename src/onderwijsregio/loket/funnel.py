"""Funnel analytics of the candidate desk: how far trajectories get, where and why they stop, and how
long each stage takes, broken down by target group, route, subject, sub-region or registration period.

Figures combine the live trajectories with the anonymous CandidateStatistic rows that erasure leaves
behind, so a region's numbers do not drop when retention deletes people. Who sees what follows
loket.permissions: the regional team its region (with its anonymous rows), a receiver only the
candidates handed to it (and never anyone's anonymous rows). Everything is aggregated in the database,
in a fixed number of queries whatever the number of candidates.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onderwijsregio.accounts.permissions import access_for
from onderwijsregio.organisations.models import Organisation, PostcodeArea, RegionMember, Subject, SubRegion

from .models import (
    STAGE_ORDER,
    CandidateStatistic,
    ExitReason,
    Handover,
    Stage,
    StageStay,
    StageStayCount,
    TargetGroup,
    Trajectory,
)
from .permissions import ACTIVE_HANDOVER, receiving_organisations
from .timeline import percentiles_from_counts

DIMENSIONS = {
    "target_group": gettext_lazy("doelgroep"),
    "route": gettext_lazy("route"),
    "subject": gettext_lazy("vak"),
    "subregion": gettext_lazy("subregio"),
    "month": gettext_lazy("maand van aanmelding"),
    "quarter": gettext_lazy("kwartaal van aanmelding"),
}
# The stages at which a candidate works in a school: what regions report as "aan het werk als leraar".
WORKING_STAGES = (Stage.STARTED, Stage.INDUCTION, Stage.QUALIFIED)
# The target groups the regions' reports single out.
REPORTED_GROUPS = (TargetGroup.SIDE_ENTRANT, TargetGroup.REFUGEE_TEACHER)
# Anonymous rows of people erased while their trajectory was still open carry no reason: they left.
ERASED_REASON = "_erased"


@dataclass(frozen=True)
class FunnelScope:
    """What a user may count: live trajectories (a Q on Trajectory) and whose anonymous rows."""

    live: Q
    statistic_regions: frozenset[int] | None  # None: every region (platform administrators)
    statistics_allowed: bool
    region_ids: frozenset[int] | None  # regions the user can choose from; None: all
    is_empty: bool = False
    # The live trajectories are exactly those of statistic_regions (all when None): no handovers mixed in.
    counts_whole_regions: bool = False


@dataclass(frozen=True)
class FunnelFilters:
    region: Organisation | None = None
    target_group: str = ""
    route_id: str = ""
    subject: Subject | None = None
    subregion: SubRegion | None = None
    registered_from: date | None = None
    registered_to: date | None = None


@dataclass
class StageRow:
    stage: str
    label: str
    reached: int = 0
    conversion: float | None = None  # percentage of the previous stage's reached
    ended_here: int = 0  # stopped with this as their furthest stage (drop-off)
    drop_off: float | None = None  # percentage of reached
    exit_reasons: list[tuple[str, int]] = field(default_factory=list)
    stays: int = 0  # completed periods in this stage that the times are computed from
    median_days: float | None = None
    p75_days: float | None = None


@dataclass
class GroupRow:
    key: str
    label: str
    reached: list[int]
    conversions: list[float | None]
    ended: int
    qualified: int

    @property
    def pairs(self) -> list[tuple[int, float | None]]:
        return list(zip(self.reached, self.conversions, strict=True))


@dataclass
class ReasonRow:
    code: str
    label: str
    count: int
    share: float  # percentage of all who stopped


@dataclass
class WorkingRow:
    target_group: str
    label: str
    started: int
    induction: int
    qualified: int

    @property
    def total(self) -> int:
        return self.started + self.induction + self.qualified


@dataclass
class FunnelReport:
    dimension: str
    dimension_label: str
    total: int
    from_statistics: int
    stages: list[StageRow]
    groups: list[GroupRow]
    reasons: list[ReasonRow]
    working: list[WorkingRow]
    working_reported: int  # side-entrants and refugee teachers working as teachers


# --- scope ----------------------------------------------------------------------------------------


def funnel_scope(*, user: Any) -> FunnelScope:
    """Which trajectories and anonymous rows `user` may count (loket.permissions' rules)."""
    access = access_for(user)
    if access.is_platform_admin:
        return FunnelScope(
            live=Q(), statistic_regions=None, statistics_allowed=True, region_ids=None, counts_whole_regions=True
        )
    team_regions = frozenset(access.team_regions)
    receiving = receiving_organisations(user)
    whole_regions = bool(team_regions) and not _handed_in_from_elsewhere(receiving, team_regions)
    live = Q(candidate_region_id__in=team_regions) if team_regions else Q(pk__in=[])
    # Handovers add someone only when they come from another region; without that, the plain region
    # condition lets PostgreSQL count from the covering index.
    if receiving and not whole_regions:
        live |= Q(
            candidate_id__in=Handover.objects.filter(receiver_id__in=receiving, status__in=ACTIVE_HANDOVER).values(
                "candidate_id"
            )
        )
    member_regions = (
        set(RegionMember.objects.filter(member_id__in=receiving).values_list("region_id", flat=True))
        if receiving
        else set()
    )
    return FunnelScope(
        live=live,
        statistic_regions=team_regions,
        statistics_allowed=bool(team_regions),
        region_ids=team_regions | member_regions,
        is_empty=not team_regions and not receiving,
        counts_whole_regions=whole_regions,
    )


def _handed_in_from_elsewhere(receiving: set[int], team_regions: frozenset[int]) -> bool:
    """Whether the user counts candidates of other regions, handed to them (a region's team receives too)."""
    return (
        bool(receiving)
        and Handover.objects.filter(receiver_id__in=receiving, status__in=ACTIVE_HANDOVER)
        .exclude(candidate__region_id__in=team_regions)
        .exists()
    )


def funnel_regions(*, scope: FunnelScope) -> QuerySet[Organisation]:
    regions = Organisation.objects.filter(kind=Organisation.Kind.REGION)
    return regions if scope.region_ids is None else regions.filter(pk__in=scope.region_ids)


def funnel_subregions(*, scope: FunnelScope) -> QuerySet[SubRegion]:
    subregions = SubRegion.objects.select_related("region").order_by("region__name", "name")
    return subregions if scope.region_ids is None else subregions.filter(region_id__in=scope.region_ids)


def funnel_route_ids(*, scope: FunnelScope) -> list[str]:
    """The routes that occur in what the user may count (for the filter's choices)."""
    live = set(
        Trajectory.objects.filter(scope.live)
        .exclude(route_id="")
        .order_by()
        .values_list("route_id", flat=True)
        .distinct()
    )
    if scope.statistics_allowed:
        live |= set(
            _statistics(scope, FunnelFilters())
            .exclude(route_id="")
            .order_by()
            .values_list("route_id", flat=True)
            .distinct()
        )
    return sorted(live)


# --- base querysets -------------------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _trajectories(scope: FunnelScope, filters: FunnelFilters) -> QuerySet[Trajectory]:
    # Merging deletes the duplicate, so no merged candidate's trajectory is left to leave out; the
    # candidate's keys are copied onto the trajectory, so a region's count needs no join.
    queryset = Trajectory.objects.filter(scope.live)
    if filters.region is not None:
        queryset = queryset.filter(candidate_region=filters.region)
    if filters.target_group:
        queryset = queryset.filter(candidate_target_group=filters.target_group)
    if filters.route_id:
        queryset = queryset.filter(route_id=filters.route_id)
    if filters.subject is not None:
        queryset = queryset.filter(subject=filters.subject)
    if filters.subregion is not None:
        pc4s = PostcodeArea.objects.filter(municipality__subregions=filters.subregion).values("pc4")
        queryset = queryset.filter(candidate_region_id=filters.subregion.region_id, candidate_pc4__in=pc4s)
    if filters.registered_from is not None:
        queryset = queryset.filter(candidate__created_at__gte=_day_start(filters.registered_from))
    if filters.registered_to is not None:
        queryset = queryset.filter(candidate__created_at__lt=_day_start(filters.registered_to + timedelta(days=1)))
    return queryset


def _statistics(scope: FunnelScope, filters: FunnelFilters) -> QuerySet[CandidateStatistic]:
    if not scope.statistics_allowed:
        return CandidateStatistic.objects.none()
    queryset = CandidateStatistic.objects.all()
    if scope.statistic_regions is not None:
        queryset = queryset.filter(region_id__in=scope.statistic_regions)
    if filters.region is not None:
        queryset = queryset.filter(region=filters.region)
    if filters.target_group:
        queryset = queryset.filter(target_group=filters.target_group)
    if filters.route_id:
        queryset = queryset.filter(route_id=filters.route_id)
    if filters.subject is not None:
        queryset = queryset.filter(subject_code=filters.subject.code)
    if filters.subregion is not None:
        queryset = queryset.filter(region_id=filters.subregion.region_id, subregion_name=filters.subregion.name)
    # Anonymous rows keep the month of registration only: a period counts whole months for them.
    if filters.registered_from is not None:
        queryset = queryset.filter(registered_month__gte=filters.registered_from.replace(day=1))
    if filters.registered_to is not None:
        queryset = queryset.filter(registered_month__lte=filters.registered_to)
    return queryset


def _rank(field_name: str) -> Case:
    return Case(
        *[When(**{field_name: stage}, then=Value(index)) for index, stage in enumerate(STAGE_ORDER)],
        default=Value(-1),
        output_field=IntegerField(),
    )


def _live_counts(trajectories: QuerySet[Trajectory], dimension: str) -> list[tuple]:
    """(group key, furthest stage rank, exit reason id, count) over the live trajectories, in one query.

    The furthest stage reached is kept on each trajectory from its timeline (`reached_rank`, see
    loket.services.summaries), so no event is read here.
    """
    if dimension != "subregion":
        rows = (
            trajectories.annotate(group_key=_live_key(dimension))
            .values_list("group_key", "reached_rank", "exit_reason_id")
            .annotate(count=Count("*"))
            .order_by()
        )
        return list(rows)
    try:
        base_sql, base_params = (
            trajectories.order_by()
            .values("candidate_pc4", "candidate_region_id", "reached_rank", "exit_reason_id")
            .query.sql_with_params()
        )
    except EmptyResultSet:
        return []
    # Candidate PC4 → municipality → the sub-region of the candidate's own region, as one join.
    sql = f"""
        SELECT COALESCE(subregion.name, ''), t.reached_rank, t.exit_reason_id, COUNT(*)
        FROM ({base_sql}) t
        LEFT JOIN (
            SELECT pa.pc4, sr.region_id, MIN(sr.name) AS name
            FROM {PostcodeArea._meta.db_table} pa
            JOIN {SubRegion.municipalities.through._meta.db_table} sm ON sm.municipality_id = pa.municipality_id
            JOIN {SubRegion._meta.db_table} sr ON sr.id = sm.subregion_id
            GROUP BY pa.pc4, sr.region_id
        ) subregion ON subregion.pc4 = t.candidate_pc4 AND subregion.region_id = t.candidate_region_id
        GROUP BY 1, 2, 3
    """  # noqa: S608
    return _fetch(sql, list(base_params))


def _fetch(sql: str, params: list) -> list[tuple]:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # These reports sort and group a few hundred thousand rows: room to do that in memory
            # instead of on disk, and no JIT compilation, which costs more than it saves here.
            cursor.execute("SET LOCAL work_mem = '32MB'")
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        return cursor.fetchall()


def _live_key(dimension: str):
    if dimension == "target_group":
        return F("candidate_target_group")
    if dimension == "route":
        return F("route_id")
    if dimension == "subject":
        return Coalesce(F("subject__code"), Value(""), output_field=CharField())
    return TruncMonth("candidate__created_at", output_field=DateField())


def _statistic_key(dimension: str) -> str:
    return {
        "target_group": "target_group",
        "route": "route_id",
        "subject": "subject_code",
        "subregion": "subregion_name",
    }.get(dimension, "registered_month")


def _normalise_key(dimension: str, value) -> str:
    if dimension in ("month", "quarter"):
        if isinstance(value, str):  # SQLite hands raw SQL dates back as text
            value = date.fromisoformat(value[:10])
        if isinstance(value, datetime):
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        if value is None:
            return ""
        if dimension == "quarter":
            return f"{value.year}-Q{(value.month - 1) // 3 + 1}"
        return f"{value.year}-{value.month:02d}"
    return value or ""


# --- time in stage ---------------------------------------------------------------------------------


def percentile_cont(values: list[float], fraction: float) -> float | None:
    """The continuous percentile as PostgreSQL's percentile_cont computes it (linear interpolation)."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower, upper = math.floor(position), math.ceil(position)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def _statistic_tenths_sql(filtered_ids_sql: str) -> str:
    # Anonymous rows keep days per stage with one decimal: the same tenths of a day as the live stays.
    if connection.vendor == "postgresql":
        return (
            "SELECT days.key, FLOOR(CAST(days.value AS double precision) * 10 + 0.5) AS tenths, COUNT(*) "  # noqa: S608
            "FROM loket_candidatestatistic s CROSS JOIN LATERAL jsonb_each_text(s.stage_days) AS days "
            f"WHERE s.id IN ({filtered_ids_sql}) GROUP BY 1, 2"
        )
    return (
        "SELECT days.key, CAST(CAST(days.value AS REAL) * 10 + 0.5 AS INTEGER) AS tenths, COUNT(*) "  # noqa: S608
        f"FROM loket_candidatestatistic s, json_each(s.stage_days) AS days WHERE s.id IN ({filtered_ids_sql}) "
        "GROUP BY 1, 2"
    )


def _whole_regions(scope: FunnelScope, filters: FunnelFilters) -> bool:
    return scope.counts_whole_regions and filters == FunnelFilters(region=filters.region)


def _stay_counts(scope: FunnelScope, filters: FunnelFilters, trajectories: QuerySet[Trajectory]):
    """(stage, tenths of a day, count) of the completed stays of the trajectories counted.

    When only regions limit what is counted, the regions' kept counts answer at once, anonymous stays
    included; otherwise the stays of the filtered trajectories are counted.
    """
    if _whole_regions(scope, filters):
        counts = StageStayCount.objects.filter(count__gt=0)
        if scope.statistic_regions is not None:
            counts = counts.filter(region_id__in=scope.statistic_regions)
        if filters.region is not None:
            counts = counts.filter(region=filters.region)
        return _rows(counts.values_list("stage", "tenths").annotate(number=Sum("count")).order_by())
    stays = StageStay.objects.filter(trajectory__in=trajectories.order_by().values("pk"))
    return _rows(stays.values_list("stage", "tenths").annotate(number=Count("pk")).order_by())


def _rows(queryset: QuerySet) -> list[tuple]:
    """A values_list query's rows straight from the cursor: thousands of small integer rows need no converters."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _stage_times(stay_counts, statistics: QuerySet[CandidateStatistic] | None) -> dict[str, tuple]:
    """Per stage: (completed stays, median days, P75 days), from the stays kept from the timeline.

    A stay in a stage runs from the event that entered it to the next stage change or the end of the
    trajectory, counted in tenths of a day; a stay that is still going on does not count yet. Anonymous
    rows add their kept days per stage. The percentiles are taken from how often each length occurs,
    which gives exactly percentile_cont over the lengths.
    """
    counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for stage, tenths, count in stay_counts:
        counts[stage][tenths] += count
    try:
        stats_sql, stats_params = (
            statistics.order_by().values("pk").query.sql_with_params() if statistics is not None else ("", ())
        )
    except EmptyResultSet:
        stats_sql = ""
    if stats_sql:
        for stage, tenths, count in _fetch(_statistic_tenths_sql(stats_sql), list(stats_params)):
            if stage:
                counts[stage][int(tenths)] += count
    times = {}
    for stage, by_length in counts.items():
        median, p75 = percentiles_from_counts(by_length, (0.5, 0.75))
        if median is not None:
            times[stage] = (sum(by_length.values()), median / 10, p75 / 10)
    return times


# --- the report -----------------------------------------------------------------------------------


def _percentage(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _days(value) -> float | None:
    return round(float(value), 1) if value is not None else None


def _group_label(dimension: str, key: str, subject_names: dict[str, str]) -> str:
    if dimension == "target_group":
        return str(dict(TargetGroup.choices).get(key, key or _("onbekend")))
    if dimension == "route":
        return key or _("(nog geen route)")
    if dimension == "subject":
        return subject_names.get(key, key) if key else _("(geen vak)")
    if dimension == "subregion":
        return key or _("(buiten de subregio's)")
    if not key:
        return _("onbekend")
    year, rest = key.split("-")
    if dimension == "quarter":
        return _("%(quarter)se kwartaal %(year)s") % {"quarter": rest[1:], "year": year}
    return date_format(date(int(year), int(rest), 1), "F Y")


def _group_sort_key(dimension: str, row: GroupRow):
    if dimension in ("month", "quarter"):
        return (row.key == "", row.key)
    if dimension == "target_group":
        order = list(TargetGroup.values)
        return (order.index(row.key) if row.key in order else len(order), row.key)
    return (-row.reached[0], row.label.lower())


def funnel_report(*, user, filters: FunnelFilters | None = None, dimension: str = "target_group") -> FunnelReport:
    """The funnel for what `user` may see, filtered, with one breakdown (see DIMENSIONS)."""
    filters = filters or FunnelFilters()
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    scope = funnel_scope(user=user)
    trajectories = _trajectories(scope, filters)
    statistics = _statistics(scope, filters)
    reasons_by_id = {reason.pk: reason for reason in ExitReason.objects.all()}
    reason_labels = {reason.code: reason.label for reason in reasons_by_id.values()}
    reason_labels[ERASED_REASON] = _("gegevens verwijderd voordat het traject werd afgesloten")

    # furthest[group key][stage rank] = count; stopped[group key][stage rank][reason code] = count
    furthest: dict[str, list[int]] = defaultdict(lambda: [0] * len(STAGE_ORDER))
    stopped: dict[str, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for group_key, rank, exit_reason_id, count in _live_counts(trajectories, dimension):
        key, rank = _normalise_key(dimension, group_key), max(rank, 0)
        furthest[key][rank] += count
        if exit_reason_id is not None:
            stopped[key][rank][reasons_by_id[exit_reason_id].code] += count
    from_statistics = 0
    statistic_rows = (
        statistics.values(_statistic_key(dimension), "furthest_stage", "exit_reason_code")
        .annotate(count=Count("pk"))
        .order_by()
    )
    qualified_rank = STAGE_ORDER.index(Stage.QUALIFIED)
    for row in statistic_rows:
        key = _normalise_key(dimension, row[_statistic_key(dimension)])
        rank = STAGE_ORDER.index(row["furthest_stage"]) if row["furthest_stage"] in STAGE_ORDER else 0
        furthest[key][rank] += row["count"]
        from_statistics += row["count"]
        if row["exit_reason_code"]:
            stopped[key][rank][row["exit_reason_code"]] += row["count"]
        elif rank != qualified_rank:
            stopped[key][rank][ERASED_REASON] += row["count"]

    subject_names = (
        dict(Subject.objects.filter(code__in=[key for key in furthest if key]).values_list("code", "name"))
        if dimension == "subject"
        else {}
    )
    groups = []
    for key, counts in furthest.items():
        reached = [sum(counts[rank:]) for rank in range(len(STAGE_ORDER))]
        groups.append(
            GroupRow(
                key=key,
                label=_group_label(dimension, key, subject_names),
                reached=reached,
                conversions=[None] + [_percentage(reached[i], reached[i - 1]) for i in range(1, len(reached))],
                ended=sum(sum(by_reason.values()) for by_reason in stopped[key].values()),
                qualified=counts[qualified_rank],
            )
        )
    groups.sort(key=lambda row: _group_sort_key(dimension, row))

    # The whole regions' counts hold the anonymous stays too; otherwise they are read from the rows.
    times = _stage_times(
        _stay_counts(scope, filters, trajectories), None if _whole_regions(scope, filters) else statistics
    )
    labels = dict(Stage.choices)
    stages: list[StageRow] = []
    reason_totals: dict[str, int] = defaultdict(int)
    for rank, stage in enumerate(STAGE_ORDER):
        reached = sum(group.reached[rank] for group in groups)
        by_reason: dict[str, int] = defaultdict(int)
        for key in stopped:
            for code, count in stopped[key].get(rank, {}).items():
                by_reason[code] += count
                reason_totals[code] += count
        ended_here = sum(by_reason.values())
        stays, median, p75 = times.get(stage, (0, None, None))
        stages.append(
            StageRow(
                stage=stage,
                label=str(labels[stage]),
                reached=reached,
                conversion=_percentage(reached, stages[-1].reached) if stages else None,
                ended_here=ended_here,
                drop_off=_percentage(ended_here, reached),
                exit_reasons=sorted(
                    ((reason_labels.get(code, code), count) for code, count in by_reason.items()),
                    key=lambda item: (-item[1], item[0]),
                ),
                stays=stays,
                median_days=_days(median),
                p75_days=_days(p75),
            )
        )
    all_stopped = sum(reason_totals.values())
    reasons = sorted(
        (
            ReasonRow(
                code=code, label=reason_labels.get(code, code), count=count, share=_percentage(count, all_stopped)
            )
            for code, count in reason_totals.items()
        ),
        key=lambda row: (-row.count, row.label),
    )
    working = _working(trajectories, statistics)
    return FunnelReport(
        dimension=dimension,
        dimension_label=str(DIMENSIONS[dimension]),
        total=stages[0].reached,
        from_statistics=from_statistics,
        stages=stages,
        groups=groups,
        reasons=reasons,
        working=working,
        working_reported=sum(row.total for row in working if row.target_group in REPORTED_GROUPS),
    )


def _working(trajectories: QuerySet[Trajectory], statistics: QuerySet[CandidateStatistic]) -> list[WorkingRow]:
    """Trajectories now at a school (started, induction) or qualified, per target group.

    A trajectory that ended with a reason stopped and is not counted; an erased person counts only
    when they had qualified (whether they still work at a school after that is not known).
    """
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        trajectories.filter(stage__in=WORKING_STAGES, exit_reason__isnull=True)
        .values("candidate_target_group", "stage")
        .annotate(count=Count("*"))
        .order_by()
    ):
        counts[row["candidate_target_group"]][row["stage"]] += row["count"]
    for row in (
        statistics.filter(furthest_stage=Stage.QUALIFIED).values("target_group").annotate(count=Count("pk")).order_by()
    ):
        counts[row["target_group"]][Stage.QUALIFIED] += row["count"]
    labels = dict(TargetGroup.choices)
    return [
        WorkingRow(
            target_group=group,
            label=str(labels[group]),
            started=counts[group][Stage.STARTED],
            induction=counts[group][Stage.INDUCTION],
            qualified=counts[group][Stage.QUALIFIED],
        )
        for group in TargetGroup.values
    ]
