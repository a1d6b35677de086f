"""The vocabulary of entry requirements: every `check` a rules file may use, compiled to a predicate.

Each kind declares its parameters (validated by the loader) and how it behaves when a profile
gains qualifications (`Behaviour`), which the property tests rely on:

- MONOTONE: reads only fields that "more qualification" raises (a higher diploma on the same
  track, a better Dutch level, a job offer, a VOG, more EC, more related subjects, a teaching
  qualification where there was none, ...); once met it stays met.
- FIXED: reads only what more qualification never changes (targets, target group, the country of
  a diploma, the current study and its history), so it cannot flip either.
- OTHER: may flip either way (e.g. "at most mbo-4", "you hold a second-degree qualification").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .profile import (
    DUTCH_RANK,
    EDUCATION_RANK,
    GENERAL_SUBJECT,
    CandidateProfile,
    CurrentStudy,
    DutchLevel,
    EducationLevel,
    Qualification,
    RecognitionStatus,
    Sector,
    TargetGroup,
    TargetLevel,
    education_at_least,
)


class Behaviour(Enum):
    MONOTONE = "monotone"
    FIXED = "fixed"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a qualification or route lets you work: sectors and levels (empty levels: any)."""

    sectors: frozenset[Sector]
    levels: frozenset[TargetLevel]
    text: str = ""

    def reaches(self, profile: CandidateProfile) -> bool:
        """Overlaps the candidate's targets; no target chosen means no objection."""
        if profile.target_sectors and not (self.sectors & profile.target_sectors):
            return False
        return not (profile.target_levels and self.levels and not (self.levels & profile.target_levels))


@dataclass(frozen=True, slots=True)
class Context:
    """What a check may consult besides the profile: subject families and scopes from the ruleset."""

    subject_family: Mapping[str, str]
    qualification_scopes: Mapping[Qualification, Scope]
    route_scope: Scope
    family_cache: dict = field(default_factory=dict, compare=False, repr=False)

    def families(self, codes) -> frozenset[str]:
        # Profiles hold frozensets of a handful of codes; their families are looked up once each.
        cache = self.family_cache
        key = codes if isinstance(codes, frozenset) else frozenset(codes)
        found = cache.get(key)
        if found is None:
            if len(cache) >= 4096:
                cache.clear()
            found = cache[key] = frozenset(
                self.subject_family.get(code, code) for code in key if code != GENERAL_SUBJECT
            )
        return found


Predicate = Callable[[CandidateProfile], bool]


@dataclass(frozen=True, slots=True)
class Param:
    """A parameter: `kind` names an enum (one value) or `list:<enum>`, or is `int`/`subjects`."""

    kind: str
    required: bool = True


ENUMS: dict[str, type[Enum]] = {
    "education_level": EducationLevel,
    "dutch_level": DutchLevel,
    "sector": Sector,
    "target_level": TargetLevel,
    "target_group": TargetGroup,
    "qualification": Qualification,
    "current_study": CurrentStudy,
    "recognition": RecognitionStatus,
}


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    behaviour: Behaviour
    params: Mapping[str, Param]
    build: Callable[[dict[str, Any], Context], Predicate]
    # Which vocabulary describes the main parameter in `{required}` (None: the raw value).
    required_label: str | None = None
    description: str = ""


KINDS: dict[str, Kind] = {}


def _kind(name: str, behaviour: Behaviour, params: dict[str, Param] | None = None, required_label=None):
    def register(build):
        KINDS[name] = Kind(
            name=name,
            behaviour=behaviour,
            params=params or {},
            build=build,
            required_label=required_label,
            description=(build.__doc__ or "").strip(),
        )
        return build

    return register


MONOTONE, FIXED, OTHER = Behaviour.MONOTONE, Behaviour.FIXED, Behaviour.OTHER


@_kind("education_at_least", MONOTONE, {"level": Param("education_level")}, "education_level")
def _education_at_least(p, c):
    """Highest diploma at least `level` (a wo level also needs a wo diploma)."""
    level = p["level"]
    return lambda profile: education_at_least(profile.education_level, level)


@_kind("education_at_most", OTHER, {"level": Param("education_level")}, "education_level")
def _education_at_most(p, c):
    """Highest diploma no higher than `level` (routes meant for people without hbo/wo)."""
    rank = EDUCATION_RANK[p["level"]]
    return lambda profile: EDUCATION_RANK[profile.education_level] <= rank


@_kind("access_to_hbo", MONOTONE)
def _access_to_hbo(p, c):
    """A havo, vwo or mbo-4 diploma, or higher: admission to an hbo programme."""
    rank = EDUCATION_RANK[EducationLevel.MBO4]
    return lambda profile: profile.havo_vwo_diploma or EDUCATION_RANK[profile.education_level] >= rank


@_kind("field_related", MONOTONE)
def _field_related(p, c):
    """The study relates to a target subject (same subject family); without a subject chosen,
    to any school subject."""
    families = c.families

    def check(profile):
        related = families(profile.related_subjects)
        targets = families(profile.target_subjects)
        return bool(related & targets) if targets else bool(related)

    return check


@_kind("dutch_at_least", MONOTONE, {"level": Param("dutch_level")}, "dutch_level")
def _dutch_at_least(p, c):
    """Dutch at least at CEFR `level` (native counts as above C2)."""
    rank = DUTCH_RANK[p["level"]]
    return lambda profile: DUTCH_RANK[profile.dutch_level] >= rank


