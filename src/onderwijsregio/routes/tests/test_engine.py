"""Properties of advise() over generated profiles, and the profile's own validation."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings

from onderwijsregio.routes.engine import (
    CandidateProfile,
    ProfileError,
    Status,
    advise,
    default_offers,
    default_ruleset,
    load_ruleset,
)
from onderwijsregio.routes.engine.checks import KINDS, Behaviour

from .strategies import profile_pairs, profiles

RULES = default_ruleset()
OFFERS = default_offers()
STATUS_RANK = {Status.FITS: 0, Status.FITS_AFTER: 1, Status.DOES_NOT_FIT: 2}


@given(profiles())
def test_every_route_appears_exactly_once(profile):
    advice = advise(profile, RULES, OFFERS)
    ids = [item.route.id for item in advice.routes]
    assert sorted(ids) == sorted(RULES.route_ids)
    assert advice.ruleset_version == RULES.version == "2026.1"


@given(profiles())
def test_status_agrees_with_the_requirements(profile):
    for item in advise(profile, RULES, OFFERS).routes:
        if item.status is Status.FITS:
            assert item.missing == ()
        elif item.status is Status.FITS_AFTER:
            assert item.missing and all(req.remedy for req in item.missing)
            assert item.blocking == ()
        else:
            assert item.blocking
        assert all(req.text and req.text[0].isupper() for req in (*item.met, *item.missing))
        assert len(item.met) + len(item.missing) <= len(item.route.conditions)


@given(profiles())
def test_sorted_by_status_then_duration(profile):
    routes = advise(profile, RULES, OFFERS).routes
    keys = [(STATUS_RANK[item.status], item.route.duration.min_months) for item in routes]
    assert keys == sorted(keys)


@given(profiles())
def test_advice_is_deterministic_and_serialisable(profile):
    first = advise(profile, RULES, OFFERS).to_dict()
    assert advise(profile, RULES, OFFERS).to_dict() == first
    # A freshly compiled ruleset (no memoised sentences) gives the same advice.
    assert advise(profile, load_ruleset(), OFFERS).to_dict() == first
    assert json.loads(json.dumps(first)) == first


def test_monotone_conditions_are_most_of_the_rules():
    # The monotonicity property below must not hold vacuously.
    monotone_routes = [route for route in RULES.routes if all(c.monotone for c in route.conditions)]
    assert len(monotone_routes) >= 15
    assert {kind.behaviour for kind in KINDS.values()} == set(Behaviour)


@settings(max_examples=300)
@given(profile_pairs())
def test_more_qualifications_never_undo_a_monotone_requirement(pair):
    before, after = pair
    for route in RULES.routes:
        for condition in route.conditions:
            if not condition.monotone:
                continue
            applies = condition.guard is None or condition.guard(before)
            assert applies == (condition.guard is None or condition.guard(after)), (route.id, condition.id)
            if applies and condition.predicate(before):
                assert condition.predicate(after), (route.id, condition.id)


@settings(max_examples=300)
@given(profile_pairs())
def test_more_qualifications_never_make_a_monotone_route_fit_less(pair):
    before, after = pair
    advice_before = advise(before, RULES)
    advice_after = advise(after, RULES)
    for route in RULES.routes:
        if all(condition.monotone for condition in route.conditions):
            was = STATUS_RANK[advice_before.for_route(route.id).status]
            now = STATUS_RANK[advice_after.for_route(route.id).status]
            assert now <= was, route.id


def test_a_non_monotone_route_can_stop_fitting_and_that_is_intended():
    # The hbo master is for second-degree teachers: gaining a first degree ends its use.
    second = CandidateProfile(
        education_level="hbo_bachelor", teaching_qualification="second_degree", qualification_subject="wi"
    )
    first = CandidateProfile(
        education_level="hbo_bachelor", teaching_qualification="first_degree", qualification_subject="wi"
    )
    assert advise(second, RULES).for_route("hbo-master-leraar").status is Status.FITS
    assert advise(first, RULES).for_route("hbo-master-leraar").status is Status.DOES_NOT_FIT
    assert not RULES.route("hbo-master-leraar").conditions[0].monotone


def test_institutes_come_from_the_offers_and_are_absent_without_them():
    profile = CandidateProfile(education_level="wo_master", related_subjects={"gs"}, target_subjects={"gs"})
    with_offers = advise(profile, RULES, OFFERS).for_route("ulo-eenjarig")
    assert [institute.name for institute in with_offers.institutes] == [
        "Universiteit Utrecht, Graduate School of Teaching"
    ]
    assert advise(profile, RULES).for_route("ulo-eenjarig").institutes == ()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"education_level": "bachelor"}, "education_level: unknown value 'bachelor'"),
        ({"dutch_level": "B3"}, "dutch_level: unknown value 'B3'"),
        ({"target_sectors": "VO"}, "target_sectors: expected a collection"),
        ({"target_sectors": {"HO"}}, "target_sectors: unknown value 'HO'"),
        ({"study_ec": -1, "current_study": "wo_bachelor"}, "study_ec: expected a whole number from 0 to 400"),
        ({"study_ec": 30}, "study_ec: credits given but current_study is 'none'"),
        ({"hours_available": 61}, "hours_available: expected a whole number from 0 to 60"),
        ({"qualification_subject": "wi"}, "qualification_subject: given without a teaching_qualification"),
        ({"target_subjects": {""}}, "target_subjects: empty subject code"),
    ],
)
def test_a_bad_profile_is_refused_with_the_field_named(fields, message):
    with pytest.raises(ProfileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        CandidateProfile(**fields)


@given(profiles())
def test_profile_round_trips_through_a_dict(profile):
    data = profile.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert CandidateProfile.from_dict(data) == profile


def test_from_dict_refuses_unknown_fields():
    with pytest.raises(ProfileError, match="unknown field"):
        CandidateProfile.from_dict({"shoe_size": 44})
