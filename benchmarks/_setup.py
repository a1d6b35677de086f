"""Shared set-up for benchmarks: Django on a throw-away database, and timing helpers."""

from __future__ import annotations

import gc
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup_django() -> None:
    """Configure Django on a fresh SQLite file (or DATABASE_URL when set) and migrate it."""
    sys.path.insert(0, str(ROOT / "src"))
    if "DATABASE_URL" not in os.environ:
        os.environ["ONDERWIJSREGIO_VAR_DIR"] = tempfile.mkdtemp(prefix="onderwijsregio-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onderwijsregio.conf.settings")
    os.environ.setdefault("AXES_ENABLED", "false")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def timed(fn, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def emit(**record) -> None:
    print(json.dumps(record, ensure_ascii=False), flush=True)


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def settle_after_setup() -> None:
    """Put the set-up's objects out of the garbage collector's way before measuring.

    Loading the demo and bulk data leaves hundreds of thousands of objects in the benchmark process that
    no web worker holds; left alone, each collection walks them all and slows every page (and the
    baseline) down by tens of milliseconds.
    """
    gc.collect()
    gc.freeze()
