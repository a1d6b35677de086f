"""The shared state transitions of requests, offers and assignments, below every other pool service.

Requests, batches, offers and assignments all move each other's state: an accepted offer fills a
request and withdraws the other offers, a cancelled request withdraws its offers and stops its
assignments. Those transitions live here, once, so that the sub-domain modules call down into this
module and never into each other (no import circle). Nothing here opens a transaction: the callers'
use cases are atomic, and these helpers run inside them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from onderwijsregio.core.services import (
    audit_record,
    email_send_later,
)

from .. import audit
from ..models import (
    DAY_PART_VALUES,
    Assignment,
    Batch,
    MemberContract,
    Offer,
    Proposal,
    ReplacementRequest,
)
from .figures import figures_touch, figures_touch_assignment

logger = logging.getLogger(__name__)


def day_parts_of(*, values: Iterable[str] | None) -> list[str]:
    """Day-parts in week order, only known values."""
    return [value for value in DAY_PART_VALUES if value in set(values or ())]


def site_link(*, name: str, args: Sequence[Any] = ()) -> str:
    """An absolute link to a pool page, for an email."""
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def pool_mail(*, to: list[str], subject: str, template: str, context: dict) -> None:
    """The one mail of the pool: `pool/email/<template>.txt` to every address given, once the change commits."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    body = render_to_string(f"pool/email/{template}.txt", {"site_url": settings.SITE_URL, **context})
    email_send_later(to=recipients, subject=subject, body=body)


def request_status_refresh(*, request: ReplacementRequest) -> None:
    """Derive the status from what exists: filled hours, open offers, live proposals."""
    if request.status in (ReplacementRequest.Status.CANCELLED, ReplacementRequest.Status.UNFILLED):
        return
    filled = request.filled_hours_per_week
    if filled >= request.hours_per_week:
        status = ReplacementRequest.Status.FILLED
    elif request.offers.filter(status=Offer.Status.OPEN).exists():
        status = ReplacementRequest.Status.OFFERED
    elif filled > 0:
        status = ReplacementRequest.Status.PARTIALLY_FILLED
    elif request.proposals.filter(status=Proposal.Status.PROPOSED, batch__status=Batch.Status.PROPOSED).exists():
        status = ReplacementRequest.Status.PROPOSED
    else:
        status = ReplacementRequest.Status.OPEN
    if status != request.status:
        request.status = status
        fields = ["status", "updated_at"]
        if status == ReplacementRequest.Status.FILLED and request.filled_at is None:
            request.filled_at = timezone.now()
            fields.append("filled_at")
        request.save(update_fields=fields)
        figures_touch(request=request)


def offer_withdraw(*, offer: Offer, why: str, mail: bool = True) -> None:
    offer.status = Offer.Status.WITHDRAWN
    offer.decline_reason = str(why)[:200]
    offer.save(update_fields=["status", "decline_reason"])
    audit_record(
        actor=None,
        action=audit.OFFER_WITHDRAWN,
        obj=offer,
        organisation_id=offer.request.board_id,
        details={"why": str(why)[:200]},
    )
    if mail:
        pool_mail(
            to=[offer.member.email],
            subject=_("Aanbod vervallen: %(subject)s") % {"subject": offer.request.subject.name},
            template="offer_withdrawn",
            context={"offer": offer, "request": offer.request, "why": why},
        )


def assignment_stop(*, assignment: Assignment, today: date) -> Decimal:
    """Free the member's future day-parts; returns the hours a week taken off the request."""
    figures_touch_assignment(assignment=assignment)  # the months it covered before it is shortened
    assignment.slots.filter(day__gte=today).delete()
    if assignment.start_date >= today:
        assignment.status = Assignment.Status.CANCELLED
        assignment.cancelled_at = timezone.now()
        assignment.save(update_fields=["status", "cancelled_at"])
        if hasattr(assignment, "contract") and assignment.contract is not None:
            assignment.contract.delete()
    else:
        assignment.end_date = max(assignment.start_date, today - timedelta(days=1))
        assignment.status = Assignment.Status.COMPLETED
        assignment.cancelled_at = timezone.now()
        assignment.save(update_fields=["end_date", "status", "cancelled_at"])
        MemberContract.objects.filter(assignment=assignment).update(end_date=assignment.end_date)
    return assignment.hours_per_week
