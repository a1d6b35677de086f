"""Server time of the desk's working list and funnel page with 50,000 candidates and 200,000 events.

Builds the demo region (`load_demo`), then fills it with synthetic candidates spread over the target
groups, subjects, routes, postcodes of the region's sub-regions and stages as a busy desk would have
them (bulk inserts, fixed seed), plus anonymous rows of erased candidates. Measures, as the regional
team, the working list (`loket:candidate_list`), the funnel (`loket:funnel`) and the funnel broken
down by sub-region. Baseline, in the same process and run: a hello-world Django view through the same
middleware, so the ratio shows what a page costs on top of the framework on this (noisy) machine.

    python benchmarks/loket_pages.py [--quick] [--requests N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python benchmarks/loket_pages.py

Without DATABASE_URL it runs on a throw-away SQLite file. On PostgreSQL it uses the database as it
finds it: the synthetic candidates of an earlier run of the same size are reused, another size is
replaced.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import time
from contextlib import contextmanager
from datetime import timedelta

from _setup import emit, median, percentile, settle_after_setup, setup_django, timed

TARGET_GROUPS = [
    ("side_entrant", 45),
    ("refugee_teacher", 10),
    ("student", 12),
    ("long_time_student", 6),
    ("returner", 12),
    ("school_leader", 5),
    ("teaching_assistant", 10),
]
ROUTES = [
    ("zij-instroom-vo", 30),
    ("kopopleiding", 12),
    ("pabo-verkort", 12),
    ("lerarenopleiding-deeltijd", 14),
    ("educatieve-master", 8),
    ("pdg-mbo", 6),
    ("duo-erkenning", 6),
    ("", 12),
]
SUBJECT_CODES = ["wi", "ne", "en", "na", "sk", "du", "fa", "inf", "bio", "gs"]
# How far journeys get: most stop early (new … qualified). With these, about four in five events are
# stage changes and the rest notes, follow-ups and the like.
STAGE_WEIGHTS = [30, 22, 16, 11, 5, 7, 5, 4]
BENCH_DOMAIN = "bench.onderwijsregio.nl"


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


@contextmanager
def _timestamps_as_given(*models):
    """Let bulk_create keep the historical created_at/updated_at we set, instead of 'now'."""
    saved = []
    for model in models:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
                saved.append((field, field.auto_now_add, field.auto_now))
                field.auto_now_add = field.auto_now = False
    try:
        yield
    finally:
        for field, auto_now_add, auto_now in saved:
            field.auto_now_add, field.auto_now = auto_now_add, auto_now


def build(region, *, candidates: int, events: int, statistics: int, seed: int = 2026) -> dict:
    """Synthetic candidates with trajectories and exactly `events` timeline events, in bulk."""
    from django.db import connection, transaction
    from django.utils import timezone

    from onderwijsregio.accounts.models import Membership, Role
    from onderwijsregio.loket.models import (
        STAGE_ORDER,
        Candidate,
        CandidateStatistic,
        EventKind,
        ExitReason,
        Stage,
        Trajectory,
        TrajectoryEvent,
    )
    from onderwijsregio.loket.services import stay_counts_rebuild, trajectory_summaries_refresh
    from onderwijsregio.organisations.models import PostcodeArea, Subject

    existing = Candidate.objects.filter(region=region, email__endswith=f"@{BENCH_DOMAIN}")
    if (
        existing.count() == candidates
        and TrajectoryEvent.objects.filter(candidate__region=region).count() == events
        and CandidateStatistic.objects.filter(region=region).count() == statistics
    ):
        return {"reused": True}
    with transaction.atomic():
        # Straight SQL for the funnel's summary: deleting 100,000 stays one by one (as the receiver that
        # keeps the counts would) is not what this benchmark measures.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM loket_stagestay WHERE region_id = %s", [region.pk])
            cursor.execute("DELETE FROM loket_stagestaycount WHERE region_id = %s", [region.pk])
        TrajectoryEvent.objects.filter(candidate__region=region).delete()
        Trajectory.objects.filter(candidate__region=region).delete()
        Candidate.objects.filter(region=region).delete()
        CandidateStatistic.objects.filter(region=region).delete()

    rng = random.Random(seed)
    pc4s = list(
        PostcodeArea.objects.filter(municipality__subregions__region=region).values_list("pc4", flat=True).distinct()
    )
    # Some candidates live outside every sub-region (a neighbouring region, or no sub-region yet).
    outside = list(PostcodeArea.objects.exclude(pc4__in=pc4s).values_list("pc4", flat=True)[:200]) or pc4s
    subjects = {subject.code: subject for subject in Subject.objects.filter(code__in=SUBJECT_CODES)}
    subject_list = list(subjects.values())
    reasons = list(ExitReason.objects.filter(is_active=True))
    coordinators = [
        m.user for m in Membership.objects.filter(organisation=region, role=Role.REGIONAL_TEAM).select_related("user")
    ]
    now = timezone.now()
    span_days = 3 * 365
    qualified = STAGE_ORDER.index(Stage.QUALIFIED)

    with transaction.atomic(), _timestamps_as_given(Candidate, Trajectory, TrajectoryEvent, CandidateStatistic):
        rows = []
        for number in range(candidates):
            created = now - timedelta(days=rng.uniform(0, span_days))
            postcode = rng.choice(pc4s if rng.random() < 0.85 else outside)
            rows.append(
                Candidate(
                    region=region,
                    first_name=f"Kandidaat{number}",
                    last_name="Benchmark (fictief)",
                    email=f"kandidaat{number}@{BENCH_DOMAIN}",
                    postcode=f"{postcode} AB",
                    target_group=_pick(rng, TARGET_GROUPS),
                    education_level=rng.choice(["hbo_bachelor", "wo_bachelor", "wo_master", "mbo4", "hbo_master"]),
                    dutch_level=rng.choice(["B1", "B2", "C1", "native"]),
                    target_sectors=[rng.choice(["VO", "PO", "MBO"])],
                    coordinator=rng.choice(coordinators) if coordinators and rng.random() < 0.8 else None,
                    is_synthetic=True,
                    created_at=created,
                    updated_at=created,
                )
            )
        made = Candidate.objects.bulk_create(rows, batch_size=2000)
        if connection.vendor != "postgresql" or any(c.pk is None for c in made):
            made = list(Candidate.objects.filter(region=region).order_by("pk"))
        through = Candidate.target_subjects.through
        through.objects.bulk_create(
            [through(candidate_id=c.pk, subject_id=rng.choice(subject_list).pk) for c in made if subject_list],
            batch_size=5000,
        )

        trajectories, plans = [], []
        for candidate in made:
            furthest = rng.choices(range(len(STAGE_ORDER)), weights=STAGE_WEIGHTS)[0]
            moments = [candidate.created_at]
            for _step in range(furthest):
                moments.append(min(now, moments[-1] + timedelta(days=rng.expovariate(1 / 30))))
            ended = furthest == qualified or rng.random() < 0.35
            reason = rng.choice(reasons) if ended and furthest != qualified and reasons else None
            ended_at = min(now, moments[-1] + timedelta(days=rng.uniform(1, 20))) if ended else None
            if furthest == qualified:
                ended_at = moments[-1]
            trajectories.append(
                Trajectory(
                    candidate_id=candidate.pk,
                    # What Trajectory.save() would copy; bulk_create does not call it.
                    candidate_region_id=candidate.region_id,
                    candidate_target_group=candidate.target_group,
                    candidate_pc4=candidate.postcode[:4],
                    route_id=_pick(rng, ROUTES),
                    subject=rng.choice(subject_list) if subject_list and rng.random() < 0.7 else None,
                    stage=STAGE_ORDER[furthest],
                    stage_changed_at=moments[-1],
                    ended_at=ended_at,
                    exit_reason=reason,
                    follow_up_on=(now + timedelta(days=rng.randint(-20, 40))).date()
                    if not ended and rng.random() < 0.4
                    else None,
                    created_at=candidate.created_at,
                )
            )
            plans.append((candidate, furthest, moments, ended_at, reason))
        made_trajectories = Trajectory.objects.bulk_create(trajectories, batch_size=2000)
        if any(t.pk is None for t in made_trajectories):
            made_trajectories = list(Trajectory.objects.filter(candidate__region=region).order_by("candidate_id"))

        event_rows = []
        for trajectory, (candidate, furthest, moments, ended_at, reason) in zip(made_trajectories, plans, strict=True):
            event_rows.append(
                TrajectoryEvent(
                    candidate_id=candidate.pk,
                    trajectory_id=trajectory.pk,
                    kind=EventKind.REGISTERED,
                    to_stage=Stage.NEW,
                    created_at=moments[0],
                )
            )
            for step in range(1, furthest + 1):
                event_rows.append(
                    TrajectoryEvent(
                        candidate_id=candidate.pk,
                        trajectory_id=trajectory.pk,
                        kind=EventKind.STAGE_CHANGED,
                        from_stage=STAGE_ORDER[step - 1],
                        to_stage=STAGE_ORDER[step],
                        created_at=moments[step],
                    )
                )
            if reason is not None:
                event_rows.append(
                    TrajectoryEvent(
                        candidate_id=candidate.pk,
                        trajectory_id=trajectory.pk,
                        kind=EventKind.ENDED,
                        from_stage=STAGE_ORDER[furthest],
                        details={"reason": reason.code},
                        created_at=ended_at,
                    )
                )
        # Notes, follow-ups and handovers fill the timeline up to the requested number of events.
        event_rows = event_rows[:events]
        fillers = [EventKind.NOTE, EventKind.FOLLOW_UP, EventKind.UPDATED, EventKind.ADVISED]
        while len(event_rows) < events:
            index = rng.randrange(len(plans))
            trajectory, (candidate, _furthest, moments, _ended, _reason) = made_trajectories[index], plans[index]
            event_rows.append(
                TrajectoryEvent(
                    candidate_id=candidate.pk,
                    trajectory_id=trajectory.pk,
                    kind=rng.choice(fillers),
                    text="Gebeld, bericht ingesproken (fictief).",
                    created_at=rng.choice(moments) + timedelta(hours=rng.uniform(1, 48)),
                )
            )
        TrajectoryEvent.objects.bulk_create(event_rows, batch_size=5000)

        stats = []
        for _number in range(statistics):
            furthest = rng.choices(range(len(STAGE_ORDER)), weights=STAGE_WEIGHTS)[0]
            registered = (now - timedelta(days=rng.uniform(400, 1500))).date().replace(day=1)
            stats.append(
                CandidateStatistic(
                    region=region,
                    target_group=_pick(rng, TARGET_GROUPS),
                    route_id=_pick(rng, ROUTES),
                    subject_code=rng.choice(SUBJECT_CODES),
                    subregion_name="",
                    registered_month=registered,
                    furthest_stage=STAGE_ORDER[furthest],
                    exit_reason_code=rng.choice(reasons).code if furthest != qualified and reasons else "",
                    ended_month=registered,
                    stage_days={STAGE_ORDER[step]: round(rng.expovariate(1 / 30), 1) for step in range(furthest)},
                    deleted_at=now,
                )
            )
        CandidateStatistic.objects.bulk_create(stats, batch_size=5000)
        # Bulk inserts pass by the services: summarise the timelines as the services would have.
        trajectory_summaries_refresh(trajectory_ids=[t.pk for t in made_trajectories])
        # The anonymous rows' days too (their receivers do not see bulk inserts).
        stay_counts_rebuild()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # As autovacuum would have by the time anyone looks: statistics and the visibility map.
            cursor.execute("VACUUM ANALYZE")
    return {"reused": False}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="5,000 candidates and 20,000 events, fewer requests")
    parser.add_argument("--requests", type=int, default=0, help="requests per page (default 30, quick 5)")
    args = parser.parse_args()
    size = (
        {"candidates": 5_000, "events": 20_000, "statistics": 500}
        if args.quick
        else {"candidates": 50_000, "events": 200_000, "statistics": 5_000}
    )
    repeat = args.requests or (5 if args.quick else 30)

    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.http import HttpResponse
    from django.test import Client, override_settings
    from django.urls import path, reverse

    from onderwijsregio.accounts.models import Membership, Role
    from onderwijsregio.organisations.demo import REGION_SLUG
    from onderwijsregio.organisations.models import Organisation

    started = time.perf_counter()
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    region = Organisation.objects.get(slug=REGION_SLUG)
    built = build(region, **size)
    build_seconds = round(time.perf_counter() - started, 1)
    settle_after_setup()
    team = Membership.objects.filter(organisation=region, role=Role.REGIONAL_TEAM).select_related("user").first().user

    def hello(request):
        return HttpResponse("hello")

    import onderwijsregio.conf.urls as root_urls

    module = type(root_urls)("bench_urls")
    module.urlpatterns = [path("__hello", hello), *root_urls.urlpatterns]

    client = Client()
    client.force_login(team)
    database = connection.vendor
    with override_settings(ROOT_URLCONF=module):
        pages = {
            "loket_candidate_list": reverse("loket:candidate_list"),
            "loket_funnel": reverse("loket:funnel"),
            "loket_funnel_by_subregion": reverse("loket:funnel") + "?uitsplitsing=subregion",
        }
        for url in pages.values():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        baseline = timed(lambda: client.get("/__hello"), repeat)
        for name, url in pages.items():
            ours = timed(lambda url=url: client.get(url), repeat)
            for metric, fn in (("median_server_time", median), ("p95_server_time", lambda s: percentile(s, 0.95))):
                emit(
                    benchmark=name,
                    metric=metric,
                    ours=round(fn(ours) * 1000, 3),
                    baseline=round(fn(baseline) * 1000, 3),
                    ratio=round(fn(ours) / fn(baseline), 1),
                    unit="ms",
                    size={**size, "requests": repeat, "database": database},
                    baseline_is="hello-world view through the same middleware",
                    data_reused=built["reused"],
                    setup_seconds=build_seconds,
                    database_url_set="DATABASE_URL" in os.environ,
                )


if __name__ == "__main__":
    main()