@_kind("has_job_offer", MONOTONE)
def _has_job_offer(p, c):
    """A job or a job offer at a school."""
    return lambda profile: profile.has_job_offer


@_kind("has_vog", MONOTONE)
def _has_vog(p, c):
    """A certificate of good conduct (VOG)."""
    return lambda profile: profile.has_vog


@_kind("no_unfinished_teacher_training", FIXED)
def _no_unfinished(p, c):
    """Not enrolled in a teacher training in the last 2 years without finishing it."""
    return lambda profile: not profile.unfinished_teacher_training_last_2_years


@_kind("current_study_in", FIXED, {"studies": Param("list:current_study")}, "current_study")
def _current_study_in(p, c):
    """Currently enrolled in one of `studies`."""
    studies = frozenset(p["studies"])
    return lambda profile: profile.current_study in studies


@_kind("study_ec_at_least", MONOTONE, {"ec": Param("int")})
def _study_ec_at_least(p, c):
    """At least `ec` credits in the current study."""
    ec = p["ec"]
    return lambda profile: profile.study_ec >= ec


@_kind("target_sector_in", FIXED, {"sectors": Param("list:sector")}, "sector")
def _target_sector_in(p, c):
    """One of the target sectors is in `sectors` (no target chosen counts as a match)."""
    sectors = frozenset(p["sectors"])
    return lambda profile: not profile.target_sectors or bool(profile.target_sectors & sectors)


@_kind("target_level_in", FIXED, {"levels": Param("list:target_level")}, "target_level")
def _target_level_in(p, c):
    """One of the target levels is in `levels` (no level chosen counts as a match)."""
    levels = frozenset(p["levels"])
    return lambda profile: not profile.target_levels or bool(profile.target_levels & levels)


@_kind("target_subject_in", FIXED, {"subjects": Param("subjects")}, "subject")
def _target_subject_in(p, c):
    """One of the target subjects is in `subjects` (subject families count)."""
    wanted = c.families(p["subjects"])
    return lambda profile: bool(c.families(profile.target_subjects) & wanted)


@_kind("target_group_in", FIXED, {"groups": Param("list:target_group")}, "target_group")
def _target_group_in(p, c):
    """The candidate's target group is one of `groups`."""
    groups = frozenset(p["groups"])
    return lambda profile: profile.target_group in groups


@_kind("reaches_target", FIXED)
def _reaches_target(p, c):
    """The route's result lets the candidate teach where they want (its scope overlaps the targets)."""
    return c.route_scope.reaches


@_kind("has_foreign_diploma", FIXED)
def _has_foreign_diploma(p, c):
    """A diploma from abroad."""
    return lambda profile: bool(profile.foreign_diploma_country)


@_kind("foreign_teacher_qualification", MONOTONE)
def _foreign_teacher(p, c):
    """Trained or qualified as a teacher abroad."""
    return lambda profile: profile.foreign_teacher_qualification


@_kind("duo_recognition_at_least", MONOTONE, {"status": Param("recognition")}, "recognition")
def _duo_recognition_at_least(p, c):
    """DUO recognition at least `status` (none < requested < granted)."""
    order = list(RecognitionStatus)
    rank = order.index(p["status"])
    return lambda profile: order.index(profile.duo_recognition) >= rank


@_kind("hours_at_least", MONOTONE, {"hours": Param("int")})
def _hours_at_least(p, c):
    """At least `hours` hours per week available."""
    hours = p["hours"]
    return lambda profile: profile.hours_available >= hours


@_kind("has_qualification", MONOTONE)
def _has_qualification(p, c):
    """Holds a Dutch teaching qualification of any kind."""
    return lambda profile: profile.teaching_qualification != Qualification.NONE


@_kind("qualification_in", OTHER, {"qualifications": Param("list:qualification")}, "qualification")
def _qualification_in(p, c):
    """Holds one of `qualifications` (and nothing else, e.g. not yet a first degree)."""
    wanted = frozenset(p["qualifications"])
    return lambda profile: profile.teaching_qualification in wanted


@_kind("qualification_covers_target", OTHER)
def _qualification_covers_target(p, c):
    """The current qualification already covers the target sector, level and subject."""

    def check(profile):
        scope = c.qualification_scopes.get(profile.teaching_qualification)
        if scope is None or not scope.sectors or not scope.reaches(profile):
            return False
        subject_bound = profile.teaching_qualification not in (Qualification.PO, Qualification.NONE)
        targets = c.families(profile.target_subjects)
        if subject_bound and targets:
            return bool(c.families([profile.qualification_subject]) & targets)
        return True

    return check


@_kind("target_subject_not_qualified", OTHER)
def _target_subject_not_qualified(p, c):
    """A target subject differs from the subject of the current qualification (PO counts as none)."""

    def check(profile):
        targets = c.families(profile.target_subjects)
        if not targets:
            return False
        if profile.teaching_qualification == Qualification.PO:
            return True
        return bool(targets - c.families([profile.qualification_subject]))

    return check


@_kind("qualification_subject_matches_target", OTHER)
def _qualification_subject_matches_target(p, c):
    """The current qualification's subject is a target subject (or no subject was chosen)."""

    def check(profile):
        targets = c.families(profile.target_subjects)
        return not targets or bool(c.families([profile.qualification_subject]) & targets)

    return check
