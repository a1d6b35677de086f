"""Reads for the pilot monitoring dashboard and report: one selector per monitoring question.

The questions (issue point 8): demand over time by subject, level and reason; fill rate and time to
fill; unfilled days and lesson hours lost; member utilisation and members who never work; fairness
per board; chain-rule and VOG warnings; savings against agency rates; a sub-region comparison for the
roll-out. Every selector aggregates in the database (grouped counts and sums); where calendar
arithmetic is needed (working days of a period) it loops over grouped value rows, never over model
instances, and never queries per row.

Requests are counted in the month their replacement starts (`start_date`), and a period filter selects
requests starting in it. Withdrawn requests do not count as demand. Names of members appear only for
a viewer who may see that member (the coordinator, or HR of the member's employer); anyone else sees
counts.

Speed (decision 22): for periods of whole months the request, savings, utilisation and fairness panels
read the monthly figures the services keep (`RequestSource` with `stored=True`, `planned_hours`); the
same functions over the rows themselves (`stored=False`) are the reference the tests compare them with,
and answer any other period. The time to fill, the lost lesson hours and the warnings read the rows.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onderwijsregio.accounts.permissions import access_for
from onderwijsregio.core.services import audit_record

from . import audit, selectors
from .engine.calendar import add_months, period_weeks, working_days
from .models import (
    AbsenceReason,
    Assignment,
    AssignmentMonthFigures,
    HoursEntry,
    HoursMonthFigures,
    Level,
    MemberContract,
    Pool,
    PoolMember,
    ReplacementRequest,
    RequestLocationFigures,
    RequestMonthFigures,
)
from .permissions import is_coordinator_of
from .selectors import board_names
from .services.settlement import ZERO, cents, key_weights

Status = ReplacementRequest.Status
# VOG warnings start this many days before a VOG expires.
VOG_WARNING_DAYS = selectors.VOG_WARNING_DAYS  # one rule for the member pages and the monitor
UTILISATION_BUCKETS = (
    (0, 0, "0%"),
    (0, 25, "1–25%"),
    (25, 50, "25–50%"),
    (50, 75, "50–75%"),
    (75, 100, "75–100%"),
    (100, None, gettext_lazy("meer dan 100%")),
)


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def label(self) -> str:
        return f"{self.start:%d-%m-%Y} – {self.end:%d-%m-%Y}"


def school_year(*, today: date) -> Period:
    """The school year (1 August – 31 July) that contains `today`: the default monitoring period."""
    first_year = today.year if today.month >= 8 else today.year - 1
    return Period(date(first_year, 8, 1), date(first_year + 1, 7, 31))


def months_of(*, period: Period) -> list[date]:
    """First days of the months the period touches, in order."""
    month = period.start.replace(day=1)
    months = []
    while month <= period.end:
        months.append(month)
        month = add_months(month, 1)
    return months


def month_label(*, month: date) -> str:
    return f"{month:%Y-%m}"


class Viewer:
    """Whose members a user may see by name on the dashboard: all (coordinator) or their employer's."""

    def __init__(self, user, pool: Pool) -> None:
        self.user = user
        self.is_coordinator = is_coordinator_of(user=user, pool=pool)
        self.hr_boards: set[int] = set(access_for(user).hr_organisations)

    def may_name(self, employer_id: int) -> bool:
        return self.is_coordinator or employer_id in self.hr_boards


def _ratio(part, whole) -> float | None:
    return float(part) / float(whole) * 100 if whole else None


def requests_in(*, pool: Pool, period: Period) -> QuerySet[ReplacementRequest]:
    """The requests of the pool starting in the period, without the withdrawn ones."""
    return ReplacementRequest.objects.filter(
        pool=pool, start_date__gte=period.start, start_date__lte=period.end
    ).exclude(status=Status.CANCELLED)


