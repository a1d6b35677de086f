"""What the load test counts: each answer classified as ok, expected conflict or error, and per group p50/p95.

Pure Python (no Django, no locust), so the rules the load test passes or fails by are unit-tested
(`tests/test_load_stats.py`) without running a load.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

OK = "ok"
# A 412 from a write with a stale If-Match: two users edited the same record at once and the second was
# told so. That is the locking scheme working (decision 19), not a failure, so it is counted apart.
CONFLICT = "conflict"
ERROR = "error"


def classify(status: int, expected: tuple[int, ...], conflict: tuple[int, ...] = ()) -> str:
    """OK for an expected status, CONFLICT for a tolerated one, ERROR for anything else.

    Anything else includes 0 (no answer: connection refused, reset or timed out), every 5xx, a 429 (a
    rate limit or lock-out tripped) and any 4xx the scenario did not ask for.
    """
    if status in expected:
        return OK
    if status in conflict:
        return CONFLICT
    return ERROR


def percentile(samples: list[float], q: float) -> float:
    """The q-quantile (0..1) by the nearest-rank method: a value that was actually measured."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[rank - 1]


@dataclass
class GroupStats:
    times_ms: list[float] = field(default_factory=list)
    conflicts: int = 0
    errors: int = 0
    # status (or 0) -> count, for the errors only: what went wrong, at a glance
    error_statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))


class Recorder:
    """Collects (group, status, time) per request; summary() turns them into the JSON lines we print."""

    def __init__(self) -> None:
        self.groups: dict[str, GroupStats] = defaultdict(GroupStats)

    def record(self, group: str, outcome: str, elapsed_ms: float, status: int) -> None:
        stats = self.groups[group]
        stats.times_ms.append(elapsed_ms)
        if outcome == CONFLICT:
            stats.conflicts += 1
        elif outcome == ERROR:
            stats.errors += 1
            stats.error_statuses[status] += 1

    @property
    def errors(self) -> int:
        return sum(stats.errors for stats in self.groups.values())

    def summary(self, *, profile: str, duration_s: float, users: int) -> list[dict]:
        """One record per group (sorted by name), then the overall record with the pass verdict."""
        lines = [
            {"group": name, **_numbers(stats.times_ms, stats.conflicts, stats.errors, stats.error_statuses)}
            for name, stats in sorted(self.groups.items())
        ]
        every = [time for stats in self.groups.values() for time in stats.times_ms]
        statuses: dict[int, int] = defaultdict(int)
        for stats in self.groups.values():
            for status, count in stats.error_statuses.items():
                statuses[status] += count
        overall = _numbers(every, sum(s.conflicts for s in self.groups.values()), self.errors, statuses)
        overall.update(
            {
                "group": "overall",
                "profile": profile,
                "users": users,
                "duration_s": round(duration_s, 1),
                "requests_per_s": round(len(every) / duration_s, 1) if duration_s > 0 else 0.0,
                "passed": self.errors == 0 and bool(every),
            }
        )
        return [*lines, overall]


def _numbers(times: list[float], conflicts: int, errors: int, statuses: dict[int, int]) -> dict:
    record = {
        "requests": len(times),
        "p50_ms": round(percentile(times, 0.50), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "max_ms": round(max(times), 1) if times else 0.0,
        "conflicts_412": conflicts,
        "errors": errors,
    }
    if statuses:
        record["error_statuses"] = {str(status): count for status, count in sorted(statuses.items())}
    return record
