"""Hypothesis strategies: candidate profiles, and pairs (profile, the same profile with more qualifications)."""

from __future__ import annotations

import dataclasses

from hypothesis import strategies as st

from onderwijsregio.routes.engine import (
    CandidateProfile,
    CurrentStudy,
    DutchLevel,
    EducationLevel,
    Qualification,
    RecognitionStatus,
    Sector,
    TargetGroup,
    TargetLevel,
)
from onderwijsregio.routes.engine.profile import education_at_least

SUBJECTS = ["algemeen", "wi", "wisB", "na", "nask1", "sk", "ne", "en", "du", "gs", "bio", "ec", "pie", "zw", "bwi"]

subject_sets = st.frozensets(st.sampled_from(SUBJECTS), max_size=3)


@st.composite
def profiles(draw) -> CandidateProfile:
    study = draw(st.sampled_from(list(CurrentStudy)))
    qualification = draw(st.sampled_from(list(Qualification)))
    return CandidateProfile(
        education_level=draw(st.sampled_from(list(EducationLevel))),
        havo_vwo_diploma=draw(st.booleans()),
        education_field=draw(st.sampled_from(["", "Econometrie", "Rechten", "Verpleegkunde"])),
        related_subjects=draw(subject_sets),
        current_study=study,
        study_ec=0 if study == CurrentStudy.NONE else draw(st.integers(0, 240)),
        unfinished_teacher_training_last_2_years=draw(st.booleans()),
        foreign_diploma_country=draw(st.sampled_from(["", "Syrië", "Oekraïne"])),
        foreign_teacher_qualification=draw(st.booleans()),
        duo_recognition=draw(st.sampled_from(list(RecognitionStatus))),
        dutch_level=draw(st.sampled_from(list(DutchLevel))),
        target_sectors=draw(st.frozensets(st.sampled_from(list(Sector)), max_size=2)),
        target_subjects=draw(subject_sets),
        target_levels=draw(st.frozensets(st.sampled_from(list(TargetLevel)), max_size=2)),
        has_job_offer=draw(st.booleans()),
        has_vog=draw(st.booleans()),
        teaching_qualification=qualification,
        qualification_subject="" if qualification == Qualification.NONE else draw(st.sampled_from(SUBJECTS[1:])),
        target_group=draw(st.sampled_from(list(TargetGroup))),
        hours_available=draw(st.integers(0, 40)),
    )


def _at_least(items, current, rank):
    return [item for item in items if rank(item) >= rank(current)]


@st.composite
def more_qualified(draw, profile: CandidateProfile) -> CandidateProfile:
    """The same person with more qualifications: the order under which MONOTONE checks may not flip.

    A higher diploma on the same track, havo/vwo gained, more related subjects, more EC, better
    Dutch, a job offer, a VOG, a foreign teacher qualification, recognition further along, more
    hours, and a teaching qualification where there was none. Targets and history stay the same.
    """
    levels = [level for level in EducationLevel if education_at_least(level, profile.education_level)]
    dutch = list(DutchLevel)
    recognition = list(RecognitionStatus)
    qualification = profile.teaching_qualification
    subject = profile.qualification_subject
    if qualification == Qualification.NONE and draw(st.booleans()):
        qualification = draw(st.sampled_from([q for q in Qualification if q != Qualification.NONE]))
        subject = draw(st.sampled_from(SUBJECTS[1:]))
    return dataclasses.replace(
        profile,
        education_level=draw(st.sampled_from(levels)),
        havo_vwo_diploma=profile.havo_vwo_diploma or draw(st.booleans()),
        related_subjects=profile.related_subjects | draw(subject_sets),
        study_ec=profile.study_ec
        if profile.current_study == CurrentStudy.NONE
        else draw(st.integers(profile.study_ec, 240)),
        dutch_level=draw(st.sampled_from(dutch[dutch.index(profile.dutch_level) :])),
        has_job_offer=profile.has_job_offer or draw(st.booleans()),
        has_vog=profile.has_vog or draw(st.booleans()),
        foreign_teacher_qualification=profile.foreign_teacher_qualification or draw(st.booleans()),
        duo_recognition=draw(st.sampled_from(recognition[recognition.index(profile.duo_recognition) :])),
        hours_available=draw(st.integers(profile.hours_available, 40)),
        teaching_qualification=qualification,
        qualification_subject=subject,
    )


@st.composite
def profile_pairs(draw):
    before = draw(profiles())
    return before, draw(more_qualified(before))
