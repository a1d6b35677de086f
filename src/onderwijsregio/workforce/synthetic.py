"""Synthetic staff snapshots for the demo region's VO boards, generated from public key figures.

No real person is in them: each board gets about one employee per 14 VO pupils (its DUO count in
the region), drawn with a seeded numpy Generator so a rerun gives the same people. The figures
the draws follow are public (docs/domain.md section 6, onderwijsincijfers.nl):
- age: mean about 43 with the 55-64 group the largest (a seed region's VO staff);
- part-time: mean betrekking about 0.75 fte, many part-timers;
- sickness absence: VO 6.0% (2024) on average, higher for women and staff over 55;
- function mix of VO (about 68% teaching, 25% support, 7% management), the VO subject mix, and
  a larger share of unqualified or in-training teachers in the shortage subjects;
- tenure: starters leave more often, so short tenures are common.
Every snapshot is marked is_synthetic with the note SYNTHETIC_NOTE, has no uploader, and is
stored once per board and reference date (idempotent). Two demo scenarios go to the region.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Max

from onderwijsregio.organisations.models import Organisation, PupilCount, RegionMember, Sector

from .models import Scenario, StaffSnapshot
from .services import scenario_create, snapshot_store_rows

SEED = 2026
PUPILS_PER_STAFF = 14
SYNTHETIC_NOTE = "Synthetisch: gegenereerd uit publieke kengetallen"

# (age from, age to inclusive, share): mean ~43, 55-64 the largest ten-year group.
AGE_BANDS = ((20, 24, 0.06), (25, 34, 0.26), (35, 44, 0.22), (45, 54, 0.16), (55, 64, 0.29), (65, 67, 0.01))
FTE_VALUES = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4)
FTE_SHARES = (0.25, 0.10, 0.20, 0.13, 0.14, 0.10, 0.08)  # mean 0.757
FUNCTION_SHARES = (("teaching", 0.68), ("support", 0.25), ("management", 0.07))
ABSENCE_MEAN = 6.0
FEMALE_SHARE = 0.53
# VO subjects (SLO codes) by share of teachers.
SUBJECT_SHARES = (
    ("ne", 0.11),
    ("en", 0.09),
    ("wi", 0.11),
    ("lo", 0.07),
    ("gs", 0.05),
    ("ak", 0.04),
    ("bio", 0.05),
    ("na", 0.04),
    ("sk", 0.03),
    ("ec", 0.04),
    ("du", 0.04),
    ("fa", 0.04),
    ("sp", 0.01),
    ("inf", 0.015),
    ("ltc", 0.015),
    ("gtc", 0.01),
    ("ml", 0.02),
    ("Bv", 0.03),
    ("muz", 0.02),
    ("nask1", 0.03),
    ("mo", 0.02),
    ("te", 0.03),
    ("zw", 0.03),
    ("ckv", 0.02),
)
SHORTAGE_SUBJECTS = {"wi", "na", "sk", "inf", "du", "fa", "ltc", "gtc", "ne"}
DEGREES = ("first", "second", "limited_second", "pdg", "in_training", "none")
DEGREE_SHARES = (0.36, 0.48, 0.03, 0.02, 0.05, 0.06)
DEGREE_SHARES_SHORTAGE = (0.33, 0.42, 0.03, 0.02, 0.09, 0.11)

DEMO_SCENARIOS = (
    (
        "Meer uren voor deeltijders",
        "Een derde van de deeltijders gaat 0,1 fte meer werken.",
        {"more_hours_share": 0.33, "more_hours_fte": 0.1},
    ),
    (
        "Minder verzuim en meer zij-instroom",
        "Verzuim een procentpunt lager, 25 extra zij-instromers per jaar en 5 fte vervanging uit de invalpool.",
        {"absence_delta_points": -1.0, "extra_side_entrants_per_year": 25.0, "pool_coverage_fte": 5.0},
    ),
)


@dataclass
class BoardPlan:
    board: Organisation
    pupils: int
    locations: list[tuple[int, int]]  # (location id, pupils)

    @property
    def staff(self) -> int:
        return max(10, round(self.pupils / PUPILS_PER_STAFF))


def _latest_year() -> int | None:
    return PupilCount.objects.aggregate(latest=Max("year"))["latest"]


def demo_reference_date() -> date:
    """1 October of the latest DUO count year: the snapshot and the pupil numbers then share a base year."""
    latest = _latest_year()
    return date(latest, 10, 1) if latest else date(date.today().year, 10, 1)


def vo_board_plans(region: Organisation) -> list[BoardPlan]:
    """The region's member boards with VO pupils at locations currently in the region, largest first."""
    latest = _latest_year()
    members = set(
        RegionMember.objects.filter(region=region, member__kind=Organisation.Kind.BOARD).values_list(
            "member_id", flat=True
        )
    )
    per_board: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for location_id, board_id, count in PupilCount.objects.filter(
        year=latest,
        is_small=False,
        school_location__sector=Sector.VO,
        school_location__region_links__region=region,
        school_location__region_links__ended_on__isnull=True,
        school_location__board_id__in=members,
    ).values_list("school_location_id", "school_location__board_id", "count"):
        per_board[board_id].append((location_id, count))
    boards = Organisation.objects.in_bulk(list(per_board))
    plans = [
        BoardPlan(board=boards[board_id], pupils=sum(c for _, c in locations), locations=sorted(locations))
        for board_id, locations in per_board.items()
    ]
    return sorted(plans, key=lambda plan: (-plan.pupils, plan.board.pk))


def _board_seed(board: Organisation, seed: int) -> list[int]:
    key = int(board.duo_number) if board.duo_number.isdigit() else board.pk
    return [seed, key]


def _date(year: int, month: int, day: int, latest: date) -> date:
    return min(date(year, month, day), latest)


