"""A demo substitute pool for the demo region built by `manage.py load_demo`.

The two large VO boards of the Amersfoort area (the boards with HR demo logins) ask for
substitutes; the next VO boards of the area supply members. About forty fictitious members
(is_synthetic) teach wiskunde, Nederlands, Engels and more. Requests are spread over time: some
ended and were filled (with worked hours entered and confirmed), some run now, some start soon.
The current ones go through the real workflow (batch, confirm, accept or decline), so every page
has content; the last batch is left as a proposal for the coordinator to look at. No email is sent.

Logins: the coordinator is regioteam@demo.onderwijsregio.nl; poollid@demo.onderwijsregio.nl is a
member (POOL_MEMBER membership, linked to PoolMember.user). Running it again changes nothing.
"""

from __future__ import annotations

import contextlib
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from onderwijsregio.accounts.demo import DEMO_DOMAIN, demo_password
from onderwijsregio.accounts.models import Membership, Role, User
from onderwijsregio.core.services import audit_record, emails_suppressed
from onderwijsregio.organisations.geo import haversine_km
from onderwijsregio.organisations.models import (
    Municipality,
    Organisation,
    PostcodeArea,
    PupilCount,
    SchoolLocation,
    Sector,
    Subject,
)

from . import audit, selectors, services
from .models import (
    Assignment,
    Degree,
    HoursEntry,
    Level,
    Offer,
    Pool,
    PoolBoard,
    PoolMember,
    ReplacementRequest,
)
from .services import figures

POOL_SLUG = "invalpool-amersfoort-demo"
POOL_NAME = "Invalpool Amersfoort en omgeving (demo)"
SEED = 2026
SUBJECT_CODES = ["wi", "ne", "en", "du", "fa", "bio", "gs", "ec", "ak", "na", "sk"]
COMMON_SUBJECTS = ["wi", "ne", "en"]  # most requests and members
COORDINATOR_EMAIL = f"regioteam@{DEMO_DOMAIN}"
MEMBER_EMAIL = f"poollid@{DEMO_DOMAIN}"
# The Amersfoort labour-market region and its neighbours (CBS codes).
AMERSFOORT_AREA = ["0307", "0327", "0342", "0308", "0313", "0351", "0355", "0317", "0312", "0310", "0267"]
FIRST_NAMES = [
    "Anouk", "Bas", "Chantal", "Daan", "Eva", "Femke", "Gijs", "Hanna", "Iris", "Jeroen", "Kim", "Lars", "Marloes",
    "Niels", "Olga", "Pieter", "Roos", "Sander", "Tessa", "Umut", "Vera", "Wouter", "Yara", "Zeynep", "Bram",
    "Lotte", "Mohamed", "Nina", "Ruben", "Sanne",
]  # fmt: skip
LAST_NAMES = [
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos",
    "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Kaya", "El Amrani", "Yilmaz",
    "Verhoeven", "van Dijk", "Koster", "Prins",
]  # fmt: skip
LEVEL_SETS = [
    [Level.VMBO_GT, Level.HAVO_VWO_LOWER],
    [Level.HAVO_VWO_LOWER, Level.HAVO_UPPER, Level.VWO_UPPER],
    [Level.VMBO_BK, Level.VMBO_GT],
    [Level.HAVO_VWO_LOWER],
]


class DemoPoolError(Exception):
    """The demo region (or its boards) is not there: run load_demo first."""


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _area_codes() -> list[str]:
    return AMERSFOORT_AREA


def _vo_boards_by_pupils(region: Organisation, codes: list[str]) -> list[Organisation]:
    latest = PupilCount.objects.aggregate(latest=Max("year"))["latest"]
    pupils: dict[int, int] = {}
    for board_id, count in PupilCount.objects.filter(
        year=latest,
        is_small=False,
        school_location__sector=Sector.VO,
        school_location__municipality__cbs_code__in=codes,
        school_location__board__region_memberships__region=region,
    ).values_list("school_location__board_id", "count"):
        pupils[board_id] = pupils.get(board_id, 0) + count
    ordered = sorted(pupils, key=lambda board_id: (-pupils[board_id], board_id))
    by_id = Organisation.objects.in_bulk(ordered)
    return [by_id[board_id] for board_id in ordered]


