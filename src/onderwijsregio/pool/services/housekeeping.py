"""Periodic work of the pool: expire offers, widen releases, close ended requests, start the scheduled batches.

`tasks.housekeeping_task` and `manage.py pool_housekeeping` run `housekeeping_run`.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..errors import PoolError
from ..models import (
    Assignment,
    Offer,
    Pool,
    ReplacementRequest,
)
from .batches import batch_start
from .figures import figures_kept, figures_touch
from .lifecycle import offer_withdraw
from .offers import offers_expire
from .requests import release_tiers_widen

logger = logging.getLogger(__name__)


@transaction.atomic
@figures_kept()
def requests_close_ended(*, today: date | None = None) -> int:
    """Requests whose period ended without anyone: unfilled (the dashboard counts them)."""
    today = today or timezone.localdate()
    ended = ReplacementRequest.objects.filter(
        status__in=[
            ReplacementRequest.Status.OPEN,
            ReplacementRequest.Status.PROPOSED,
            ReplacementRequest.Status.OFFERED,
        ],
        end_date__lt=today,
        filled_hours_per_week=0,
    )
    count = 0
    for request in ended.select_related("subject"):
        for offer in request.offers.filter(status=Offer.Status.OPEN).select_related("member"):
            offer_withdraw(offer=offer, why=_("de periode is voorbij"), mail=False)
        request.status = ReplacementRequest.Status.UNFILLED
        request.save(update_fields=["status", "updated_at"])
        figures_touch(request=request)
        count += 1
    Assignment.objects.filter(status=Assignment.Status.ACTIVE, end_date__lt=today).update(
        status=Assignment.Status.COMPLETED
    )
    return count


def scheduled_batches_start(*, now: datetime | None = None) -> list[int]:
    """Start a batch for each active pool with auto_batch, on working days, at most once a day."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if today.weekday() >= 5:
        return []
    started = []
    for pool in Pool.objects.filter(is_active=True, auto_batch=True).order_by("pk"):
        if pool.batches.filter(is_scheduled=True, created_at__date=today).exists():
            continue
        if not selectors.batch_requests(pool=pool, today=today).exists():
            continue
        try:
            batch = batch_start(pool=pool, actor=None, scheduled=True)
        except PoolError:
            continue  # a batch is running already; tomorrow is another day
        started.append(batch.pk)
    return started


def housekeeping_run(*, now: datetime | None = None, batches: bool = True) -> dict:
    now = now or timezone.now()
    result = {
        "offers_expired": offers_expire(now=now),
        "requests_released": release_tiers_widen(now=now),
        "requests_closed": requests_close_ended(today=timezone.localdate(now)),
        "batches_started": scheduled_batches_start(now=now) if batches else [],
    }
    return result