def generate_rows(
    *, n: int, reference_date: date, rng: np.random.Generator, locations: list[tuple[int, int]], prefix: str
) -> list[dict[str, Any]]:
    """`n` synthetic StaffRow field dicts, drawn from the public figures of this module."""
    band_index = rng.choice(len(AGE_BANDS), size=n, p=[share for *_, share in AGE_BANDS])
    ages = np.array([rng.integers(AGE_BANDS[i][0], AGE_BANDS[i][1] + 1) for i in band_index])
    female = rng.random(n) < FEMALE_SHARE
    functions = rng.choice([f for f, _ in FUNCTION_SHARES], size=n, p=[s for _, s in FUNCTION_SHARES])
    fte = rng.choice(FTE_VALUES, size=n, p=FTE_SHARES)
    # Absence: skewed (most low, a few long-term), higher for women and 55+; scaled to the VO mean.
    raw_absence = rng.gamma(0.7, 1.0, size=n) * np.where(female, 1.15, 1.0) * np.where(ages >= 55, 1.3, 1.0)
    absence = np.clip(raw_absence * ABSENCE_MEAN / raw_absence.mean(), 0, 60)
    codes = [code for code, _ in SUBJECT_SHARES]
    weights = np.array([share for _, share in SUBJECT_SHARES])
    weights = weights / weights.sum()
    location_ids = [location_id for location_id, _ in locations]
    location_weights = np.array([pupils for _, pupils in locations], dtype=float)
    location_weights = location_weights / location_weights.sum() if location_weights.sum() else None

    rows: list[dict[str, Any]] = []
    ref_year = reference_date.year
    for i in range(n):
        age = int(ages[i])
        birth_year = ref_year - age
        # Most start in education after their studies; about one in six later, as a side entrant.
        start_age = int(rng.integers(30, 46)) if rng.random() < 0.16 else int(rng.integers(22, 29))
        start_age = min(start_age, age)
        start_education = _date(birth_year + start_age, 8, 1, reference_date)
        years_in_education = ref_year - start_education.year
        # Time at this board: part of the career; starters (below one year) about 7% of everyone.
        if rng.random() < 0.07 or years_in_education == 0:
            board_years = 0
        else:
            board_years = int(np.floor(years_in_education * rng.random() ** 0.6))
        start_board = _date(ref_year - board_years, 8, 1, reference_date)
        if start_board < start_education:
            start_board = start_education
        if board_years < 2:
            contract = "fixed_term" if rng.random() < 0.6 else "permanent"
        else:
            contract = rng.choice(["permanent", "fixed_term", "other"], p=[0.9, 0.07, 0.03])
        function = str(functions[i])
        subjects = []
        if function == "teaching":
            count = 2 if rng.random() < 0.25 else 1
            for code in rng.choice(codes, size=count, replace=False, p=weights):
                shares = DEGREE_SHARES_SHORTAGE if code in SHORTAGE_SUBJECTS else DEGREE_SHARES
                subjects.append({"subject": str(code), "degree": str(rng.choice(DEGREES, p=shares))})
        planned_exit = None
        if age >= 66:
            planned_exit = max(date(birth_year + 67, 12, 31), reference_date)
        elif rng.random() < 0.02:
            planned_exit = date(ref_year + 1, 7, 31)
        location_id = None
        # Teachers and support staff work at a school; half of management works above the schools.
        if location_ids and (function != "management" or rng.random() < 0.5):
            location_id = int(rng.choice(location_ids, p=location_weights))
        rows.append(
            {
                "line_number": i + 2,
                "pseudonym": f"{prefix}{i + 1:05d}",
                "birth_year": birth_year,
                "gender": "v" if female[i] else ("m" if rng.random() < 0.98 else "x"),
                "function": function,
                "subjects": subjects,
                "fte": Decimal(str(float(fte[i]))).quantize(Decimal("0.001")),
                "contract_type": str(contract),
                "start_education": start_education,
                "start_board": start_board,
                "school_location_id": location_id,
                "absence_pct": Decimal(str(round(float(absence[i]), 2))),
                "planned_exit_date": planned_exit,
            }
        )
    return rows


def demo_workforce_build(*, region: Organisation, seed: int = SEED, reference_date: date | None = None) -> dict:
    """Synthetic snapshots for every VO board of the region that has none yet, and the demo scenarios."""
    reference_date = reference_date or demo_reference_date()
    made = []
    for plan in vo_board_plans(region):
        exists = StaffSnapshot.objects.filter(
            board=plan.board, reference_date=reference_date, is_synthetic=True
        ).exists()
        if exists:
            continue
        rng = np.random.default_rng(_board_seed(plan.board, seed))
        rows = generate_rows(
            n=plan.staff,
            reference_date=reference_date,
            rng=rng,
            locations=plan.locations,
            prefix=f"SYN{plan.board.duo_number or plan.board.pk}-",
        )
        with transaction.atomic():
            snapshot = snapshot_store_rows(
                board=plan.board, reference_date=reference_date, rows=rows, note=SYNTHETIC_NOTE, is_synthetic=True
            )
        made.append(snapshot)
    scenarios = 0
    for name, description, levers in DEMO_SCENARIOS:
        if not Scenario.objects.filter(owner=region, name=name).exists():
            scenario_create(owner=region, name=name, description=description, levers=levers, actor=None)
            scenarios += 1
    return {
        "snapshots": len(made),
        "rows": sum(s.row_count for s in made),
        "scenarios": scenarios,
        "reference_date": reference_date,
    }


def demo_region() -> Organisation | None:
    from onderwijsregio.organisations.demo import REGION_SLUG

    return Organisation.objects.filter(slug=REGION_SLUG, kind=Organisation.Kind.REGION).first()
