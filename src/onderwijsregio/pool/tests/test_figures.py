"""The stored monthly figures of the monitor (decision 22) stay equal to the requests and hours they count.

The reference is the same dashboard computed from the requests and hours themselves (`stored=False`),
after randomised (fixed seed) sequences of the pool's own services: requests filed, moved, withdrawn;
batches proposed, confirmed, discarded; offers accepted, declined, expired; assignments cancelled; requests
closed unfilled; hours entered, corrected, disputed, confirmed; a board leaving the pool.
"""

from __future__ import annotations

import random
from contextlib import suppress
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from onderwijsregio.organisations.models import SubRegion
from onderwijsregio.organisations.tests.factories import BoardFactory, MunicipalityFactory, SchoolLocationFactory
from onderwijsregio.pool import monitoring, services
from onderwijsregio.pool.engine.calendar import add_months
from onderwijsregio.pool.errors import OfferRefused, PoolConflict, PoolError
from onderwijsregio.pool.models import (
    Assignment,
    HoursEntry,
    HoursMonthFigures,
    Level,
    Offer,
    ReplacementRequest,
    RequestMonthFigures,
)
from onderwijsregio.pool.services.figures import figures_differences, figures_rebuild
from onderwijsregio.pool.tests.factories import AssignmentFactory, PoolBoardFactory
from onderwijsregio.pool.tests.test_hours import build_hours_world

from .workflow_setup import build_world

pytestmark = pytest.mark.django_db

Side = HoursEntry.Side
LEVELS = [Level.HAVO_VWO_LOWER.value, Level.VMBO_GT.value, Level.HAVO_UPPER.value]


def whole_months(first: date, count: int) -> monitoring.Period:
    start = first.replace(day=1)
    return monitoring.Period(start, add_months(start, count) - timedelta(days=1))


def assert_figures_equal_the_rows(pool, period, viewer, today):
    fast = monitoring.monitoring_dashboard(pool=pool, period=period, viewer=viewer, today=today)
    slow = monitoring.monitoring_dashboard(pool=pool, period=period, viewer=viewer, today=today, stored=False)
    assert fast.demand == slow.demand
    assert fast.fill == slow.fill
    assert fast.subregions == slow.subregions
    assert fast.savings == slow.savings
    assert fast.utilisation == slow.utilisation
    assert fast.fairness == slow.fairness
    assert figures_differences(pool=pool) == []
    return fast


def request_data(w, rng, **overrides):
    start = w.start + timedelta(weeks=rng.randrange(0, 10), days=rng.choice([0, 0, 1, 3]))
    data = {
        "subject": rng.choice([w.wi, w.wi, w.ne]),
        "levels": sorted(rng.sample(LEVELS, rng.choice([1, 1, 2]))),
        "start_date": start,
        # Up to seven weeks: many requests run into the next month.
        "end_date": start + timedelta(days=rng.choice([11, 18, 32, 46])),
        "hours_per_week": Decimal(rng.choice(["4", "6", "8"])),
        "day_parts": rng.choice([["0-0", "2-0"], ["1-0", "3-1"], ["4-0", "4-1"]]),
        "reason": rng.choice(["illness", "illness", "leave", "vacancy", "other"]),
        "urgency": 2,  # released to the whole pool at once
        "contact_name": "J. de Vries",
        "contact_email": "roosters@eemcollege.example.nl",
    }
    data.update(overrides)
    return data


