"""Keeps StageStayCount in step whichever way its sources change.

Live stays: a deletion, by a refresh or by a cascade from erasure, retention or a delete in the admin.
Anonymous stays: a CandidateStatistic saved (erasure writes one per trajectory) or deleted. Receivers
(rather than the services) because cascades and the admin pass by every service.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import F
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from .models import CandidateStatistic, StageStay, StageStayCount
from .services.summaries import stay_counts_add


@receiver(pre_delete, sender=StageStay, dispatch_uid="loket.stage_stay_uncount")
def stage_stay_uncount(sender, instance: StageStay, **kwargs) -> None:
    StageStayCount.objects.filter(
        region_id=instance.region_id, stage=instance.stage, tenths=instance.tenths, anonymous=False
    ).update(count=F("count") - 1)


@receiver(post_save, sender=CandidateStatistic, dispatch_uid="loket.statistic_count")
def statistic_count(sender, instance: CandidateStatistic, created: bool, **kwargs) -> None:
    # Anonymous rows are written once and never changed.
    if created:
        stay_counts_add(instance.region_id, Counter(instance.stays()), anonymous=True)


@receiver(pre_delete, sender=CandidateStatistic, dispatch_uid="loket.statistic_uncount")
def statistic_uncount(sender, instance: CandidateStatistic, **kwargs) -> None:
    for (stage, tenths), number in Counter(instance.stays()).items():
        StageStayCount.objects.filter(region_id=instance.region_id, stage=stage, tenths=tenths, anonymous=True).update(
            count=F("count") - number
        )
