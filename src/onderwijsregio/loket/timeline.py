"""What a trajectory's timeline says for the funnel: the furthest stage reached and the completed stays.

Pure functions over plain values, shared by the service that keeps the funnel's summary
(loket.services.summaries), the data migration that filled it, and the check that compares it with the
timeline (`manage.py funnel_summaries --check`).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import accumulate

from .models import STAGE_ORDER, EventKind

# The events that put a trajectory in a stage (or end it): a stay runs from one to the next.
ENTERING_KINDS = frozenset({EventKind.REGISTERED, EventKind.STAGE_CHANGED, EventKind.ENDED})
_RANK = {stage: index for index, stage in enumerate(STAGE_ORDER)}


@dataclass(frozen=True)
class TimelineEvent:
    pk: int
    kind: str
    to_stage: str
    created_at: datetime


@dataclass(frozen=True)
class TimelineSummary:
    reached_rank: int
    stays: tuple[tuple[str, int], ...]  # (stage, length in tenths of a day), in the order they happened


# Time in stage is counted in tenths of a day, the precision the funnel shows and anonymous rows keep.
SECONDS_PER_TENTH = 8640


def stay_tenths(start: datetime, end: datetime) -> int:
    """A stay's length in tenths of a day, rounded half up."""
    return max(0, math.floor((end - start).total_seconds() / SECONDS_PER_TENTH + 0.5))


def summarise_timeline(events: Iterable[TimelineEvent], current_stage: str) -> TimelineSummary:
    """The furthest stage reached (current stage or any stage an event moved to) and each completed stay.

    A stay in a stage runs from the event that entered it to the next stage change or the end of the
    trajectory; one still going on is not complete yet.
    """
    ordered = sorted(events, key=lambda event: (event.created_at, event.pk))
    reached = max([_RANK.get(current_stage, 0)] + [_RANK[e.to_stage] for e in ordered if e.to_stage in _RANK])
    entering = [event for event in ordered if event.kind in ENTERING_KINDS]
    stays = tuple(
        (current.to_stage, stay_tenths(current.created_at, following.created_at))
        for current, following in zip(entering, entering[1:], strict=False)
        if current.to_stage
    )
    return TimelineSummary(reached_rank=reached, stays=stays)


def percentiles_from_counts(counts: dict[int, int], fractions: Iterable[float]) -> list[float | None]:
    """percentile_cont (linear interpolation, as PostgreSQL computes it) of values given as {value: how often}.

    One sort of the distinct values serves every fraction: a region's stays have a few thousand lengths.
    """
    values = sorted(value for value, count in counts.items() if count > 0)
    cumulative = list(accumulate(counts[value] for value in values))
    if not cumulative:
        return [None for _fraction in fractions]

    def at(index: int) -> int:
        # The value at this 0-based position of the expanded, sorted list.
        return values[bisect_right(cumulative, index)]

    results = []
    for fraction in fractions:
        position = fraction * (cumulative[-1] - 1)
        lower_index, upper_index = math.floor(position), math.ceil(position)
        lower, upper = at(lower_index), at(upper_index)
        results.append(lower + (upper - lower) * (position - lower_index))
    return results
