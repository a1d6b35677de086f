"""Side-entrant inflow comes from the candidate desk's pipeline unless the region sets its own figure."""

from datetime import timedelta

import pytest
from django.utils import timezone

from onderwijsregio.loket.models import Stage, TrajectoryEvent
from onderwijsregio.loket.selectors import teachers_started_count
from onderwijsregio.loket.tests.factories import CandidateFactory, TrajectoryFactory
from onderwijsregio.workforce import selectors as workforce_selectors
from onderwijsregio.workforce.services import assumptions_update
from onderwijsregio.workforce.tests.forecast_helpers import make_region, team_of

pytestmark = pytest.mark.django_db


def _started(candidate, board, *, days_ago: int = 30, to_stage=Stage.STARTED, from_stage=Stage.IN_CONVERSATION):
    trajectory = TrajectoryFactory(candidate=candidate, board=board)
    event = TrajectoryEvent.objects.create(
        candidate=candidate, trajectory=trajectory, kind="stage_changed", from_stage=from_stage, to_stage=to_stage
    )
    TrajectoryEvent.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return trajectory


def test_desk_counts_side_entrants_and_refugee_teachers_who_started_at_a_school_this_year():
    region, made = make_region(boards=2, people=6)
    board, other = made[0][0], made[1][0]
    since = timezone.now() - timedelta(days=365)
    _started(CandidateFactory(region=region, target_group="side_entrant"), board)
    _started(CandidateFactory(region=region, target_group="refugee_teacher"), other, to_stage=Stage.INDUCTION)
    # not counted: a student, a start more than a year ago, and a move within the school stages
    _started(CandidateFactory(region=region, target_group="student"), board)
    _started(CandidateFactory(region=region, target_group="side_entrant"), board, days_ago=400)
    _started(
        CandidateFactory(region=region, target_group="side_entrant"),
        board,
        to_stage=Stage.INDUCTION,
        from_stage=Stage.STARTED,
    )
    assert teachers_started_count(since=since, region_id=region.pk) == 2
    assert teachers_started_count(since=since, board_id=board.pk) == 1


def test_forecast_takes_the_desk_figure_until_the_region_sets_its_own():
    region, made = make_region(boards=2, people=6)
    board = made[0][0]
    for _ in range(3):
        _started(CandidateFactory(region=region, target_group="side_entrant"), board)

    inputs = workforce_selectors.forecast_inputs(organisation=region, scenario=None, runs=20)
    assert inputs.side_entrants_source == "desk"
    assert inputs.assumption_values["side_entrants_per_year"] == 3.0
    board_inputs = workforce_selectors.forecast_inputs(organisation=board, scenario=None, runs=20)
    assert board_inputs.assumption_values["side_entrants_per_year"] == 3.0

    team = team_of(region)
    values = dict(inputs.assumption_values, side_entrants_per_year=12.0)
    assumptions_update(region=region, values=values, actor=team, expected_version=None)
    own = workforce_selectors.forecast_inputs(organisation=region, scenario=None, runs=20)
    assert own.side_entrants_source == "region"
    assert own.assumption_values["side_entrants_per_year"] == 12.0
    # a different input is a different question: a new cache key
    assert workforce_selectors.input_key(own.as_json()) != workforce_selectors.input_key(inputs.as_json())
