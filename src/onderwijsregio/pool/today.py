"""The pool's blocks of the "Vandaag te doen" start page (registered in core.today).

Counts come from the selectors behind the linked pages: requests by status from visible_requests (the
request list's `?status=` filter), hours from hours_awaiting (the hours page's "te bevestigen" table), and a
member's open offers from the same filter as "Mijn invalwerk". Requests and the coordinator's hours are
counted for all pools in one grouped query each, so the queries grow with neither rows nor pools (only the
"Vervanging aanvragen" permission is checked per pool of a school, which has a handful).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from onderwijsregio.accounts.permissions import access_for
from onderwijsregio.core.today import TodayBlock, TodayItem, register

from . import selectors
from .models import Offer, PoolMember, ReplacementRequest
from .permissions import school_leader_scopes

Status = ReplacementRequest.Status


def _request_counts(user: Any) -> dict[int, dict[str, int]]:
    """Open requests the user sees, per pool and status, in one query."""
    rows = (
        selectors.visible_requests(user=user)
        .filter(status__in=ReplacementRequest.OPEN_STATUSES)
        .order_by()
        .values_list("pool_id", "status")
        .annotate(n=Count("pk"))
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for pool_id, status, n in rows:
        counts[pool_id][status] = n
    return counts


def _requests_url(pool, status: str) -> str:
    return reverse("pool:request_list", args=[pool.slug]) + f"?status={status}"


def open_offers(user: Any):
    """The user's open offers over all their pools: the filter of "Mijn invalwerk", soonest deadline first."""
    return (
        Offer.objects.filter(member__user_id=user.pk, status=Offer.Status.OPEN, expires_at__gt=timezone.now())
        .select_related("request__subject", "request__school_location", "request__pool")
        .order_by("expires_at", "pk")
    )


@register
def pool_blocks(user: Any) -> list[TodayBlock]:
    access = access_for(user)
    blocks = []
    coordinated = list(selectors.coordinated_pools(user=user).order_by("name"))
    school_boards = access.hr_organisations | {board for board, _location in school_leader_scopes(user=user)}
    school_pools = (
        list(
            selectors.visible_pools(user=user)
            .filter(participants__board_id__in=school_boards)
            .distinct()
            .order_by("name")
        )
        if school_boards
        else []
    )
    counts = _request_counts(user) if coordinated or school_pools else {}
    if coordinated:
        hours = selectors.coordinator_hours_awaiting_counts(user=user)
        items = []
        for pool in coordinated:
            items.append(
                TodayItem(
                    count=counts.get(pool.pk, {}).get(Status.OPEN, 0),
                    label=_("Aanvragen zonder voorstel in %(pool)s") % {"pool": pool.name},
                    url=_requests_url(pool, Status.OPEN),
                )
            )
            items.append(
                TodayItem(
                    count=hours.get(pool.pk, 0),
                    label=_("Uren te bevestigen in %(pool)s") % {"pool": pool.name},
                    url=reverse("pool:hours_list", args=[pool.slug]),
                )
            )
        blocks.append(TodayBlock(role="regional_team", title="", items=items))
    if school_pools:
        items = []
        links = []
        for pool in school_pools:
            for status in ReplacementRequest.OPEN_STATUSES:
                items.append(
                    TodayItem(
                        count=counts.get(pool.pk, {}).get(status, 0),
                        label=_("Aanvragen met status “%(status)s” in %(pool)s")
                        % {"status": Status(status).label, "pool": pool.name},
                        url=_requests_url(pool, status),
                    )
                )
            if user.has_perm("pool.create_request", pool):
                links.append(
                    (
                        reverse("pool:request_create", args=[pool.slug]),
                        _("Vervanging aanvragen in %(pool)s") % {"pool": pool.name},
                    )
                )
        role = "board_hr" if access.hr_organisations else "school_leader"
        title = _("Schoolbestuur (HR)") if role == "board_hr" else _("Schoolleider")
        blocks.append(TodayBlock(role=role, title=title, items=items, links=links))
    if PoolMember.objects.filter(user_id=user.pk).exists():
        offers = list(open_offers(user))
        blocks.append(
            TodayBlock(
                role="pool_member",
                title=_("Poollid"),
                links=[(reverse("pool:my_work"), _("Mijn invalwerk: beschikbaarheid en inzet"))],
                template="pool/_today_offers.html",
                context={"offers": offers},
            )
        )
    return blocks
