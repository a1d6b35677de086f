"""Route advice engine (pure Python, no Django): which routes to a teaching qualification fit a candidate.

Public interface, for the candidate desk and the routes pages:

    from onderwijsregio.routes.engine import CandidateProfile, advise, default_ruleset, default_offers

    profile = CandidateProfile(education_level="wo_master", related_subjects={"wi"},
                               target_sectors={"VO"}, target_subjects={"wisB"})
    advice = advise(profile, default_ruleset(), default_offers())
    advice.ruleset_version          # "2026.1": store it with the advice
    for item in advice.routes:      # every route once: fits, fits_after, does_not_fit
        item.status, item.route.name, item.explanation, item.missing

Rules are data (rules/routes-<version>.json, see docs/routes.md); load them once per process.
"""

from .advice import Advice, RequirementResult, RouteAdvice, advise
from .profile import (
    GENERAL_SUBJECT,
    CandidateProfile,
    CurrentStudy,
    DutchLevel,
    EducationLevel,
    ProfileError,
    Qualification,
    RecognitionStatus,
    Sector,
    TargetGroup,
    TargetLevel,
)
from .rules import (
    Institute,
    Offers,
    QualificationResult,
    Route,
    RulesError,
    Ruleset,
    Status,
    Subsidy,
    default_offers,
    default_ruleset,
    load_offers,
    load_ruleset,
    parse_offers,
    parse_ruleset,
)

__all__ = [
    "GENERAL_SUBJECT",
    "Advice",
    "CandidateProfile",
    "CurrentStudy",
    "DutchLevel",
    "EducationLevel",
    "Institute",
    "Offers",
    "ProfileError",
    "Qualification",
    "QualificationResult",
    "RecognitionStatus",
    "RequirementResult",
    "Route",
    "RouteAdvice",
    "Ruleset",
    "RulesError",
    "Sector",
    "Status",
    "Subsidy",
    "TargetGroup",
    "TargetLevel",
    "advise",
    "default_offers",
    "default_ruleset",
    "load_offers",
    "load_ruleset",
    "parse_offers",
    "parse_ruleset",
]
