"""What every write of the desk shares: the record's fields, the timeline event, the email to the candidate."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from onderwijsregio.core.errors import actor_or_none
from onderwijsregio.core.services import email_send_later

from ..models import (
    Candidate,
    TrajectoryEvent,
)
from .summaries import event_changes_summary, trajectory_summaries_refresh

# Session keys of a visitor's unfinished steps; erasure (services.erasure) finds and ends those sessions.
LOGIN_EMAIL_SESSION_KEY = "loket_login_email"  # the address a code login was asked for
REGISTERED_SESSION_KEY = "loket_registered_candidate"  # the candidate a visitor just registered


def _event(candidate, kind, actor, *, trajectory=None, text="", from_stage="", to_stage="", details=None):
    event = TrajectoryEvent.objects.create(
        candidate=candidate,
        trajectory=trajectory,
        actor=actor_or_none(actor),
        kind=kind,
        text=text,
        from_stage=from_stage,
        to_stage=to_stage,
        details=details or {},
    )
    if trajectory is not None and event_changes_summary(kind, to_stage):
        # The funnel's summary of the trajectory moves with its timeline, in the same transaction.
        trajectory_summaries_refresh(trajectory_ids=[trajectory.pk])
        # A later save of this instance must not write back the old value.
        trajectory.refresh_from_db(fields=["reached_rank"])
    return event


def _mail_candidate(candidate: Candidate, template: str, subject: str, context: dict | None = None) -> None:
    with translation.override(candidate.preferred_language or settings.LANGUAGE_CODE):
        body = render_to_string(
            f"loket/email/{template}.txt",
            {"candidate": candidate, "site_url": settings.SITE_URL, **(context or {})},
        )
        email_send_later(to=[candidate.email], subject=str(_(subject)), body=body)


def _normalise(data: dict) -> dict:
    cleaned = dict(data)
    if cleaned.get("postcode"):
        compact = cleaned["postcode"].replace(" ", "").upper()
        cleaned["postcode"] = f"{compact[:4]} {compact[4:]}"
    if cleaned.get("email"):
        cleaned["email"] = cleaned["email"].strip().lower()
    return cleaned
