"""No double booking, whatever happens at the same moment.

The database constraint (one BookedSlot per member, day and day-part) is tested on every database.
The concurrent scenarios need real concurrent transactions, so they run on PostgreSQL only: two
threads, each with its own connection, meet at a barrier inside their transactions and then act
at once.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone

from onderwijsregio.pool import services
from onderwijsregio.pool.models import Assignment, BookedSlot, Offer
from onderwijsregio.pool.tests.factories import AssignmentFactory

from .workflow_setup import build_world, make_request

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Concurrent transactions with row locks need PostgreSQL; SQLite serialises all writers.",
)


@pytest.mark.django_db
def test_database_refuses_a_clashing_slot():
    w = build_world()
    request = make_request(w)
    assignment = AssignmentFactory(request=request, member=w.m1)
    slot = assignment.slots.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        BookedSlot.objects.create(assignment=assignment, member=w.m1, day=slot.day, part=slot.part)


def _run_concurrently(actions):
    """Run each action in its own thread and connection; all meet at a barrier inside a transaction."""
    barrier = threading.Barrier(len(actions), timeout=30)
    results: list = [None] * len(actions)

    def worker(index, action):
        close_old_connections()
        try:
            with transaction.atomic():
                barrier.wait()  # both transactions are open before either one acts
                results[index] = ("ok", action())
        except Exception as error:  # the refusal is the result we check
            results[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_accepts_for_overlapping_work_book_the_member_once(transactional_db):
    w = build_world()
    first = make_request(w, school_location=w.school_a1)
    second = make_request(w, school_location=w.school_a2, class_key="3C")  # same days and day-parts
    offers = [
        Offer.objects.create(
            request=r, member=w.m1, hours_per_week=r.hours_per_week, expires_at=timezone.now() + timedelta(hours=4)
        )
        for r in (first, second)
    ]
    results = _run_concurrently([lambda o=o: services.offer_accept(token=o.token) for o in offers])
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"], results
    refusal = next(value for kind, value in results if kind == "error")
    assert isinstance(refusal, services.OfferRefused)
    assert "al ingeroosterd" in refusal.messages[0]
    assert Assignment.objects.filter(member=w.m1).count() == 1
    assignment = Assignment.objects.get(member=w.m1)
    assert BookedSlot.objects.filter(member=w.m1).count() == assignment.slots.count() == 6


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_confirming_at_once_send_offers_once(transactional_db):
    w = build_world()
    make_request(w)
    batch = services.batch_run(pool=w.pool, actor=w.coordinator)
    results = _run_concurrently(
        [
            lambda: services.batch_confirm(batch=batch, actor=w.coordinator),
            lambda: services.batch_confirm(batch=batch, actor=w.other_coordinator),
        ]
    )
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"], results
    refusal = next(value for kind, value in results if kind == "error")
    assert "al bevestigd" in refusal.messages[0]
    assert Offer.objects.count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_requests_filed_at_once_leave_the_monthly_figures_right(transactional_db):
    """Both refresh the same month of the monitor's figures; the month lock makes the second recompute
    after the first commits instead of both deleting and inserting side by side (decision 22)."""
    from onderwijsregio.pool.models import RequestMonthFigures
    from onderwijsregio.pool.services.figures import figures_differences

    from .test_services import request_data

    w = build_world()
    services.request_create(pool=w.pool, actor=w.hr_a, school_location=w.school_a1, data=request_data(w))
    results = _run_concurrently(
        [
            lambda school=school: services.request_create(
                pool=w.pool, actor=w.hr_a, school_location=school, data=request_data(w)
            )
            for school in (w.school_a1, w.school_a2)
        ]
    )
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert figures_differences(pool=w.pool) == []
    assert sum(RequestMonthFigures.objects.filter(pool=w.pool).values_list("requests", flat=True)) == 3
