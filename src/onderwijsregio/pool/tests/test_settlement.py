"""Settlement: the arithmetic (with a property test: balances always add up to zero) and the stored run."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from onderwijsregio.core.models import AuditEvent
from onderwijsregio.organisations.tests.factories import BoardFactory
from onderwijsregio.pool.models import ContributionKey, HoursEntry, Pool
from onderwijsregio.pool.services import (
    BoardHours,
    distribute,
    settlement_compute,
    settlement_run_create,
    settlement_totals,
)
from onderwijsregio.pool.tests.factories import (
    AssignmentFactory,
    HoursEntryFactory,
    PoolMemberFactory,
    ReplacementRequestFactory,
)
from onderwijsregio.pool.tests.test_hours import build_hours_world

CENT = Decimal("0.01")


def test_distribute_splits_exactly_by_largest_remainder():
    assert distribute(total=Decimal("100.00"), weights=[Decimal(1)] * 3) == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]
    assert distribute(total=Decimal("10.00"), weights=[Decimal(0), Decimal(3), Decimal(1)]) == [
        Decimal("0.00"),
        Decimal("7.50"),
        Decimal("2.50"),
    ]
    with pytest.raises(ValueError):
        distribute(total=Decimal("1.00"), weights=[Decimal(0)])


def test_two_boards_sharing_by_pupils():
    """A received 100 hours from B's members; both have as many pupils, so each carries half the cost."""
    figures = settlement_compute(
        boards=[
            BoardHours(board_id=1, hours_received=Decimal(100), hours_supplied=Decimal(0), key_weight=Decimal(1000)),
            BoardHours(board_id=2, hours_received=Decimal(0), hours_supplied=Decimal(100), key_weight=Decimal(1000)),
        ],
        payroll_rate=Decimal("58.00"),
        agency_rate=Decimal("113.00"),
    )
    a, b = figures.lines
    assert figures.total_payroll_cost == Decimal("5800.00")
    assert (a.cost_received, a.agency_cost_avoided, a.savings) == (
        Decimal("5800.00"),
        Decimal("11300.00"),
        Decimal("5500.00"),
    )
    assert a.key_share == b.key_share == Decimal("0.500000")
    assert a.contribution_due == b.contribution_due == Decimal("2900.00")
    assert (a.value_supplied, b.value_supplied) == (Decimal("0.00"), Decimal("5800.00"))
    assert (a.balance, b.balance) == (Decimal("2900.00"), Decimal("-2900.00"))
    assert not figures.equal_shares


def test_without_any_key_weight_boards_share_equally():
    figures = settlement_compute(
        boards=[
            BoardHours(1, Decimal(10), Decimal(0), Decimal(0)),
            BoardHours(2, Decimal(0), Decimal(10), Decimal(0)),
        ],
        payroll_rate=Decimal("58.00"),
        agency_rate=Decimal("113.00"),
    )
    assert figures.equal_shares
    assert [line.contribution_due for line in figures.lines] == [Decimal("290.00"), Decimal("290.00")]


hours = st.decimals(min_value=0, max_value=2000, places=2, allow_nan=False, allow_infinity=False)
rates = st.decimals(min_value=Decimal("0.01"), max_value=500, places=2, allow_nan=False, allow_infinity=False)
weights = st.one_of(
    st.just(Decimal(0)),
    st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False),
)


@st.composite
def pools(draw):
    """Boards and worked hours: each chunk of hours is received by one board and supplied by another."""
    board_count = draw(st.integers(min_value=1, max_value=8))
    received = [Decimal(0)] * board_count
    supplied = [Decimal(0)] * board_count
    for receiver, supplier, amount in draw(
        st.lists(st.tuples(st.integers(0, board_count - 1), st.integers(0, board_count - 1), hours), max_size=20)
    ):
        received[receiver] += amount
        supplied[supplier] += amount
    return [
        BoardHours(
            board_id=index, hours_received=received[index], hours_supplied=supplied[index], key_weight=draw(weights)
        )
        for index in range(board_count)
    ]