def demo_boards(region: Organisation) -> tuple[list[Organisation], list[Organisation]]:
    """(requesting, supplying) boards: the HR-login boards of the demo ask, the next VO boards supply."""
    codes = _area_codes()
    ranked = _vo_boards_by_pupils(region, codes)
    hr_boards = list(
        Organisation.objects.filter(
            memberships__role=Role.BOARD_HR,
            memberships__ended_at__isnull=True,
            memberships__user__email__startswith="hr-",
            memberships__user__email__endswith=f"@{DEMO_DOMAIN}",
            school_locations__sector=Sector.VO,
        )
        .distinct()
        .order_by("name")
    )
    requesting = hr_boards[:2] or ranked[:2]
    supplying = [board for board in ranked if board not in requesting][:3]
    return requesting, supplying


def _pc4_points(codes: list[str]) -> list[tuple[str, float, float]]:
    points = list(
        PostcodeArea.objects.filter(municipality__cbs_code__in=codes)
        .order_by("pc4")
        .values_list("pc4", "latitude", "longitude")
    )
    if points:
        return points
    fallback = Municipality.objects.filter(cbs_code__in=codes, latitude__isnull=False).first()
    return [("3811", fallback.latitude if fallback else 52.156, fallback.longitude if fallback else 5.387)]


def _vo_locations(boards: list[Organisation]) -> list[SchoolLocation]:
    return list(
        SchoolLocation.objects.filter(board__in=boards, sector=Sector.VO).order_by("board_id", "vestiging_code")
    )


def demo_pool_build(
    *,
    region: Organisation | None = None,
    requesting: list[Organisation] | None = None,
    supplying: list[Organisation] | None = None,
    seed: int = SEED,
    members: int = 40,
) -> dict[str, Any]:
    """Build the demo pool; returns counts. Raises DemoPoolError when the demo region is missing."""
    from onderwijsregio.organisations.demo import REGION_SLUG

    region = region or Organisation.objects.filter(slug=REGION_SLUG).first()
    if region is None:
        raise DemoPoolError("De demoregio bestaat nog niet; draai eerst `manage.py load_demo`.")
    existing = Pool.objects.filter(slug=POOL_SLUG).first()
    if existing is not None:
        return {"pool": existing, "created": False}
    if requesting is None or supplying is None:
        requesting, supplying = demo_boards(region)
    if len(requesting) < 1 or not _vo_locations(requesting):
        raise DemoPoolError("De demoregio heeft geen vo-besturen met vestigingen; draai eerst `manage.py load_demo`.")
    with emails_suppressed():
        return _build(region=region, requesting=requesting, supplying=supplying, seed=seed, how_many=members)


def _build(*, region, requesting, supplying, seed: int, how_many: int) -> dict[str, Any]:
    rng = random.Random(seed)
    today = timezone.localdate()
    coordinator = User.objects.filter(email=COORDINATOR_EMAIL).first()
    subjects = {s.code: s for s in Subject.objects.filter(code__in=SUBJECT_CODES)}
    if not subjects:
        raise DemoPoolError("Er zijn geen SLO-vakken; draai eerst `manage.py load_demo`.")
    with transaction.atomic():
        pool = Pool.objects.create(
            region=region,
            name=POOL_NAME,
            slug=POOL_SLUG,
            description=(
                "Fictieve invalpool voor de demo: de grote vo-besturen rond Amersfoort vragen invallers aan, "
                "andere besturen leveren poolleden. Alle personen zijn fictief."
            ),
            long_term_days=5,
            vog_max_age_months=36,
            release_own_board_after_days=1,
            release_pool_after_days=3,
            offer_valid_hours=48,
            contribution_key="per_pupil",
        )
        pool.subjects.set(subjects.values())
        for board in requesting:
            PoolBoard.objects.create(
                pool=pool, board=board, requests_substitutes=True, supplies_members=True, joined_on=today.replace(day=1)
            )
        for board in supplying:
            PoolBoard.objects.create(
                pool=pool,
                board=board,
                requests_substitutes=False,
                supplies_members=True,
                chain_exempt_reasons=["illness"],
                joined_on=today.replace(day=1),
            )
        audit_record(actor=None, action=audit.DEMO_CREATED, obj=pool, organisation_id=region.pk)
    member_list = _members(
        pool=pool,
        rng=rng,
        requesting=requesting,
        supplying=supplying or requesting,
        subjects=subjects,
        how_many=how_many,
        today=today,
    )
    made = _requests(pool=pool, rng=rng, requesting=requesting, subjects=subjects, coordinator=coordinator, today=today)
    # The past weeks' hours are written directly (as they would have been confirmed), around the services
    # that keep the monitor's monthly figures: build those from the rows once (decision 22).
    figures.figures_rebuild(pool=pool)
    return {"pool": pool, "created": True, "members": len(member_list), **made}


