"""The "Vandaag te doen" start page in Chromium (issue 18): the regional team's count opens a list with that
many rows, the pool member answers an offer from its card without JavaScript, and axe-core finds no
WCAG 2.1 A/AA violation on either start page, in Dutch and in English."""

from __future__ import annotations

from datetime import timedelta

import pytest

from .conftest import assert_accessible, log_in, switch_language

pytestmark = [pytest.mark.browser]


@pytest.fixture
def start_world(transactional_db):
    from django.utils import timezone

    from onderwijsregio.loket import services as loket_services
    from onderwijsregio.loket.models import ConsentPurpose, Trajectory
    from onderwijsregio.pool.models import Offer, ReplacementRequest
    from onderwijsregio.pool.tests.workflow_setup import build_world, make_request

    w = build_world()
    for index in range(5):
        candidate = loket_services.candidate_register(
            region=w.region,
            data={
                "first_name": f"Kandidaat{index}",
                "last_name": "Voorbeeld (fictief)",
                "email": f"kandidaat{index}@example.nl",
                "postcode": "3811 AB",
                "target_group": "side_entrant",
                "education_level": "wo_master",
                "education_field": "Econometrie",
                "dutch_level": "C1",
                "target_sectors": ["VO"],
            },
            consents={ConsentPurpose.SHARE_BOARDS: True},
            send_email=False,
        )
        # Three of the five have a follow-up date that has passed.
        days = -3 if index < 3 else 4
        Trajectory.objects.filter(candidate=candidate).update(follow_up_on=timezone.localdate() + timedelta(days=days))
    make_request(w)
    w.offer = Offer.objects.create(
        request=make_request(w, status=ReplacementRequest.Status.OFFERED),
        member=w.m1,
        hours_per_week=8,
        expires_at=timezone.now() + timedelta(hours=20),
    )
    return w


def test_regional_team_count_matches_the_list_it_opens(new_page, start_world):
    page = new_page()
    log_in(page, start_world.coordinator.email)
    page.goto("/")
    overdue = page.locator("a[href$='?overdue=on']")
    assert overdue.locator(".or-today-count").inner_text() == "3"
    requests = page.locator("a[href$='?status=open']")
    assert requests.locator(".or-today-count").inner_text() == "1"
    assert_accessible(page, "start page (regional team)")
    switch_language(page, "en")
    assert_accessible(page, "start page (regional team, English)")
    switch_language(page, "nl")

    overdue.click()
    page.wait_for_load_state()
    assert "overdue=on" in page.url
    assert page.locator("table tbody tr").count() == 3
    page.goto("/")
    page.locator("a[href$='?status=open']").click()
    page.wait_for_load_state()
    assert page.locator("table tbody tr").count() == 1


def test_pool_member_accepts_an_offer_from_its_card_without_javascript(new_page, start_world):
    page = new_page()
    log_in(page, start_world.member_user.email)
    page.goto("/")
    cards = page.locator(".or-today-offers .or-card")
    assert cards.count() == 1
    assert "wiskunde" in cards.first.inner_text()
    assert_accessible(page, "start page (pool member)")

    # The buttons are plain forms that POST with their CSRF token: they work with JavaScript off.
    plain = new_page(java_script_enabled=False)
    log_in(plain, start_world.member_user.email)
    plain.goto("/")
    plain.locator(".or-today-offers .or-card").first.locator("button", has_text="Accepteren").click()
    plain.wait_for_load_state()
    assert "U bent ingezet" in plain.locator("main").inner_text()
    plain.goto("/")
    assert plain.locator(".or-today-offers .or-card").count() == 0
