"""Reads of the substitute pool, filtered to what the user may see (the same rules as permissions.py).

Opening a member's record, or a list of members, reads personal data: member_open / members_read
write the audit record.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from onderwijsregio.accounts.permissions import access_for
from onderwijsregio.core.errors import actor_or_none
from onderwijsregio.core.services import audit_record
from onderwijsregio.organisations.models import Organisation, SchoolLocation

from . import audit
from . import engine_input as ei
from .engine import types as et
from .engine.calendar import add_months
from .labels import REASON_LABELS, exclusion_text
from .models import (
    Assignment,
    Batch,
    HoursEntry,
    Offer,
    Pool,
    PoolMember,
    ReplacementRequest,
    SettlementLine,
    SettlementRun,
)
from .permissions import is_coordinator_of, school_leader_scopes, school_side_requests_q

VOG_WARNING_DAYS = 60
Side = HoursEntry.Side


def _uid(user) -> int | None:
    """The pk of a logged-in user, None for an anonymous visitor."""
    return getattr(actor_or_none(user), "pk", None)


def visible_pools(*, user: Any) -> QuerySet[Pool]:
    """Pools the user coordinates, takes part in as board staff, or is a member of."""
    access = access_for(user)
    if access.is_platform_admin:
        return Pool.objects.all()
    staff_boards = access.hr_organisations | {board_id for board_id, _ in school_leader_scopes(user=user)}
    condition = Q(region_id__in=access.team_regions) | Q(participants__board_id__in=staff_boards)
    uid = _uid(user)
    if uid is not None:
        condition |= Q(members__user_id=uid)
    return Pool.objects.filter(pk__in=Pool.objects.filter(condition).values("pk"))


def coordinated_pools(*, user: Any) -> QuerySet[Pool]:
    access = access_for(user)
    if access.is_platform_admin:
        return Pool.objects.all()
    return Pool.objects.filter(region_id__in=access.team_regions)


def pool_for(*, user: Any, slug: str) -> Pool:
    """A pool the user may see, else 404 (its existence is not revealed)."""
    pool = visible_pools(user=user).filter(slug=slug).select_related("region", "sub_region").first()
    if pool is None:
        raise Http404
    return pool


def visible_requests(*, user: Any, pool: Pool | None = None) -> QuerySet[ReplacementRequest]:
    """Requests: all of the pool for the coordinator; own board/location for the school side;
    requests a member was offered or works on for that member."""
    qs = ReplacementRequest.objects.all()
    if pool is not None:
        qs = qs.filter(pool=pool)
    access = access_for(user)
    if access.is_platform_admin:
        return qs
    condition = Q(pool__region_id__in=access.team_regions) | school_side_requests_q(user=user)
    uid = _uid(user)
    if uid is not None:
        condition |= Q(pk__in=Offer.objects.filter(member__user_id=uid).values("request_id"))
        condition |= Q(pk__in=Assignment.objects.filter(member__user_id=uid).values("request_id"))
    return qs.filter(condition)


def visible_members(*, user: Any, pool: Pool | None = None) -> QuerySet[PoolMember]:
    """Members: all of the pool for the coordinator; the employed ones for HR; oneself for a member."""
    qs = PoolMember.objects.all()
    if pool is not None:
        qs = qs.filter(pool=pool)
    access = access_for(user)
    if access.is_platform_admin:
        return qs
    condition = Q(pool__region_id__in=access.team_regions) | Q(employer_id__in=access.hr_organisations)
    uid = _uid(user)
    if uid is not None:
        condition |= Q(user_id=uid)
    return qs.filter(condition)


def _visible_member_work(model, user, pool: Pool | None):
    """Offers or assignments (both belong to a request and a member): the coordinator's, the school's, the member's."""
    qs = model.objects.all()
    if pool is not None:
        qs = qs.filter(request__pool=pool)
    access = access_for(user)
    if access.is_platform_admin:
        return qs
    condition = Q(request__pool__region_id__in=access.team_regions) | Q(
        request__in=ReplacementRequest.objects.filter(school_side_requests_q(user=user))
    )
    uid = _uid(user)
    if uid is not None:
        condition |= Q(member__user_id=uid)
    return qs.filter(condition)


