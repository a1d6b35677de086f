"""The funnel's kept summaries (furthest stage, stays, per-region counts) against the slow path.

The slow path is how the funnel counted before the summaries existed: straight from the timeline, the
furthest stage as the highest stage any event moved to, each stay from one stage event to the next
with a window function. After random journeys through the services (registrations, moves forward and
back, ends, second trajectories, handovers, merges, erasure and retention, spread over time), every
report must be the same either way, and the summaries must match the timelines.
"""

import random
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.db.models.functions import Substr
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from onderwijsregio.accounts.models import Role
from onderwijsregio.accounts.tests.factories import MembershipFactory, UserFactory
from onderwijsregio.loket import funnel, services
from onderwijsregio.loket.models import (
    STAGE_ORDER,
    Candidate,
    CandidateStatistic,
    ConsentPurpose,
    ExitReason,
    Handover,
    SharedPart,
    StageStay,
    StageStayCount,
    TargetGroup,
)
from onderwijsregio.loket.timeline import percentiles_from_counts
from onderwijsregio.organisations.models import PostcodeArea, SubRegion
from onderwijsregio.organisations.tests.factories import (
    BoardFactory,
    MunicipalityFactory,
    RegionFactory,
    RegionMemberFactory,
)

_ENTERING = ("registered", "stage_changed", "ended")


# --- the slow path ------------------------------------------------------------------------------


def _slow_live_counts(trajectories, dimension):
    """Furthest stage from every event of the trajectory, as one query over the whole timeline."""
    rank = " ".join(f"WHEN '{stage}' THEN {index}" for index, stage in enumerate(STAGE_ORDER))
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    # Straight from the candidate, not the keys copied onto the trajectory.
    if dimension == "subregion":
        key = Substr("candidate__postcode", 1, 4)
    elif dimension == "target_group":
        key = F("candidate__target_group")
    else:
        key = funnel._live_key(dimension)
    base_sql, params = (
        trajectories.annotate(group_key=key, region_key=F("candidate__region_id"))
        .order_by()
        .values("id", "group_key", "region_key", "stage", "exit_reason_id")
        .query.sql_with_params()
    )
    sql = f"""
        SELECT t.group_key, t.region_key, {greatest}(CASE t.stage {rank} ELSE 0 END,
               COALESCE((SELECT MAX(CASE e.to_stage {rank} ELSE -1 END) FROM loket_trajectoryevent e
                         WHERE e.trajectory_id = t.id AND e.to_stage <> ''), -1)),
               t.exit_reason_id, COUNT(*)
        FROM ({base_sql}) t GROUP BY 1, 2, 3, 4
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if dimension != "subregion":
        return [(key, reached, reason, count) for key, _region, reached, reason, count in rows]
    names = {}
    for subregion in SubRegion.objects.prefetch_related("municipalities"):
        for pc4 in PostcodeArea.objects.filter(municipality__in=subregion.municipalities.all()).values_list(
            "pc4", flat=True
        ):
            names.setdefault((subregion.region_id, pc4), []).append(subregion.name)
    return [
        (min(names.get((region, pc4), [""])), reached, reason, count) for pc4, region, reached, reason, count in rows
    ]


def _slow_stay_counts(trajectories):
    """Each stay from a stage event to the next (a window over the timeline), in tenths of a day."""
    ids_sql, params = trajectories.order_by().values("pk").query.sql_with_params()
    lead = "LEAD(e.created_at) OVER (PARTITION BY e.trajectory_id ORDER BY e.created_at, e.id)"
    if connection.vendor == "postgresql":
        length = f"FLOOR(EXTRACT(EPOCH FROM ({lead} - e.created_at)) / 8640 + 0.5)"
    else:
        length = f"CAST((julianday({lead}) - julianday(e.created_at)) * 10 + 0.5 AS INTEGER)"
    sql = f"""
        SELECT stage, tenths, COUNT(*) FROM (
            SELECT e.to_stage AS stage, {length} AS tenths FROM loket_trajectoryevent e
            WHERE e.kind IN {_ENTERING} AND e.trajectory_id IN ({ids_sql})
        ) stays WHERE tenths IS NOT NULL AND stage <> '' GROUP BY 1, 2
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(stage, int(tenths), count) for stage, tenths, count in cursor.fetchall()]


def slow_report(monkeypatch, **kwargs):
    with monkeypatch.context() as patch:
        patch.setattr(funnel, "_live_counts", _slow_live_counts)
        # Never the kept counts: anonymous days straight from the rows too.
        patch.setattr(funnel, "_whole_regions", lambda scope, filters: False)
        patch.setattr(funnel, "_stay_counts", lambda scope, filters, trajectories: _slow_stay_counts(trajectories))
        return funnel.funnel_report(**kwargs)


# --- random journeys ----------------------------------------------------------------------------