@dataclass(frozen=True)
class RequestSource:
    """Where the request counts come from: the requests themselves, or their stored monthly figures.

    Both give rows with `status`, `reason`, `subject`, `levels` (by_subject) and `school_location`
    (by_location); `count`, `hours`, `filled_hours` and `month` are the expressions that count them. The
    figures (decision 22) answer periods of whole months; the requests answer any period, and are the
    reference the figures are tested against.
    """

    by_subject: QuerySet
    by_location: QuerySet
    stored: bool
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def month_rows(self) -> list[tuple[date, str, str, int, Decimal, Decimal]]:
        """(month, reason, status, requests, hours, filled hours): one grouped query shared by demand and fill."""
        if "months" not in self._cache:
            self._cache["months"] = [
                (_month_date(month), reason, status, n, hours or ZERO, filled or ZERO)
                for month, reason, status, n, hours, filled in self.by_subject.annotate(m=self.month())
                .values_list("m", "reason", "status")
                .annotate(n=self.count(), hours=self.hours(), filled=self.filled_hours())
            ]
        return self._cache["months"]

    def count(self, condition: Q | None = None) -> Any:
        if self.stored:
            return Coalesce(Sum("requests", filter=condition), 0)
        return Count("pk", filter=condition)

    def hours(self) -> Any:
        return Sum("hours") if self.stored else Sum("hours_per_week")

    def filled_hours(self) -> Any:
        return Sum("filled_hours") if self.stored else Sum("filled_hours_per_week")

    def month(self) -> Any:
        return F("month") if self.stored else TruncMonth("start_date")


def whole_months(period: Period) -> bool:
    return period.start.day == 1 and (period.end + timedelta(days=1)).day == 1


def request_source(*, pool: Pool, period: Period, stored: bool | None = None) -> RequestSource:
    """The stored figures when the period is whole months (unless `stored=False`), else the requests."""
    if stored is None:
        stored = whole_months(period)
    if not stored:
        requests = requests_in(pool=pool, period=period).order_by()
        return RequestSource(by_subject=requests, by_location=requests, stored=False)
    if not whole_months(period):
        raise ValueError("The stored figures answer whole months only.")

    def rows(model):
        return (
            model.objects.filter(pool=pool, month__gte=period.start, month__lte=period.end)
            .exclude(status=Status.CANCELLED)
            .order_by()
        )

    return RequestSource(by_subject=rows(RequestMonthFigures), by_location=rows(RequestLocationFigures), stored=True)


def _month_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


# --- 1. Demand over time ------------------------------------------------------------------------


@dataclass
class CountRow:
    label: str
    requests: int = 0
    hours_per_week: Decimal = ZERO


@dataclass
class DemandReport:
    months: list[CountRow]
    by_subject: list[CountRow]
    by_level: list[CountRow]
    by_reason: list[CountRow]
    # requests per month per reason, for the line chart: reason label -> counts in month order
    reason_series: dict[str, list[int]]
    total: int


def demand(*, pool: Pool, period: Period, source: RequestSource | None = None) -> DemandReport:
    source = source or request_source(pool=pool, period=period, stored=False)
    requests = source.by_subject
    months = {month: CountRow(month_label(month=month)) for month in months_of(period=period)}
    reasons = dict(AbsenceReason.choices)
    reason_series = {str(label): [0] * len(months) for label in reasons.values()}
    month_index = {month: index for index, month in enumerate(months)}
    by_reason = {value: CountRow(str(label)) for value, label in reasons.items()}
    for month, reason, _status, n, hours, _filled in source.month_rows():
        target = months.get(month)
        if target is not None:
            target.requests += n
            target.hours_per_week += hours
            reason_series[str(reasons.get(reason, reason))][month_index[month]] += n
        reason_row = by_reason.setdefault(reason, CountRow(reason))
        reason_row.requests += n
        reason_row.hours_per_week += hours
    by_subject = [
        CountRow(row["subject__name"], row["n"], row["hours"] or ZERO)
        for row in requests.values("subject__name")
        .annotate(n=source.count(), hours=source.hours())
        .order_by("-n", "subject__name")
    ]
    levels = {value: CountRow(str(label)) for value, label in Level.choices}
    for row in requests.values("levels").annotate(n=source.count(), hours=source.hours()):
        # One request may name several levels: it counts once for each.
        for level in row["levels"] or []:
            target = levels.setdefault(level, CountRow(str(level)))
            target.requests += row["n"]
            target.hours_per_week += row["hours"] or ZERO
    return DemandReport(
        months=list(months.values()),
        by_subject=by_subject,
        by_level=[row for row in levels.values() if row.requests],
        by_reason=[row for row in by_reason.values() if row.requests],
        reason_series={label: counts for label, counts in reason_series.items() if any(counts)},
        total=sum(row.requests for row in months.values()),
    )


