"""Server time of the workforce-planning pages with about 40 boards and 10,000 staff rows in snapshots.

Builds the demo region (`load_demo`), then gives each of its VO boards (about 40; `synthetic.vo_board_plans`)
a synthetic staff snapshot drawn by `synthetic.generate_rows` from the public key figures, scaled so that
the region holds about `staff` rows in all (fixed seed, stored with `services.snapshot_store_rows`, which
inserts the rows in bulk). The board forecast (largest board) and the region forecast are requested once
(`services.forecast_request`) and computed in this process (`services.forecast_run`), so the pages show a
finished result. Measures the board forecast page as that board's HR, and as the regional team the region
forecast page (with small-number suppression), the detail page of the largest snapshot and the region's
pupils page. Baseline, in the same process and run: a hello-world Django view through the same middleware,
so the ratio shows what a page costs on top of the framework on this (noisy) machine.

    python benchmarks/workforce_pages.py [--quick] [--requests N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python benchmarks/workforce_pages.py

Without DATABASE_URL it runs on a throw-away SQLite file. On PostgreSQL it uses the database as it finds
it: snapshots of an earlier run of the same size are reused, another size is replaced.
"""

from __future__ import annotations

import argparse
import io
import os
import time

from _setup import emit, median, percentile, settle_after_setup, setup_django, timed

BENCH_NOTE = "Benchmark: synthetisch personeel (fictief)"
BENCH_HR_EMAIL = "hr-benchmark@bench.onderwijsregio.nl"


def build(region, *, staff: int, seed: int = 2026) -> dict:
    """One synthetic snapshot per VO board of the region, about `staff` rows together."""
    import numpy as np
    from django.db import transaction

    from onderwijsregio.workforce import synthetic
    from onderwijsregio.workforce.models import ForecastRun, StaffRow, StaffSnapshot
    from onderwijsregio.workforce.services import snapshot_store_rows

    plans = synthetic.vo_board_plans(region)
    board_ids = [plan.board.pk for plan in plans]
    existing = StaffSnapshot.objects.filter(board_id__in=board_ids, note=BENCH_NOTE)
    if existing.count() == len(plans) and StaffRow.objects.filter(snapshot__in=existing).count() == staff:
        return {"reused": True, "boards": len(plans), "rows": staff}
    with transaction.atomic():
        ForecastRun.objects.filter(subject_organisation_id__in=[region.pk, *board_ids]).delete()
        StaffRow.objects.filter(snapshot__board_id__in=board_ids).delete()
        StaffSnapshot.objects.filter(board_id__in=board_ids).delete()

    reference_date = synthetic.demo_reference_date()
    natural = sum(plan.staff for plan in plans)
    sizes = [max(10, round(plan.staff * staff / natural)) for plan in plans]
    sizes[0] += staff - sum(sizes)  # the largest board absorbs the rounding, so the total is exact
    for plan, size in zip(plans, sizes, strict=True):
        rows = synthetic.generate_rows(
            n=size,
            reference_date=reference_date,
            rng=np.random.default_rng([seed, plan.board.pk]),
            locations=plan.locations,
            prefix=f"BEN{plan.board.pk}-",
        )
        with transaction.atomic():
            snapshot_store_rows(
                board=plan.board, reference_date=reference_date, rows=rows, note=BENCH_NOTE, is_synthetic=True
            )
    return {"reused": False, "boards": len(plans), "rows": staff}


