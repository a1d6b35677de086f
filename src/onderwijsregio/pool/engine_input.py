"""Turns pool models into the engine's plain dataclasses (pool/engine/types.py), in few queries.

- Coordinates: a school by the four digits of its postcode (organisations.PostcodeArea), falling back
  to its municipality's centroid; a member by home_postcode, falling back to the stored coordinates
  and then the employer's municipality. Someone without any known place is put at (0, 0), so the
  distance check excludes them rather than letting them through.
- Chain history: MemberContract start dates per board.
- Bookings: active Assignments (and, for a batch, open Offers: work that is out with the member).
- Release tiers: which boards' members a request is open to now (see `release_tier_for`).
- Policy: the pool's policy, with each board's ChainRule and the fairness shares.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db.models import Max, QuerySet
from django.utils import timezone

from onderwijsregio.organisations.models import Municipality, PostcodeArea, PupilCount, SchoolLocation

from .engine import types as et
from .engine.calendar import add_months, lesson_hours, overlaps
from .models import (
    Assignment,
    ContributionKey,
    MemberContract,
    Offer,
    Pool,
    PoolMember,
    ReleaseTier,
    ReplacementRequest,
    Urgency,
)

NOWHERE = (0.0, 0.0)


def parse_day_parts(*, values: Iterable[str]) -> frozenset[et.DayPart]:
    """ "0-1" → (0, 1); anything malformed is ignored (forms validate day-parts on the way in)."""
    result = set()
    for value in values or ():
        try:
            weekday, part = (int(piece) for piece in str(value).split("-"))
        except ValueError:
            continue
        if 0 <= weekday <= 4 and part in (0, 1):
            result.add((weekday, part))
    return frozenset(result)


def class_key_for(*, request: ReplacementRequest) -> str:
    """Continuity key: same school, same group, same subject."""
    if not request.class_key:
        return ""
    return f"{request.school_location_id}:{request.class_key.strip().upper()}:{request.subject_id}"


# --- coordinates ------------------------------------------------------------------------------


def pc4_coordinates(*, pc4s: Iterable[str]) -> dict[str, tuple[float, float]]:
    wanted = {pc4 for pc4 in pc4s if pc4}
    if not wanted:
        return {}
    return {
        pc4: (lat, lon)
        for pc4, lat, lon in PostcodeArea.objects.filter(pc4__in=wanted).values_list("pc4", "latitude", "longitude")
    }


def municipality_coordinates(*, ids: Iterable[int | None]) -> dict[int, tuple[float, float]]:
    wanted = {pk for pk in ids if pk}
    return {
        pk: (lat, lon)
        for pk, lat, lon in Municipality.objects.filter(pk__in=wanted, latitude__isnull=False).values_list(
            "pk", "latitude", "longitude"
        )
    }


def school_coordinates(*, locations: Iterable[SchoolLocation]) -> dict[int, tuple[float, float]]:
    locations = list(locations)
    by_pc4 = pc4_coordinates(pc4s=(location.pc4 for location in locations))
    by_municipality = municipality_coordinates(ids=(location.municipality_id for location in locations))
    return {
        location.pk: by_pc4.get(location.pc4) or by_municipality.get(location.municipality_id) or NOWHERE
        for location in locations
    }


def member_coordinates(*, members: Iterable[PoolMember]) -> dict[int, tuple[float, float]]:
    members = list(members)
    by_pc4 = pc4_coordinates(pc4s=(member.home_postcode for member in members))
    by_municipality = municipality_coordinates(ids=(member.employer.municipality_id for member in members))
    result = {}
    for member in members:
        stored = (member.latitude, member.longitude) if member.latitude is not None else None
        result[member.pk] = (
            by_pc4.get(member.home_postcode)
            or stored
            or by_municipality.get(member.employer.municipality_id)
            or NOWHERE
        )
    return result


# --- members, requests, bookings ------------------------------------------------------------


def members_queryset(*, pool: Pool) -> QuerySet[PoolMember]:
    return (
        pool.members.select_related("employer")
        .prefetch_related("qualifications__subject", "unavailable_periods", "preferred_schools", "blocked_schools")
        .order_by("pk")
    )


def engine_members(*, members: Iterable[PoolMember]) -> list[et.Member]:
    members = list(members)
    coordinates = member_coordinates(members=members)
    contracts: dict[int, list[tuple[int, date]]] = defaultdict(list)
    for member_id, board_id, start in MemberContract.objects.filter(member__in=[m.pk for m in members]).values_list(
        "member_id", "board_id", "start_date"
    ):
        contracts[member_id].append((board_id, start))
    result = []
    for member in members:
        lat, lon = coordinates[member.pk]
        result.append(
            et.Member(
                id=member.pk,
                board_id=member.employer_id,
                qualifications=tuple(
                    et.Qualification(subject=q.subject.code, degree=et.Degree(q.degree))
                    for q in member.qualifications.all()
                ),
                weekly_hours=float(member.pool_hours),
                day_parts=parse_day_parts(values=member.day_parts),
                latitude=lat,
                longitude=lon,
                max_travel_km=float(member.max_travel_km),
                vog_date=member.vog_date,
                active=member.is_active,
                unavailable=tuple(et.Period(p.start_date, p.end_date) for p in member.unavailable_periods.all()),
                preferred_school_ids=frozenset(s.pk for s in member.preferred_schools.all()),
                blocked_school_ids=frozenset(s.pk for s in member.blocked_schools.all()),
                contracts=tuple(sorted(contracts.get(member.pk, ()))),
            )
        )
    return result


def engine_member(*, member: PoolMember) -> et.Member:
    return engine_members(members=[member])[0]


def release_tier_for(*, request: ReplacementRequest, now: datetime | None = None) -> str:
    """The tier a request has reached: urgent ones go to the whole pool at once, the others widen
    from the own school to the own board to the whole pool as days pass since the request was filed."""
    pool = request.pool
    if request.urgency >= Urgency.URGENT:
        return ReleaseTier.POOL
    now = now or timezone.now()
    age_days = (now - request.created_at).total_seconds() / 86400 if request.created_at else 0
    if age_days >= pool.release_pool_after_days:
        return ReleaseTier.POOL
    if age_days >= pool.release_own_board_after_days:
        return ReleaseTier.OWN_BOARD
    return ReleaseTier.OWN_SCHOOL


def not_released_member_ids(*, request: ReplacementRequest, members: Iterable[PoolMember]) -> set[int]:
    """Members of the own board who do not work at the requesting school, while the tier is own_school.

    The engine knows boards, not schools; for the first tier these members are kept out by
    naming them on the request's blocked list (the app reports them as "nog niet vrijgegeven").
    """
    if request.release_tier != ReleaseTier.OWN_SCHOOL:
        return set()
    return {
        member.pk
        for member in members
        if member.employer_id == request.board_id and member.home_school_id != request.school_location_id
    }


def released_board_ids(*, request: ReplacementRequest) -> frozenset[int] | None:
    if request.release_tier == ReleaseTier.POOL:
        return None
    return frozenset({request.board_id})


def engine_requests(
    *,
    requests: Iterable[ReplacementRequest],
    members: Iterable[PoolMember] = (),
    open_hours: dict[int, float] | None = None,
    ignore_release: bool = False,
) -> list[et.Request]:
    """Requests as the engine sees them; `open_hours` replaces the hours for partially filled ones."""
    requests = list(requests)
    members = list(members)
    coordinates = school_coordinates(locations={r.school_location_id: r.school_location for r in requests}.values())
    result = []
    for request in requests:
        lat, lon = coordinates[request.school_location_id]
        hours = (open_hours or {}).get(request.pk, float(request.hours_per_week))
        blocked = (
            frozenset() if ignore_release else frozenset(not_released_member_ids(request=request, members=members))
        )
        result.append(
            et.Request(
                id=request.pk,
                school_id=request.school_location_id,
                board_id=request.board_id,
                subject=request.subject.code,
                levels=frozenset(et.Level(level) for level in request.levels),
                start=request.start_date,
                end=request.end_date,
                hours_per_week=hours,
                day_parts=parse_day_parts(values=request.day_parts),
                latitude=lat,
                longitude=lon,
                urgency=int(request.urgency),
                reason=request.reason,
                preferred_member_id=request.preferred_member_id,
                blocked_member_ids=blocked,
                class_key=class_key_for(request=request),
                released_board_ids=None if ignore_release else released_board_ids(request=request),
            )
        )
    return result


def engine_request(*, request: ReplacementRequest, **kwargs) -> et.Request:
    return engine_requests(requests=[request], **kwargs)[0]


def _assignment_booking(assignment: Assignment) -> et.Booking:
    return et.Booking(
        member_id=assignment.member_id,
        start=assignment.start_date,
        end=assignment.end_date,
        hours_per_week=float(assignment.hours_per_week),
        day_parts=parse_day_parts(values=assignment.day_parts),
        school_id=assignment.request.school_location_id,
        class_key=class_key_for(request=assignment.request),
    )


def bookings_for(
    *,
    member_ids: Iterable[int] | None = None,
    pool: Pool | None = None,
    include_open_offers: bool = False,
    exclude_offer_id: int | None = None,
    exclude_request_id: int | None = None,
    today: date | None = None,
) -> list[et.Booking]:
    """Work members already have: active assignments that have not ended, optionally open offers."""
    today = today or timezone.localdate()
    assignments = Assignment.objects.filter(status=Assignment.Status.ACTIVE, end_date__gte=today).select_related(
        "request"
    )
    offers = Offer.objects.filter(status=Offer.Status.OPEN, request__end_date__gte=today).select_related("request")
    if member_ids is not None:
        member_ids = list(member_ids)
        assignments = assignments.filter(member_id__in=member_ids)
        offers = offers.filter(member_id__in=member_ids)
    if pool is not None:
        assignments = assignments.filter(member__pool=pool)
        offers = offers.filter(member__pool=pool)
    if exclude_request_id is not None:
        offers = offers.exclude(request_id=exclude_request_id)
    result = [_assignment_booking(a) for a in assignments]
    if include_open_offers:
        for offer in offers.exclude(pk=exclude_offer_id):
            request = offer.request
            result.append(
                et.Booking(
                    member_id=offer.member_id,
                    start=request.start_date,
                    end=request.end_date,
                    hours_per_week=float(offer.hours_per_week),
                    day_parts=parse_day_parts(values=request.day_parts),
                    school_id=request.school_location_id,
                    class_key=class_key_for(request=request),
                )
            )
    return result


def history_for(*, pool: Pool, today: date | None = None) -> list[et.Booking]:
    """Past and current work in the fairness window, for continuity (same class) in the engine."""
    today = today or timezone.localdate()
    since = add_months(today, -pool.fairness_window_months)
    assignments = (
        Assignment.objects.filter(request__pool=pool, end_date__gte=since)
        .exclude(status=Assignment.Status.CANCELLED)
        .select_related("request")
    )
    return [_assignment_booking(a) for a in assignments]


# --- policy -------------------------------------------------------------------------------


def board_shares(*, pool: Pool) -> dict[int, float]:
    """Each participating board's share of contributions under the pool's key (equal shares when unknown)."""
    participants = list(pool.participants.all())
    if not participants:
        return {}
    shares: dict[int, float] = {}
    if pool.contribution_key == ContributionKey.PER_FTE:
        shares = {p.board_id: float(p.contribution_fte or 0) for p in participants}
    elif pool.contribution_key == ContributionKey.PER_PUPIL:
        board_ids = [p.board_id for p in participants]
        latest = PupilCount.objects.filter(school_location__board_id__in=board_ids).aggregate(year=Max("year"))["year"]
        if latest is not None:
            for board_id, count in PupilCount.objects.filter(
                school_location__board_id__in=board_ids, year=latest, count__isnull=False
            ).values_list("school_location__board_id", "count"):
                shares[board_id] = shares.get(board_id, 0.0) + count
    if not shares or sum(shares.values()) <= 0:
        shares = {p.board_id: 1.0 for p in participants}
    total = sum(shares.values())
    return {board_id: value / total for board_id, value in shares.items()}


def board_received_hours(*, pool: Pool, today: date | None = None) -> dict[int, float]:
    """Lesson hours each board received through the pool in the fairness window (up to today)."""
    today = today or timezone.localdate()
    since = add_months(today, -pool.fairness_window_months)
    received: dict[int, float] = defaultdict(float)
    for assignment in (
        Assignment.objects.filter(request__pool=pool, start_date__lte=today, end_date__gte=since)
        .exclude(status=Assignment.Status.CANCELLED)
        .select_related("request")
    ):
        start = max(assignment.start_date, since)
        end = min(assignment.end_date, today)
        if overlaps(start, end, since, today):
            received[assignment.request.board_id] += lesson_hours(float(assignment.hours_per_week), start, end)
    return dict(received)


def engine_policy(*, pool: Pool, time_limit_s: float = 10.0) -> et.Policy:
    chain_rules = {
        p.board_id: et.ChainRule(
            max_contracts=p.chain_max_contracts,
            window_months=p.chain_window_months,
            exempt_reasons=frozenset(p.chain_exempt_reasons or ()),
        )
        for p in pool.participants.all()
    }
    return et.Policy(
        long_term_days=pool.long_term_days,
        allow_in_training=pool.allow_in_training,
        allow_partial=pool.allow_partial,
        vog_max_age_months=pool.vog_max_age_months or None,
        chain_rules=chain_rules,
        board_shares=board_shares(pool=pool),
        board_received_hours=board_received_hours(pool=pool),
        time_limit_s=time_limit_s,
    )


def subject_names(*, pool: Pool) -> dict[str, str]:
    from onderwijsregio.organisations.models import Subject

    return dict(Subject.objects.values_list("code", "name"))


def days_between(*, start: date, end: date) -> list[date]:
    return [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