# --- 2. Fill rate and time to fill --------------------------------------------------------------


@dataclass
class FillMonth:
    label: str
    requests: int = 0
    filled: int = 0

    @property
    def rate(self) -> float | None:
        return _ratio(self.filled, self.requests)


@dataclass
class FillReport:
    total: int
    filled: int
    partially_filled: int
    unfilled: int
    still_open: int
    hours_requested: Decimal
    hours_filled: Decimal
    median_days_to_fill: float | None
    p75_days_to_fill: float | None
    months: list[FillMonth]

    @property
    def fill_rate(self) -> float | None:
        return _ratio(self.filled, self.total)

    @property
    def hours_fill_rate(self) -> float | None:
        return _ratio(self.hours_filled, self.hours_requested)


def fill(*, pool: Pool, period: Period, source: RequestSource | None = None) -> FillReport:
    source = source or request_source(pool=pool, period=period, stored=False)
    by_status: dict[str, int] = defaultdict(int)
    hours_requested = hours_filled = ZERO
    months = {month: FillMonth(month_label(month=month)) for month in months_of(period=period)}
    for month, _reason, status, n, hours, filled in source.month_rows():
        by_status[status] += n
        hours_requested += hours
        hours_filled += filled
        if month in months:
            months[month].requests += n
            months[month].filled += n if status == Status.FILLED else 0
    # The time to fill needs each request's own dates: always from the requests.
    requests = requests_in(pool=pool, period=period).order_by()
    durations = sorted(
        duration.total_seconds() / 86400
        for duration in requests.filter(filled_at__isnull=False)
        .annotate(took=ExpressionWrapper(F("filled_at") - F("created_at"), output_field=DurationField()))
        .values_list("took", flat=True)
        if duration is not None
    )
    return FillReport(
        total=sum(by_status.values()),
        filled=by_status[Status.FILLED],
        partially_filled=by_status[Status.PARTIALLY_FILLED],
        unfilled=by_status[Status.UNFILLED],
        still_open=sum(by_status[status] for status in (Status.OPEN, Status.PROPOSED, Status.OFFERED)),
        hours_requested=hours_requested,
        hours_filled=hours_filled,
        median_days_to_fill=statistics.median(durations) if durations else None,
        p75_days_to_fill=statistics.quantiles(durations, n=4, method="inclusive")[2]
        if len(durations) > 1
        else (durations[0] if durations else None),
        months=list(months.values()),
    )


# --- 3. Unfilled days and lesson hours lost -----------------------------------------------------


@dataclass
class LostRow:
    label: str
    requests: int = 0
    days: int = 0
    lesson_hours: float = 0.0


@dataclass
class LostReport:
    total: LostRow
    by_subject: list[LostRow]


def lost(*, pool: Pool, period: Period, today: date) -> LostReport:
    """Requests that started before today and are not (fully) filled: the days and lessons missed so far.

    Days are working days from the start up to yesterday (or the request's last day); lesson hours
    lost are the open hours per week times those days / 5.
    """
    yesterday = today - timedelta(days=1)
    open_hours = ExpressionWrapper(
        F("hours_per_week") - F("filled_hours_per_week"), output_field=DecimalField(max_digits=6, decimal_places=1)
    )
    rows = (
        requests_in(pool=pool, period=period)
        .filter(start_date__lte=yesterday)
        .exclude(status=Status.FILLED)
        .order_by()
        .values("subject__name", "start_date", "end_date")
        .annotate(n=Count("pk"), open=Sum(open_hours))
    )
    total = LostRow(_("Totaal"))
    by_subject: dict[str, LostRow] = {}
    for row in rows:
        days = working_days(row["start_date"], min(row["end_date"], yesterday))
        hours = float(row["open"] or 0) * days / 5
        subject = by_subject.setdefault(row["subject__name"], LostRow(row["subject__name"]))
        for target in (subject, total):
            target.requests += row["n"]
            target.days += days * row["n"]
            target.lesson_hours += hours
    return LostReport(
        total=total, by_subject=sorted(by_subject.values(), key=lambda row: (-row.lesson_hours, row.label))
    )