def _register(region, rng, number, postcode):
    return services.candidate_register(
        region=region,
        data={
            "first_name": f"Kandidaat{number}",
            "last_name": "Test",
            "email": f"k{number}-{rng.random()}@example.nl",
            "postcode": postcode,
            "target_group": rng.choice(list(TargetGroup.values)),
            "education_level": "wo_master",
            "dutch_level": "C1",
            "target_sectors": ["VO"],
        },
        consents={ConsentPurpose.SHARE_BOARDS: True},
        send_email=False,
    )


def journeys(region, board, team, seed, *, people=14):
    """Registrations and steps through the services at random moments over half a year."""
    rng = random.Random(seed)
    reasons = list(ExitReason.objects.filter(is_active=True))
    moment = timezone.now() - timedelta(days=200)
    candidates = []
    for number in range(people):
        # Seconds at random: no stay lands exactly on half a tenth of a day.
        moment += timedelta(hours=rng.uniform(1, 90), seconds=rng.randint(1, 3599))
        with time_machine.travel(moment, tick=False):
            candidates.append(_register(region, rng, number, rng.choice(["3811 AB", "3812 CD", "9999 ZZ"])))
    for _step in range(people * 4):
        moment += timedelta(hours=rng.uniform(0.5, 120), seconds=rng.randint(1, 3599))
        with time_machine.travel(moment, tick=False):
            candidate = rng.choice(candidates)
            if not Candidate.objects.filter(pk=candidate.pk).exists():
                continue
            open_ones = list(candidate.trajectories.filter(ended_at__isnull=True))
            action = rng.random()
            if not open_ones or action < 0.08:
                services.trajectory_create(candidate=candidate, actor=team, route_id=rng.choice(["zij-vo", "pabo"]))
            elif action < 0.7:
                trajectory = rng.choice(open_ones)
                here = STAGE_ORDER.index(trajectory.stage)
                # Mostly forward, sometimes back to correct a mistake.
                to = here - 1 if here and rng.random() < 0.15 else min(here + rng.randint(1, 2), len(STAGE_ORDER) - 1)
                if to != here:
                    services.trajectory_move(trajectory=trajectory, to_stage=STAGE_ORDER[to], actor=team)
            elif action < 0.82:
                services.trajectory_end(trajectory=rng.choice(open_ones), reason=rng.choice(reasons), actor=team)
            elif action < 0.9:
                if candidate.handovers.filter(receiver=board, status="pending").exists():
                    continue
                services.handover_create(
                    candidate=candidate,
                    receiver=board,
                    shared_parts=[SharedPart.CONTACT],
                    actor=team,
                    trajectory=rng.choice(open_ones),
                )
            elif action < 0.93:
                # A corrected target group or a move: the funnel counts the trajectory under the new keys.
                services.candidate_update(
                    candidate=candidate,
                    actor=team,
                    target_group=rng.choice(list(TargetGroup.values)),
                    postcode=rng.choice(["3811 AB", "3812 CD", "9999 ZZ"]),
                )
            elif action < 0.96:
                services.candidate_erase(candidate=candidate, actor=team, reason="request")
            else:
                others = [c for c in candidates if c.pk != candidate.pk and Candidate.objects.filter(pk=c.pk).exists()]
                if others:
                    services.candidate_merge(keep=candidate, duplicate=rng.choice(others), actor=team)
    return candidates


@pytest.fixture
def region_with_boards():
    region = RegionFactory()
    board = BoardFactory()
    RegionMemberFactory(region=region, member=board)
    municipality = MunicipalityFactory()
    for pc4 in ("3811", "3812"):
        PostcodeArea.objects.create(pc4=pc4, municipality=municipality, latitude=52.15, longitude=5.39)
    SubRegion.objects.create(region=region, name="Oost").municipalities.add(municipality)
    team = MembershipFactory(organisation=region, role=Role.REGIONAL_TEAM).user
    hr = MembershipFactory(organisation=board, role=Role.BOARD_HR).user
    return region, board, team, hr


