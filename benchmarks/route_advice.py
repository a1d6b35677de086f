"""Route advice for 50,000 generated intakes: our engine against two naive first implementations.

Ours: the rules file is read, validated and compiled once; a call evaluates compiled predicates
and renders pre-split sentence templates, memoised on the values they use.

Baselines, in the same process and run, giving the same advice (checked on every profile):
- `rules_per_call`: what a first implementation plausibly does, `advise(profile)` opening,
  parsing and validating the rules file on every call. Run on a sample (it is slow); the metric
  is time per advice.
- `format_per_call`: rules loaded once, but every explanation built with `str.format` over all
  placeholder values on every call (no compiled templates, no memo). Run on all profiles.

No Django needed: the engine is pure Python.

    python benchmarks/route_advice.py [--quick]
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import time

from _setup import ROOT, emit

sys.path.insert(0, str(ROOT / "src"))

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
    advise,
    load_offers,
    load_ruleset,
)
from onderwijsregio.routes.engine.rules import DEFAULT_OFFERS, DEFAULT_RULES
from onderwijsregio.routes.engine.text import _GETTERS, PLACEHOLDERS

SUBJECTS = ["wi", "wisA", "wisB", "na", "sk", "bio", "ne", "en", "du", "fa", "gs", "ak", "ec", "pie", "zw", "bwi"]


def generate_profiles(count: int, seed: int = 2026) -> list[CandidateProfile]:
    rng = random.Random(seed)
    profiles = []
    for _ in range(count):
        study = rng.choice(list(CurrentStudy))
        qualification = rng.choices(list(Qualification), weights=[12, 2, 2, 1, 1, 1])[0]
        sectors = set(rng.sample(list(Sector), rng.choice([1, 1, 1, 2])))
        subjects = set(rng.sample(SUBJECTS, rng.choice([0, 1, 1, 2])))
        profiles.append(
            CandidateProfile(
                education_level=rng.choice(list(EducationLevel)),
                havo_vwo_diploma=rng.random() < 0.5,
                education_field=rng.choice(["", "Econometrie", "Rechten", "Biologie", "Bouwkunde"]),
                related_subjects=set(rng.sample(SUBJECTS, rng.choice([0, 1, 2]))),
                current_study=study,
                study_ec=0 if study == CurrentStudy.NONE else rng.randrange(0, 240),
                unfinished_teacher_training_last_2_years=rng.random() < 0.05,
                foreign_diploma_country=rng.choice(["", "", "", "", "Syrië", "Oekraïne"]),
                foreign_teacher_qualification=rng.random() < 0.1,
                duo_recognition=rng.choice(list(RecognitionStatus)),
                dutch_level=rng.choice(list(DutchLevel)),
                target_sectors=sectors,
                target_subjects=subjects,
                target_levels=set(rng.sample(list(TargetLevel), rng.choice([0, 0, 1]))),
                has_job_offer=rng.random() < 0.3,
                has_vog=rng.random() < 0.2,
                teaching_qualification=qualification,
                qualification_subject="" if qualification == Qualification.NONE else rng.choice(SUBJECTS),
                target_group=rng.choice(list(TargetGroup)),
                hours_available=rng.randrange(0, 41),
            )
        )
    return profiles


def advise_reading_rules_per_call(profile: CandidateProfile):
    ruleset = load_ruleset(DEFAULT_RULES)
    return advise(profile, ruleset, load_offers(DEFAULT_OFFERS, ruleset))


@dataclasses.dataclass
class FormatTemplate:
    """A sentence rebuilt with str.format from every placeholder value on each call."""

    source: str
    static: dict

    def render(self, profile, vocabulary) -> str:
        values = {name: getter(profile, vocabulary) for name, getter in _GETTERS.items()}
        values.update(self.static)
        values.update({name: "" for name in PLACEHOLDERS if name not in values})
        text = self.source.format(**values)
        return text[:1].upper() + text[1:]


def with_format_templates(ruleset):
    """The same rules, with sentences formatted per call instead of compiled and memoised."""
    routes = []
    for route in ruleset.routes:
        conditions = tuple(
            dataclasses.replace(
                condition,
                memo=None,
                met=FormatTemplate(condition.met.source, condition.met.static),
                missing=FormatTemplate(condition.missing.source, condition.missing.static),
            )
            for condition in route.conditions
        )
        routes.append(dataclasses.replace(route, conditions=conditions))
    return dataclasses.replace(ruleset, routes=tuple(routes))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="5,000 profiles instead of 50,000")
    args = parser.parse_args()
    size = 5_000 if args.quick else 50_000
    sample_size = 200 if args.quick else 1_000

    profiles = generate_profiles(size)
    load_start = time.perf_counter()
    ruleset = load_ruleset(DEFAULT_RULES)
    offers = load_offers(DEFAULT_OFFERS, ruleset)
    load_seconds = time.perf_counter() - load_start

    start = time.perf_counter()
    ours = [advise(profile, ruleset, offers) for profile in profiles]
    ours_seconds = time.perf_counter() - start

    # Timed in chunks, each compared with ours and dropped: its unshared sentences take memory.
    naive_ruleset = with_format_templates(ruleset)
    format_seconds = 0.0
    for begin in range(0, size, 1_000):
        start = time.perf_counter()
        formatted = [advise(profile, naive_ruleset, offers) for profile in profiles[begin : begin + 1_000]]
        format_seconds += time.perf_counter() - start
        for mine, theirs in zip(ours[begin : begin + 1_000], formatted, strict=True):
            assert mine.to_dict() == theirs.to_dict()

    sample = profiles[:sample_size]
    start = time.perf_counter()
    reread = [advise_reading_rules_per_call(profile) for profile in sample]
    reread_seconds = time.perf_counter() - start

    # The baselines must give the same advice, or the comparison means nothing.
    for mine, theirs in zip(ours, reread, strict=False):
        assert mine.to_dict() == theirs.to_dict()

    fits = sum(len(advice.fitting) for advice in ours) / size
    common = {
        "ruleset_version": ruleset.version,
        "routes_per_advice": len(ruleset.routes),
        "mean_fitting_routes": round(fits, 2),
    }
    ours_per = ours_seconds / size
    emit(
        benchmark="route_advice",
        metric="time_per_advice",
        ours=round(ours_per * 1e6, 1),
        baseline=round(reread_seconds / sample_size * 1e6, 1),
        ratio=round((reread_seconds / sample_size) / ours_per, 1),
        unit="µs/advice",
        size={"profiles": size, "baseline_sample_profiles": sample_size, **common},
        ours_total_seconds=round(ours_seconds, 2),
        rules_load_seconds=round(load_seconds, 4),
        baseline_is="advise(profile) re-reading and validating the rules file on every call (sample)",
    )
    emit(
        benchmark="route_advice",
        metric="total_time",
        ours=round(ours_seconds, 2),
        baseline=round(format_seconds, 2),
        ratio=round(format_seconds / ours_seconds, 1),
        unit="s",
        size={"profiles": size, **common},
        baseline_is="rules loaded once, every explanation built with str.format on every call",
    )


if __name__ == "__main__":
    main()
