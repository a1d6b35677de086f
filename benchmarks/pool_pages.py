"""Server time of the substitute-pool pages for a busy pool: 20 boards, 2,000 members, 10,000 requests.

Builds the demo region (`load_demo`), then a pool in it with bulk inserts (fixed seed): the 20 boards of
the region with the most VO locations take part; 2,000 members (employed by those boards, living in the
region's postcodes, one or two subjects with a degree, day-parts, pool hours, VOG dates of which some are
missing or old); 10,000 requests spread over the current school year (week 35 to week 27), of which 5,000
were filled, each by an assignment with its accepted offer, its booked day-parts (never a member twice on
the same day-part, as the database demands) and, for the weeks already past, weekly hours entries
(confirmed, the latest week still to confirm); temporary contracts where the member works for another
board; the past requests nobody filled are unfilled or withdrawn, the rest open. One batch is left as a
proposal with 300 proposals (and unfilled requests with reasons), and one settlement covers the school
year so far; the monitor's monthly figures are then built from those rows (`figures_rebuild`), as the
services would have kept them. Measures, as the coordinator (the regional team), the monitoring dashboard, the request
list, the member list, the batch detail page and the settlement detail page. Baseline, in the same
process and run: a hello-world Django view through the same middleware, so the ratio shows what a page
costs on top of the framework on this (noisy) machine.

    python benchmarks/pool_pages.py [--quick] [--requests N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python benchmarks/pool_pages.py

Without DATABASE_URL it runs on a throw-away SQLite file. On PostgreSQL it uses the database as it finds
it: the benchmark pool of an earlier run of the same size is reused, another size is replaced.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal

from _setup import emit, median, percentile, settle_after_setup, setup_django, timed

POOL_SLUG = "invalpool-benchmark"
BENCH_DOMAIN = "bench.onderwijsregio.nl"
SUBJECT_WEIGHTS = {"wi": 22, "ne": 20, "en": 15, "du": 6, "fa": 6, "gs": 5, "ak": 5, "bio": 5, "na": 5, "sk": 4}
SUBJECT_WEIGHTS |= {"ec": 4}
DEGREES = [("first", 35), ("second", 45), ("limited_second", 10), ("pdg", 3), ("in_training", 7)]
LEVEL_SETS = [
    ["vmbo_gt", "havo_vwo_lower"],
    ["havo_vwo_lower", "havo_upper", "vwo_upper"],
    ["vmbo_bk", "vmbo_gt"],
    ["havo_vwo_lower"],
]
ALL_PARTS = [f"{weekday}-{part}" for weekday in range(5) for part in range(2)]
SCHOOL_WEEKS = 40


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _aware(day: date, hour: int = 9):
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


@contextmanager
def _timestamps_as_given(*models):
    """Let bulk_create keep the historical created_at/updated_at we set, instead of 'now'."""
    saved = []
    for model in models:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
                saved.append((field, field.auto_now_add, field.auto_now))
                field.auto_now_add = field.auto_now = False
    try:
        yield
    finally:
        for field, auto_now_add, auto_now in saved:
            field.auto_now_add, field.auto_now = auto_now_add, auto_now


def _slots(start: date, end: date, day_parts: list[str]) -> list[tuple[date, int]]:
    wanted = {}
    for value in day_parts:
        weekday, part = (int(x) for x in value.split("-"))
        wanted.setdefault(weekday, []).append(part)
    result, day = [], start
    while day <= end:
        for part in wanted.get(day.weekday(), ()):
            result.append((day, part))
        day += timedelta(days=1)
    return result


def _wipe(pool) -> None:
    from onderwijsregio.pool.models import (
        Assignment,
        Batch,
        BookedSlot,
        HoursEntry,
        MemberContract,
        Offer,
        ReplacementRequest,
        SettlementRun,
    )

    SettlementRun.objects.filter(pool=pool).delete()
    HoursEntry.objects.filter(assignment__request__pool=pool).delete()
    MemberContract.objects.filter(member__pool=pool).delete()
    BookedSlot.objects.filter(member__pool=pool).delete()
    Assignment.objects.filter(request__pool=pool).delete()
    Offer.objects.filter(request__pool=pool).delete()
    Batch.objects.filter(pool=pool).delete()
    ReplacementRequest.objects.filter(pool=pool).delete()
    pool.members.all().delete()
    pool.participants.all().delete()
    pool.delete()


def build(region, coordinator, *, boards: int, members: int, requests: int, assignments: int, proposals: int,
          today: date, seed: int = 2026) -> dict:  # fmt: skip
    """The benchmark pool, in bulk; reused when a pool of the same size is there already."""
    from django.db import connection, transaction
    from django.db.models import Count

    from onderwijsregio.organisations.models import Organisation, PostcodeArea, SchoolLocation, Sector, Subject
    from onderwijsregio.pool import monitoring, services
    from onderwijsregio.pool.models import (
        Assignment,
        Batch,
        BookedSlot,
        HoursEntry,
        MemberContract,
        MemberQualification,
        MemberUnavailability,
        Offer,
        Pool,
        PoolBoard,
        PoolMember,
        Proposal,
        ReplacementRequest,
        UnfilledRequest,
    )
    from onderwijsregio.pool.services import figures

    existing = Pool.objects.filter(slug=POOL_SLUG).first()
    if existing is not None:
        if (
            existing.participants.count() == boards
            and existing.members.count() == members
            and existing.requests.count() == requests
            and Assignment.objects.filter(request__pool=existing).count() == assignments
        ):
            return {"pool": existing, "reused": True}
        with transaction.atomic():
            _wipe(existing)

    rng = random.Random(seed)
    year = monitoring.school_year(today=today)
    first_week = _monday(year.start + timedelta(days=21))  # the last week of August: school starts
    board_list = list(
        Organisation.objects.filter(
            kind=Organisation.Kind.BOARD,
            region_memberships__region=region,
            school_locations__sector=Sector.VO,
        )
        .annotate(vo=Count("school_locations", distinct=True))
        .order_by("-vo", "pk")[:boards]
    )
    locations = list(SchoolLocation.objects.filter(board__in=board_list, sector=Sector.VO).order_by("pk"))
    points = list(
        PostcodeArea.objects.filter(municipality__subregions__region=region, latitude__isnull=False)
        .values_list("pc4", "latitude", "longitude")
        .distinct()
    ) or [("3811", 52.156, 5.387)]
    subjects = {s.code: s for s in Subject.objects.filter(code__in=list(SUBJECT_WEIGHTS))}
    subject_weights = [(subjects[code], weight) for code, weight in SUBJECT_WEIGHTS.items() if code in subjects]

    with transaction.atomic(), _timestamps_as_given(ReplacementRequest, Offer, Assignment, HoursEntry, Batch):
        pool = Pool.objects.create(
            region=region,
            name="Invalpool benchmark (fictief)",
            slug=POOL_SLUG,
            long_term_days=5,
            vog_max_age_months=36,
            allow_partial=True,
            contribution_key="per_pupil",
        )
        pool.subjects.set(subjects.values())
        PoolBoard.objects.bulk_create(
            [
                PoolBoard(pool=pool, board=board, joined_on=year.start, chain_exempt_reasons=["illness"])
                for board in board_list
            ]
        )

        member_rows = []
        for number in range(members):
            pc4, lat, lon = rng.choice(points)
            vog_roll = rng.random()
            member_rows.append(
                PoolMember(
                    pool=pool,
                    full_name=f"Poollid{number} Benchmark",
                    email=f"poollid{number}@{BENCH_DOMAIN}",
                    phone=f"06-{rng.randint(10000000, 99999999)}",
                    employer=rng.choice(board_list),
                    home_school=rng.choice(locations) if rng.random() < 0.4 else None,
                    levels=rng.choice(LEVEL_SETS),
                    contract_hours=Decimal(rng.choice([16, 20, 24, 28, 32])),
                    pool_hours=Decimal(rng.choice([4, 8, 8, 12, 12, 16, 20])),
                    day_parts=sorted(p for p in ALL_PARTS if rng.random() < 0.7) or ["0-0", "1-0"],
                    home_postcode=pc4,
                    latitude=lat,
                    longitude=lon,
                    max_travel_km=rng.choice([20, 25, 30, 40, 50]),
                    vog_date=None
                    if vog_roll < 0.03
                    else today - timedelta(days=rng.randint(3 * 365 - 50, 3 * 365 + 50))
                    if vog_roll < 0.08
                    else today - timedelta(days=rng.randint(30, 900)),
                    is_active=rng.random() < 0.95,
                    is_synthetic=True,
                )
            )
        made_members = PoolMember.objects.bulk_create(member_rows, batch_size=2000)
        if any(m.pk is None for m in made_members):
            made_members = list(PoolMember.objects.filter(pool=pool).order_by("pk"))
        qualifications, by_subject = [], {}
        for member in made_members:
            chosen = {_pick(rng, subject_weights)}
            if rng.random() < 0.35:
                chosen.add(_pick(rng, subject_weights))
            for subject in chosen:
                qualifications.append(MemberQualification(member=member, subject=subject, degree=_pick(rng, DEGREES)))
                by_subject.setdefault(subject.pk, []).append(member)
        MemberQualification.objects.bulk_create(qualifications, batch_size=5000)
        MemberUnavailability.objects.bulk_create(
            [
                MemberUnavailability(member=member, start_date=start, end_date=start + timedelta(days=13))
                for member in rng.sample(made_members, members // 10)
                for start in [first_week + timedelta(weeks=rng.randrange(SCHOOL_WEEKS))]
            ]
        )

        request_rows = []
        for _number in range(requests):
            location = rng.choice(locations)
            start = first_week + timedelta(weeks=rng.randrange(SCHOOL_WEEKS), days=rng.choice([0, 0, 0, 1, 2, 3]))
            weeks = rng.choices(range(1, 9), weights=[10, 9, 8, 7, 6, 5, 4, 3])[0]
            end = max(start, _monday(start) + timedelta(weeks=weeks, days=-3))
            parts = sorted(rng.sample(ALL_PARTS, rng.choice([2, 3, 3, 4])))
            created = start - timedelta(days=rng.randint(1, 14))
            request_rows.append(
                ReplacementRequest(
                    pool=pool,
                    school_location=location,
                    board_id=location.board_id,
                    subject=_pick(rng, subject_weights),
                    levels=[rng.choice(["havo_vwo_lower", "vmbo_gt", "havo_upper", "vmbo_bk"])],
                    year_groups=rng.choice(["1A", "2B", "2 havo", "3 vwo", "3 mavo"]),
                    class_key=f"{rng.randint(1, 5)}{rng.choice('ABCDEFGH')}",
                    start_date=start,
                    end_date=end,
                    hours_per_week=Decimal(min(len(parts) * 3, rng.choice([4, 6, 8, 10, 12]))),
                    day_parts=parts,
                    reason=rng.choice(["illness", "illness", "leave", "vacancy", "other"]),
                    urgency=rng.choice([0, 0, 0, 1, 2]),
                    contact_name="Roostermaker (fictief)",
                    contact_email=f"rooster{location.pk}@{BENCH_DOMAIN}",
                    release_tier="pool",
                    is_synthetic=True,
                    created_by=coordinator,
                    created_at=_aware(created),
                    updated_at=_aware(created),
                )
            )
        made_requests = ReplacementRequest.objects.bulk_create(request_rows, batch_size=2000)
        if any(r.pk is None for r in made_requests):
            made_requests = list(ReplacementRequest.objects.filter(pool=pool).order_by("pk"))

        # Fill `assignments` requests, the earlier ones more often (the later ones are still open).
        booked: dict[int, set] = {}
        filled, slot_rows, assignment_rows, offer_rows = [], [], [], []
        order = sorted(made_requests, key=lambda r: (r.start_date > today, rng.random()))
        for request in order:
            if len(filled) >= assignments:
                break
            slots = _slots(request.start_date, request.end_date, request.day_parts)
            candidates = by_subject.get(request.subject_id) or made_members
            chosen = None
            for attempt in range(40):
                member = rng.choice(candidates)
                if attempt < 30 and not set(request.day_parts) <= set(member.day_parts):
                    continue
                if booked.setdefault(member.pk, set()).isdisjoint(slots):
                    chosen = member
                    break
            if chosen is None:
                continue
            booked[chosen.pk].update(slots)
            filled.append((request, chosen, slots))
        filled_ids = set()
        for request, member, _slots_taken in filled:
            filled_ids.add(request.pk)
            answered = request.created_at + timedelta(days=rng.randint(0, 3), hours=5)
            offer_rows.append(
                Offer(
                    request=request,
                    member=member,
                    hours_per_week=request.hours_per_week,
                    status=Offer.Status.ACCEPTED,
                    expires_at=answered + timedelta(hours=43),
                    responded_at=answered,
                    created_by=coordinator,
                    created_at=answered - timedelta(hours=5),
                )
            )
        # Some members said no first.
        for request, _member, _slots_taken in filled[: len(filled) // 3]:
            offer_rows.append(
                Offer(
                    request=request,
                    member=rng.choice(made_members),
                    hours_per_week=request.hours_per_week,
                    status=Offer.Status.DECLINED,
                    expires_at=request.created_at + timedelta(days=2),
                    responded_at=request.created_at + timedelta(hours=20),
                    decline_reason="Ik heb in die periode al ander werk.",
                    created_by=coordinator,
                    created_at=request.created_at,
                )
            )
        made_offers = Offer.objects.bulk_create(offer_rows, batch_size=2000)
        if any(o.pk is None for o in made_offers):
            by_pair = {
                (o.request_id, o.member_id): o for o in Offer.objects.filter(request__pool=pool, status="accepted")
            }
            made_offers = [by_pair[(r.pk, m.pk)] for r, m, _s in filled]
        for (request, member, _slots_taken), offer in zip(filled, made_offers, strict=False):
            assignment_rows.append(
                Assignment(
                    request=request,
                    member=member,
                    offer=offer,
                    start_date=request.start_date,
                    end_date=request.end_date,
                    hours_per_week=request.hours_per_week,
                    day_parts=request.day_parts,
                    travel_km=round(rng.uniform(1, 35), 1),
                    status=Assignment.Status.COMPLETED if request.end_date < today else Assignment.Status.ACTIVE,
                    created_by=coordinator,
                    created_at=offer.responded_at,
                )
            )
        made_assignments = Assignment.objects.bulk_create(assignment_rows, batch_size=2000)
        if any(a.pk is None for a in made_assignments):
            made_assignments = list(Assignment.objects.filter(request__pool=pool).order_by("pk"))
        contracts, hours_rows = [], []
        this_week = _monday(today)
        for assignment, (request, member, slots) in zip(made_assignments, filled, strict=True):
            slot_rows.extend(BookedSlot(assignment=assignment, member=member, day=d, part=p) for d, p in slots)
            if request.board_id != member.employer_id:
                contracts.append(
                    MemberContract(
                        member=member,
                        board_id=request.board_id,
                        start_date=request.start_date,
                        end_date=request.end_date,
                        assignment=assignment,
                    )
                )
            week = _monday(request.start_date)
            last_week = _monday(min(request.end_date, today - timedelta(days=1)))
            while week <= last_week and week < this_week:
                confirmed = week < last_week or request.end_date < today - timedelta(days=7)
                hours_rows.append(
                    HoursEntry(
                        assignment=assignment,
                        week_start=week,
                        hours=request.hours_per_week - (Decimal(1) if rng.random() < 0.15 else Decimal(0)),
                        entered_side=HoursEntry.Side.SCHOOL,
                        entered_at=_aware(week + timedelta(days=4), 16),
                        status=HoursEntry.Status.CONFIRMED if confirmed else HoursEntry.Status.ENTERED,
                        confirmed_at=_aware(week + timedelta(days=7), 10) if confirmed else None,
                    )
                )
                week += timedelta(days=7)
        BookedSlot.objects.bulk_create(slot_rows, batch_size=5000)
        MemberContract.objects.bulk_create(contracts, batch_size=5000)
        HoursEntry.objects.bulk_create(hours_rows, batch_size=5000)

        # Statuses: filled; past and unfilled (or withdrawn); the rest still open.
        for request in made_requests:
            if request.pk in filled_ids:
                request.status = ReplacementRequest.Status.FILLED
                request.filled_hours_per_week = request.hours_per_week
                request.filled_at = request.created_at + timedelta(days=2)
            elif request.end_date < today:
                request.status = rng.choice([ReplacementRequest.Status.UNFILLED] * 3 + ["cancelled"])
                request.unfilled_explanation = "Geen bevoegd poollid beschikbaar op deze dagdelen."
            else:
                request.status = ReplacementRequest.Status.OPEN
        ReplacementRequest.objects.bulk_update(
            made_requests, ["status", "filled_hours_per_week", "filled_at", "unfilled_explanation"], batch_size=2000
        )

        # A batch left as a proposal: `proposals` open requests get a member, some stay unfilled.
        open_requests = [r for r in made_requests if r.status == "open" and r.start_date >= today]
        rng.shuffle(open_requests)
        batch = Batch.objects.create(
            pool=pool,
            status=Batch.Status.PROPOSED,
            method="milp",
            solver_status="optimal",
            gap=0.0,
            wall_time_s=3.2,
            created_by=coordinator,
            created_at=_aware(today, 8),
        )
        proposal_rows, unfilled_rows, proposed_ids = [], [], []
        for request in open_requests[:proposals]:
            member = rng.choice(by_subject.get(request.subject_id) or made_members)
            km = round(rng.uniform(1, 35), 1)
            proposal_rows.append(
                Proposal(
                    batch=batch,
                    request=request,
                    member=member,
                    hours_per_week=request.hours_per_week,
                    travel_km=km,
                    explanation=f"Bevoegd voor dit vak; {km} km reizen; beschikbaar op alle gevraagde dagdelen.",
                )
            )
            proposed_ids.append(request.pk)
        for request in open_requests[proposals : proposals + proposals // 5]:
            unfilled_rows.append(
                UnfilledRequest(
                    batch=batch,
                    request=request,
                    hours_per_week=request.hours_per_week,
                    explanation="Geen poollid is bevoegd en beschikbaar op deze dagdelen.",
                    reason_counts={"not_qualified": rng.randint(1500, 1900), "day_parts": rng.randint(50, 300)},
                )
            )
        Proposal.objects.bulk_create(proposal_rows)
        UnfilledRequest.objects.bulk_create(unfilled_rows)
        ReplacementRequest.objects.filter(pk__in=proposed_ids).update(status=ReplacementRequest.Status.PROPOSED)
        Batch.objects.filter(pk=batch.pk).update(
            requested_hours=float(sum(r.hours_per_week for r in open_requests[: proposals + proposals // 5])),
            filled_hours=float(sum(p.hours_per_week for p in proposal_rows)),
        )
    # The rows above bypassed the services, which keep the monitor's monthly figures: build those once.
    figures.figures_rebuild(pool=pool)
    run = services.settlement_run_create(
        pool=pool,
        period_start=year.start,
        period_end=max(year.start, today.replace(day=1) - timedelta(days=1)),
        actor=coordinator,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "pool": pool,
        "reused": False,
        "assignments": len(made_assignments),
        "booked_slots": len(slot_rows),
        "hours_entries": len(hours_rows),
        "settlement": run.pk,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="200 members and 1,000 requests, fewer requests")
    parser.add_argument("--requests", type=int, default=0, help="requests per page (default 30, quick 5)")
    args = parser.parse_args()
    size = (
        {"boards": 20, "members": 200, "requests": 1_000, "assignments": 500, "proposals": 100}
        if args.quick
        else {"boards": 20, "members": 2_000, "requests": 10_000, "assignments": 5_000, "proposals": 300}
    )
    repeat = args.requests or (5 if args.quick else 30)

    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.http import HttpResponse
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.urls import path, reverse
    from django.utils import timezone

    from onderwijsregio.accounts.models import Membership, Role
    from onderwijsregio.organisations.demo import REGION_SLUG
    from onderwijsregio.organisations.models import Organisation
    from onderwijsregio.pool.models import Assignment, BookedSlot, HoursEntry

    started = time.perf_counter()
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    region = Organisation.objects.get(slug=REGION_SLUG)
    team = Membership.objects.filter(organisation=region, role=Role.REGIONAL_TEAM).select_related("user").first().user
    built = build(region, team, today=timezone.localdate(), **size)
    build_seconds = round(time.perf_counter() - started, 1)
    settle_after_setup()
    pool = built["pool"]
    batch = pool.batches.order_by("-pk").first()
    run = pool.settlements.order_by("-pk").first()
    counts = {
        "assignments": Assignment.objects.filter(request__pool=pool).count(),
        "booked_slots": BookedSlot.objects.filter(member__pool=pool).count(),
        "hours_entries": HoursEntry.objects.filter(assignment__request__pool=pool).count(),
        "batch_proposals": batch.proposals.count(),
    }

    def hello(request):
        return HttpResponse("hello")

    import onderwijsregio.conf.urls as root_urls

    module = type(root_urls)("bench_urls")
    module.urlpatterns = [path("__hello", hello), *root_urls.urlpatterns]

    client = Client()
    client.force_login(team)
    database = connection.vendor
    with override_settings(ROOT_URLCONF=module):
        pages = {
            "pool_dashboard": reverse("pool:dashboard", args=[pool.slug]),
            "pool_request_list": reverse("pool:request_list", args=[pool.slug]),
            "pool_member_list": reverse("pool:member_list", args=[pool.slug]),
            "pool_batch_detail": reverse("pool:batch_detail", args=[pool.slug, batch.pk]),
            "pool_settlement_detail": reverse("pool:settlement_detail", args=[pool.slug, run.pk]),
        }
        queries = {}
        for name, url in pages.items():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            queries[name] = len(captured)
        baseline = timed(lambda: client.get("/__hello"), repeat)
        for name, url in pages.items():
            ours = timed(lambda url=url: client.get(url), repeat)
            for metric, fn in (("median_server_time", median), ("p95_server_time", lambda s: percentile(s, 0.95))):
                emit(
                    benchmark=name,
                    metric=metric,
                    ours=round(fn(ours) * 1000, 3),
                    baseline=round(fn(baseline) * 1000, 3),
                    ratio=round(fn(ours) / fn(baseline), 1),
                    unit="ms",
                    size={**size, **counts, "requests_per_page": repeat, "database": database},
                    baseline_is="hello-world view through the same middleware",
                    queries_per_request=queries[name],
                    data_reused=built["reused"],
                    setup_seconds=build_seconds,
                    database_url_set="DATABASE_URL" in os.environ,
                )


if __name__ == "__main__":
    main()