def _members(*, pool, rng, requesting, supplying, subjects, how_many, today) -> list[PoolMember]:
    points = _pc4_points(_area_codes())
    requesting_locations = _vo_locations(requesting)
    codes = list(subjects)
    common = [code for code in COMMON_SUBJECTS if code in subjects] or codes
    result = []
    for index in range(how_many):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        employer = rng.choice(requesting) if index % 3 == 0 else rng.choice(supplying)
        home_school = None
        if employer in requesting and rng.random() < 0.6:
            own = [location for location in requesting_locations if location.board_id == employer.pk]
            home_school = rng.choice(own) if own else None
        pc4, _lat, _lon = rng.choice(points)
        main = common[index % len(common)] if index < how_many * 0.7 else rng.choice(codes)
        qualifications = [(subjects[main], rng.choice([Degree.FIRST, Degree.FIRST, Degree.SECOND, Degree.SECOND]))]
        if rng.random() < 0.35:
            second = rng.choice([code for code in codes if code != main])
            qualifications.append((subjects[second], rng.choice([Degree.SECOND, Degree.LIMITED_SECOND])))
        day_parts = sorted(
            {f"{weekday}-{part}" for weekday in range(5) for part in range(2) if rng.random() < 0.7}
        ) or ["0-0", "1-0"]
        if index == 3:
            vog = None  # a warning on the pages: no VOG known
        elif index == 5:
            vog = today - timedelta(days=3 * 365 - 30)  # expires within 60 days
        else:
            vog = today - timedelta(days=rng.randint(30, 900))
        member = services.member_create(
            pool=pool,
            actor=None,
            data={
                "full_name": f"{first} {last}",
                "email": f"invaller{index + 1:02d}@{DEMO_DOMAIN}" if index else MEMBER_EMAIL,
                "phone": f"06-{rng.randint(10000000, 99999999)}",
                "employer": employer,
                "home_school": home_school,
                "levels": [level.value for level in rng.choice(LEVEL_SETS)],
                "contract_hours": Decimal(rng.choice([16, 20, 24, 28, 32])),
                "pool_hours": Decimal(rng.choice([8, 10, 12, 16, 20])),
                "day_parts": day_parts,
                "home_postcode": pc4,
                "max_travel_km": rng.choice([15, 20, 25, 30, 40]),
                "vog_date": vog,
                "is_active": index != 7,
            },
            qualifications=qualifications,
            synthetic=True,
        )
        result.append(member)
    _member_login(result[0])
    return result


def _member_login(member: PoolMember) -> None:
    """poollid@demo…: a login for the first member, with a POOL_MEMBER membership at its employer."""
    user = User.objects.filter(email=MEMBER_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            email=MEMBER_EMAIL, password=demo_password(), full_name=f"{member.full_name} (fictief)", is_synthetic=True
        )
    Membership.objects.get_or_create(user=user, organisation=member.employer, role=Role.POOL_MEMBER, ended_at=None)
    member.full_name = user.full_name.removesuffix(" (fictief)") or member.full_name
    member.user = user
    # Every day-part, so that the member gets offers in the demo.
    member.day_parts = [f"{weekday}-{part}" for weekday in range(5) for part in range(2)]
    member.pool_hours = Decimal("20")
    member.max_travel_km = 40
    member.save()


def _request(pool, rng, location, subject, start, weeks, coordinator, urgency=0) -> ReplacementRequest | None:
    parts_per_week = rng.choice([2, 3, 4])
    pairs = rng.sample([f"{weekday}-{part}" for weekday in range(5) for part in range(2)], parts_per_week)
    hours = Decimal(min(parts_per_week * 3, rng.choice([4, 6, 8, 10, 12])))
    data = {
        "subject": subject,
        "levels": [rng.choice([Level.HAVO_VWO_LOWER, Level.VMBO_GT]).value],
        "year_groups": rng.choice(["1A", "2B", "2 havo", "3 vwo", "3 mavo", "1 brugklas"]),
        "class_key": rng.choice(["1A", "2B", "3C", "4H", "2M"]),
        "start_date": start,
        "end_date": start + timedelta(days=7 * weeks - 3),
        "hours_per_week": hours,
        "day_parts": pairs,
        "reason": rng.choice(["illness", "illness", "leave", "vacancy", "other"]),
        "urgency": urgency,
        "contact_name": "Roostermaker (fictief)",
        "contact_email": f"rooster-{location.vestiging_code.lower()}@{DEMO_DOMAIN}",
        "notes_for_substitute": "Meld u op de eerste dag om 8.00 uur bij de conciërge.",
    }
    try:
        return services.request_create(
            pool=pool, actor=coordinator, school_location=location, data=data, synthetic=True
        )
    except services.PoolError:
        return None