# --- 4. Utilisation and 5. fairness (both from the assignments in the period) -------------------


@dataclass
class Planned:
    """Planned lesson hours inside the period: per member, per receiving board and per employer."""

    per_member: dict[int, float]
    received: dict[int, float]
    supplied: dict[int, float]


def planned_hours(*, pool: Pool, period: Period, source: RequestSource | None = None) -> Planned:
    """From the stored monthly figures (decision 22) when `source` is stored, else from the assignments."""
    if source is not None and source.stored:
        rows = AssignmentMonthFigures.objects.filter(
            pool=pool, month__gte=period.start, month__lte=period.end
        ).order_by()

        per_member: dict[int, float] = {}
        supplied: dict[int, Decimal] = defaultdict(Decimal)
        # The employer is read from the member now, as the assignments' path does.
        for member_id, employer_id, hours in rows.values_list("member_id", "member__employer_id").annotate(
            h=Sum("lesson_hours")
        ):
            per_member[member_id] = float(hours)
            supplied[employer_id] += hours
        received = {
            board: float(hours) for board, hours in rows.values_list("board_id").annotate(h=Sum("lesson_hours"))
        }
        return Planned(per_member, received, {employer: float(hours) for employer, hours in supplied.items()})
    # Summed exactly (hours have one decimal, lesson hours two), as the stored figures are.
    per_member: dict[int, Decimal] = defaultdict(Decimal)
    received: dict[int, Decimal] = defaultdict(Decimal)
    supplied: dict[int, Decimal] = defaultdict(Decimal)
    for member_id, employer_id, board_id, hours in _assignment_hours(pool, period):
        per_member[member_id] += hours
        received[board_id] += hours
        supplied[employer_id] += hours

    def floats(values: dict[int, Decimal]) -> dict[int, float]:
        return {key: float(value) for key, value in values.items()}

    return Planned(floats(per_member), floats(received), floats(supplied))


def _assignment_hours(pool: Pool, period: Period) -> list[tuple[int, int, int, Decimal]]:
    """(member id, employer id, receiving board id, lesson hours inside the period) per assignment."""
    rows = (
        Assignment.objects.filter(request__pool=pool, start_date__lte=period.end, end_date__gte=period.start)
        .exclude(status=Assignment.Status.CANCELLED)
        .order_by()
        # Plain rows, not grouped: nearly every assignment has its own dates, so grouping saves nothing.
        .values_list(
            "member_id", "member__employer_id", "request__board_id", "start_date", "end_date", "hours_per_week"
        )
    )
    return [
        (member_id, employer_id, board_id, hours * _days(max(start, period.start), min(end, period.end)) / 5)
        for member_id, employer_id, board_id, start, end, hours in rows
    ]


# Many assignments share their dates: the working-day count of a date pair is computed once.
_days = lru_cache(maxsize=65_536)(working_days)


@dataclass
class MemberUse:
    member_id: int
    name: str | None  # None: the viewer may not see this member's name
    employer: str
    capacity_hours: float
    assigned_hours: float

    @property
    def utilisation(self) -> float | None:
        return _ratio(self.assigned_hours, self.capacity_hours)


@dataclass
class EmployerUse:
    label: str
    members: int = 0
    capacity_hours: float = 0.0
    assigned_hours: float = 0.0
    without_work: int = 0
    never_worked: int = 0

    @property
    def utilisation(self) -> float | None:
        return _ratio(self.assigned_hours, self.capacity_hours)


@dataclass
class UtilisationReport:
    members: int
    buckets: list[tuple[str, int]]
    by_employer: list[EmployerUse]
    never_worked_named: list[MemberUse]  # members the viewer may see by name
    never_worked_other: int  # members of other employers, counted only
    total: EmployerUse