def _figures(report):
    return (
        report.total,
        report.from_statistics,
        [(s.stage, s.reached, s.ended_here, s.exit_reasons, s.stays, s.median_days, s.p75_days) for s in report.stages],
        sorted((g.key, g.reached, g.ended, g.qualified) for g in report.groups),
        [(r.code, r.count) for r in report.reasons],
    )


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [3, 11, 2026])
def test_reports_from_summaries_equal_the_slow_path(region_with_boards, monkeypatch, seed):
    region, board, team, hr = region_with_boards
    journeys(region, board, team, seed)
    # A second region's journeys must not leak into the first one's counts.
    other_region = RegionFactory()
    journeys(
        other_region,
        BoardFactory(),
        MembershipFactory(organisation=other_region, role=Role.REGIONAL_TEAM).user,
        seed + 1,
        people=5,
    )
    services.retention_run(now=timezone.now() + timedelta(days=400))
    assert services.funnel_summary_differences() == []
    # The team also counts a candidate another region handed to it: then whole-region counts do not answer.
    handed = Candidate.objects.filter(region=other_region, trajectories__isnull=False).first()
    assert handed is not None
    Handover.objects.create(candidate=handed, receiver=region, shared_parts=[SharedPart.CONTACT], created_by=team)

    admin = UserFactory(is_superuser=True)
    cases = [
        (team, funnel.FunnelFilters(), "target_group"),
        (team, funnel.FunnelFilters(), "subregion"),
        (team, funnel.FunnelFilters(region=region), "route"),
        (team, funnel.FunnelFilters(target_group=TargetGroup.SIDE_ENTRANT), "month"),
        (team, funnel.FunnelFilters(route_id="zij-vo"), "quarter"),
        (hr, funnel.FunnelFilters(), "target_group"),
        (admin, funnel.FunnelFilters(), "subject"),
    ]
    for user, filters, dimension in cases:
        fast = funnel.funnel_report(user=user, filters=filters, dimension=dimension)
        slow = slow_report(monkeypatch, user=user, filters=filters, dimension=dimension)
        assert _figures(fast) == _figures(slow), (user, filters, dimension)
    assert funnel.funnel_report(user=team).total > 0


@pytest.mark.django_db
def test_whole_region_times_come_from_the_kept_counts(region_with_boards):
    region, board, team, _hr = region_with_boards
    journeys(region, board, team, 5, people=6)
    with CaptureQueriesContext(connection) as context:
        funnel.funnel_report(user=team)
    tables = " ".join(query["sql"] for query in context.captured_queries)
    assert "loket_stagestaycount" in tables and 'loket_stagestay"' not in tables
    with CaptureQueriesContext(connection) as context:
        funnel.funnel_report(user=team, filters=funnel.FunnelFilters(route_id="zij-vo"))
    assert "loket_stagestaycount" not in " ".join(query["sql"] for query in context.captured_queries)


@pytest.mark.django_db
def test_counts_follow_a_candidate_deleted_outside_the_services(region_with_boards):
    region, board, team, _hr = region_with_boards
    candidates = journeys(region, board, team, 7, people=6)
    survivor = next(c for c in candidates if Candidate.objects.filter(pk=c.pk).exists())
    stays = StageStay.objects.filter(trajectory__candidate=survivor).count()
    total = sum(StageStayCount.objects.filter(region=region).values_list("count", flat=True))
    # As the admin site does: a plain delete, cascading to trajectories and stays.
    Candidate.objects.filter(pk=survivor.pk).delete()
    assert sum(StageStayCount.objects.filter(region=region).values_list("count", flat=True)) == total - stays
    assert services.funnel_summary_differences() == []


@pytest.mark.django_db
def test_anonymous_days_are_counted_when_kept_and_uncounted_when_deleted(region_with_boards):
    region, board, team, _hr = region_with_boards
    candidates = journeys(region, board, team, 13, people=6)
    living = [c for c in candidates if Candidate.objects.filter(pk=c.pk).exists()]
    for candidate in living[:3]:
        services.candidate_erase(candidate=candidate, actor=team, reason="request")
    anonymous = StageStayCount.objects.filter(region=region, anonymous=True)
    kept = sum(len(statistic.stays()) for statistic in CandidateStatistic.objects.filter(region=region))
    assert kept > 0 and sum(anonymous.values_list("count", flat=True)) == kept
    assert services.funnel_summary_differences() == []
    CandidateStatistic.objects.filter(region=region).delete()
    assert sum(anonymous.values_list("count", flat=True)) == 0
    assert services.funnel_summary_differences() == []


@pytest.mark.django_db
def test_check_command_finds_a_tampered_summary_and_rebuild_repairs_it(region_with_boards):
    region, board, team, _hr = region_with_boards
    journeys(region, board, team, 9, people=6)
    call_command("funnel_summaries")
    stay = StageStay.objects.first()
    StageStay.objects.filter(pk=stay.pk).update(tenths=stay.tenths + 7)
    with pytest.raises(Exception, match="verschil"):
        call_command("funnel_summaries")
    call_command("funnel_summaries", "--rebuild")
    call_command("funnel_summaries")
    assert services.funnel_summary_differences() == []


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.integers(min_value=0, max_value=5000), max_size=60),
    fraction=st.sampled_from([0.0, 0.25, 0.5, 0.75, 0.9, 1.0]),
)
def test_percentile_from_counts_is_percentile_cont_of_the_values(values, fraction):
    from collections import Counter

    (from_counts,) = percentiles_from_counts(Counter(values), [fraction])
    expected = funnel.percentile_cont([float(v) for v in values], fraction)
    assert from_counts == pytest.approx(expected) if values else from_counts is None
