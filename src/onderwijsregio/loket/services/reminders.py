"""Follow-up reminders: one email a day per coordinator listing the candidates due for follow-up.

The same email lists open trajectories of records nobody worked on for LOKET_MAX_INACTIVE_DAYS as "te
beoordelen": the desk decides whether they go on or end, before retention erases them (selectors.retention_due).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from onderwijsregio.accounts.models import Membership, Role
from onderwijsregio.core.services import audit_record, email_send_later

from .. import audit
from ..models import Trajectory
from ..selectors import inactive_since, last_activity


def _recipients(trajectories: list[Trajectory]) -> dict:
    """Who gets reminded of what: the coordinator, or the region's team when nobody is assigned."""
    unassigned_regions = {t.candidate.region_id for t in trajectories if t.candidate.coordinator_id is None}
    teams: dict[int, list] = defaultdict(list)
    if unassigned_regions:
        for membership in Membership.objects.filter(
            organisation_id__in=unassigned_regions,
            role=Role.REGIONAL_TEAM,
            ended_at__isnull=True,
            user__is_active=True,
        ).select_related("user"):
            teams[membership.organisation_id].append(membership.user)
    by_user: dict[int, tuple] = {}
    for trajectory in trajectories:
        coordinator = trajectory.candidate.coordinator
        users = [coordinator] if coordinator is not None else teams.get(trajectory.candidate.region_id, [])
        for user in users:
            by_user.setdefault(user.pk, (user, []))[1].append(trajectory)
    return by_user


@transaction.atomic
def follow_up_reminders_send(*, today: date | None = None) -> dict:
    """Remind coordinators of open trajectories whose follow-up date has come, once per day.

    A trajectory stays on the list (one reminder a day) until its follow-up date is moved or it
    ends. Trajectories without a coordinator go to every member of the region's team, so that no
    follow-up is dropped.
    """
    today = today or timezone.localdate()
    cutoff = inactive_since()
    due = list(
        Trajectory.objects.select_for_update(of=("self",))
        .annotate(last_activity=last_activity(candidate="candidate", updated_at="candidate__updated_at"))
        .filter(ended_at__isnull=True)
        .filter(Q(follow_up_on__lte=today) | Q(last_activity__lte=cutoff))
        .filter(Q(follow_up_reminded_on__isnull=True) | Q(follow_up_reminded_on__lt=today))
        .select_related("candidate__coordinator", "candidate__region")
        .order_by(F("follow_up_on").asc(nulls_last=True), "pk")
    )
    by_user = _recipients(due)
    reminded_ids: set[int] = set()
    for user, trajectories in by_user.values():
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            items = [
                {
                    "name": f"{t.candidate.first_name} {t.candidate.last_name[:1]}.".strip(),
                    "stage": t.get_stage_display(),
                    "follow_up_on": t.follow_up_on,
                    "days_late": (today - t.follow_up_on).days if t.follow_up_on else 0,
                    "needs_decision": t.last_activity <= cutoff,
                    "last_activity": timezone.localdate(t.last_activity),
                    "unassigned": t.candidate.coordinator_id is None,
                    "url": settings.SITE_URL + reverse("loket:candidate_detail", kwargs={"pk": t.candidate_id}),
                }
                for t in trajectories
            ]
            body = render_to_string(
                "loket/email/follow_up_reminder.txt", {"recipient": user, "items": items, "site_url": settings.SITE_URL}
            )
            subject = _("Kandidaten om op te volgen (%(count)s)") % {"count": len(items)}
            email_send_later(to=[user.email], subject=subject, body=body)
        ids = sorted(t.pk for t in trajectories)
        reminded_ids.update(ids)
        for region_id in sorted({t.candidate.region_id for t in trajectories}):
            audit_record(
                actor=None,
                action=audit.FOLLOW_UP_REMINDER_SENT,
                object_type="accounts.user",
                object_id=str(user.pk),
                object_repr=user.email,
                organisation_id=region_id,
                details={"trajectories": [t.pk for t in trajectories if t.candidate.region_id == region_id]},
            )
    # Only what someone was told about is marked; the rest (a region without a team) is tried again tomorrow.
    Trajectory.objects.filter(pk__in=reminded_ids).update(follow_up_reminded_on=today)
    return {
        "due": len(due),
        "reminded": len(reminded_ids),
        "emails": len(by_user),
        "without_recipient": len(due) - len(reminded_ids),
    }