def visible_offers(*, user: Any, pool: Pool | None = None) -> QuerySet[Offer]:
    return _visible_member_work(Offer, user, pool)


def visible_assignments(*, user: Any, pool: Pool | None = None) -> QuerySet[Assignment]:
    return _visible_member_work(Assignment, user, pool)


def members_read(*, user: Any, pool: Pool, count: int, filters: dict | None = None) -> None:
    """Audit a listing of members (names and qualifications are personal data)."""
    audit_record(
        actor=user,
        action=audit.MEMBERS_LISTED,
        obj=pool,
        organisation_id=pool.region_id,
        personal_data_read=True,
        details={"count": count, "filters": filters or {}},
    )


def members_admin_listed(*, user: Any, count: int, filters: dict) -> None:
    """Audit the admin's list of pool members (of every pool: a platform administrator's read)."""
    audit_record(
        actor=user,
        action=audit.MEMBERS_LISTED,
        object_type="pool.poolmember",
        personal_data_read=True,
        details={"via": "admin", "count": count, "filters": filters},
    )


def member_open(*, user: Any, pool: Pool, pk: int) -> PoolMember:
    """A member the user may see; the read is audit-logged. 404 for anything else."""
    member = (
        visible_members(user=user, pool=pool)
        .select_related("pool", "employer", "home_school", "user")
        .prefetch_related("qualifications__subject", "unavailable_periods", "preferred_schools", "blocked_schools")
        .filter(pk=pk)
        .first()
    )
    if member is None:
        raise Http404
    audit_record(
        actor=user,
        action=audit.MEMBER_VIEWED,
        obj=member,
        organisation_id=member.employer_id,
        personal_data_read=True,
    )
    return member


def batch_proposals_read(*, user: Any, batch: Batch, proposals: Sequence) -> None:
    """The batch page names the member on every proposal: an audited read, with the member ids."""
    members = sorted({proposal.member_id for proposal in proposals})
    if not members:
        return
    audit_record(
        actor=user,
        action=audit.BATCH_VIEWED,
        obj=batch,
        organisation_id=batch.pool.region_id,
        personal_data_read=True,
        details={"members": members},
    )


def request_locations(*, user: Any, pool: Pool) -> QuerySet[SchoolLocation]:
    """School locations the user may file requests for (the page's choices and the API's check)."""
    requesting = pool.participants.filter(requests_substitutes=True).values("board_id")
    locations = SchoolLocation.objects.filter(board_id__in=requesting).order_by("name")
    if is_coordinator_of(user=user, pool=pool):
        return locations
    condition = Q(board_id__in=access_for(user).hr_organisations)
    for board_id, location_id in school_leader_scopes(user=user):
        condition |= Q(board_id=board_id) if location_id is None else Q(pk=location_id)
    return locations.filter(condition)


def preferred_member_choices(*, user: Any, pool: Pool) -> QuerySet[PoolMember]:
    """Who a school may name as preferred substitute: for the coordinator every active member;
    for a school the members who worked for its board before (it knows them already)."""
    members = pool.members.filter(is_active=True).order_by("full_name")
    if is_coordinator_of(user=user, pool=pool):
        return members
    boards = set(request_locations(user=user, pool=pool).values_list("board_id", flat=True))
    return members.filter(assignments__request__board_id__in=boards).distinct()