def test_the_figures_follow_every_request_service(django_capture_on_commit_callbacks):
    w = build_world()
    # A second municipality in its own sub-region and one in none: the sub-region panel spreads them.
    north = SubRegion.objects.create(region=w.region, name="Noord")
    north.municipalities.add(w.municipality)
    elsewhere = SchoolLocationFactory(board=w.board_a, name="Buitenaf", municipality=MunicipalityFactory(name="Ver"))
    schools = [w.school_a1, w.school_a2, elsewhere]
    rng = random.Random(2026)
    viewer = monitoring.Viewer(w.coordinator, w.pool)
    today = timezone.localdate()
    period = whole_months(w.start, 4)
    made, seen = [], set()
    with django_capture_on_commit_callbacks(execute=False):
        for step in range(60):
            action = rng.choice(
                ["create"] * 4 + ["batch", "answer"] * 2 + ["update", "cancel", "stop", "expire", "close"]
            )
            open_requests = [r for r in made if r.status in ReplacementRequest.OPEN_STATUSES]
            if action == "create" or not made:
                made.append(
                    services.request_create(
                        pool=w.pool, actor=w.hr_a, school_location=rng.choice(schools), data=request_data(w, rng)
                    )
                )
            elif action == "update" and open_requests:
                request = rng.choice(open_requests)
                # Another start (often another month), other hours, reason, levels or subject.
                changes = request_data(w, rng)
                data = {
                    field: changes[field]
                    for field in rng.sample(["start_date", "hours_per_week", "reason", "levels", "subject"], 2)
                }
                if "start_date" in data:
                    data["end_date"] = data["start_date"] + (request.end_date - request.start_date)
                with suppress(PoolError):
                    services.request_update(request=request, actor=w.hr_a, data=data)
            elif action == "cancel":
                with suppress(PoolConflict):
                    services.request_cancel(request=rng.choice(made), actor=w.hr_a, reason="")
            elif action == "batch":
                batch = services.batch_run(pool=w.pool, actor=w.coordinator, time_limit_s=5.0)
                # Confirmed, discarded, or left as a proposal (the next batch supersedes it).
                choice = rng.random()
                if batch.proposals.exists() and choice < 0.6:
                    services.batch_confirm(batch=batch, actor=w.coordinator)
                elif batch.status == batch.Status.PROPOSED and choice < 0.8:
                    services.batch_discard(batch=batch, actor=w.coordinator)
            elif action == "answer":
                for offer in Offer.objects.filter(request__pool=w.pool, status=Offer.Status.OPEN):
                    with suppress(OfferRefused):
                        if rng.random() < 0.6:
                            services.offer_accept(token=offer.token)
                        else:
                            services.offer_decline(token=offer.token, reason="Geen tijd.")
            elif action == "stop":
                active = list(Assignment.objects.filter(request__pool=w.pool, status=Assignment.Status.ACTIVE))
                if active:
                    services.assignment_cancel(assignment=rng.choice(active), actor=w.coordinator)
            elif action == "expire":
                services.offers_expire(now=timezone.now() + timedelta(days=rng.choice([0, 3])))
            elif action == "close":
                services.requests_close_ended(today=w.start + timedelta(weeks=rng.randrange(1, 8)))
            for request in made:
                request.refresh_from_db()
                seen.add(request.status)
            if step % 10 == 9:
                assert_figures_equal_the_rows(w.pool, period, viewer, today)
        # Whatever the sequence left open ends unfilled once its period is over.
        services.requests_close_ended(today=w.start + timedelta(weeks=30))
        seen |= set(ReplacementRequest.objects.filter(pool=w.pool).values_list("status", flat=True))
        assert_figures_equal_the_rows(w.pool, period, viewer, today)
        # A board leaving changes who takes part, not what was asked: the figures still agree.
        leaving = PoolBoardFactory(pool=w.pool, board=BoardFactory(name="Stichting Tijdelijk"))
        services.pool_board_remove(participation=leaving, actor=w.coordinator)
    dashboard = assert_figures_equal_the_rows(w.pool, period, viewer, today)
    # The sequence passed the edge cases the figures must get right.
    assert {"cancelled", "filled", "unfilled", "offered", "open", "proposed"} <= seen, seen
    assert any(r.start_date.month != r.end_date.month for r in made)
    assert (
        dashboard.fill.total
        == ReplacementRequest.objects.filter(pool=w.pool, start_date__gte=period.start, start_date__lte=period.end)
        .exclude(status="cancelled")
        .count()
    )
    assert {row.label for row in dashboard.subregions} == {"Noord", "Geen subregio"}
    assert dashboard.fairness.total_hours > 0 and dashboard.utilisation.total.assigned_hours > 0
    # A rebuild from scratch gives exactly the rows the services kept.
    kept = sorted(
        RequestMonthFigures.objects.filter(pool=w.pool).values_list(
            "month", "subject", "reason", "status", "requests", "hours", "filled_hours"
        )
    )
    figures_rebuild(pool=w.pool)
    assert (
        sorted(
            RequestMonthFigures.objects.filter(pool=w.pool).values_list(
                "month", "subject", "reason", "status", "requests", "hours", "filled_hours"
            )
        )
        == kept
    )


