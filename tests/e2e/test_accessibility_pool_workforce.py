"""axe-core over the substitute pool and personnel planning pages, filled with real content, in nl and en.

The world is built through the services (a batch with proposals, an offer, an assignment with hours,
a settlement; staff snapshots and a computed forecast), so the pages show what users see, not empty
states only.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse

from .conftest import log_in, switch_language

pytestmark = pytest.mark.browser


@pytest.fixture
def pw(transactional_db):
    from onderwijsregio.pool import services as pool_services
    from onderwijsregio.pool.models import Offer
    from onderwijsregio.pool.services import hours_entry_create, settlement_run_create
    from onderwijsregio.pool.tests.workflow_setup import build_world, make_request
    from onderwijsregio.workforce import services as workforce_services
    from onderwijsregio.workforce.services import forecast_run
    from onderwijsregio.workforce.tests.factories import ScenarioFactory
    from onderwijsregio.workforce.tests.forecast_helpers import hr_of, make_region, team_of

    w = build_world()
    make_request(w, class_key="2B")
    make_request(w, subject=w.du, class_key="3C")  # nobody teaches German: stays unfilled, with reasons
    batch = pool_services.batch_run(pool=w.pool, actor=w.coordinator)
    offers = pool_services.batch_confirm(batch=batch, actor=w.coordinator)
    accepted = offers[0]
    assignment = pool_services.offer_accept(token=accepted.token)
    week = assignment.start_date - timedelta(days=assignment.start_date.weekday())
    hours_entry_create(assignment=assignment, week_start=week, hours="8", side="school", actor=w.leader_a1)
    second_batch = pool_services.batch_run(pool=w.pool, actor=w.coordinator)
    settlement = settlement_run_create(
        pool=w.pool,
        period_start=assignment.start_date - timedelta(days=40),
        period_end=assignment.end_date + timedelta(days=40),
        actor=w.coordinator,
        only_confirmed_hours=False,
    )
    open_offer = Offer.objects.create(
        request=make_request(w, class_key="4A"),
        member=w.m1,
        hours_per_week=4,
        expires_at=assignment.created_at + timedelta(days=30),
    )

    region, made = make_region(boards=2, people=14)
    board, snapshot = made[0]
    board_hr = hr_of(board)
    region_team = team_of(region)
    scenario = ScenarioFactory(owner=board, name="Meer uren")
    for subject_org, chosen in ((board, None), (board, scenario), (region, None)):
        run = workforce_services.forecast_request(
            subject_organisation=subject_org,
            scenario=chosen,
            actor=board_hr if subject_org == board else region_team,
            runs=50,
        )
        forecast_run(run_id=run.pk)
    return SimpleNamespace(
        w=w,
        batch=batch,
        second_batch=second_batch,
        assignment=assignment,
        settlement=settlement,
        open_offer=open_offer,
        region=region,
        board=board,
        snapshot=snapshot,
        board_hr=board_hr,
        region_team=region_team,
        scenario=scenario,
    )


def _who(pw, who):
    return {
        "coordinator": pw.w.coordinator,
        "leader": pw.w.leader_a1,
        "hr_a": pw.w.hr_a,
        "member": pw.w.member_user,
        "board_hr": pw.board_hr,
        "region_team": pw.region_team,
    }.get(who)


PAGES = [
    # substitute pool
    ("pool list", lambda p: reverse("pool:pool_list"), "coordinator"),
    ("pool home", lambda p: reverse("pool:pool_detail", args=[p.w.pool.slug]), "coordinator"),
    ("pool policy", lambda p: reverse("pool:pool_policy", args=[p.w.pool.slug]), "coordinator"),
    ("pool boards", lambda p: reverse("pool:pool_boards", args=[p.w.pool.slug]), "coordinator"),
    ("pool board edit", lambda p: reverse("pool:pool_board_edit", args=[p.w.pool.slug, p.w.pb_b.pk]), "coordinator"),
    ("pool members", lambda p: reverse("pool:member_list", args=[p.w.pool.slug]), "coordinator"),
    ("pool member new", lambda p: reverse("pool:member_create", args=[p.w.pool.slug]), "coordinator"),
    ("pool member", lambda p: reverse("pool:member_detail", args=[p.w.pool.slug, p.w.m1.pk]), "coordinator"),
    ("pool member edit", lambda p: reverse("pool:member_edit", args=[p.w.pool.slug, p.w.m1.pk]), "coordinator"),
    ("requests (school)", lambda p: reverse("pool:request_list", args=[p.w.pool.slug]), "leader"),
    ("request form", lambda p: reverse("pool:request_create", args=[p.w.pool.slug]), "leader"),
    (
        "request detail (coordinator)",
        lambda p: reverse("pool:request_detail", args=[p.w.pool.slug, p.assignment.request_id]),
        "coordinator",
    ),
    (
        "request edit",
        lambda p: reverse("pool:request_edit", args=[p.w.pool.slug, p.open_offer.request_id]),
        "leader",
    ),
    ("batches", lambda p: reverse("pool:batch_list", args=[p.w.pool.slug]), "coordinator"),
    (
        "batch with proposals",
        lambda p: reverse("pool:batch_detail", args=[p.w.pool.slug, p.second_batch.pk]),
        "coordinator",
    ),
    ("batch confirmed", lambda p: reverse("pool:batch_detail", args=[p.w.pool.slug, p.batch.pk]), "coordinator"),
    ("offer (member)", lambda p: reverse("pool:offer_accept", args=[p.open_offer.token]), None),
    ("offer decline", lambda p: reverse("pool:offer_decline", args=[p.open_offer.token]), None),
    ("my work", lambda p: reverse("pool:my_work"), "member"),
    ("hours list", lambda p: reverse("pool:hours_list", args=[p.w.pool.slug]), "member"),
    (
        "hours of an assignment",
        lambda p: reverse("pool:hours_assignment", args=[p.w.pool.slug, p.assignment.pk]),
        "leader",
    ),
    ("settlements", lambda p: reverse("pool:settlement_list", args=[p.w.pool.slug]), "coordinator"),
    ("settlement form", lambda p: reverse("pool:settlement_create", args=[p.w.pool.slug]), "coordinator"),
    (
        "settlement detail",
        lambda p: reverse("pool:settlement_detail", args=[p.w.pool.slug, p.settlement.pk]),
        "hr_a",
    ),
    ("monitoring dashboard", lambda p: reverse("pool:dashboard", args=[p.w.pool.slug]), "coordinator"),
    # personnel planning
    ("planning home (board)", lambda p: reverse("workforce:home"), "board_hr"),
    ("planning home (region)", lambda p: reverse("workforce:home"), "region_team"),
    ("board planning", lambda p: reverse("workforce:board", args=[p.board.pk]), "board_hr"),
    (
        "snapshot detail",
        lambda p: reverse("workforce:snapshot_detail", args=[p.board.pk, p.snapshot.pk]),
        "board_hr",
    ),
    ("snapshot rows", lambda p: reverse("workforce:snapshot_rows", args=[p.board.pk, p.snapshot.pk]), "board_hr"),
    ("board pupils", lambda p: reverse("workforce:board_pupils", args=[p.board.pk]), "board_hr"),
    ("region pupils", lambda p: reverse("workforce:region_pupils", args=[p.region.slug]), "region_team"),
    ("assumptions", lambda p: reverse("workforce:assumptions", args=[p.region.slug]), "region_team"),
    ("scenarios", lambda p: reverse("workforce:scenario_list", args=[p.board.pk]), "board_hr"),
    ("scenario new", lambda p: reverse("workforce:scenario_create", args=[p.board.pk]), "board_hr"),
    ("scenario edit", lambda p: reverse("workforce:scenario_edit", args=[p.scenario.pk]), "board_hr"),
    ("board forecast", lambda p: reverse("workforce:forecast_board", args=[p.board.pk]), "board_hr"),
    ("region forecast", lambda p: reverse("workforce:forecast_region", args=[p.region.slug]), "region_team"),
    (
        "scenario comparison",
        lambda p: reverse("workforce:forecast_board_compare", args=[p.board.pk]) + f"?scenarios={p.scenario.pk}",
        "board_hr",
    ),
]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_pages_have_no_wcag_violations(new_page, pw, language):
    """One world, every page: building the world (a batch, forecasts) once keeps this walk quick."""
    from .conftest import axe_violations, format_violations

    problems = []
    pages_by_user: dict = {}
    for label, url_for, who in PAGES:
        pages_by_user.setdefault(who, []).append((label, url_for))
    for who, pages in pages_by_user.items():
        page = new_page()
        user = _who(pw, who)
        if user is not None:
            log_in(page, user.email)
        else:
            page.goto("/")
        switch_language(page, language)
        for label, url_for in pages:
            url = url_for(pw)
            response = page.goto(url)
            if response is None or response.status >= 400:
                problems.append(f"{label}: {url} answered {response and response.status}")
                continue
            if page.locator("html").get_attribute("lang") != language or not page.title():
                problems.append(f"{label}: wrong language or no title")
            violations = axe_violations(page)
            if violations:
                problems.append(f"{label} [{language}] {url}:\n" + format_violations(violations))
    assert not problems, "\n".join(problems)
