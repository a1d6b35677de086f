"""Route advice for a candidate: the intake answers of the desk turned into the route engine's
CandidateProfile, judged by the engine, and stored on the record (services.advice_store, called by
the registration and edit services).

The engine (onderwijsregio.routes.engine) is pure Python and knows nothing of the desk's models;
this module is the only translation between the two vocabularies. Intake questions the desk does
not ask (yet) get the engine's cautious defaults: no VOG, no current study, no target levels.
"""

from __future__ import annotations

from typing import Any

from .models import Candidate, ForeignDiplomaRecognition, TargetGroup

# Desk target group -> engine target group; "other" is advised as a career switcher.
_TARGET_GROUPS = {
    TargetGroup.SIDE_ENTRANT: "side_entrant",
    TargetGroup.REFUGEE_TEACHER: "statushouder",
    TargetGroup.STUDENT: "student",
    TargetGroup.LONG_TIME_STUDENT: "long_time_student",
    TargetGroup.RETURNER: "returner",
    TargetGroup.SCHOOL_LEADER: "school_leader",
    TargetGroup.TEACHING_ASSISTANT: "teaching_assistant",
    TargetGroup.OTHER: "side_entrant",
}
_RECOGNITION = {
    ForeignDiplomaRecognition.REQUESTED: "requested",
    ForeignDiplomaRecognition.GRANTED: "granted",
}
_QUALIFICATIONS = {"po", "second_degree", "limited_second_degree", "first_degree", "pdg"}


def candidate_profile(candidate: Candidate):
    """The engine's CandidateProfile for a candidate's intake answers."""
    from onderwijsregio.routes.engine import GENERAL_SUBJECT, CandidateProfile

    sectors = {sector for sector in candidate.target_sectors or [] if sector in {"PO", "SO", "VO", "MBO"}}
    target_subjects = {subject.code for subject in candidate.target_subjects.all()}
    if sectors & {"PO", "SO"}:
        # In primary education a teacher teaches every subject.
        target_subjects.add(GENERAL_SUBJECT)
    recognition = candidate.foreign_diploma_recognition
    return CandidateProfile(
        education_level=candidate.education_level,
        education_field=candidate.education_field,
        related_subjects=frozenset(subject.code for subject in candidate.related_subjects.all()),
        # Long-time students (langstudeerders) are, by definition, in a teacher training.
        current_study="teacher_training" if candidate.target_group == TargetGroup.LONG_TIME_STUDENT else "none",
        unfinished_teacher_training_last_2_years=candidate.enrolled_teacher_training_recently,
        foreign_diploma_country=candidate.foreign_diploma_country,
        # DUO recognises foreign teaching qualifications; a recognition asked for or refused, or
        # being a refugee teacher, means the candidate trained as a teacher abroad.
        foreign_teacher_qualification=candidate.target_group == TargetGroup.REFUGEE_TEACHER
        or recognition
        in (ForeignDiplomaRecognition.REQUESTED, ForeignDiplomaRecognition.GRANTED, ForeignDiplomaRecognition.REFUSED),
        duo_recognition=_RECOGNITION.get(recognition, "none"),
        dutch_level=candidate.dutch_level,
        target_sectors=frozenset(sectors),
        target_subjects=frozenset(target_subjects),
        has_job_offer=candidate.has_job_offer,
        teaching_qualification=candidate.current_qualification
        if candidate.current_qualification in _QUALIFICATIONS
        else "none",
        target_group=_TARGET_GROUPS.get(candidate.target_group, "side_entrant"),
        hours_available=min(max(candidate.hours_available or 0, 0), 60),
    )


def advise_candidate(candidate: Candidate) -> dict[str, Any]:
    """The advice for a candidate as stored on the record: the engine's dict plus the profile used."""
    from onderwijsregio.routes.engine import advise, default_offers, default_ruleset

    profile = candidate_profile(candidate)
    ruleset = default_ruleset()
    advice = advise(profile, ruleset, default_offers()).to_dict()
    advice["profile"] = profile.to_dict()
    return advice


def advice_refresh(*, candidate: Candidate, actor: Any) -> Candidate:
    """Compute the advice anew and store it (services.candidate_register and candidate_update do so themselves)."""
    from . import services

    return services.advice_store(candidate=candidate, advice=advise_candidate(candidate), actor=actor)