@settings(max_examples=300, deadline=None)
@given(boards=pools(), payroll=rates, agency=rates)
def test_balances_always_add_up_to_zero_and_every_amount_is_in_cents(boards, payroll, agency):
    figures = settlement_compute(boards=boards, payroll_rate=payroll, agency_rate=agency)
    lines = figures.lines
    total_hours = sum((board.hours_supplied for board in boards), Decimal(0))
    exact_cost = total_hours * payroll
    # The balances of a settlement add up to zero (exactly; the brief allows a cent).
    assert abs(sum((line.balance for line in lines), Decimal(0))) <= CENT
    assert sum((line.balance for line in lines), Decimal(0)) == 0
    # Contributions and the value supplied each add up to the pool's payroll cost, within a cent of exact.
    assert sum((line.contribution_due for line in lines), Decimal(0)) == figures.total_payroll_cost
    assert sum((line.value_supplied for line in lines), Decimal(0)) == figures.total_payroll_cost
    assert abs(figures.total_payroll_cost - exact_cost) <= Decimal("0.005")
    weight_sum = sum((max(board.key_weight, Decimal(0)) for board in boards), Decimal(0))
    for board, line in zip(boards, lines, strict=True):
        for amount in (line.cost_received, line.agency_cost_avoided, line.contribution_due, line.value_supplied):
            assert amount == amount.quantize(CENT)
        assert line.savings == line.agency_cost_avoided - line.cost_received
        assert line.balance == line.contribution_due - line.value_supplied
        share = board.key_weight / weight_sum if weight_sum > 0 else Decimal(1) / len(boards)
        # Each contribution is within a cent of its exact share of the (rounded) total.
        assert abs(line.contribution_due - share * figures.total_payroll_cost) < CENT
        if total_hours:
            assert abs(line.value_supplied - board.hours_supplied / total_hours * figures.total_payroll_cost) < CENT
    assert abs(sum((line.key_share for line in lines), Decimal(0)) - 1) <= Decimal("0.000001") * len(lines)


# --- The stored run -----------------------------------------------------------------------------


@pytest.fixture
def w(db):
    w = build_hours_world()
    # Four weeks of eight hours at board A's school by board B's member: three confirmed, one entered.
    for week in range(4):
        HoursEntryFactory(
            assignment=w.assignment,
            week_start=w.start + timedelta(weeks=week),
            hours=Decimal("8.00"),
            status=HoursEntry.Status.CONFIRMED if week < 3 else HoursEntry.Status.ENTERED,
        )
    # A's own member works two weeks at B's school; one confirmed, one disputed.
    request_b = ReplacementRequestFactory(
        pool=w.pool, school_location=w.school_b, subject=w.ne, start_date=w.start, end_date=w.start + timedelta(days=11)
    )
    w.assignment_b = AssignmentFactory(request=request_b, member=w.m_a)
    HoursEntryFactory(assignment=w.assignment_b, week_start=w.start, hours=Decimal("5.50"), status="confirmed")
    HoursEntryFactory(
        assignment=w.assignment_b, week_start=w.start + timedelta(weeks=1), hours=Decimal("5.00"), status="disputed"
    )
    w.period = (w.start, w.start + timedelta(weeks=4) - timedelta(days=1))
    return w


def _lines(run):
    return {line.board.name: line for line in run.lines.select_related("board")}


@pytest.mark.django_db
def test_run_per_pupil_counts_confirmed_hours_and_latest_pupils(w):
    run = settlement_run_create(pool=w.pool, period_start=w.period[0], period_end=w.period[1], actor=w.coordinator)
    assert (run.payroll_rate, run.agency_rate, run.contribution_key) == (
        Decimal("58.00"),
        Decimal("113.00"),
        ContributionKey.PER_PUPIL,
    )
    lines = _lines(run)
    a, b = lines["Stichting Vraagt"], lines["Stichting Levert"]
    assert (a.hours_received, a.hours_supplied) == (Decimal("24.00"), Decimal("5.50"))
    assert (b.hours_received, b.hours_supplied) == (Decimal("5.50"), Decimal("24.00"))
    # Latest counts (2025): 600 and 400 pupils.
    assert (a.key_share, b.key_share) == (Decimal("0.600000"), Decimal("0.400000"))
    total_cost = Decimal("29.50") * Decimal("58.00")  # 1711.00
    assert a.contribution_due == Decimal("1026.60") and b.contribution_due == Decimal("684.40")
    assert a.contribution_due + b.contribution_due == total_cost
    assert a.value_supplied == Decimal("319.00") and b.value_supplied == Decimal("1392.00")
    assert a.balance == Decimal("707.60") and b.balance == Decimal("-707.60")
    assert a.cost_received == Decimal("1392.00") and a.agency_cost_avoided == Decimal("2712.00")
    assert a.savings == Decimal("1320.00")
    assert settlement_totals(lines=list(run.lines.all())).balance == 0
    event = AuditEvent.objects.get(action="pool.settlement_created")
    assert event.object_id == str(run.pk) and event.organisation_id == w.region.pk


