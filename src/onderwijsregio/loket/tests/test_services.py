"""The desk's services: registration, journey, handovers with consent, erasure and retention."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from onderwijsregio.accounts.models import Role
from onderwijsregio.accounts.tests.factories import MembershipFactory
from onderwijsregio.core.errors import StaleVersion
from onderwijsregio.core.models import AuditEvent
from onderwijsregio.loket import selectors, services
from onderwijsregio.loket.models import (
    Candidate,
    CandidateStatistic,
    ConsentPurpose,
    EventKind,
    ExitReason,
    Handover,
    SharedPart,
    Stage,
)
from onderwijsregio.loket.permissions import visible_candidates_q
from onderwijsregio.organisations.tests.factories import BoardFactory, RegionFactory, RegionMemberFactory

pytestmark = pytest.mark.django_db

INTAKE = {
    "first_name": "Fatima",
    "last_name": "El Amrani",
    "email": "Fatima@Example.NL",
    "postcode": "3811ab",
    "target_group": "side_entrant",
    "education_level": "wo_master",
    "education_field": "Econometrie",
    "dutch_level": "C1",
    "target_sectors": ["VO"],
}


@pytest.fixture
def desk():
    region = RegionFactory()
    board = BoardFactory()
    RegionMemberFactory(region=region, member=board)
    team = MembershipFactory(organisation=region, role=Role.REGIONAL_TEAM).user
    hr = MembershipFactory(organisation=board, role=Role.BOARD_HR).user
    other_hr = MembershipFactory(organisation=BoardFactory(), role=Role.BOARD_HR).user
    return region, board, team, hr, other_hr


def register(region, consents=None, **overrides):
    return services.candidate_register(
        region=region,
        data={**INTAKE, **overrides},
        consents={ConsentPurpose.SHARE_BOARDS: True} if consents is None else consents,
    )


def test_register_normalises_records_consent_and_starts_a_journey(desk, run_worker, django_capture_on_commit_callbacks):
    region, *_ = desk
    with django_capture_on_commit_callbacks(execute=True):
        candidate = register(region)
    assert (candidate.email, candidate.postcode) == ("fatima@example.nl", "3811 AB")
    assert selectors.current_consents(candidate=candidate) == {
        "share_boards": True,
        "share_institutes": False,
        "share_other_region": False,
        "retain_one_year": False,
    }
    assert candidate.consents.first().text_version == services.CONSENT_TEXT_VERSION
    trajectory = candidate.trajectories.get()
    assert trajectory.stage == Stage.NEW
    # Registration stores the route advice itself (issue 9): registered, then advised.
    assert [event.kind for event in candidate.events.order_by("created_at", "id")] == [
        EventKind.REGISTERED,
        EventKind.ADVISED,
    ]
    assert candidate.advice["routes"]
    run_worker()
    assert mail.outbox[0].to == ["fatima@example.nl"]


def test_second_registration_is_flagged_as_possible_duplicate(desk):
    region, *_ = desk
    first = register(region)
    second = register(region, email="ander@example.nl", postcode="3811 AB")
    assert second.events.get(kind=EventKind.REGISTERED).details["possible_duplicates"] == [first.pk]
    merged = services.candidate_merge(keep=first, duplicate=second, actor=None)
    assert not Candidate.objects.filter(pk=second.pk).exists()
    assert merged.trajectories.count() == 2


def test_journey_moves_and_ends_with_a_reason(desk):
    region, _board, team, *_ = desk
    candidate = register(region)
    trajectory = candidate.trajectories.get()
    trajectory = services.trajectory_move(trajectory=trajectory, to_stage=Stage.INTAKE_DONE, actor=team)
    with pytest.raises(StaleVersion):
        services.trajectory_move(trajectory=trajectory, to_stage=Stage.ADVISED, actor=team, expected_version=1)
    with pytest.raises(ValidationError):
        services.trajectory_end(trajectory=trajectory, reason=None, actor=team)
    ended = services.trajectory_end(
        trajectory=trajectory, reason=ExitReason.objects.get(code="other-job"), actor=team, note="Koos voor IT"
    )
    assert ended.ended_at is not None
    with pytest.raises(ValidationError):
        services.trajectory_move(trajectory=ended, to_stage=Stage.ADVISED, actor=team)


def test_handover_needs_consent_and_shows_the_candidate_only_to_the_receiver(desk):
    region, board, team, hr, other_hr = desk
    no_consent = register(region, consents={}, email="geen@example.nl", first_name="Geen")
    with pytest.raises(ValidationError):
        services.handover_create(candidate=no_consent, receiver=board, shared_parts=[SharedPart.CONTACT], actor=team)

    candidate = register(region)
    assert not Candidate.objects.filter(visible_candidates_q(hr)).exists()
    handover = services.handover_create(
        candidate=candidate,
        receiver=board,
        shared_parts=[SharedPart.CONTACT, SharedPart.WISHES],
        trajectory=candidate.trajectories.get(),
        actor=team,
    )
    assert list(Candidate.objects.filter(visible_candidates_q(hr))) == [candidate]
    assert not Candidate.objects.filter(visible_candidates_q(other_hr)).exists()
    assert hr.has_perm("loket.view_candidate", candidate) and not hr.has_perm("loket.progress_candidate", candidate)

    services.handover_decide(handover=handover, accept=True, actor=hr)
    assert candidate.trajectories.get().board == board
    assert hr.has_perm("loket.progress_candidate", candidate)
    with pytest.raises(ValidationError):
        services.handover_decide(handover=handover, accept=False, actor=hr)
    assert AuditEvent.objects.filter(action="handover.accepted", organisation_id=board.pk).exists()


def test_erasure_keeps_only_anonymous_statistics(desk):
    region, _board, team, *_ = desk
    candidate = register(region)
    services.trajectory_move(trajectory=candidate.trajectories.get(), to_stage=Stage.ADVISED, actor=team)
    services.candidate_erase(candidate=candidate, actor=None, reason="request")
    assert not Candidate.objects.exists()
    statistic = CandidateStatistic.objects.get()
    assert (statistic.furthest_stage, statistic.target_group) == (Stage.ADVISED, "side_entrant")
    assert set(statistic.stage_days) == {Stage.NEW}  # the stage it left; ADVISED was still running
    assert not any("Fatima" in str(value) for value in statistic.__dict__.values())


def test_retention_deletes_after_four_weeks_or_a_year_with_consent(desk):
    region, _board, team, *_ = desk
    reason = ExitReason.objects.get(code="no-contact")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        short = register(region, email="kort@example.nl", first_name="Kort")
        long = register(
            region, email="lang@example.nl", first_name="Lang", consents={ConsentPurpose.RETAIN_ONE_YEAR: True}
        )
        still_open = register(region, email="open@example.nl", first_name="Open")
        for candidate in (short, long):
            services.trajectory_end(trajectory=candidate.trajectories.get(), reason=reason, actor=team)
    assert services.retention_run(now=start + timedelta(days=27)) == 0
    assert services.retention_run(now=start + timedelta(days=29)) == 1
    assert set(Candidate.objects.values_list("pk", flat=True)) == {long.pk, still_open.pk}
    assert services.retention_run(now=start + timedelta(days=366)) == 1
    assert list(Candidate.objects.values_list("pk", flat=True)) == [still_open.pk]
    assert Handover.objects.count() == 0


def test_merging_two_registrations_with_pending_handovers_to_one_board_keeps_one(desk):
    region, board, team, *_ = desk
    first = register(region)
    second = register(region, email="tweede@example.nl")
    for candidate in (first, second):
        services.handover_create(candidate=candidate, receiver=board, shared_parts=[SharedPart.CONTACT], actor=team)
    services.candidate_merge(keep=first, duplicate=second, actor=team)
    statuses = sorted(first.handovers.values_list("status", flat=True))
    assert statuses == [Handover.Status.PENDING, Handover.Status.WITHDRAWN]


def test_after_erasure_the_audit_log_names_the_candidate_by_id_only(desk):
    region, board, team, hr, _ = desk
    candidate = register(region)
    account = services.candidate_login_account(candidate=candidate)
    services.candidate_update(candidate=candidate, actor=account, hours_available=24)
    handover = services.handover_create(
        candidate=candidate,
        receiver=board,
        shared_parts=[SharedPart.CONTACT],
        trajectory=candidate.trajectories.get(),
        actor=team,
    )
    services.handover_decide(handover=handover, accept=True, actor=hr)
    services.trajectory_end(trajectory=candidate.trajectories.get(), reason=ExitReason.objects.first(), actor=team)
    services.candidate_erase(candidate=candidate, actor=account, reason="request")

    logged = " ".join(f"{e.actor_label} {e.object_repr} {e.details}" for e in AuditEvent.objects.all()).lower()
    assert AuditEvent.objects.filter(action="candidate.erased").exists()
    for personal in ("fatima", "el amrani", "fatima@example.nl"):
        assert personal not in logged, personal
