"""The intake answers the route engine reasons about: `CandidateProfile` and its vocabularies.

Values are enums whose `.value` is a short, stable code (stored by the candidate desk and used in
the rules file); the Dutch words for them live in the rules file's vocabulary, not here.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any


class EducationLevel(StrEnum):
    """Highest diploma. `VO` means no diploma beyond secondary school (or none at all)."""

    VO = "vo"
    MBO2 = "mbo2"
    MBO3 = "mbo3"
    MBO4 = "mbo4"
    HBO_AD = "hbo_ad"
    HBO_BACHELOR = "hbo_bachelor"
    HBO_MASTER = "hbo_master"
    WO_BACHELOR = "wo_bachelor"
    WO_MASTER = "wo_master"
    PHD = "phd"


# Height of a diploma; hbo and wo bachelors (and masters) are equally high but not the same track.
EDUCATION_RANK: dict[EducationLevel, int] = {
    EducationLevel.VO: 0,
    EducationLevel.MBO2: 1,
    EducationLevel.MBO3: 2,
    EducationLevel.MBO4: 3,
    EducationLevel.HBO_AD: 4,
    EducationLevel.HBO_BACHELOR: 5,
    EducationLevel.WO_BACHELOR: 5,
    EducationLevel.HBO_MASTER: 6,
    EducationLevel.WO_MASTER: 6,
    EducationLevel.PHD: 7,
}
WO_LEVELS = frozenset({EducationLevel.WO_BACHELOR, EducationLevel.WO_MASTER, EducationLevel.PHD})


def education_at_least(have: EducationLevel, required: EducationLevel) -> bool:
    """`have` is at least as high as `required`; a required wo level also needs a wo diploma.

    This is the partial order under which "more education" is monotone: climbing the ranks, and
    once on the wo track staying on it (a wo bachelor followed by an hbo master is not "more wo").
    """
    if EDUCATION_RANK[have] < EDUCATION_RANK[required]:
        return False
    return required not in WO_LEVELS or have in WO_LEVELS


class CurrentStudy(StrEnum):
    NONE = "none"
    TEACHER_TRAINING = "teacher_training"
    OTHER_HBO = "other_hbo"
    WO_BACHELOR = "wo_bachelor"


class RecognitionStatus(StrEnum):
    """Where the candidate stands with DUO's recognition of a foreign teaching qualification."""

    NONE = "none"
    REQUESTED = "requested"
    GRANTED = "granted"


class DutchLevel(StrEnum):
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"
    NATIVE = "native"


DUTCH_RANK: dict[DutchLevel, int] = {level: rank for rank, level in enumerate(DutchLevel)}


class Sector(StrEnum):
    PO = "PO"
    SO = "SO"
    VO = "VO"
    MBO = "MBO"


class TargetLevel(StrEnum):
    VMBO = "vmbo"
    HAVO_VWO_ONDERBOUW = "havo_vwo_onderbouw"
    HAVO_VWO_BOVENBOUW = "havo_vwo_bovenbouw"
    MBO = "mbo"


class Qualification(StrEnum):
    """Teaching qualification (bevoegdheid) the candidate already holds."""

    NONE = "none"
    PO = "po"
    SECOND_DEGREE = "second_degree"
    LIMITED_SECOND_DEGREE = "limited_second_degree"
    FIRST_DEGREE = "first_degree"
    PDG = "pdg"


class TargetGroup(StrEnum):
    SIDE_ENTRANT = "side_entrant"
    STATUSHOUDER = "statushouder"
    STUDENT = "student"
    LONG_TIME_STUDENT = "long_time_student"
    RETURNER = "returner"
    SCHOOL_LEADER = "school_leader"
    TEACHING_ASSISTANT = "teaching_assistant"


# Subject code of "any subject" in primary education, where teachers teach every subject.
GENERAL_SUBJECT = "algemeen"

MAX_EC = 400
MAX_HOURS = 60


def _plain(value):
    return value.value if isinstance(value, StrEnum) else value


class ProfileError(ValueError):
    """An intake answer the engine cannot use; the message names the field."""


def _enum(cls, value, name: str):
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(member.value for member in cls)
        raise ProfileError(f"{name}: unknown value {value!r} (allowed: {allowed})") from None


def _enum_set(cls, values, name: str) -> frozenset:
    if isinstance(values, str):
        raise ProfileError(f"{name}: expected a collection of values, got the string {values!r}")
    return frozenset(_enum(cls, value, name) for value in values)