def _request_for_member(pool, member, locations, coordinator, start) -> ReplacementRequest | None:
    """A request the demo member can take: their subject and levels, their days, the nearest school in reach.

    Made only when no other open request fits them, so that logging in as the demo member always
    shows an offer that can really be accepted. Kept only when the engine agrees it is eligible.
    """
    from .engine import LEVELS_BY_DEGREE
    from .engine import Degree as EngineDegree
    from .engine_input import member_coordinates, school_coordinates

    qualification = member.qualifications.select_related("subject").order_by("subject__name").first()
    if qualification is None:
        return None
    levels = [level for level in member.levels if level in LEVELS_BY_DEGREE[EngineDegree(qualification.degree)]]
    home = member_coordinates(members=[member])[member.pk]
    points = school_coordinates(locations=locations)
    reachable = [
        (haversine_km(*home, *points[location.pk]), location.pk, location)
        for location in locations
        if haversine_km(*home, *points[location.pk]) <= member.max_travel_km
    ]
    if not levels or not reachable:
        return None
    location = min(reachable)[2]
    data = {
        "subject": qualification.subject,
        "levels": levels[:1],
        "year_groups": "2B",
        "class_key": "2B",
        "start_date": start,
        "end_date": start + timedelta(days=7 * 3 - 3),
        "hours_per_week": Decimal("4"),
        "day_parts": list(member.day_parts)[:2],
        "reason": "leave",
        "urgency": 0,
        "contact_name": "Roostermaker (fictief)",
        "contact_email": f"rooster-{location.vestiging_code.lower()}@{DEMO_DOMAIN}",
        "notes_for_substitute": "Meld u op de eerste dag om 8.00 uur bij de conciërge.",
    }
    try:
        request = services.request_create(
            pool=pool, actor=coordinator, school_location=location, data=data, synthetic=True
        )
    except services.PoolError:
        return None
    ReplacementRequest.objects.filter(pk=request.pk).update(release_tier="pool")
    request.refresh_from_db()
    verdict = selectors.member_eligibility(member=member, request=request, include_open_offers=False)
    if not verdict.eligible:
        services.request_cancel(request=request, actor=coordinator)
        return None
    return request


def _fill_directly(request: ReplacementRequest, when) -> Assignment | None:
    """For requests in the past: offer to the first eligible member and accept, as it would have gone."""
    for row in selectors.why_not(request=request):
        if not row["eligible"]:
            continue
        offer = Offer.objects.create(
            request=request,
            member=row["member"],
            hours_per_week=request.hours_per_week,
            expires_at=timezone.now() + timedelta(hours=48),
        )
        try:
            assignment = services.offer_accept(token=offer.token)
        except services.OfferRefused:
            continue
        Offer.objects.filter(pk=offer.pk).update(created_at=when, responded_at=when + timedelta(hours=5))
        ReplacementRequest.objects.filter(pk=request.pk).update(filled_at=when + timedelta(hours=5))
        return assignment
    return None


def _hours(assignment: Assignment, today: date, rng) -> int:
    """Worked hours per past week: confirmed, except the most recent week (still to confirm)."""
    made = 0
    week = _monday(assignment.start_date)
    last_week = _monday(min(assignment.end_date, today - timedelta(days=1)))
    while week <= last_week and week < _monday(today):
        hours = assignment.hours_per_week - (Decimal("1") if rng.random() < 0.15 else Decimal("0"))
        confirmed = week < last_week or assignment.end_date < today - timedelta(days=7)
        HoursEntry.objects.get_or_create(
            assignment=assignment,
            week_start=week,
            defaults={
                "hours": hours,
                "entered_side": HoursEntry.Side.SCHOOL,
                "status": HoursEntry.Status.CONFIRMED if confirmed else HoursEntry.Status.ENTERED,
                "confirmed_at": timezone.now() if confirmed else None,
                "note": "",
            },
        )
        made += 1
        week += timedelta(days=7)
    return made