def utilisation(*, pool: Pool, period: Period, viewer: Viewer, assigned: Planned | None = None) -> UtilisationReport:
    per_member = (assigned or planned_hours(pool=pool, period=period)).per_member
    weeks = period_weeks(period.start, period.end)
    members = list(
        PoolMember.objects.filter(pool=pool, is_active=True)
        # Whether a member ever worked: a semi-join, not a count over every assignment grouped per member.
        .annotate(
            worked=Exists(Assignment.objects.filter(member=OuterRef("pk")).exclude(status=Assignment.Status.CANCELLED))
        )
        .order_by("full_name", "pk")
        .values_list("pk", "full_name", "employer_id", "employer__name", "pool_hours", "worked")
    )
    bucket_counts = [0] * len(UTILISATION_BUCKETS)
    employers: dict[int, EmployerUse] = {}
    total = EmployerUse(_("Alle poolleden"))
    named: list[MemberUse] = []
    other = 0
    for member_id, name, employer_id, employer_name, pool_hours, worked in members:
        use = MemberUse(
            member_id=member_id,
            name=name if viewer.may_name(employer_id) else None,
            employer=employer_name,
            capacity_hours=float(pool_hours) * weeks,
            assigned_hours=per_member.get(member_id, 0.0),
        )
        rate = use.utilisation or 0.0
        for index, (low, high, _label) in enumerate(UTILISATION_BUCKETS):
            if (high == 0 and rate == 0) or (high != 0 and rate > low and (high is None or rate <= high)):
                bucket_counts[index] += 1
                break
        employer = employers.setdefault(employer_id, EmployerUse(employer_name))
        for target in (employer, total):
            target.members += 1
            target.capacity_hours += use.capacity_hours
            target.assigned_hours += use.assigned_hours
            target.without_work += 0 if use.assigned_hours else 1
            target.never_worked += 0 if worked else 1
        if not worked:
            if use.name is not None:
                named.append(use)
            else:
                other += 1
    return UtilisationReport(
        members=len(members),
        buckets=[
            (str(label), count) for (_low, _high, label), count in zip(UTILISATION_BUCKETS, bucket_counts, strict=True)
        ],
        by_employer=sorted(employers.values(), key=lambda row: row.label),
        never_worked_named=named,
        never_worked_other=other,
        total=total,
    )


@dataclass
class FairnessRow:
    label: str
    hours_received: float = 0.0
    hours_supplied: float = 0.0
    key_share: float = 0.0  # percent
    received_share: float = 0.0  # percent of all hours received

    @property
    def difference(self) -> float:
        """Percentage points received above (positive) or below the board's key share."""
        return self.received_share - self.key_share

    @property
    def supplied_per_received(self) -> float | None:
        return self.hours_supplied / self.hours_received if self.hours_received else None


@dataclass
class FairnessReport:
    key_label: str
    rows: list[FairnessRow]
    total_hours: float


def fairness(*, pool: Pool, period: Period, assigned: Planned | None = None) -> FairnessReport:
    """Planned lesson hours in the period per board: received against the key share, and supplied."""
    assigned = assigned or planned_hours(pool=pool, period=period)
    received, supplied = assigned.received, assigned.supplied
    participants = list(pool.participants.values_list("board_id", flat=True))
    board_ids = sorted(set(participants) | set(received) | set(supplied))
    weights = key_weights(
        pool=pool,
        board_ids=board_ids,
        hours_received={board: Decimal(str(round(hours, 2))) for board, hours in received.items()},
        key=pool.contribution_key,
    )
    weight_sum = sum(weights.values(), ZERO)
    total = sum(received.values())
    names = board_names(board_ids=board_ids)
    rows = [
        FairnessRow(
            label=names.get(board_id, str(board_id)),
            hours_received=received.get(board_id, 0.0),
            hours_supplied=supplied.get(board_id, 0.0),
            key_share=float(weights[board_id] / weight_sum * 100) if weight_sum else 0.0,
            received_share=received.get(board_id, 0.0) / total * 100 if total else 0.0,
        )
        for board_id in board_ids
    ]
    return FairnessReport(
        key_label=str(pool.get_contribution_key_display()),
        rows=sorted(rows, key=lambda row: row.label),
        total_hours=total,
    )