def test_the_savings_figures_follow_the_hours_services():
    w = build_hours_world()
    second = AssignmentFactory(request=w.request, member=w.m_idle, hours_per_week=Decimal("4.0"))
    figures_rebuild(pool=w.pool)  # the world's request and assignments were made by factories
    rng = random.Random(10)
    viewer = monitoring.Viewer(w.coordinator, w.pool)
    today = timezone.localdate()
    period = whole_months(w.start, 3)
    weeks = [w.start + timedelta(weeks=n) for n in range(4)]  # the assignment's four weeks, across a month end
    for _step in range(40):
        assignment = rng.choice([w.assignment, second])
        week = rng.choice(weeks)
        entry = HoursEntry.objects.filter(assignment=assignment, week_start=week).first()
        with suppress(PoolError):
            if entry is None or entry.status == HoursEntry.Status.DISPUTED or rng.random() < 0.3:
                services.hours_entry_create(
                    assignment=assignment,
                    week_start=week,
                    hours=rng.choice([2, 4, 6, 8]),
                    side=Side.SCHOOL,
                    actor=w.hr_a,
                )
            elif rng.random() < 0.7:
                services.hours_entry_confirm(entry=entry, side=Side.COORDINATOR, actor=w.coordinator)
            else:
                services.hours_entry_dispute(
                    entry=entry, side=Side.COORDINATOR, actor=w.coordinator, note="Klopt niet."
                )
    dashboard = assert_figures_equal_the_rows(w.pool, period, viewer, today)
    confirmed = sum(HoursEntry.objects.filter(status="confirmed").values_list("hours", flat=True), Decimal(0))
    assert confirmed > 0 and dashboard.savings.total.hours == confirmed
    assert HoursMonthFigures.objects.filter(pool=w.pool).exists()


def test_check_reports_figures_that_no_longer_match_and_a_rebuild_repairs_them():
    w = build_hours_world()
    call_command("pool_figures")
    call_command("pool_figures", "--check")  # agrees: no error
    RequestMonthFigures.objects.filter(pool=w.pool).update(requests=99)
    with pytest.raises(CommandError):
        call_command("pool_figures", "--check", "--pool", w.pool.slug)
    assert RequestMonthFigures.objects.filter(pool=w.pool, requests=99).exists()  # --check changes nothing
    call_command("pool_figures", "--pool", w.pool.slug)
    assert figures_differences(pool=w.pool) == []


def test_periods_that_are_not_whole_months_are_counted_from_the_requests():
    w = build_hours_world()  # factory-made request: no stored figures at all
    viewer = monitoring.Viewer(w.coordinator, w.pool)
    period = monitoring.Period(w.start - timedelta(days=3), w.start + timedelta(days=40))
    dashboard = monitoring.monitoring_dashboard(pool=w.pool, period=period, viewer=viewer, today=timezone.localdate())
    assert dashboard.fill.total == 1
    with pytest.raises(ValueError):
        monitoring.request_source(pool=w.pool, period=period, stored=True)


