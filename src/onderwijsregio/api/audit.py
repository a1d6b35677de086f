"""Audit trail of personal data read through the API (AVG: who viewed whose data).

Memberships say who works where: personal data. Whenever a response shows memberships of other
people, one event per organisation shown is written, with that organisation's id, so that each
organisation's own audit readers see who looked at its people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from onderwijsregio.accounts.models import Membership
from onderwijsregio.core.services import audit_record

PEOPLE_VIEWED = "people.viewed"


def record_people_viewed(*, actor, request, memberships: Iterable[Membership]) -> None:
    users_by_organisation: dict[int, set[int]] = defaultdict(set)
    for membership in memberships:
        if membership.user_id != actor.pk:
            users_by_organisation[membership.organisation_id].add(membership.user_id)
    organisation_ids = sorted(users_by_organisation)
    for organisation_id in organisation_ids:
        audit_record(
            actor=actor,
            action=PEOPLE_VIEWED,
            # Same object as the pages' people.viewed events, so one audit filter finds both.
            object_type="organisations.organisation",
            object_id=str(organisation_id),
            organisation_id=organisation_id,
            personal_data_read=True,
            details={
                "via": "api",
                "path": request.get_full_path()[:500],
                "organisation_ids": organisation_ids,
                "user_ids": sorted(users_by_organisation[organisation_id]),
            },
        )
