"""The funnel's summary of each trajectory, kept in step with its timeline.

Every stage event goes through `_event` (loket.services.common), which calls `trajectory_summaries_refresh`
for its trajectory in the same transaction, so the summary can never be behind what the timeline says.
Writes that change timelines in bulk (the demo's back-dated journeys, the benchmark's bulk inserts)
call it for the trajectories they touched. Per region, StageStayCount holds how many stays had each
length: this module adds the stays it creates, loket.signals takes off every stay deleted.
`funnel_summary_differences` recomputes everything from the timeline, for tests and for
`manage.py funnel_summaries --check`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum

from ..models import CandidateStatistic, StageStay, StageStayCount, Trajectory, TrajectoryEvent
from ..timeline import ENTERING_KINDS, TimelineEvent, TimelineSummary, summarise_timeline

# Trajectories summarised per round trip when many are refreshed at once.
_CHUNK = 2000


def _summaries(trajectories: list[Trajectory]) -> dict[int, TimelineSummary]:
    events: dict[int, list[TimelineEvent]] = defaultdict(list)
    rows = TrajectoryEvent.objects.filter(trajectory__in=[t.pk for t in trajectories]).values_list(
        "trajectory_id", "pk", "kind", "to_stage", "created_at"
    )
    for trajectory_id, pk, kind, to_stage, created_at in rows.order_by():
        events[trajectory_id].append(TimelineEvent(pk=pk, kind=kind, to_stage=to_stage, created_at=created_at))
    return {t.pk: summarise_timeline(events[t.pk], t.stage) for t in trajectories}


def _trajectories(ids: Iterable[int] | None) -> list[Trajectory]:
    queryset = Trajectory.objects.only(
        "pk",
        "stage",
        "reached_rank",
        "candidate_region_id",
        "candidate_target_group",
        "candidate_pc4",
        "candidate__region_id",
        "candidate__target_group",
        "candidate__postcode",
    ).select_related("candidate")
    queryset = queryset.order_by("pk") if ids is None else queryset.filter(pk__in=list(ids)).order_by("pk")
    return list(queryset)


def _stored_stays(trajectory_ids: list[int]) -> dict[int, list[tuple[int, str, int]]]:
    stored: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for pk, trajectory_id, stage, tenths in StageStay.objects.filter(trajectory__in=trajectory_ids).values_list(
        "pk", "trajectory_id", "stage", "tenths"
    ):
        stored[trajectory_id].append((pk, stage, tenths))
    return stored


def stay_counts_add(region_id: int, added: Counter, *, anonymous: bool = False) -> None:
    """Add to the region's counts of stays per (stage, tenths); a count row is made on first use."""
    for (stage, tenths), number in sorted(added.items()):
        counts = StageStayCount.objects.filter(region_id=region_id, stage=stage, tenths=tenths, anonymous=anonymous)
        if counts.update(count=F("count") + number):
            continue
        try:
            with transaction.atomic():
                StageStayCount.objects.create(
                    region_id=region_id, stage=stage, tenths=tenths, anonymous=anonymous, count=number
                )
        except IntegrityError:
            # Another transaction made the row first: add to it.
            counts.update(count=F("count") + number)


@transaction.atomic
def trajectory_summaries_refresh(*, trajectory_ids: Iterable[int] | None = None) -> int:
    """Bring the furthest stage and the stays of these trajectories (all when None) in line with their timeline.

    Only what changed is written: a stage change usually adds one stay (the stage it left).
    """
    trajectories = _trajectories(trajectory_ids)
    for start in range(0, len(trajectories), _CHUNK):
        chunk = trajectories[start : start + _CHUNK]
        summaries = _summaries(chunk)
        stored = _stored_stays([t.pk for t in chunk])
        moved, to_create, to_delete = [], [], []
        added: dict[int, Counter] = defaultdict(Counter)
        for trajectory in chunk:
            summary = summaries[trajectory.pk]
            if trajectory.reached_rank != summary.reached_rank:
                trajectory.reached_rank = summary.reached_rank
                moved.append(trajectory)
            wanted = Counter(summary.stays)
            for pk, stage, tenths in stored[trajectory.pk]:
                if wanted[(stage, tenths)] > 0:
                    wanted[(stage, tenths)] -= 1
                else:
                    to_delete.append(pk)
            region_id = trajectory.candidate.region_id
            for (stage, tenths), number in wanted.items():
                to_create.extend(
                    StageStay(trajectory_id=trajectory.pk, region_id=region_id, stage=stage, tenths=tenths)
                    for _ in range(number)
                )
                if number:
                    added[region_id][(stage, tenths)] += number
        if to_delete:
            # loket.signals takes these off the region's counts.
            StageStay.objects.filter(pk__in=to_delete).delete()
        Trajectory.objects.bulk_update(moved, ["reached_rank"], batch_size=_CHUNK)
        StageStay.objects.bulk_create(to_create, batch_size=5000)
        for region_id, counter in added.items():
            stay_counts_add(region_id, counter)
    return len(trajectories)


