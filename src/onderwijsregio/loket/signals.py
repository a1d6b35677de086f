"""Keeps StageStayCount in step when stays are deleted, whichever way: a refresh, or a cascade from erasure,
retention, or a candidate deleted in the admin. A receiver (rather than the services) because the
deletions by cascade pass by every service."""

from __future__ import annotations

from django.db.models import F
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from .models import StageStay, StageStayCount


@receiver(pre_delete, sender=StageStay, dispatch_uid="loket.stage_stay_uncount")
def stage_stay_uncount(sender, instance: StageStay, **kwargs) -> None:
    StageStayCount.objects.filter(region_id=instance.region_id, stage=instance.stage, tenths=instance.tenths).update(
        count=F("count") - 1
    )
