"""Assignments: the coordinator ends an assignment from today, and its hours reopen on the request."""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onderwijsregio.core.services import (
    audit_record,
)

from .. import audit
from ..errors import PoolError
from ..models import (
    Assignment,
    ReplacementRequest,
)
from .figures import figures_kept, figures_touch
from .lifecycle import assignment_stop, pool_mail, request_status_refresh

logger = logging.getLogger(__name__)


@transaction.atomic
@figures_kept()
def assignment_cancel(*, assignment: Assignment, actor: Any, reason: str = "") -> Assignment:
    """Stop an assignment from today: future day-parts are freed, the request reopens for the hours."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("member", "request__subject")
        .get(pk=assignment.pk)
    )
    if assignment.status != Assignment.Status.ACTIVE:
        raise PoolError(_("Deze inzet loopt niet meer."), code="assignment_ended")
    request = (
        ReplacementRequest.objects.select_for_update(of=("self",))
        .select_related("subject", "school_location")
        .get(pk=assignment.request_id)
    )
    hours = assignment_stop(assignment=assignment, today=timezone.localdate())
    if request.status != ReplacementRequest.Status.CANCELLED:
        request.filled_hours_per_week = max(Decimal("0"), request.filled_hours_per_week - hours)
        if request.status == ReplacementRequest.Status.FILLED:
            request.status = ReplacementRequest.Status.OPEN
        request.version += 1
        request.save(update_fields=["filled_hours_per_week", "status", "version", "updated_at"])
        figures_touch(request=request)
        request_status_refresh(request=request)
    audit_record(
        actor=actor,
        action=audit.ASSIGNMENT_CANCELLED,
        obj=assignment,
        organisation_id=request.board_id,
        details={"reason": reason[:200]} if reason else {},
    )
    why = reason or _("de coördinator heeft de inzet beëindigd")
    context = {"assignment": assignment, "request": request, "why": why}
    pool_mail(
        to=[assignment.member.email],
        subject=_("Inzet vervallen: %(subject)s") % {"subject": request.subject.name},
        template="assignment_cancelled",
        context=context,
    )
    pool_mail(
        to=[request.contact_email],
        subject=_("Inzet vervallen: %(subject)s") % {"subject": request.subject.name},
        template="assignment_cancelled",
        context=context,
    )
    return assignment