def trajectory_keys_copy(*, candidate) -> None:
    """Copy the candidate's region, target group and PC4 onto its trajectories (after a change or a merge)."""
    Trajectory.objects.filter(candidate=candidate).update(
        candidate_region_id=candidate.region_id,
        candidate_target_group=candidate.target_group,
        candidate_pc4=candidate.postcode[:4],
    )


def event_changes_summary(kind: str, to_stage: str) -> bool:
    """Whether an event of this kind changes what the funnel's summary holds."""
    return kind in ENTERING_KINDS or bool(to_stage)


def funnel_summary_differences(*, trajectory_ids: Iterable[int] | None = None) -> list[str]:
    """Where the stored summary differs from what the timelines say (should be nowhere), in words.

    Checks each trajectory's furthest stage and stays against its timeline, and (for a check of all
    trajectories) every region's counts against the stays.
    """
    differences = []
    trajectories = _trajectories(trajectory_ids)
    for start in range(0, len(trajectories), _CHUNK):
        chunk = trajectories[start : start + _CHUNK]
        summaries = _summaries(chunk)
        stored = _stored_stays([t.pk for t in chunk])
        for trajectory in chunk:
            summary = summaries[trajectory.pk]
            if trajectory.reached_rank != summary.reached_rank:
                differences.append(f"trajectory {trajectory.pk}: furthest stage")
            candidate = trajectory.candidate
            if (trajectory.candidate_region_id, trajectory.candidate_target_group, trajectory.candidate_pc4) != (
                candidate.region_id,
                candidate.target_group,
                candidate.postcode[:4],
            ):
                differences.append(f"trajectory {trajectory.pk}: candidate's region, target group or PC4")
            if sorted((stage, tenths) for _pk, stage, tenths in stored[trajectory.pk]) != sorted(summary.stays):
                differences.append(f"trajectory {trajectory.pk}: stays")
    if trajectory_ids is None:
        differences += _count_differences(_live_stay_counts(), _counted(anonymous=False), "")
        differences += _count_differences(_anonymous_stay_counts(), _counted(anonymous=True), "anonymous ")
    return differences


def _live_stay_counts() -> dict[tuple, int]:
    """(region, stage, tenths) → number of live stays, counted from StageStay."""
    return {
        (row["region_id"], row["stage"], row["tenths"]): row["number"]
        for row in StageStay.objects.values("region_id", "stage", "tenths").annotate(number=Count("pk")).order_by()
    }


def _anonymous_stay_counts() -> Counter:
    """(region, stage, tenths) → number of anonymous stays, counted from the CandidateStatistic rows."""
    counts: Counter = Counter()
    for statistic in CandidateStatistic.objects.only("region_id", "stage_days").iterator(chunk_size=_CHUNK):
        for stage, tenths in statistic.stays():
            counts[(statistic.region_id, stage, tenths)] += 1
    return counts


def _counted(*, anonymous: bool) -> dict[tuple, int]:
    return {
        (row["region_id"], row["stage"], row["tenths"]): row["number"]
        for row in StageStayCount.objects.filter(anonymous=anonymous)
        .values("region_id", "stage", "tenths")
        .annotate(number=Sum("count"))
        .order_by()
        if row["number"]
    }


def _count_differences(expected: dict, counted: dict, kind: str) -> list[str]:
    return [
        f"region {key[0]}: count of {kind}{key[1]} stays of {key[2] / 10} days"
        for key in sorted(set(expected) | set(counted))
        if expected.get(key, 0) != counted.get(key, 0)
    ]


@transaction.atomic
def stay_counts_rebuild() -> None:
    """Recount every region's stays from StageStay and CandidateStatistic (after a restore, or when the check
    finds a difference, or after rows were inserted in bulk past the receivers)."""
    StageStayCount.objects.all().delete()
    rows = [
        StageStayCount(region_id=region_id, stage=stage, tenths=tenths, anonymous=anonymous, count=number)
        for anonymous, counts in ((False, _live_stay_counts()), (True, _anonymous_stay_counts()))
        for (region_id, stage, tenths), number in counts.items()
    ]
    StageStayCount.objects.bulk_create(rows, batch_size=5000)
