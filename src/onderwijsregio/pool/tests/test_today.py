"""The pool's blocks of the "Vandaag te doen" start page (issue 18): counts equal the rows of the linked lists,
a board never sees another board's requests, the member answers offers from cards (POST with CSRF, no
JavaScript), and the queries do not grow with the data."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from onderwijsregio.pool.models import Assignment, Offer, ReplacementRequest

from .factories import AssignmentFactory, HoursEntryFactory, PoolFactory
from .workflow_setup import build_world, make_request

pytestmark = pytest.mark.django_db

Status = ReplacementRequest.Status


@pytest.fixture
def w():
    return build_world()


def blocks(client, user) -> dict:
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return {block.role: block for block in response.context["today_blocks"]}


def counts(block) -> dict[str, int]:
    return {item.url: item.count for item in block.items}


def requests_behind(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page_obj"].paginator.count


def fill(w, *, open_=0, offered=0, other_school=0) -> None:
    for _ in range(open_):
        make_request(w)
    for _ in range(offered):
        make_request(w, status=Status.OFFERED)
    for _ in range(other_school):
        make_request(w, school_location=w.school_b1, board=w.board_b)


def test_coordinator_counts_equal_the_request_list_and_the_hours_page(client, w):
    fill(w, open_=3, offered=2)
    assignment = AssignmentFactory(request=make_request(w, status=Status.FILLED), member=w.m1)
    HoursEntryFactory(assignment=assignment)
    HoursEntryFactory(assignment=assignment, week_start=assignment.start_date + timedelta(days=7), status="disputed")
    HoursEntryFactory(assignment=assignment, week_start=assignment.start_date + timedelta(days=14), status="confirmed")
    # Another region's pool: neither its requests nor its hours are this coordinator's.
    elsewhere = PoolFactory(region=w.other_region)
    HoursEntryFactory(assignment__request__pool=elsewhere)

    team = blocks(client, w.coordinator)["regional_team"]
    found = counts(team)
    open_url = reverse("pool:request_list", args=[w.pool.slug]) + "?status=open"
    hours_url = reverse("pool:hours_list", args=[w.pool.slug])
    assert found[open_url] == 3
    assert requests_behind(client, open_url) == 3
    assert found[hours_url] == 2
    assert len(client.get(hours_url).context["awaiting"]) == 2
    assert not [url for url in found if elsewhere.slug in url]


def test_board_hr_sees_its_own_schools_requests_only(client, w):
    fill(w, open_=2, offered=1, other_school=4)
    mine = blocks(client, w.hr_a)["board_hr"]
    base = reverse("pool:request_list", args=[w.pool.slug])
    found = counts(mine)
    assert found[f"{base}?status=open"] == 2
    assert found[f"{base}?status=offered"] == 1
    for item in mine.items:
        assert requests_behind(client, item.url) == item.count, item.label
    assert (reverse("pool:request_create", args=[w.pool.slug]), f"Vervanging aanvragen in {w.pool.name}") in mine.links

    # Board B takes part without asking for substitutes: it sees its own four, not board A's two.
    theirs = counts(blocks(client, w.hr_b)["board_hr"])
    assert theirs[f"{base}?status=open"] == 4
    # Board C is not in the pool: no pool counts nor links at all (only its own inbox, from the desk).
    outsider = blocks(client, w.hr_c)["board_hr"]
    assert not [item for item in outsider.items if "/invalpool/" in item.url] and not outsider.links


def test_school_leader_sees_the_requests_of_its_location(client, w):
    fill(w, open_=2)
    make_request(w, school_location=w.school_a2)
    leader = blocks(client, w.leader_a2)["school_leader"]
    base = reverse("pool:request_list", args=[w.pool.slug])
    assert counts(leader)[f"{base}?status=open"] == 1
    assert requests_behind(client, f"{base}?status=open") == 1
    assert leader.links and leader.links[0][0] == reverse("pool:request_create", args=[w.pool.slug])


def open_offer(w, member=None, hours=10) -> Offer:
    return Offer.objects.create(
        request=make_request(w, status=Status.OFFERED),
        member=member or w.m1,
        hours_per_week=8,
        expires_at=timezone.now() + timedelta(hours=hours),
    )


def test_member_answers_offers_from_cards_without_javascript(w):
    mine = open_offer(w)
    open_offer(w, member=w.m2)  # someone else's
    expired = open_offer(w, hours=-1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(w.member_user)
    body = client.get(reverse("core:home")).content.decode()
    block = {b.role: b for b in client.get(reverse("core:home")).context["today_blocks"]}["pool_member"]
    assert block.context["offers"] == [mine]
    accept = reverse("pool:offer_accept", args=[mine.token])
    assert f'action="{accept}"' in body
    assert f'action="{reverse("pool:offer_decline", args=[mine.token])}"' in body
    assert expired.token not in body
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    response = client.post(accept, {"csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert Assignment.objects.get().member == w.m1


def test_the_start_page_queries_do_not_grow_with_requests_offers_or_hours(client, w):
    client.force_login(w.coordinator)
    fill(w, open_=1)
    client.get(reverse("core:home"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("core:home"))
    fill(w, open_=6, offered=4, other_school=3)
    for week in range(3):
        # Each assignment in its own weeks: a member is never booked twice for the same day-part.
        start = w.start + timedelta(weeks=4 * week)
        filled = make_request(w, status=Status.FILLED, start_date=start, end_date=start + timedelta(days=18))
        HoursEntryFactory(assignment=AssignmentFactory(request=filled, member=w.m2))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("core:home"))
    assert len(many) == len(few)

    client.force_login(w.member_user)
    open_offer(w)
    client.get(reverse("core:home"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("core:home"))
    for _ in range(4):
        open_offer(w)
    with CaptureQueriesContext(connection) as five:
        response = client.get(reverse("core:home"))
    assert len({b.role: b for b in response.context["today_blocks"]}["pool_member"].context["offers"]) == 5
    assert len(five) == len(one)


def test_the_coordinators_queries_do_not_grow_with_the_pools(client, w):
    client.force_login(w.coordinator)
    client.get(reverse("core:home"))
    with CaptureQueriesContext(connection) as one_pool:
        client.get(reverse("core:home"))
    for _ in range(3):
        pool = PoolFactory(region=w.region)
        HoursEntryFactory(assignment__request__pool=pool)
    with CaptureQueriesContext(connection) as four_pools:
        response = client.get(reverse("core:home"))
    team = {b.role: b for b in response.context["today_blocks"]}["regional_team"]
    assert len([item for item in team.items if item.url.endswith("/uren/")]) == 4
    assert len(four_pools) == len(one_pool)
