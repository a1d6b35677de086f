"""Monitoring selectors: one per monitoring question, with known figures, names only where allowed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from onderwijsregio.pool import monitoring
from onderwijsregio.pool.engine.calendar import add_months
from onderwijsregio.pool.models import HoursEntry, Level, MemberContract, PoolBoard, PoolMember, ReplacementRequest
from onderwijsregio.pool.tests.factories import (
    AssignmentFactory,
    HoursEntryFactory,
    PoolMemberFactory,
    ReplacementRequestFactory,
)
from onderwijsregio.pool.tests.test_hours import build_hours_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    w = build_hours_world()
    w.period = monitoring.Period(w.start - timedelta(days=7), w.start + timedelta(days=60))
    # Board B's school asks for Dutch (leave, two levels), not filled.
    w.r2 = ReplacementRequestFactory(
        pool=w.pool,
        school_location=w.school_b,
        subject=w.ne,
        start_date=w.start + timedelta(days=7),
        end_date=w.start + timedelta(days=40),
        hours_per_week=Decimal("4.0"),
        levels=[Level.VMBO_GT.value, Level.HAVO_UPPER.value],
        reason="leave",
        status="unfilled",
    )
    # Withdrawn, and outside the period: neither counts.
    ReplacementRequestFactory(pool=w.pool, school_location=w.school_a, start_date=w.start, status="cancelled")
    ReplacementRequestFactory(pool=w.pool, school_location=w.school_a, start_date=w.start + timedelta(days=90))
    return w


def coordinator_view(w):
    return monitoring.Viewer(w.coordinator, w.pool)


def test_demand_by_month_subject_level_and_reason(w):
    report = monitoring.demand(pool=w.pool, period=w.period)
    assert report.total == 2
    assert {row.label: row.requests for row in report.by_subject} == {"wiskunde": 1, "Nederlands": 1}
    assert {row.label: row.requests for row in report.by_level} == {
        "onderbouw havo/vwo": 1,
        "vmbo gemengd/theoretisch": 1,
        "bovenbouw havo": 1,
    }
    assert {row.label: row.requests for row in report.by_reason} == {"ziekte": 1, "verlof": 1}
    assert {row.label: row.hours_per_week for row in report.by_reason} == {
        "ziekte": Decimal("8.0"),
        "verlof": Decimal("4.0"),
    }
    months = {row.label: row.requests for row in report.months}
    assert sum(months.values()) == 2
    assert months[f"{w.start:%Y-%m}"] >= 1
    assert list(months) == [f"{month:%Y-%m}" for month in monitoring.months_of(period=w.period)]
    assert sum(sum(counts) for counts in report.reason_series.values()) == 2


def test_fill_rate_and_median_time_to_fill(w):
    created = timezone.now() - timedelta(days=30)
    ReplacementRequest.objects.filter(pk=w.request.pk).update(created_at=created, filled_at=created + timedelta(days=2))
    other = ReplacementRequestFactory(
        pool=w.pool, school_location=w.school_a, start_date=w.start, status="filled", filled_hours_per_week=8
    )
    ReplacementRequest.objects.filter(pk=other.pk).update(created_at=created, filled_at=created + timedelta(days=6))
    ReplacementRequestFactory(
        pool=w.pool, school_location=w.school_a, start_date=w.start, status="partially_filled", filled_hours_per_week=4
    )
    report = monitoring.fill(pool=w.pool, period=w.period)
    assert (report.total, report.filled, report.partially_filled, report.unfilled) == (4, 2, 1, 1)
    assert report.fill_rate == pytest.approx(50.0)
    assert report.hours_requested == Decimal("28.0") and report.hours_filled == Decimal("20.0")
    assert report.median_days_to_fill == pytest.approx(4.0)
    assert sum(month.requests for month in report.months) == 4


def test_unfilled_days_and_lesson_hours_lost(w):
    today = w.start + timedelta(days=14)  # a Monday: two full working weeks have passed
    lost_request = ReplacementRequestFactory(
        pool=w.pool,
        school_location=w.school_a,
        subject=w.wi,
        start_date=w.start,
        end_date=w.start + timedelta(days=60),
        hours_per_week=Decimal("8.0"),
        status="open",
    )
    ReplacementRequestFactory(
        pool=w.pool,
        school_location=w.school_a,
        subject=w.wi,
        start_date=w.start,
        end_date=w.start + timedelta(days=60),
        hours_per_week=Decimal("10.0"),
        filled_hours_per_week=Decimal("4.0"),
        status="partially_filled",
    )
    report = monitoring.lost(pool=w.pool, period=w.period, today=today)
    wiskunde = next(row for row in report.by_subject if row.label == "wiskunde")
    # 10 working days each; 8 open hours and 6 open hours a week -> 16 + 12 lesson hours.
    assert (wiskunde.requests, wiskunde.days, wiskunde.lesson_hours) == (2, 20, pytest.approx(28.0))
    # r2 (Dutch, unfilled) started a week later: 5 working days of 4 hours.
    nederlands = next(row for row in report.by_subject if row.label == "Nederlands")
    assert (nederlands.days, nederlands.lesson_hours) == (5, pytest.approx(4.0))
    assert report.total.lesson_hours == pytest.approx(32.0)
    assert lost_request.pk  # the filled request (w.request) is not counted
    assert report.total.requests == 3


def test_utilisation_and_who_never_worked_with_names_only_where_allowed(w):
    period = monitoring.Period(w.start, w.start + timedelta(days=27))  # four working weeks
    report = monitoring.utilisation(pool=w.pool, period=period, viewer=coordinator_view(w))
    board_b = next(row for row in report.by_employer if row.label == "Stichting Levert")
    # Anna: 8 of 16 hours a week for four weeks; Ivo: nothing.
    assert board_b.capacity_hours == pytest.approx(128.0)
    assert board_b.assigned_hours == pytest.approx(32.0)
    assert board_b.utilisation == pytest.approx(25.0)
    assert (board_b.without_work, board_b.never_worked) == (1, 1)
    assert {row.name for row in report.never_worked_named} == {"Ivo Nooitingezet", "Aart Eigen"}
    assert dict(report.buckets)["0%"] == 2 and dict(report.buckets)["25–50%"] == 1
    # HR of board A sees its own member by name and only counts the other board's.
    as_hr_a = monitoring.utilisation(pool=w.pool, period=period, viewer=monitoring.Viewer(w.hr_a, w.pool))
    assert [row.name for row in as_hr_a.never_worked_named] == ["Aart Eigen"]
    assert as_hr_a.never_worked_other == 1


def test_fairness_received_against_key_share_and_supplied(w):
    period = monitoring.Period(w.start, w.start + timedelta(days=27))
    report = monitoring.fairness(pool=w.pool, period=period)
    rows = {row.label: row for row in report.rows}
    a, b = rows["Stichting Vraagt"], rows["Stichting Levert"]
    assert (a.hours_received, a.hours_supplied) == (pytest.approx(32.0), 0.0)
    assert (b.hours_received, b.hours_supplied) == (0.0, pytest.approx(32.0))
    assert a.key_share == pytest.approx(60.0) and b.key_share == pytest.approx(40.0)
    assert a.received_share == pytest.approx(100.0) and a.difference == pytest.approx(40.0)
    assert report.key_label == "naar leerlingaantal"


def test_chain_rule_and_vog_warnings(w):
    today = w.start + timedelta(days=30)
    PoolBoard.objects.filter(pk=w.pb_b.pk).update(chain_exempt_reasons=["illness"])
    w.pool.refresh_from_db()
    for member, board, months_ago in [
        (w.m1, w.board_a, [2, 10]),  # two of three: one contract left
        (w.m_a, w.board_a, [1, 5, 20]),  # at the maximum
        (w.m_idle, w.board_a, [3, 40]),  # one is outside the 36-month window
    ]:
        for months in months_ago:
            MemberContract.objects.create(member=member, board=board, start_date=add_months(today, -months))
    # With board B, one of Anna's two contracts replaced illness, which B exempts.
    MemberContract.objects.create(member=w.m1, board=w.board_b, start_date=add_months(today, -4))
    MemberContract.objects.create(
        member=w.m1, board=w.board_b, start_date=add_months(today, -3), assignment=w.assignment
    )
    PoolMember.objects.filter(pk=w.m1.pk).update(vog_date=today - timedelta(days=100))
    PoolMember.objects.filter(pk=w.m_idle.pk).update(vog_date=add_months(today, -36) - timedelta(days=1))
    PoolMember.objects.filter(pk=w.m_a.pk).update(vog_date=add_months(today, -36) + timedelta(days=30))
    PoolMemberFactory(pool=w.pool, employer=w.board_b, full_name="Zonder Vog", email="zv@example.nl", vog_date=None)

    report = monitoring.warnings(pool=w.pool, viewer=coordinator_view(w), today=today)
    assert [(row.name, row.board, row.contracts, row.at_maximum) for row in report.chain] == [
        ("Aart Eigen", "Stichting Vraagt", 3, True),
        ("Anna Eerste", "Stichting Vraagt", 2, False),
    ]
    assert {row.name: row.kind for row in report.vog} == {
        "Ivo Nooitingezet": "expired",
        "Aart Eigen": "expiring",
        "Zonder Vog": "missing",
    }
    assert dict(report.counts)["VOG verlopen"] == 1
    as_hr_a = monitoring.warnings(pool=w.pool, viewer=monitoring.Viewer(w.hr_a, w.pool), today=today)
    assert {row.name for row in as_hr_a.vog} == {"Aart Eigen", None}
    assert {row.name for row in as_hr_a.chain} == {"Aart Eigen", None}


def test_without_vog_maximum_age_there_are_no_vog_warnings(w):
    type(w.pool).objects.filter(pk=w.pool.pk).update(vog_max_age_months=None)
    w.pool.refresh_from_db()
    PoolMember.objects.filter(pk=w.m1.pk).update(vog_date=None)
    report = monitoring.warnings(pool=w.pool, viewer=coordinator_view(w), today=w.start)
    assert report.vog == [] and not report.vog_expires


def test_savings_from_confirmed_hours(w):
    for week in range(4):
        HoursEntryFactory(
            assignment=w.assignment,
            week_start=w.start + timedelta(weeks=week),
            hours=Decimal("8.00"),
            status=HoursEntry.Status.CONFIRMED if week < 3 else HoursEntry.Status.ENTERED,
        )
    report = monitoring.savings(pool=w.pool, period=w.period)
    assert report.total.hours == Decimal("24.00")
    assert (report.total.payroll_cost, report.total.agency_cost, report.total.savings) == (
        Decimal("1392.00"),
        Decimal("2712.00"),
        Decimal("1320.00"),
    )
    assert [(row.label, row.savings) for row in report.by_board] == [("Stichting Vraagt", Decimal("1320.00"))]
    assert sum(row.hours for row in report.months) == Decimal("24.00")


def test_subregion_comparison(w):
    rows = {row.label: row for row in monitoring.subregions(pool=w.pool, period=w.period)}
    assert (rows["Eemland-Noord"].requests, rows["Eemland-Noord"].filled) == (1, 1)
    assert rows["Eemland-Noord"].fill_rate == pytest.approx(100.0)
    assert (rows["Geen subregio"].requests, rows["Geen subregio"].filled) == (1, 0)


def test_the_dashboard_query_count_does_not_grow_with_the_data(w):
    def count_queries() -> int:
        viewer = coordinator_view(w)
        with CaptureQueriesContext(connection) as queries:
            monitoring.monitoring_dashboard(
                pool=w.pool, period=w.period, viewer=viewer, today=w.start + timedelta(days=20)
            )
        return len(queries)

    def add(count: int, offset: int) -> None:
        for index in range(offset, offset + count):
            member = PoolMemberFactory(pool=w.pool, employer=w.board_b, email=f"extra{index}@example.nl")
            request = ReplacementRequestFactory(
                pool=w.pool,
                school_location=w.school_a if index % 2 else w.school_b,
                start_date=w.start + timedelta(days=index),
                end_date=w.start + timedelta(days=index + 20),
                status="filled" if index % 3 else "open",
            )
            assignment = AssignmentFactory(request=request, member=member)
            HoursEntryFactory(assignment=assignment, status="confirmed")

    add(2, 0)
    before = count_queries()
    add(30, 2)
    after = count_queries()
    assert after == before