# --- 6. Chain-rule and VOG warnings -------------------------------------------------------------


@dataclass
class ChainWarning:
    name: str | None
    employer: str
    board: str
    contracts: int
    maximum: int
    window_months: int

    @property
    def at_maximum(self) -> bool:
        return self.contracts >= self.maximum


@dataclass
class VogWarning:
    name: str | None
    employer: str
    vog_date: date | None
    expires_on: date | None
    today: date

    @property
    def kind(self) -> str:
        if self.vog_date is None:
            return "missing"
        return "expired" if self.expires_on is not None and self.expires_on < self.today else "expiring"


@dataclass
class WarningsReport:
    chain: list[ChainWarning]
    vog: list[VogWarning]
    vog_expires: bool  # False: the pool's VOGs do not expire (and are not asked for): no VOG warnings

    @property
    def counts(self) -> list[tuple[str, int]]:
        return [
            (_("Ketenregeling: maximum bereikt"), sum(1 for row in self.chain if row.at_maximum)),
            (_("Ketenregeling: nog één contract"), sum(1 for row in self.chain if not row.at_maximum)),
            (_("VOG verlopen"), sum(1 for row in self.vog if row.kind == "expired")),
            (_("VOG verloopt binnen 60 dagen"), sum(1 for row in self.vog if row.kind == "expiring")),
            (_("Geen VOG bekend"), sum(1 for row in self.vog if row.kind == "missing")),
        ]