@pytest.mark.django_db
def test_run_with_unconfirmed_hours_leaves_out_only_disputed_ones(w):
    run = settlement_run_create(
        pool=w.pool, period_start=w.period[0], period_end=w.period[1], actor=w.coordinator, only_confirmed_hours=False
    )
    a = _lines(run)["Stichting Vraagt"]
    assert a.hours_received == Decimal("32.00") and a.hours_supplied == Decimal("5.50")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "share_a"),
    [(ContributionKey.PER_FTE, Decimal("0.750000")), (ContributionKey.PER_HOUR, Decimal("0.813559"))],
)
def test_run_per_fte_and_per_hour(w, key, share_a):
    Pool.objects.filter(pk=w.pool.pk).update(contribution_key=key)
    w.pool.refresh_from_db()
    run = settlement_run_create(pool=w.pool, period_start=w.period[0], period_end=w.period[1], actor=w.coordinator)
    lines = _lines(run)
    assert lines["Stichting Vraagt"].key_share == share_a
    assert sum(line.balance for line in lines.values()) == 0


@pytest.mark.django_db
def test_a_regional_employer_outside_the_boards_gets_its_own_line(w):
    employer = BoardFactory(name="Regionale Werkgever")
    member = PoolMemberFactory(pool=w.pool, employer=employer, email="regio@example.nl")
    assignment = AssignmentFactory(
        request=ReplacementRequestFactory(
            pool=w.pool, school_location=w.school_a, start_date=w.start, end_date=w.start + timedelta(days=4)
        ),
        member=member,
    )
    HoursEntryFactory(assignment=assignment, week_start=w.start, hours=Decimal("3.25"), status="confirmed")
    run = settlement_run_create(pool=w.pool, period_start=w.period[0], period_end=w.period[1], actor=w.coordinator)
    lines = _lines(run)
    assert lines["Regionale Werkgever"].hours_supplied == Decimal("3.25")
    assert lines["Regionale Werkgever"].key_share == 0
    assert lines["Regionale Werkgever"].balance == Decimal("-188.50")
    assert sum(line.balance for line in lines.values()) == 0


@pytest.mark.django_db
def test_weeks_count_in_the_period_of_their_monday(w):
    run = settlement_run_create(
        pool=w.pool, period_start=w.start + timedelta(days=1), period_end=w.period[1], actor=w.coordinator
    )
    assert _lines(run)["Stichting Vraagt"].hours_received == Decimal("16.00")


@pytest.mark.django_db
def test_an_empty_period_settles_to_zero(w):
    run = settlement_run_create(
        pool=w.pool,
        period_start=w.start - timedelta(days=60),
        period_end=w.start - timedelta(days=30),
        actor=w.coordinator,
    )
    assert {line.balance for line in run.lines.all()} == {Decimal("0.00")}
    assert run.lines.count() == 2


@pytest.mark.django_db
def test_a_period_ending_before_it_starts_is_refused_with_a_dutch_error(w):
    with pytest.raises(ValidationError) as error:
        settlement_run_create(pool=w.pool, period_start=w.period[1], period_end=w.period[0], actor=w.coordinator)
    assert "vóór de eerste dag" in error.value.message_dict["period_end"][0]
    with pytest.raises(ValidationError) as error:
        settlement_run_create(
            pool=w.pool, period_start=w.period[0], period_end=w.period[0] + timedelta(days=1200), actor=w.coordinator
        )
    assert "drie jaar" in error.value.message_dict["period_end"][0]
    assert not AuditEvent.objects.filter(action="pool.settlement_created").exists()