def test_the_dashboard_does_not_query_once_per_board():
    """The chain-rule warnings asked the database once per participating board (20 boards: 20 queries)."""
    w = build_hours_world()
    viewer = monitoring.Viewer(w.coordinator, w.pool)
    period = whole_months(w.start, 2)
    today = timezone.localdate()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            monitoring.monitoring_dashboard(pool=w.pool, period=period, viewer=viewer, today=today)
        return len(captured)

    before = queries()
    for number in range(5):
        PoolBoardFactory(
            pool=w.pool, board=BoardFactory(name=f"Stichting Extra {number}"), chain_exempt_reasons=["illness"]
        )
    assert queries() == before


def chain_warnings_per_board(*, pool, viewer, today):
    """The chain-rule warnings as they were computed before: one query per participating board (reference)."""
    from onderwijsregio.pool.models import MemberContract, PoolMember

    members = PoolMember.objects.filter(pool=pool, is_active=True)
    found = []
    for participant in pool.participants.select_related("board"):
        cutoff = add_months(today, -participant.chain_window_months)
        contracts = MemberContract.objects.filter(
            board_id=participant.board_id, member__in=members, start_date__gt=cutoff, start_date__lte=today
        )
        exempt = [reason for reason in participant.chain_exempt_reasons or [] if reason]
        if exempt:
            contracts = contracts.exclude(assignment__request__reason__in=exempt)
        for row in (
            contracts.order_by()
            .values("member_id", "member__full_name", "member__employer_id")
            .annotate(n=Count("pk"))
            .filter(n__gte=max(participant.chain_max_contracts - 1, 1))
        ):
            name = row["member__full_name"] if viewer.may_name(row["member__employer_id"]) else None
            found.append((participant.board.name, name, row["n"], participant.chain_max_contracts))
    return sorted(found, key=lambda row: (row[0], row[1] or "", row[2]))


def test_chain_warnings_in_one_query_equal_the_per_board_count():
    from onderwijsregio.pool.models import MemberContract
    from onderwijsregio.pool.tests.factories import PoolMemberFactory, ReplacementRequestFactory

    w = build_hours_world()
    rng = random.Random(7)
    today = timezone.localdate()
    boards = [w.pb_a, w.pb_b]
    for number, (limit, window, exempt) in enumerate([(2, 12, []), (4, 36, ["illness", ""]), (3, 6, ["leave"])]):
        boards.append(
            PoolBoardFactory(
                pool=w.pool,
                board=BoardFactory(name=f"Stichting Keten {number}"),
                chain_max_contracts=limit,
                chain_window_months=window,
                chain_exempt_reasons=exempt,
            )
        )
    w.pb_a.chain_exempt_reasons = ["illness"]
    w.pb_a.save()
    members = [w.m1, w.m_idle, w.m_a] + [
        PoolMemberFactory(pool=w.pool, employer=rng.choice([w.board_a, w.board_b]), is_active=rng.random() < 0.85)
        for _ in range(12)
    ]
    for _ in range(120):
        member, participant = rng.choice(members), rng.choice(boards)
        start = today - timedelta(days=rng.randrange(-30, 1200))
        assignment = None
        if rng.random() < 0.7:  # some contracts have no assignment (entered by hand)
            request = ReplacementRequestFactory(
                pool=w.pool, school_location=w.school_a, reason=rng.choice(["illness", "leave", "vacancy"])
            )
            # Only the request's reason matters here; a member of its own keeps the booked day-parts apart.
            assignment = AssignmentFactory(request=request, member=PoolMemberFactory(pool=w.pool))
        MemberContract.objects.create(member=member, board=participant.board, start_date=start, assignment=assignment)
    for user in (w.coordinator, w.hr_b):
        viewer = monitoring.Viewer(user, w.pool)
        report = monitoring.warnings(pool=w.pool, viewer=viewer, today=today)
        got = sorted(
            ((row.board, row.name, row.contracts, row.maximum) for row in report.chain),
            key=lambda row: (row[0], row[1] or "", row[2]),
        )
        assert got == chain_warnings_per_board(pool=w.pool, viewer=viewer, today=today)
        assert len(got) >= 5
