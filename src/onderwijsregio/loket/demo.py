"""Synthetic candidates for the demo region, so the desk, the inbox and the funnel have content.

Every candidate made here is fictitious (is_synthetic=True, name ending in "(fictief)"), made
through the same services a person would trigger, with a fixed random seed so each demo looks alike.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from onderwijsregio.accounts.models import Membership, Role
from onderwijsregio.core.services import emails_suppressed
from onderwijsregio.organisations.demo import REGION_SLUG
from onderwijsregio.organisations.models import Organisation, RegionMember, SchoolLocation, Subject

from . import selectors, services
from .models import (
    STAGE_ORDER,
    Candidate,
    ConsentPurpose,
    EventKind,
    ExitReason,
    SharedPart,
    Stage,
    TargetGroup,
    Trajectory,
    TrajectoryEvent,
)

FIRST_NAMES = [
    "Anouk",
    "Bram",
    "Daan",
    "Eva",
    "Fatima",
    "Hamza",
    "Iris",
    "Jesse",
    "Lotte",
    "Mohammed",
    "Noor",
    "Ruben",
    "Sanne",
    "Thijs",
    "Yara",
    "Zeynep",
    "Kees",
    "Maria",
    "Olga",
    "Rahul",
]
LAST_NAMES = [
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "El Idrissi",
    "Yilmaz",
    "de Boer",
    "Mulder",
    "Kaya",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dijkstra",
]
POSTCODES = ["3811 AB", "3812 CD", "3521 EF", "3511 GH", "1211 JK", "3431 LM", "4001 NP", "3701 RS", "3446 TV"]
TARGET_GROUPS = [
    (TargetGroup.SIDE_ENTRANT, 45),
    (TargetGroup.REFUGEE_TEACHER, 10),
    (TargetGroup.STUDENT, 12),
    (TargetGroup.LONG_TIME_STUDENT, 6),
    (TargetGroup.RETURNER, 12),
    (TargetGroup.SCHOOL_LEADER, 5),
    (TargetGroup.TEACHING_ASSISTANT, 10),
]
SUBJECTS = ["wi", "ne", "en", "na", "sk", "du", "fa", "inf", "bio", "gs"]
# How far demo journeys get: most stop early, as in real desks.
STAGE_WEIGHTS = [18, 16, 15, 14, 8, 12, 9, 8]


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def demo_candidates_build(*, how_many: int = 120, seed: int = 2026) -> int:
    """Make `how_many` synthetic candidates spread over the journey; returns how many were made.

    Nobody is mailed: the people are fictitious.
    """
    with emails_suppressed(), transaction.atomic():
        return _build(how_many=how_many, seed=seed)


def _build(*, how_many: int, seed: int) -> int:
    region = Organisation.objects.filter(slug=REGION_SLUG).first()
    if region is None or Candidate.objects.filter(region=region).exists():
        # No demo region (a real platform), or the demo already has its candidates.
        return 0
    rng = random.Random(seed)
    team = Membership.objects.filter(organisation=region, role=Role.REGIONAL_TEAM).select_related("user").first()
    coordinator = team.user if team else None
    hr = Membership.objects.filter(role=Role.BOARD_HR, organisation__region_memberships__region=region).first()
    board = hr.organisation if hr else None
    school = SchoolLocation.objects.filter(board=board).order_by("name").first() if board else None
    institute_ids = RegionMember.objects.filter(region=region, role=RegionMember.Role.INSTITUTE).values_list(
        "member_id", flat=True
    )
    institute = Organisation.objects.filter(pk__in=institute_ids).order_by("name").first()
    subjects = {s.code: s for s in Subject.objects.filter(code__in=SUBJECTS)}
    reasons = list(ExitReason.objects.filter(is_active=True))
    now = timezone.now()
    for number in range(how_many):
        target_group = _pick(rng, TARGET_GROUPS)
        first_name = rng.choice(FIRST_NAMES)
        last_name = f"{rng.choice(LAST_NAMES)} (fictief)"
        subject = subjects.get(rng.choice(SUBJECTS))
        candidate = services.candidate_register(
            region=region,
            data={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"kandidaat{number + 1}@demo.onderwijsregio.nl",
                "postcode": rng.choice(POSTCODES),
                "target_group": target_group,
                "education_level": rng.choice(["hbo_bachelor", "wo_bachelor", "wo_master", "mbo4", "hbo_master"]),
                "education_field": rng.choice(["Econometrie", "Bedrijfskunde", "Biologie", "Rechten", "Techniek"]),
                "dutch_level": "B1" if target_group == TargetGroup.REFUGEE_TEACHER else rng.choice(["C1", "native"]),
                "target_sectors": ["VO"] if rng.random() < 0.7 else ["PO"],
                "hours_available": rng.choice([16, 24, 32, 36]),
            },
            consents={
                ConsentPurpose.SHARE_BOARDS: rng.random() < 0.85,
                ConsentPurpose.SHARE_INSTITUTES: rng.random() < 0.7,
                ConsentPurpose.RETAIN_ONE_YEAR: rng.random() < 0.4,
            },
            target_subjects=[subject] if subject else [],
            is_synthetic=True,
            send_email=False,
        )
        if coordinator:
            services.coordinator_assign(candidate=candidate, coordinator=coordinator, actor=coordinator)
        trajectory = candidate.trajectories.get()
        furthest = rng.choices(range(len(STAGE_ORDER)), weights=STAGE_WEIGHTS)[0]
        for stage in STAGE_ORDER[1 : furthest + 1]:
            if stage == Stage.SUITABILITY_ASSESSMENT and target_group != TargetGroup.SIDE_ENTRANT:
                continue
            if (
                stage == Stage.IN_CONVERSATION
                and board
                and selectors.current_consents(candidate=candidate).get(ConsentPurpose.SHARE_BOARDS)
            ):
                handover = services.handover_create(
                    candidate=candidate,
                    receiver=board,
                    school_location=school,
                    shared_parts=[SharedPart.CONTACT, SharedPart.BACKGROUND, SharedPart.WISHES, SharedPart.ADVICE],
                    trajectory=trajectory,
                    actor=coordinator,
                    message="Demo-overdracht (fictief).",
                )
                if rng.random() < 0.8:
                    services.handover_decide(handover=handover, accept=True, actor=hr.user if hr else None)
            trajectory = services.trajectory_move(trajectory=trajectory, to_stage=stage, actor=coordinator)
            if trajectory.ended_at:
                break
        if trajectory.ended_at is None and furthest < 5 and reasons and rng.random() < 0.35:
            services.trajectory_end(trajectory=trajectory, reason=rng.choice(reasons), actor=coordinator)
        elif trajectory.ended_at is None and rng.random() < 0.3:
            # The local date, as the service checks it: just after midnight the UTC date is still yesterday.
            services.follow_up_set(
                trajectory=trajectory,
                on=timezone.localdate(now) + timedelta(days=rng.randint(0, 21)),
                actor=coordinator,
            )
        if institute and rng.random() < 0.1:
            services.trajectory_update(trajectory=trajectory, institute=institute, actor=coordinator)
        _spread_over_time(candidate, rng=rng, now=now)
    return how_many


def _spread_over_time(candidate: Candidate, *, rng: random.Random, now) -> None:
    """Give the demo journey a past: registered up to 10 months ago, steps days to weeks apart.

    The services stamp everything "now"; a desk's funnel (time in stage, periods) only shows
    something when the steps lie apart, so the demo rewrites its own timestamps afterwards.
    """
    moment = now - timedelta(days=rng.randint(60, 300))
    Candidate.objects.filter(pk=candidate.pk).update(created_at=moment)
    for event in candidate.events.order_by("created_at", "id"):
        TrajectoryEvent.objects.filter(pk=event.pk).update(created_at=moment)
        if event.trajectory_id and event.kind in (EventKind.STAGE_CHANGED, EventKind.ENDED):
            changes = {"stage_changed_at": moment} if event.kind == EventKind.STAGE_CHANGED else {"ended_at": moment}
            if event.to_stage == Stage.QUALIFIED:
                changes["ended_at"] = moment
            Trajectory.objects.filter(pk=event.trajectory_id).update(**changes)
        moment = min(now, moment + timedelta(days=rng.randint(3, 35), hours=rng.randint(0, 8)))
    # The back-dated timeline gives other stays: the funnel's summary follows it.
    services.trajectory_summaries_refresh(trajectory_ids=candidate.trajectories.values_list("pk", flat=True))
