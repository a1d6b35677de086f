"""Funnel analytics: what is counted, for whom, and that erasure does not make figures drop."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from onderwijsregio.accounts.models import Role
from onderwijsregio.accounts.tests.factories import MembershipFactory, UserFactory
from onderwijsregio.loket import funnel, services
from onderwijsregio.loket.models import CandidateStatistic, ConsentPurpose, ExitReason, Handover, SharedPart, Stage
from onderwijsregio.organisations.models import PostcodeArea, Subject, SubRegion
from onderwijsregio.organisations.tests.factories import (
    BoardFactory,
    MunicipalityFactory,
    RegionFactory,
    RegionMemberFactory,
)

pytestmark = pytest.mark.django_db

RANK = {stage: index for index, stage in enumerate(funnel.STAGE_ORDER)}


@pytest.fixture
def desk():
    region = RegionFactory()
    board = BoardFactory()
    RegionMemberFactory(region=region, member=board)
    team = MembershipFactory(organisation=region, role=Role.REGIONAL_TEAM).user
    hr = MembershipFactory(organisation=board, role=Role.BOARD_HR).user
    return region, board, team, hr


_counter = iter(range(1_000_000))


def register(region, *, target_group="side_entrant", postcode="3811 AB", consents=None):
    number = next(_counter)
    return services.candidate_register(
        region=region,
        data={
            "first_name": f"Kandidaat{number}",
            "last_name": "Test",
            "email": f"k{number}@example.nl",
            "postcode": postcode,
            "target_group": target_group,
            "education_level": "wo_master",
            "dutch_level": "C1",
            "target_sectors": ["VO"],
        },
        consents=consents if consents is not None else {ConsentPurpose.SHARE_BOARDS: True},
        send_email=False,
    )


def walk(candidate, stages, actor):
    trajectory = candidate.trajectories.get()
    for stage in stages:
        trajectory = services.trajectory_move(trajectory=trajectory, to_stage=stage, actor=actor)
    return trajectory


def reached(report):
    return {row.stage: row.reached for row in report.stages}


def test_counts_furthest_stage_reached_conversion_and_drop_off(desk):
    region, _board, team, _hr = desk
    reason = ExitReason.objects.get(code="no-contact")
    walk(register(region), [Stage.INTAKE_DONE, Stage.ADVISED, Stage.STARTED], team)
    stopped = walk(register(region), [Stage.INTAKE_DONE], team)
    services.trajectory_end(trajectory=stopped, reason=reason, actor=team)
    # Moved back to correct a mistake: the stage it reached still counts as reached.
    walk(register(region, target_group="refugee_teacher"), [Stage.INTAKE_DONE, Stage.ADVISED, Stage.INTAKE_DONE], team)
    register(region)

    report = funnel.funnel_report(user=team)

    assert report.total == 4
    assert reached(report) == {
        "new": 4,
        "intake_done": 3,
        "advised": 2,
        "in_conversation": 1,
        "suitability_assessment": 1,
        "started": 1,
        "induction": 0,
        "qualified": 0,
    }
    by_stage = {row.stage: row for row in report.stages}
    assert by_stage["intake_done"].conversion == 75.0
    assert by_stage["advised"].conversion == pytest.approx(66.7)
    assert by_stage["intake_done"].ended_here == 1
    assert by_stage["intake_done"].exit_reasons == [(reason.label, 1)]
    assert [(row.code, row.count, row.share) for row in report.reasons] == [("no-contact", 1, 100.0)]
    groups = {row.key: row for row in report.groups}
    assert groups["side_entrant"].reached[0] == 3 and groups["refugee_teacher"].reached[RANK["advised"]] == 1
    working = {row.target_group: row for row in report.working}
    assert working["side_entrant"].started == 1 and report.working_reported == 1


def test_figures_do_not_drop_when_retention_erases_people(desk):
    region, _board, team, _hr = desk
    reason = ExitReason.objects.get(code="other-job")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        ended = walk(register(region), [Stage.INTAKE_DONE, Stage.ADVISED], team)
        services.trajectory_end(trajectory=ended, reason=reason, actor=team)
        walk(register(region, target_group="returner"), [Stage.INTAKE_DONE, Stage.ADVISED, Stage.STARTED], team)
        walk(register(region), [Stage.INTAKE_DONE], team)
    before = funnel.funnel_report(user=team)
    assert services.retention_run(now=start + timedelta(days=60)) == 1
    assert CandidateStatistic.objects.count() == 1
    after = funnel.funnel_report(user=team)

    assert reached(after) == reached(before)
    assert [(row.code, row.count) for row in after.reasons] == [("other-job", 1)]
    assert after.from_statistics == 1
    assert {row.key: row.reached for row in after.groups} == {row.key: row.reached for row in before.groups}


def test_anonymous_row_of_an_open_trajectory_counts_as_stopped_without_reason(desk):
    region, _board, team, _hr = desk
    candidate = register(region)
    walk(candidate, [Stage.INTAKE_DONE], team)
    services.candidate_erase(candidate=candidate, actor=None, reason="request")
    report = funnel.funnel_report(user=team)
    assert reached(report)["intake_done"] == 1
    assert [row.code for row in report.reasons] == [funnel.ERASED_REASON]


def test_board_sees_only_candidates_handed_to_it_and_no_anonymous_rows(desk):
    region, board, team, hr = desk
    handed = register(region)
    walk(handed, [Stage.INTAKE_DONE], team)
    # Made directly: the handover service's emails are not what this test is about.
    Handover.objects.create(candidate=handed, receiver=board, shared_parts=[SharedPart.CONTACT], created_by=team)
    register(region)
    erased = register(region)
    services.candidate_erase(candidate=erased, actor=None, reason="request")

    assert funnel.funnel_report(user=team).total == 3
    board_report = funnel.funnel_report(user=hr)
    assert board_report.total == 1 and board_report.from_statistics == 0
    assert reached(board_report)["intake_done"] == 1
    # Someone else's board sees nothing at all.
    other_hr = MembershipFactory(organisation=BoardFactory(), role=Role.BOARD_HR).user
    assert funnel.funnel_report(user=other_hr).total == 0
    assert funnel.funnel_report(user=UserFactory()).total == 0


def test_other_region_is_not_counted(desk):
    region, _board, team, _hr = desk
    register(region)
    other = register(RegionFactory())
    services.candidate_erase(candidate=other, actor=None, reason="request")
    report = funnel.funnel_report(user=team)
    assert report.total == 1 and report.from_statistics == 0


def test_time_in_stage_median_and_p75_from_stage_changes(desk):
    region, _board, team, _hr = desk
    start = timezone.now() - timedelta(days=100)
    # Three candidates leave "new" after 2, 4 and 10 days; one is still new (not counted yet).
    for days_new in (2, 4, 10):
        with time_machine.travel(start, tick=False):
            candidate = register(region)
        with time_machine.travel(start + timedelta(days=days_new), tick=False):
            walk(candidate, [Stage.INTAKE_DONE], team)
    with time_machine.travel(start, tick=False):
        register(region)
    report = funnel.funnel_report(user=team)
    new = report.stages[0]
    assert new.stays == 3
    assert new.median_days == pytest.approx(4.0)
    assert new.p75_days == pytest.approx(7.0)  # percentile_cont between 4 and 10
    assert report.stages[1].stays == 0 and report.stages[1].median_days is None


def test_time_in_stage_adds_anonymous_days(desk):
    region, _board, team, _hr = desk
    CandidateStatistic.objects.create(
        region=region,
        target_group="side_entrant",
        registered_month=date(2025, 1, 1),
        furthest_stage=Stage.INTAKE_DONE,
        exit_reason_code="no-contact",
        stage_days={"new": 6, "intake_done": 12.5},
    )
    report = funnel.funnel_report(user=team)
    assert (report.stages[0].stays, report.stages[0].median_days) == (1, 6.0)
    assert report.stages[1].median_days == 12.5


def test_filters_and_breakdowns(desk):
    region, _board, team, _hr = desk
    municipality = MunicipalityFactory()
    PostcodeArea.objects.create(pc4="3811", municipality=municipality, latitude=52.15, longitude=5.39)
    east = SubRegion.objects.create(region=region, name="Oost")
    east.municipalities.add(municipality)
    maths, _created = Subject.objects.get_or_create(code="wi", defaults={"name": "wiskunde"})
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 1, 15, 12)), tick=False):
        inside = register(region, postcode="3811 AB")
        services.trajectory_update(trajectory=inside.trajectories.get(), actor=team, subject=maths, route_id="zij-vo")
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 4, 2, 12)), tick=False):
        register(region, postcode="9999 ZZ", target_group="returner")
    CandidateStatistic.objects.create(
        region=region,
        target_group="side_entrant",
        route_id="zij-vo",
        subject_code=maths.code,
        subregion_name="Oost",
        registered_month=date(2026, 2, 1),
        furthest_stage=Stage.QUALIFIED,
    )

    by_subregion = funnel.funnel_report(user=team, dimension="subregion")
    assert {row.key: row.reached[0] for row in by_subregion.groups} == {"Oost": 2, "": 1}
    by_subject = funnel.funnel_report(user=team, dimension="subject")
    assert {row.label: row.reached[0] for row in by_subject.groups} == {maths.name: 2, "(geen vak)": 1}
    by_quarter = funnel.funnel_report(user=team, dimension="quarter")
    assert {row.key: row.reached[0] for row in by_quarter.groups} == {"2026-Q1": 2, "2026-Q2": 1}
    by_month = funnel.funnel_report(user=team, dimension="month")
    assert [row.key for row in by_month.groups] == ["2026-01", "2026-02", "2026-04"]

    only_east = funnel.funnel_report(user=team, filters=funnel.FunnelFilters(subregion=east))
    assert only_east.total == 2 and only_east.stages[-1].reached == 1
    only_route = funnel.funnel_report(user=team, filters=funnel.FunnelFilters(route_id="zij-vo"))
    assert only_route.total == 2
    period = funnel.funnel_report(
        user=team, filters=funnel.FunnelFilters(registered_from=date(2026, 2, 1), registered_to=date(2026, 3, 31))
    )
    assert period.total == 1 and period.from_statistics == 1
    returners = funnel.funnel_report(user=team, filters=funnel.FunnelFilters(target_group="returner"))
    assert returners.total == 1
    assert funnel.funnel_route_ids(scope=funnel.funnel_scope(user=team)) == ["zij-vo"]


def test_number_of_queries_does_not_grow_with_candidates(desk):
    region, _board, team, _hr = desk
    walk(register(region), [Stage.INTAKE_DONE], team)

    def queries(dimension):
        with CaptureQueriesContext(connection) as context:
            funnel.funnel_report(user=team, dimension=dimension)
        return sum(1 for query in context.captured_queries if query["sql"].lstrip().upper().startswith("SELECT"))

    funnel.funnel_report(user=team)  # the user's memberships are read once and kept on the user
    few = {dimension: queries(dimension) for dimension in funnel.DIMENSIONS}
    for index in range(6):
        walk(register(region, target_group="returner" if index % 2 else "student"), [Stage.INTAKE_DONE], team)
    many = {dimension: queries(dimension) for dimension in funnel.DIMENSIONS}
    assert many == few
    assert max(many.values()) <= 10


def test_percentile_cont_matches_postgresql():
    assert funnel.percentile_cont([], 0.5) is None
    assert funnel.percentile_cont([3.0], 0.75) == 3.0
    assert funnel.percentile_cont([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert funnel.percentile_cont([10.0, 0.0, 5.0], 0.75) == 7.5


# --- the page and the CSV -------------------------------------------------------------------------


def test_page_needs_desk_or_inbox(client, desk):
    _region, _board, team, hr = desk
    url = reverse("loket:funnel")
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.get(reverse("loket:funnel_export")).status_code == 404
    client.force_login(hr)
    assert client.get(url).status_code == 200


def test_page_shows_charts_with_tables_and_keeps_filters(client, desk):
    region, _board, team, _hr = desk
    walk(register(region, target_group="refugee_teacher"), [Stage.INTAKE_DONE, Stage.ADVISED, Stage.STARTED], team)
    client.force_login(team)
    response = client.get(reverse("loket:funnel"), {"doelgroep": "refugee_teacher", "uitsplitsing": "quarter"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="img"') >= 2
    assert 'id="tabel-trechter"' in html and 'id="tabel-redenen"' in html and 'id="tabel-tijd"' in html
    assert '<option value="refugee_teacher" selected>' in html
    assert '<option value="quarter" selected>' in html
    assert "aan het werk als leraar" in html
    assert response.context["report"].working_reported == 1


def test_page_reports_bad_filters_in_dutch(client, desk):
    _region, _board, team, _hr = desk
    client.force_login(team)
    response = client.get(reverse("loket:funnel"), {"van": "2026-05-01", "tot": "2026-01-01"})
    assert response.status_code == 200
    assert "De einddatum ligt vóór de begindatum." in response.content.decode()


def test_csv_export_has_the_same_figures(client, desk):
    region, _board, team, _hr = desk
    walk(register(region), [Stage.INTAKE_DONE], team)
    register(region, target_group="returner")
    client.force_login(team)
    response = client.get(reverse("loket:funnel_export"), {"uitsplitsing": "target_group"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("onderdeel;")
    assert any(line.startswith("trechter;totaal;intake gedaan;1;50,0") for line in lines), lines
    assert any(line.startswith("uitsplitsing;herintreder;nieuw;1") for line in lines), lines