def forecasts(region, board, actor) -> dict:
    """Request the board and region forecasts once and compute them here (no worker needed)."""
    from django.db import transaction

    from onderwijsregio.workforce import services as workforce_services
    from onderwijsregio.workforce.models import ForecastRun
    from onderwijsregio.workforce.services import forecast_run

    seconds = {}
    for name, organisation in (("board", board), ("region", region)):
        started = time.perf_counter()
        # The task is queued on commit; with no worker running, it simply waits in the queue.
        with transaction.atomic():
            run = workforce_services.forecast_request(subject_organisation=organisation, scenario=None, actor=actor)
        if run.status != ForecastRun.Status.SUCCEEDED:
            forecast_run(run_id=run.pk)
        run.refresh_from_db()
        assert run.status == ForecastRun.Status.SUCCEEDED, (name, run.status)
        seconds[name] = round(time.perf_counter() - started, 1)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="2,000 staff rows, fewer requests")
    parser.add_argument("--requests", type=int, default=0, help="requests per page (default 30, quick 5)")
    args = parser.parse_args()
    size = {"staff": 2_000} if args.quick else {"staff": 10_000}
    repeat = args.requests or (5 if args.quick else 30)

    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.http import HttpResponse
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.urls import path, reverse

    from onderwijsregio.accounts.models import Membership, Role, User
    from onderwijsregio.organisations.demo import REGION_SLUG
    from onderwijsregio.organisations.models import Organisation
    from onderwijsregio.workforce.models import StaffSnapshot

    started = time.perf_counter()
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    region = Organisation.objects.get(slug=REGION_SLUG)
    built = build(region, **size)
    snapshot = StaffSnapshot.objects.filter(note=BENCH_NOTE).order_by("-row_count", "pk").first()
    board = snapshot.board
    team = Membership.objects.filter(organisation=region, role=Role.REGIONAL_TEAM).select_related("user").first().user
    hr = User.objects.filter(email=BENCH_HR_EMAIL).first() or User.objects.create_user(
        email=BENCH_HR_EMAIL, password=None, full_name="HR Benchmark (fictief)", is_synthetic=True
    )
    Membership.objects.get_or_create(user=hr, organisation=board, role=Role.BOARD_HR, ended_at=None)
    forecast_seconds = forecasts(region, board, team)
    setup_seconds = round(time.perf_counter() - started, 1)
    settle_after_setup()

    def hello(request):
        return HttpResponse("hello")

    import onderwijsregio.conf.urls as root_urls

    module = type(root_urls)("bench_urls")
    module.urlpatterns = [path("__hello", hello), *root_urls.urlpatterns]

    hr_client, team_client = Client(), Client()
    hr_client.force_login(hr)
    team_client.force_login(team)
    database = connection.vendor
    with override_settings(ROOT_URLCONF=module):
        pages = {
            "workforce_board_forecast": (hr_client, reverse("workforce:forecast_board", args=[board.pk])),
            "workforce_region_forecast": (team_client, reverse("workforce:forecast_region", args=[region.slug])),
            "workforce_snapshot_detail": (
                team_client if team.has_perm("workforce.manage_board", board) else hr_client,
                reverse("workforce:snapshot_detail", args=[board.pk, snapshot.pk]),
            ),
            "workforce_region_pupils": (team_client, reverse("workforce:region_pupils", args=[region.slug])),
        }
        queries = {}
        for name, (client, url) in pages.items():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            if "forecast" in name:
                # The finished result must be on the page, not "no forecast yet" or a progress bar.
                assert b"forecast_progress" not in response.content and b"<svg" in response.content, name
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            queries[name] = len(captured)
        baseline = timed(lambda: team_client.get("/__hello"), repeat)
        for name, (client, url) in pages.items():
            ours = timed(lambda client=client, url=url: client.get(url), repeat)
            for metric, fn in (("median_server_time", median), ("p95_server_time", lambda s: percentile(s, 0.95))):
                emit(
                    benchmark=name,
                    metric=metric,
                    ours=round(fn(ours) * 1000, 3),
                    baseline=round(fn(baseline) * 1000, 3),
                    ratio=round(fn(ours) / fn(baseline), 1),
                    unit="ms",
                    size={
                        **size,
                        "boards": built["boards"],
                        "snapshot_rows": snapshot.row_count,
                        "requests": repeat,
                        "database": database,
                    },
                    baseline_is="hello-world view through the same middleware",
                    queries_per_request=queries[name],
                    data_reused=built["reused"],
                    setup_seconds=setup_seconds,
                    forecast_seconds=forecast_seconds,
                    database_url_set="DATABASE_URL" in os.environ,
                )


if __name__ == "__main__":
    main()