def request_for(*, user: Any, pool: Pool, pk: int) -> ReplacementRequest:
    request = (
        visible_requests(user=user, pool=pool)
        .select_related("pool", "school_location", "board", "subject", "preferred_member", "created_by")
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise Http404
    return request


def batch_for(*, user: Any, pool: Pool, pk: int) -> Batch:
    if not is_coordinator_of(user=user, pool=pool):
        raise Http404
    batch = pool.batches.filter(pk=pk).select_related("job", "created_by", "confirmed_by").first()
    if batch is None:
        raise Http404
    return batch


def member_for_user(*, user: Any, pool: Pool | None = None) -> PoolMember | None:
    uid = _uid(user)
    if uid is None:
        return None
    qs = PoolMember.objects.filter(user_id=uid).select_related("pool", "employer")
    if pool is not None:
        qs = qs.filter(pool=pool)
    return qs.order_by("pk").first()


def vog_status(*, member: PoolMember, today: date | None = None) -> str | None:
    """ "expired", "expiring" (within VOG_WARNING_DAYS), "missing" or None (fine / never expires)."""
    today = today or timezone.localdate()
    max_months = member.pool.vog_max_age_months
    if member.vog_date is None:
        return "missing" if max_months else None
    if not max_months:
        return None
    expires = vog_expires_on(vog_date=member.vog_date, max_months=max_months)
    if expires < today:
        return "expired"
    if expires <= today + timedelta(days=VOG_WARNING_DAYS):
        return "expiring"
    return None


def vog_expires_on(*, vog_date: date, max_months: int) -> date:
    return add_months(vog_date, max_months)


def vog_warning_q(*, pool: Pool, today: date | None = None) -> Q:
    """Members whose VOG needs attention (missing, expired, or expiring within VOG_WARNING_DAYS), as a filter.

    The same rule as `vog_status`, in SQL, so a list can filter before it pages: the VOG expires
    `vog_max_age_months` after its date, so it needs attention when it was issued on or before the
    date that many months before the warning horizon (one day of slack for month ends, then
    `vog_status` decides per row).
    """
    max_months = pool.vog_max_age_months
    if not max_months:
        return Q(pk__in=[])
    horizon = (today or timezone.localdate()) + timedelta(days=VOG_WARNING_DAYS + 1)
    return Q(vog_date__isnull=True) | Q(vog_date__lte=add_months(horizon, -max_months))


def vog_warnings(*, pool: Pool, today: date | None = None) -> list[tuple[PoolMember, str]]:
    """Active members whose VOG is missing, expired or expires within VOG_WARNING_DAYS."""
    result = []
    for member in pool.members.filter(is_active=True).select_related("pool").order_by("full_name"):
        status = vog_status(member=member, today=today)
        if status:
            result.append((member, status))
    return result


# --- batches and eligibility ------------------------------------------------------------------


def batch_requests(*, pool: Pool, today: date | None = None) -> QuerySet[ReplacementRequest]:
    """Requests a batch works on: open (or partly filled), not ended, without offers out."""
    today = today or timezone.localdate()
    return (
        pool.requests.filter(
            status__in=[
                ReplacementRequest.Status.OPEN,
                ReplacementRequest.Status.PROPOSED,
                ReplacementRequest.Status.PARTIALLY_FILLED,
            ],
            end_date__gte=today,
        )
        .exclude(offers__status=Offer.Status.OPEN)
        .select_related("subject", "school_location", "pool")
        .distinct()
        .order_by("start_date", "pk")
    )


def member_eligibility(
    *,
    member: PoolMember,
    request: ReplacementRequest,
    hours_per_week: float | None = None,
    include_open_offers: bool = True,
    exclude_offer_id: int | None = None,
    extra_bookings: list[et.Booking] | None = None,
    ignore_release: bool = False,
) -> et.Eligibility:
    """The engine's verdict for one member and one request, against the member's current bookings."""
    from .engine import eligibility

    hours = (
        hours_per_week if hours_per_week is not None else float(request.hours_per_week - request.filled_hours_per_week)
    )
    engine_member = ei.engine_member(member=member)
    engine_request = ei.engine_request(
        request=request, members=[member], open_hours={request.pk: max(hours, 0.5)}, ignore_release=ignore_release
    )
    bookings = ei.bookings_for(
        member_ids=[member.pk],
        include_open_offers=include_open_offers,
        exclude_offer_id=exclude_offer_id,
        exclude_request_id=request.pk,
    )
    return eligibility(
        engine_member, engine_request, ei.engine_policy(pool=request.pool), bookings + (extra_bookings or [])
    )


def why_not(*, request: ReplacementRequest) -> list[dict]:
    """Per member of the pool: eligible or not, with every exclusion reason in Dutch (coordinator view)."""
    from .engine import eligibility

    members = list(ei.members_queryset(pool=request.pool))
    engine_members = {m.id: m for m in ei.engine_members(members=members)}
    engine_request = ei.engine_request(request=request, members=members)
    not_released = ei.not_released_member_ids(request=request, members=members)
    bookings = ei.bookings_for(pool=request.pool, include_open_offers=True, exclude_request_id=request.pk)
    policy = ei.engine_policy(pool=request.pool)
    rows = []
    for member in members:
        verdict = eligibility(engine_members[member.pk], engine_request, policy, bookings)
        reasons = []
        for exclusion in verdict.exclusions:
            if exclusion.reason == et.Reason.BLOCKED and member.pk in not_released:
                reasons.append(
                    str(REASON_LABELS[et.Reason.NOT_RELEASED]) + " " + _("(nu alleen voor leden van de eigen school)")
                )
            else:
                reasons.append(exclusion_text(exclusion))
        rows.append(
            {"member": member, "eligible": verdict.eligible, "travel_km": verdict.travel_km, "reasons": reasons}
        )
    rows.sort(key=lambda row: (not row["eligible"], len(row["reasons"]), row["member"].full_name))
    return rows


def request_eligibility(*, user: Any, request: ReplacementRequest) -> list[dict]:
    """`why_not` for the coordinator's request page: names of every member, so an audited personal-data read."""
    rows = why_not(request=request)
    audit_record(
        actor=user,
        action=audit.ELIGIBILITY_VIEWED,
        obj=request,
        organisation_id=request.pool.region_id,
        personal_data_read=True,
        details={"members": len(rows)},
    )
    return rows


def member_work_read(*, user: Any, kind: str, objects: list, path: str = "") -> None:
    """Who was offered or assigned is personal data: one audit event per listing or detail, with the ids.

    `kind` is "offer" or "assignment"; `path` is the API path that showed them.
    """
    if not objects:
        return
    audit_record(
        actor=user,
        action=audit.MEMBER_WORK_VIEWED[kind],
        object_type=f"pool.{kind}",
        object_id=str(objects[0].pk) if len(objects) == 1 else "",
        personal_data_read=True,
        details={"via": "api", "path": path[:500], "ids": [obj.pk for obj in objects]},
    )


# --- hours --------------------------------------------------------------------------------------


def _school_side_requests(user):
    return ReplacementRequest.objects.filter(school_side_requests_q(user=user)).values("pk")


def hours_entries_visible(*, user: Any, pool: Pool) -> QuerySet[HoursEntry]:
    """Entries a user may see: all for the coordinator; otherwise those of their school, members or own work."""
    entries = HoursEntry.objects.filter(assignment__request__pool=pool)
    if is_coordinator_of(user=user, pool=pool):
        return entries
    access = access_for(user)
    return entries.filter(
        Q(assignment__request__in=_school_side_requests(user))
        | Q(assignment__member__employer_id__in=access.hr_organisations)
        | Q(assignment__member__user_id=getattr(user, "pk", None))
    )


# What waits for the coordinator on the hours page: entries to confirm and disputes to settle.
COORDINATOR_AWAITING = (HoursEntry.Status.ENTERED, HoursEntry.Status.DISPUTED)


def coordinator_hours_awaiting_counts(*, user: Any) -> dict[int, int]:
    """Per pool the user coordinates, how many entries hours_awaiting lists for them: one grouped query
    for the start page, the same condition as hours_awaiting's coordinator branch."""
    rows = (
        HoursEntry.objects.filter(
            assignment__request__pool__in=coordinated_pools(user=user), status__in=COORDINATOR_AWAITING
        )
        .order_by()
        .values_list("assignment__request__pool_id")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def hours_awaiting(*, user: Any, pool: Pool) -> QuerySet[HoursEntry]:
    """Entries waiting for this user: entered by the other side (the coordinator also sees disputes)."""
    entries = HoursEntry.objects.filter(assignment__request__pool=pool).select_related(
        "assignment__request__school_location", "assignment__request__subject", "assignment__member"
    )
    if is_coordinator_of(user=user, pool=pool):
        return entries.filter(status__in=COORDINATOR_AWAITING)
    waiting = entries.filter(status=HoursEntry.Status.ENTERED)
    return waiting.filter(
        (Q(assignment__member__user_id=getattr(user, "pk", None)) & ~Q(entered_side=Side.MEMBER))
        | (Q(assignment__request__in=_school_side_requests(user)) & ~Q(entered_side=Side.SCHOOL))
    )


def assignments_for_hours(*, user: Any, pool: Pool) -> QuerySet[Assignment]:
    """Assignments for which the user may enter hours, with counts of their entries per status."""
    assignments = Assignment.objects.filter(request__pool=pool).exclude(status=Assignment.Status.CANCELLED)
    if not is_coordinator_of(user=user, pool=pool):
        assignments = assignments.filter(
            Q(member__user_id=getattr(user, "pk", None)) | Q(request__in=_school_side_requests(user))
        )
    return (
        assignments.select_related("request__school_location", "request__subject", "member")
        .annotate(
            entered=Count("hours_entries", filter=Q(hours_entries__status=HoursEntry.Status.ENTERED)),
            confirmed=Count("hours_entries", filter=Q(hours_entries__status=HoursEntry.Status.CONFIRMED)),
            disputed=Count("hours_entries", filter=Q(hours_entries__status=HoursEntry.Status.DISPUTED)),
            confirmed_hours=Sum("hours_entries__hours", filter=Q(hours_entries__status=HoursEntry.Status.CONFIRMED)),
        )
        .order_by("-start_date", "pk")
    )


def hours_read(
    *, user: Any, pool: Pool, page: str, assignments: Sequence[Assignment] = (), entries: Sequence[HoursEntry] = ()
) -> None:
    """The hours pages name the member of each assignment: audit whose hours a user saw.

    A member looking at nothing but their own work reads no one else's data, so that is not logged.
    """
    shown = [*assignments, *(entry.assignment for entry in entries)]
    user_id = getattr(user, "pk", None)
    members = sorted(
        {item.member_id for item in shown if item.member.user_id is None or item.member.user_id != user_id}
    )
    if not members:
        return
    audit_record(
        actor=user,
        action=audit.HOURS_VIEWED,
        obj=pool,
        organisation_id=pool.region_id,
        personal_data_read=True,
        details={"page": page, "members": members, "assignments": sorted({item.pk for item in shown})},
    )


def hours_export_entries(
    *, user: Any, pool: Pool, file_format: str, start: date | None = None, end: date | None = None
) -> QuerySet[HoursEntry]:
    """The entries of an hours file: the file lists members by name, so the read is logged before it streams."""
    entries = hours_entries_visible(user=user, pool=pool)
    filters = {}
    if start:
        entries = entries.filter(week_start__gte=start)
        filters["van"] = start.isoformat()
    if end:
        entries = entries.filter(week_start__lte=end)
        filters["tot"] = end.isoformat()
    audit_record(
        actor=user,
        action=audit.HOURS_EXPORTED,
        obj=pool,
        organisation_id=pool.region_id,
        personal_data_read=True,
        details={"format": file_format, "filters": filters, "rows": entries.count()},
    )
    return entries


# --- settlements --------------------------------------------------------------------------------


def settlement_lines(*, run: SettlementRun) -> list[SettlementLine]:
    return list(run.lines.select_related("board").order_by("board__name", "board_id"))


def visible_settlements(*, pool: Pool) -> QuerySet[SettlementRun]:
    return pool.settlements.select_related("created_by").order_by("-period_end", "-created_at")


def board_names(*, board_ids: Sequence[int]) -> dict[int, str]:
    return dict(Organisation.objects.filter(pk__in=board_ids).values_list("pk", "name"))


def settlement_download_read(*, user: Any, run: SettlementRun, file_format: str) -> None:
    """Audit a settlement file: board figures only, no member names, so a download and not a personal-data read."""
    audit_record(
        actor=user,
        action=audit.SETTLEMENT_DOWNLOADED,
        obj=run,
        organisation_id=run.pool.region_id,
        details={"format": file_format},
    )
