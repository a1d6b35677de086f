"""What a trajectory's timeline says for the funnel: the furthest stage reached and the completed stays.

Pure functions over plain values, shared by the service that keeps the funnel's summary
(loket.services.summaries), the data migration that filled it, and the check that compares it with the
timeline (`manage.py funnel_summaries --check`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

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


def percentile_from_counts(counts: Iterable[tuple[float, int]], fraction: float) -> float | None:
    """percentile_cont (linear interpolation, as PostgreSQL computes it) of values given as (value, how often)."""
    ordered = sorted((value, count) for value, count in counts if count > 0)
    total = sum(count for _value, count in ordered)
    if not total:
        return None
    position = fraction * (total - 1)
    lower_index, upper_index = math.floor(position), math.ceil(position)
    lower = upper = None
    seen = 0
    for value, count in ordered:
        if lower is None and lower_index < seen + count:
            lower = value
        if upper_index < seen + count:
            upper = value
            break
        seen += count
    return lower + (upper - lower) * (position - lower_index)
