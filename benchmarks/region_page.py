"""Server time of the region page and the school-location list on the demo region.

Baseline, in the same process and run: a hello-world Django view through the same middleware,
so the ratio shows what our page costs on top of the framework on this (noisy) machine.

    python benchmarks/region_page.py [--quick]
"""

from __future__ import annotations

import argparse
import io

from _setup import emit, median, percentile, setup_django, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    repeat = 10 if args.quick else 50

    setup_django()
    from django.core.management import call_command
    from django.http import HttpResponse
    from django.test import Client, override_settings
    from django.urls import path, reverse

    call_command("load_demo", verbosity=0, stdout=io.StringIO())

    from onderwijsregio.organisations.models import RegionSchoolLocation
    from onderwijsregio.organisations.selectors import regions

    region = regions().order_by("-pk").last()
    locations = RegionSchoolLocation.objects.filter(region=region, ended_on__isnull=True).count()

    def hello(request):
        return HttpResponse("hello")

    import onderwijsregio.conf.urls as root_urls

    urlpatterns = [path("__hello", hello), *root_urls.urlpatterns]
    module = type(root_urls)("bench_urls")
    module.urlpatterns = urlpatterns

    client = Client()
    with override_settings(ROOT_URLCONF=module):
        pages = {
            "region_page": reverse("organisations:region_detail", kwargs={"slug": region.slug}),
            "school_location_list": reverse("organisations:school_location_list") + f"?region={region.pk}",
        }
        for url in pages.values():
            assert client.get(url).status_code == 200, url
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
                    size={"school_locations": locations, "requests": repeat},
                    baseline_is="hello-world view through the same middleware",
                )


if __name__ == "__main__":
    main()
