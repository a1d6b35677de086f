"""The desk's daily jobs, through the real worker: retention and follow-up reminders."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from onderwijsregio.accounts.models import Role
from onderwijsregio.accounts.tests.factories import MembershipFactory
from onderwijsregio.core.models import AuditEvent
from onderwijsregio.loket import services
from onderwijsregio.loket.models import Candidate, CandidateStatistic, ConsentPurpose, ExitReason, Trajectory
from onderwijsregio.loket.tasks import follow_up_reminders_task, retention_task
from onderwijsregio.organisations.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db

START = timezone.make_aware(datetime(2026, 3, 2, 9, 0))


@pytest.fixture
def region():
    return RegionFactory()


@pytest.fixture
def team(region):
    return MembershipFactory(organisation=region, role=Role.REGIONAL_TEAM).user


_numbers = iter(range(1_000_000))


def register(region, *, retain=False, first_name=None):
    number = next(_numbers)
    return services.candidate_register(
        region=region,
        data={
            "first_name": first_name or f"Kandidaat{number}",
            "last_name": "Jansen",
            "email": f"t{number}@example.nl",
            "postcode": "3811 AB",
            "target_group": "side_entrant",
            "education_level": "hbo_bachelor",
            "dutch_level": "native",
            "target_sectors": ["PO"],
        },
        consents={ConsentPurpose.RETAIN_ONE_YEAR: retain},
        send_email=False,
    )


@pytest.fixture
def work(run_worker, django_capture_on_commit_callbacks):
    """Run the worker until nothing is left: tasks queue emails on commit, a second run sends them."""

    def run() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            run_worker()
        run_worker()

    return run


def finished_result(task):
    return DBTaskResult.objects.filter(task_path=task.module_path).order_by("-enqueued_at").first()


def test_retention_deletes_after_four_weeks_or_a_year_with_consent_and_never_open_ones(region, team, run_worker):
    reason = ExitReason.objects.get(code="no-contact")
    with time_machine.travel(START, tick=False):
        short = register(region)
        kept_longer = register(region, retain=True)
        still_open = register(region)
        # Someone whose trajectory closed but who has another one still open is kept too.
        partly_open = register(region)
        services.trajectory_create(candidate=partly_open, actor=team)
        for candidate in (short, kept_longer, partly_open):
            services.trajectory_end(trajectory=candidate.trajectories.order_by("pk").first(), reason=reason, actor=team)

    with time_machine.travel(START + timedelta(days=27), tick=False):
        retention_task.enqueue()
        run_worker()
    assert Candidate.objects.count() == 4

    with time_machine.travel(START + timedelta(days=29), tick=False):
        retention_task.enqueue()
        run_worker()
    assert finished_result(retention_task).return_value == {"erased": 1}
    assert set(Candidate.objects.values_list("pk", flat=True)) == {kept_longer.pk, still_open.pk, partly_open.pk}
    assert AuditEvent.objects.filter(action="candidate.erased", object_id=str(short.pk)).exists()

    with time_machine.travel(START + timedelta(days=366), tick=False):
        retention_task.enqueue()
        run_worker()
    assert set(Candidate.objects.values_list("pk", flat=True)) == {still_open.pk, partly_open.pk}
    # What stays is anonymous: one row per erased trajectory, no names.
    assert CandidateStatistic.objects.count() == 2
    assert not CandidateStatistic.objects.filter(route_id__icontains="Jansen").exists()


def test_follow_up_reminders_go_once_a_day_per_coordinator_in_their_language(region, team, work):
    english = MembershipFactory(organisation=region, role=Role.REGIONAL_TEAM).user
    english.preferred_language = "en"
    english.save()
    with time_machine.travel(START, tick=False):
        mine = [register(region, first_name="Anouk"), register(region, first_name="Bram")]
        later = register(region, first_name="Later")
        theirs = register(region, first_name="Zeynep")
        ended = register(region, first_name="Klaar")
        for candidate in (*mine, later):
            services.coordinator_assign(candidate=candidate, coordinator=team, actor=team)
        services.coordinator_assign(candidate=theirs, coordinator=english, actor=team)
        services.coordinator_assign(candidate=ended, coordinator=team, actor=team)
        for candidate in (*mine, theirs, ended):
            services.follow_up_set(trajectory=candidate.trajectories.get(), on=START.date(), actor=team)
        services.follow_up_set(trajectory=later.trajectories.get(), on=START.date() + timedelta(days=3), actor=team)
        services.trajectory_end(
            trajectory=ended.trajectories.get(), reason=ExitReason.objects.get(code="no-contact"), actor=team
        )

    with time_machine.travel(START + timedelta(hours=1), tick=False):
        follow_up_reminders_task.enqueue()
        work()
        assert finished_result(follow_up_reminders_task).return_value == {
            "due": 3,
            "reminded": 3,
            "emails": 2,
            "without_recipient": 0,
        }
        by_recipient = {message.to[0]: message for message in mail.outbox}
        assert set(by_recipient) == {team.email, english.email}
        dutch = by_recipient[team.email].body
        assert "Anouk J." in dutch and "Bram J." in dutch and "2 maart 2026" in dutch
        assert "Jansen" not in dutch and "Zeynep" not in dutch and "Later" not in dutch and "Klaar" not in dutch
        assert "March 2, 2026" in by_recipient[english.email].body or "2 March 2026" in by_recipient[english.email].body
        assert f"/loket/kandidaten/{mine[0].pk}" in dutch

        # Running again the same day sends nothing.
        follow_up_reminders_task.enqueue()
        work()
        assert len(mail.outbox) == 2
    assert set(Trajectory.objects.exclude(follow_up_reminded_on=None).values_list("candidate_id", flat=True)) == {
        mine[0].pk,
        mine[1].pk,
        theirs.pk,
    }

    # A new follow-up date stops the reminders until then; an overdue one is reminded again the next day.
    with time_machine.travel(START + timedelta(days=1), tick=False):
        services.follow_up_set(trajectory=mine[0].trajectories.get(), on=START.date() + timedelta(days=7), actor=team)
        mail.outbox.clear()
        follow_up_reminders_task.enqueue()
        work()
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert "Anouk" not in bodies[team.email] and "Bram J." in bodies[team.email]
    assert "1 dag te laat" in bodies[team.email]


def test_unassigned_follow_ups_go_to_the_regional_team(region, team, work):
    colleague = MembershipFactory(organisation=region, role=Role.REGIONAL_TEAM).user
    with time_machine.travel(START, tick=False):
        candidate = register(region, first_name="Noor")
        services.follow_up_set(trajectory=candidate.trajectories.get(), on=START.date(), actor=team)
        follow_up_reminders_task.enqueue()
        work()
    assert sorted(message.to[0] for message in mail.outbox) == sorted([team.email, colleague.email])
    assert "nog geen ketenregisseur" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="loket.follow_up_reminder_sent", organisation_id=region.pk).count() == 2


def test_housekeeping_command_runs_now_or_enqueues(region, team, run_worker):
    reason = ExitReason.objects.get(code="no-contact")
    with time_machine.travel(START, tick=False):
        candidate = register(region)
        services.trajectory_end(trajectory=candidate.trajectories.get(), reason=reason, actor=team)
    with time_machine.travel(START + timedelta(days=40), tick=False):
        out = StringIO()
        call_command("loket_housekeeping", "--enqueue", stdout=out)
        assert Candidate.objects.filter(pk=candidate.pk).exists()
        assert DBTaskResult.objects.filter(status="READY").count() == 2
        run_worker()
        assert not Candidate.objects.filter(pk=candidate.pk).exists()

        register(region)
        out = StringIO()
        call_command("loket_housekeeping", stdout=out)
        assert "0 kandidaat/kandidaten verwijderd" in out.getvalue()
