"""Housekeeping: expiry, release tiers, ended requests and scheduled batches."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from onderwijsregio.pool import services
from onderwijsregio.pool.models import Batch, Offer, ReplacementRequest

from .workflow_setup import build_world, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_world()


def a_weekday(hour=7):
    now = timezone.localtime()
    while now.weekday() >= 5:
        now += timedelta(days=1)
    return now.replace(hour=hour)


def test_housekeeping_expires_offers_and_widens_tiers(w):
    w.pool.release_own_board_after_days = 1
    w.pool.release_pool_after_days = 2
    w.pool.save()
    offered = make_request(w, status="offered")
    Offer.objects.create(
        request=offered, member=w.m1, hours_per_week=8, expires_at=timezone.now() - timedelta(minutes=5)
    )
    waiting = make_request(w, release_tier="own_school", school_location=w.school_a2)
    ReplacementRequest.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(days=3))
    result = services.housekeeping_run(batches=False)
    assert result["offers_expired"] == 1
    assert result["requests_released"] == 1
    offered.refresh_from_db()
    waiting.refresh_from_db()
    assert offered.status == ReplacementRequest.Status.OPEN
    assert waiting.release_tier == "pool"


def test_ended_requests_become_unfilled(w):
    old = make_request(
        w, start_date=timezone.localdate() - timedelta(days=20), end_date=timezone.localdate() - timedelta(days=1)
    )
    assert services.housekeeping_run(batches=False)["requests_closed"] == 1
    old.refresh_from_db()
    assert old.status == ReplacementRequest.Status.UNFILLED


def test_scheduled_batch_once_per_working_day(w, run_worker, django_capture_on_commit_callbacks):
    make_request(w)
    w.pool.auto_batch = True
    w.pool.save()
    now = a_weekday()
    with django_capture_on_commit_callbacks(execute=True):
        started = services.scheduled_batches_start(now=now)
    assert len(started) == 1
    run_worker()
    batch = Batch.objects.get()
    assert batch.is_scheduled and batch.status == Batch.Status.PROPOSED
    assert services.scheduled_batches_start(now=now) == []  # not twice the same day
    saturday = now + timedelta(days=(5 - now.weekday()))
    assert services.scheduled_batches_start(now=saturday) == []


def test_pools_without_auto_batch_are_left_alone(w):
    make_request(w)
    assert services.scheduled_batches_start(now=a_weekday()) == []


def test_command(w):
    out = StringIO()
    call_command("pool_housekeeping", "--no-batches", stdout=out)
    assert "Aanbiedingen verlopen: 0" in out.getvalue()
    out = StringIO()
    call_command("pool_housekeeping", "--enqueue", stdout=out)
    assert "in de wachtrij" in out.getvalue()