def warnings(*, pool: Pool, viewer: Viewer, today: date) -> WarningsReport:
    """Active members close to a board's chain limit (max − 1 or more contracts in the window) and VOG issues."""
    members = PoolMember.objects.filter(pool=pool, is_active=True)
    chain: list[ChainWarning] = []
    participants = {participant.board_id: participant for participant in pool.participants.select_related("board")}
    cutoffs = {board_id: add_months(today, -p.chain_window_months) for board_id, p in participants.items()}
    exempt = {board_id: {r for r in p.chain_exempt_reasons or [] if r} for board_id, p in participants.items()}
    limits = {board_id: max(p.chain_max_contracts - 1, 1) for board_id, p in participants.items()}
    # One pass for all boards instead of one query per board. The widest window and no exemptions give a
    # superset: exemptions and a board's own window only lower a count, so members below the lowest limit
    # there never warn. Only the few members above it are counted exactly, in Python, per board.
    contracts = MemberContract.objects.filter(
        board_id__in=list(participants),
        start_date__gt=min(cutoffs.values(), default=today),
        start_date__lte=today,
    ).order_by()
    candidates = (
        contracts.filter(member__in=members)
        .values("board_id", "member_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=min(limits.values(), default=1))
        .values_list("member_id", flat=True)
    )
    counts: dict[tuple[int, int], int] = defaultdict(int)
    # The candidates are active members of this pool already.
    for board_id, member_id, start, reason in contracts.filter(member_id__in=set(candidates)).values_list(
        "board_id", "member_id", "start_date", "assignment__request__reason"
    ):
        if start > cutoffs[board_id] and reason not in exempt[board_id]:
            counts[(board_id, member_id)] += 1
    warned = {key: count for key, count in counts.items() if count >= limits[key[0]]}
    people = {
        pk: (name, employer_id, employer_name)
        for pk, name, employer_id, employer_name in PoolMember.objects.filter(
            pk__in={member_id for _board, member_id in warned}
        ).values_list("pk", "full_name", "employer_id", "employer__name")
    }
    for (board_id, member_id), count in warned.items():
        participant = participants[board_id]
        name, employer_id, employer_name = people[member_id]
        chain.append(
            ChainWarning(
                name=name if viewer.may_name(employer_id) else None,
                employer=employer_name,
                board=participant.board.name,
                contracts=count,
                maximum=participant.chain_max_contracts,
                window_months=participant.chain_window_months,
            )
        )
    # The member pages' rule (selectors.vog_warning_q narrows in SQL; the exact date is checked below).
    vog_filter = selectors.vog_warning_q(pool=pool, today=today)
    vog = []
    for name, employer_id, employer_name, vog_date in (
        members.filter(vog_filter)
        .order_by("vog_date", "full_name")
        .values_list("full_name", "employer_id", "employer__name", "vog_date")
    ):
        expires_on = add_months(vog_date, pool.vog_max_age_months) if vog_date else None
        if expires_on is not None and expires_on > today + timedelta(days=VOG_WARNING_DAYS):
            continue
        vog.append(
            VogWarning(
                name=name if viewer.may_name(employer_id) else None,
                employer=employer_name,
                vog_date=vog_date,
                expires_on=expires_on,
                today=today,
            )
        )
    chain.sort(key=lambda row: (-row.contracts, row.board, row.name or "~"))
    return WarningsReport(chain=chain, vog=vog, vog_expires=bool(pool.vog_max_age_months))


# --- 7. Savings against agency rates ------------------------------------------------------------


@dataclass
class SavingsRow:
    label: str
    hours: Decimal = ZERO
    payroll_cost: Decimal = ZERO
    agency_cost: Decimal = ZERO

    @property
    def savings(self) -> Decimal:
        return self.agency_cost - self.payroll_cost


@dataclass
class SavingsReport:
    payroll_rate: Decimal
    agency_rate: Decimal
    months: list[SavingsRow]
    by_board: list[SavingsRow]
    total: SavingsRow


def savings(*, pool: Pool, period: Period, source: RequestSource | None = None) -> SavingsReport:
    """Confirmed hours in the period at the pool's payroll rate against what an agency would charge.

    From the stored monthly hours (decision 22) when `source` is the stored figures, else from the entries.
    """
    if source is not None and source.stored:
        rows = (
            HoursMonthFigures.objects.filter(pool=pool, month__gte=period.start, month__lte=period.end)
            .order_by()
            .values_list("month", "board_id")
            .annotate(h=Sum("hours"))
        )
    else:
        rows = (
            HoursEntry.objects.filter(
                assignment__request__pool=pool,
                status=HoursEntry.Status.CONFIRMED,
                week_start__gte=period.start,
                week_start__lte=period.end,
            )
            .order_by()
            .annotate(m=TruncMonth("week_start"))
            .values_list("m", "assignment__request__board_id")
            .annotate(h=Sum("hours"))
        )
    months = {month: SavingsRow(month_label(month=month)) for month in months_of(period=period)}
    boards: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for month, board_id, hours in rows:
        month = _month_date(month)
        if month in months:
            months[month].hours += hours or ZERO
        boards[board_id] += hours or ZERO

    def priced(row: SavingsRow) -> SavingsRow:
        row.payroll_cost = cents(value=row.hours * pool.payroll_rate)
        row.agency_cost = cents(value=row.hours * pool.agency_rate)
        return row

    names = board_names(board_ids=list(boards))
    by_board = [priced(SavingsRow(names.get(board_id, str(board_id)), hours)) for board_id, hours in boards.items()]
    total = priced(SavingsRow(_("Totaal"), sum((row.hours for row in months.values()), ZERO)))
    return SavingsReport(
        payroll_rate=pool.payroll_rate,
        agency_rate=pool.agency_rate,
        months=[priced(row) for row in months.values()],
        by_board=sorted(by_board, key=lambda row: row.label),
        total=total,
    )


# --- 8. Sub-region comparison -------------------------------------------------------------------


@dataclass
class SubRegionRow:
    label: str
    requests: int = 0
    filled: int = 0
    hours_per_week: Decimal = ZERO

    @property
    def fill_rate(self) -> float | None:
        return _ratio(self.filled, self.requests)


def subregions(*, pool: Pool, period: Period, source: RequestSource | None = None) -> list[SubRegionRow]:
    """Requests and fill rate per sub-region of the requesting school location (for the roll-out).

    Counted per municipality of the school location (a few dozen rows) and spread over the region's
    sub-regions in Python: a municipality in two sub-regions counts in both, one in none under "Geen subregio".
    """
    source = source or request_source(pool=pool, period=period, stored=False)
    rows: dict[int | None, SubRegionRow] = {
        subregion_id: SubRegionRow(name)
        for subregion_id, name in pool.region.subregions.order_by("name").values_list("pk", "name")
    }
    subregions_of: dict[int, list[int]] = defaultdict(list)
    for subregion_id, municipality_id in pool.region.subregions.order_by("pk").values_list("pk", "municipalities"):
        if municipality_id is not None:
            subregions_of[municipality_id].append(subregion_id)
    rest = SubRegionRow(_("Geen subregio"))
    for municipality_id, n, filled, hours in (
        source.by_location.values_list("school_location__municipality_id")
        .annotate(n=source.count(), filled=source.count(Q(status=Status.FILLED)), hours=source.hours())
        .order_by()
    ):
        for target in [rows[s] for s in subregions_of.get(municipality_id, [])] or [rest]:
            target.requests += n
            target.filled += filled
            target.hours_per_week += hours or ZERO
    if rest.requests:
        rows[None] = rest
    return list(rows.values())


# --- The whole dashboard ------------------------------------------------------------------------


@dataclass
class Dashboard:
    pool: Pool
    period: Period
    today: date
    demand: DemandReport
    fill: FillReport
    lost: LostReport
    utilisation: UtilisationReport
    fairness: FairnessReport
    warnings: WarningsReport
    savings: SavingsReport
    subregions: list[SubRegionRow]
    names_shown: list[int] = field(default_factory=list)  # member ids shown by name (for the audit log)


def monitoring_dashboard(
    *, pool: Pool, period: Period, viewer: Viewer, today: date | None = None, stored: bool | None = None
) -> Dashboard:
    """All panels. Request counts come from the stored monthly figures for whole months (`stored=False`:
    from the requests, the reference the tests compare with)."""
    today = today or date.today()
    source = request_source(pool=pool, period=period, stored=stored)
    assigned = planned_hours(pool=pool, period=period, source=source)
    use = utilisation(pool=pool, period=period, viewer=viewer, assigned=assigned)
    alerts = warnings(pool=pool, viewer=viewer, today=today)
    return Dashboard(
        pool=pool,
        period=period,
        today=today,
        demand=demand(pool=pool, period=period, source=source),
        fill=fill(pool=pool, period=period, source=source),
        lost=lost(pool=pool, period=period, today=today),
        utilisation=use,
        fairness=fairness(pool=pool, period=period, assigned=assigned),
        warnings=alerts,
        savings=savings(pool=pool, period=period, source=source),
        subregions=subregions(pool=pool, period=period, source=source),
        names_shown=[row.member_id for row in use.never_worked_named],
    )


def names_in(*, dashboard: Dashboard) -> bool:
    """Whether the dashboard shows any member by name (then viewing it is a personal-data read)."""
    return bool(
        dashboard.utilisation.never_worked_named
        or any(row.name for row in dashboard.warnings.chain)
        or any(row.name for row in dashboard.warnings.vog)
    )


def dashboard_read(*, user: Any, pool: Pool, dashboard: Dashboard) -> None:
    """Audit showing the dashboard when it names members (never worked, chain rule, VOG): their employer's staff."""
    if names_in(dashboard=dashboard):
        audit_record(
            actor=user,
            action=audit.DASHBOARD_VIEWED,
            obj=pool,
            organisation_id=pool.region_id,
            personal_data_read=True,
            details={"period": [dashboard.period.start.isoformat(), dashboard.period.end.isoformat()]},
        )


def monitoring_report_read(*, user: Any, pool: Pool, dashboard: Dashboard, file_format: str) -> None:
    """Audit a download of the monitoring report (it holds no names: a download, not a personal-data read)."""
    audit_record(
        actor=user,
        action=audit.MONITORING_REPORT_DOWNLOADED,
        obj=pool,
        organisation_id=pool.region_id,
        details={
            "format": file_format,
            "period": [dashboard.period.start.isoformat(), dashboard.period.end.isoformat()],
        },
    )
