from datetime import UTC, datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from onderwijsregio.loket.demo import demo_candidates_build
from onderwijsregio.loket.models import Candidate, Handover, Stage, Trajectory

pytestmark = pytest.mark.django_db


def test_demo_candidates_are_synthetic_spread_over_the_journey_and_made_once(
    settings, django_capture_on_commit_callbacks
):
    settings.DEMO_LABOUR_MARKET_REGIONS = ["AM14"]
    call_command("load_demo", verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):
        assert demo_candidates_build(how_many=60) == 60
    candidates = Candidate.objects.all()
    assert candidates.count() == 60
    assert all(c.is_synthetic and c.last_name.endswith("(fictief)") for c in candidates)
    assert all(c.advice.get("routes") for c in candidates)
    stages = set(Trajectory.objects.values_list("stage", flat=True))
    assert {Stage.NEW, Stage.STARTED} <= stages
    assert Trajectory.objects.filter(ended_at__isnull=False, exit_reason__isnull=False).exists()
    assert Handover.objects.filter(status=Handover.Status.ACCEPTED).exists()
    assert demo_candidates_build(how_many=60) == 0
    # The fictitious people and demo staff get no mail.
    from django_tasks_db.models import DBTaskResult

    assert not DBTaskResult.objects.filter(task_path__endswith="send_email").exists()


def test_demo_follow_ups_are_never_in_the_past_just_after_local_midnight(settings):
    # 00:30 in Amsterdam is still the previous day in UTC: a follow-up "today" must be the local today,
    # or the service refuses it as a date in the past and `make run` stops at load_demo_candidates.
    settings.DEMO_LABOUR_MARKET_REGIONS = ["AM14"]
    call_command("load_demo", verbosity=0)
    with time_machine.travel(datetime(2026, 12, 7, 23, 30, tzinfo=UTC), tick=False):
        assert demo_candidates_build(how_many=120) == 120
        follow_ups = list(Trajectory.objects.exclude(follow_up_on=None).values_list("follow_up_on", flat=True))
        assert follow_ups and min(follow_ups) >= timezone.localdate()