def _code_set(values, name: str) -> frozenset[str]:
    if isinstance(values, str):
        raise ProfileError(f"{name}: expected a collection of subject codes, got the string {values!r}")
    codes = frozenset(str(value).strip() for value in values)
    if "" in codes:
        raise ProfileError(f"{name}: empty subject code")
    return codes


@dataclass(frozen=True, slots=True)
class CandidateProfile:
    """What the intake knows about a candidate. Immutable and hashable; strings are coerced to enums.

    Subject codes are SLO codes (`wi`, `wisB`, `ne`, `pie`, ...) or `algemeen` for primary
    education; the rules file's subject table lists the known codes and their families.
    """

    education_level: EducationLevel = EducationLevel.VO
    # A havo or vwo diploma gives access to hbo even when the highest level is "vo".
    havo_vwo_diploma: bool = False
    education_field: str = ""
    # School subjects the candidate says their study relates to (the intake asks them).
    related_subjects: frozenset[str] = frozenset()
    current_study: CurrentStudy = CurrentStudy.NONE
    study_ec: int = 0
    unfinished_teacher_training_last_2_years: bool = False
    foreign_diploma_country: str = ""
    # Trained or qualified as a teacher abroad (what DUO can recognise).
    foreign_teacher_qualification: bool = False
    duo_recognition: RecognitionStatus = RecognitionStatus.NONE
    dutch_level: DutchLevel = DutchLevel.NATIVE
    target_sectors: frozenset[Sector] = frozenset()
    target_subjects: frozenset[str] = frozenset()
    target_levels: frozenset[TargetLevel] = frozenset()
    has_job_offer: bool = False
    has_vog: bool = False
    teaching_qualification: Qualification = Qualification.NONE
    qualification_subject: str = ""
    target_group: TargetGroup = TargetGroup.SIDE_ENTRANT
    hours_available: int = 0

    def __post_init__(self) -> None:
        # Frozen, so coercion goes through object.__setattr__; done once, at construction.
        coerce = object.__setattr__
        coerce(self, "education_level", _enum(EducationLevel, self.education_level, "education_level"))
        coerce(self, "current_study", _enum(CurrentStudy, self.current_study, "current_study"))
        coerce(self, "duo_recognition", _enum(RecognitionStatus, self.duo_recognition, "duo_recognition"))
        coerce(self, "dutch_level", _enum(DutchLevel, self.dutch_level, "dutch_level"))
        coerce(
            self,
            "teaching_qualification",
            _enum(Qualification, self.teaching_qualification, "teaching_qualification"),
        )
        coerce(self, "target_group", _enum(TargetGroup, self.target_group, "target_group"))
        coerce(self, "target_sectors", _enum_set(Sector, self.target_sectors, "target_sectors"))
        coerce(self, "target_levels", _enum_set(TargetLevel, self.target_levels, "target_levels"))
        coerce(self, "target_subjects", _code_set(self.target_subjects, "target_subjects"))
        coerce(self, "related_subjects", _code_set(self.related_subjects, "related_subjects"))
        coerce(self, "education_field", str(self.education_field).strip())
        coerce(self, "foreign_diploma_country", str(self.foreign_diploma_country).strip())
        coerce(self, "qualification_subject", str(self.qualification_subject).strip())
        for name, upper in (("study_ec", MAX_EC), ("hours_available", MAX_HOURS)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= upper:
                raise ProfileError(f"{name}: expected a whole number from 0 to {upper}, got {value!r}")
        if self.study_ec and self.current_study == CurrentStudy.NONE:
            raise ProfileError("study_ec: credits given but current_study is 'none'")
        if self.teaching_qualification == Qualification.NONE and self.qualification_subject:
            raise ProfileError("qualification_subject: given without a teaching_qualification")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (sets as sorted lists), for storing next to an advice."""
        result: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            result[item.name] = sorted(str(v) for v in value) if isinstance(value, frozenset) else _plain(value)
        return result

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CandidateProfile:
        known = {item.name for item in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ProfileError(f"unknown field(s): {', '.join(unknown)}")
        return cls(**data)


__all__ = [
    "CandidateProfile",
    "CurrentStudy",
    "DutchLevel",
    "EducationLevel",
    "GENERAL_SUBJECT",
    "ProfileError",
    "Qualification",
    "RecognitionStatus",
    "Sector",
    "TargetGroup",
    "TargetLevel",
    "education_at_least",
]