def _requests(*, pool, rng, requesting, subjects, coordinator, today) -> dict[str, int]:
    locations = _vo_locations(requesting)
    leader_first = locations[:4]
    codes = [code for code in COMMON_SUBJECTS if code in subjects] + [c for c in subjects if c not in COMMON_SUBJECTS]
    monday = _monday(today)
    assignments = []
    counts = {"requests": 0, "assignments": 0, "hours_entries": 0, "offers_open": 0}

    # 1. Ended requests (filled from the pool, or not), spread over the last months.
    for index in range(12):
        start = monday - timedelta(weeks=rng.randint(8, 30))
        location = rng.choice(leader_first if index % 2 else locations)
        request = _request(
            pool, rng, location, subjects[codes[index % len(codes)]], start, rng.randint(2, 6), coordinator
        )
        if request is None:
            continue
        counts["requests"] += 1
        created = timezone.make_aware(datetime.combine(start - timedelta(days=rng.randint(2, 10)), time(hour=9)))
        ReplacementRequest.objects.filter(pk=request.pk).update(created_at=created, release_tier="pool")
        request.refresh_from_db()
        if index % 4 != 3:
            assignment = _fill_directly(request, created + timedelta(days=rng.randint(0, 3)))
            if assignment:
                assignments.append(assignment)

    # 2. Running and upcoming requests go through the real workflow: batch, confirm, answers.
    current = []
    for index in range(10):
        if index < 4:
            start = monday - timedelta(weeks=rng.randint(1, 3))
        else:
            start = monday + timedelta(weeks=rng.randint(1, 5))
        location = leader_first[index % len(leader_first)] if index < 6 else rng.choice(locations)
        request = _request(
            pool,
            rng,
            location,
            subjects[codes[index % len(codes)]],
            start,
            rng.randint(3, 8),
            coordinator,
            urgency=2 if index == 5 else rng.choice([0, 0, 1]),
        )
        if request is None:
            continue
        counts["requests"] += 1
        ReplacementRequest.objects.filter(pk=request.pk).update(
            created_at=timezone.now() - timedelta(days=rng.randint(3, 12)), release_tier="pool"
        )
        current.append(request)
    batch = services.batch_run(pool=pool, actor=coordinator, time_limit_s=5.0)
    offers = services.batch_confirm(batch=batch, actor=coordinator) if batch.proposals.exists() else []
    for position, offer in enumerate(offers):
        if position % 4 == 3:
            services.offer_decline(token=offer.token, reason="Ik heb in die periode al ander werk.")
        elif position % 4 == 2:
            counts["offers_open"] += 1  # left open: the member can answer it in the demo
        else:
            with contextlib.suppress(services.OfferRefused):
                assignments.append(services.offer_accept(token=offer.token))
    # 3. Two fresh requests and a batch left as a proposal, for the coordinator to review.
    for index in range(2):
        request = _request(
            pool,
            rng,
            leader_first[index % len(leader_first)],
            subjects[codes[index]],
            monday + timedelta(weeks=3 + index),
            4,
            coordinator,
        )
        if request is not None:
            ReplacementRequest.objects.filter(pk=request.pk).update(release_tier="pool")
            counts["requests"] += 1
    services.batch_run(pool=pool, actor=coordinator, time_limit_s=5.0)
    services.requests_close_ended(today=today)

    for assignment in assignments:
        counts["hours_entries"] += _hours(assignment, today, rng)
    counts["assignments"] = len(assignments)
    counts["offers_open"] += _demo_member_offer(pool, current, locations, coordinator, monday)
    return counts


def _demo_member_offer(pool, current, locations, coordinator, monday) -> int:
    """Leave the demo member (poollid@demo…) exactly the offers they can really accept, at least one.

    Done last, when everything else is booked: an open offer the member could no longer take (the
    work clashes with what the demo accepted since) is withdrawn, so that whoever tries the demo
    meets an offer that works.
    """
    member = PoolMember.objects.filter(pool=pool, email=MEMBER_EMAIL).first()
    if member is None:
        return 0

    def acceptable(request, offer=None) -> bool:
        return selectors.member_eligibility(
            member=member,
            request=request,
            hours_per_week=float(request.hours_per_week - request.filled_hours_per_week),
            include_open_offers=False,
            exclude_offer_id=offer.pk if offer else None,
            ignore_release=True,
        ).eligible

    kept = 0
    for offer in member.offers.filter(status=Offer.Status.OPEN).select_related("request"):
        if offer.request.is_open and acceptable(offer.request, offer):
            kept += 1
        else:
            services.offer_withdraw(offer=offer, why="het poollid is in deze periode al ingeroosterd", mail=False)
            services.request_status_refresh(request=offer.request)
    if kept:
        return 0
    request = next(
        (
            r
            for r in ReplacementRequest.objects.filter(pk__in=[r.pk for r in current]).order_by("start_date")
            if r.is_open and acceptable(r)
        ),
        None,
    ) or _request_for_member(pool, member, locations, coordinator, monday + timedelta(weeks=4))
    if request is None:
        return 0
    Offer.objects.create(
        request=request,
        member=member,
        hours_per_week=request.hours_per_week - request.filled_hours_per_week,
        expires_at=timezone.now() + timedelta(hours=pool.offer_valid_hours),
    )
    return 1
