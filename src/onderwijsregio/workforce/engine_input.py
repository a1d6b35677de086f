"""Staff snapshots as the forecast engine's input: stored rows become `engine.types.StaffRecord`s.

Decisions, each made once here so the board page, the region page and the reports agree:

- **Base year.** The engine counts in school years named after the calendar year they start in (the
  pupil count of that school year is taken on 1 October). A school year starts on 1 August, so a
  snapshot dated on or after 1 August belongs to that year's school year, and one dated before
  1 August to the school year that began the year before: 1 October 2026 -> 2026, 1 March 2026 ->
  2025. (Taking "before October" as the cut-off would put a snapshot of the first school weeks, when
  the new formation is already in place, in the previous year.)
- **Several subjects.** The engine's groups are (board, function, subject, degree); a teacher of
  maths (first degree) and physics (second degree) is split into one record per subject, each with
  the fte divided equally and that subject's own degree. The file has no hours per subject, and an
  equal split is the neutral choice that keeps the board's total fte exact; each subject then
  loses or keeps this teacher's capacity together. The price: head counts per subject count such
  a teacher in each subject, so a sum of heads over subjects exceeds the number of persons
  (`snapshot_counts` gives the real numbers of persons).
- **Non-teaching staff and teachers without a listed subject** get subject "" and degree "none"
  (the engine's convention); a teaching row with a subject but no recognised degree gets "none"
  (unqualified), which is what a missing qualification means.
- **Planned exit.** The engine lets someone leave at the end of a school year: an exit dated before
  1 August leaves at the end of the previous school year, a later one at the end of that school
  year. An exit before the base year is treated as leaving at the end of the base year.
- **Start years.** Years at the board are what starters' outflow depends on; the school year of the
  start date is used, like for the base year.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .engine.types import AGE_MAX, AGE_MIN, DEGREES, StaffRecord
from .models import Function, StaffRow, StaffSnapshot

SCHOOL_YEAR_START_MONTH = 8  # a Dutch school year starts on 1 August

# Age bands of the age pyramid (inclusive); the last one is open-ended.
AGE_BANDS: tuple[tuple[int, int], ...] = (
    (AGE_MIN, 24),
    (25, 34),
    (35, 44),
    (45, 54),
    (55, 59),
    (60, 64),
    (65, AGE_MAX + 50),
)


def school_year(day: date) -> int:
    """The school year (named after its starting calendar year) that a date falls in."""
    return day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1


def base_year(snapshot: StaffSnapshot) -> int:
    """The engine's base year for a snapshot (see the module docstring)."""
    return school_year(snapshot.reference_date)


def age_band_label(band: tuple[int, int]) -> str:
    low, high = band
    if band == AGE_BANDS[0]:
        return f"<{high + 1}"
    if band == AGE_BANDS[-1]:
        return f"{low}+"
    return f"{low}-{high}"


def age_band_index(age: int) -> int:
    for index, (low, high) in enumerate(AGE_BANDS):
        if low <= age <= high:
            return index
    return 0 if age < AGE_BANDS[0][0] else len(AGE_BANDS) - 1


def _degree(value: object) -> str:
    return value if isinstance(value, str) and value in DEGREES else "none"


def row_records(row: StaffRow, *, board_id: int, base: int) -> list[StaffRecord]:
    """The engine records of one employee: one per subject taught, fte split equally."""
    subjects = [
        (str(entry.get("subject", "")).strip(), _degree(entry.get("degree")))
        for entry in (row.subjects or [])
        if isinstance(entry, dict) and str(entry.get("subject", "")).strip()
    ]
    if row.function != Function.TEACHING or not subjects:
        subjects = [("", "none")]
    share = float(row.fte) / len(subjects)
    exit_year = None
    if row.planned_exit_date is not None:
        exit_year = max(school_year(row.planned_exit_date), base)
    common = {
        "board_id": board_id,
        "function": row.function,
        "birth_year": int(row.birth_year),
        "fte": share,
        "start_year_board": min(school_year(row.start_board), base),
        "start_year_education": min(school_year(row.start_education), base),
        "absence_pct": float(row.absence_pct) if row.absence_pct is not None else None,
        "planned_exit_year": exit_year,
    }
    return [StaffRecord(subject=subject, degree=degree, **common) for subject, degree in subjects]


def snapshot_records(snapshot: StaffSnapshot, *, base: int | None = None) -> list[StaffRecord]:
    """All engine records of a snapshot (base year: the snapshot's own unless given)."""
    base = base_year(snapshot) if base is None else base
    rows = snapshot.rows.only(
        "function",
        "subjects",
        "fte",
        "birth_year",
        "start_board",
        "start_education",
        "absence_pct",
        "planned_exit_date",
    ).order_by("line_number")
    return [record for row in rows for record in row_records(row, board_id=snapshot.board_id, base=base)]


@dataclass(frozen=True)
class SnapshotCounts:
    """Persons (not records) in the snapshots: the base-year figures the pages show and suppress."""

    persons: int
    by_function: dict[str, int]
    # (function, subject) -> persons teaching it; a person with two subjects counts in both
    by_group: dict[tuple[str, str], int]
    # age band index -> gender -> persons
    age_pyramid: dict[int, dict[str, int]]
    # per board: the same age pyramid (for the own-contribution rule of suppression)
    age_pyramid_by_board: dict[int, dict[int, dict[str, int]]]
    # (function, subject) -> board id -> persons
    by_group_board: dict[tuple[str, str], dict[int, int]]


def snapshot_counts(snapshots: Iterable[StaffSnapshot], *, base: int) -> SnapshotCounts:
    """Count persons of the snapshots by function, (function, subject), and age band x gender."""
    by_function: Counter[str] = Counter()
    by_group: Counter[tuple[str, str]] = Counter()
    by_group_board: dict[tuple[str, str], Counter[int]] = {}
    pyramid: dict[int, Counter[str]] = {index: Counter() for index in range(len(AGE_BANDS))}
    pyramid_by_board: dict[int, dict[int, Counter[str]]] = {}
    persons = 0
    for snapshot in snapshots:
        board_pyramid = pyramid_by_board.setdefault(
            snapshot.board_id, {index: Counter() for index in range(len(AGE_BANDS))}
        )
        for function, subjects, birth_year, gender in snapshot.rows.values_list(
            "function", "subjects", "birth_year", "gender"
        ):
            persons += 1
            by_function[function] += 1
            codes = {
                str(entry.get("subject", "")).strip()
                for entry in (subjects or [])
                if isinstance(entry, dict) and str(entry.get("subject", "")).strip()
            }
            if function != Function.TEACHING or not codes:
                codes = {""}
            for code in codes:
                by_group[(function, code)] += 1
                by_group_board.setdefault((function, code), Counter())[snapshot.board_id] += 1
            band = age_band_index(base - int(birth_year))
            pyramid[band][gender] += 1
            board_pyramid[band][gender] += 1
    return SnapshotCounts(
        persons=persons,
        by_function=dict(by_function),
        by_group=dict(by_group),
        age_pyramid={band: dict(counts) for band, counts in pyramid.items()},
        age_pyramid_by_board={
            board: {band: dict(counts) for band, counts in bands.items()} for board, bands in pyramid_by_board.items()
        },
        by_group_board={key: dict(counts) for key, counts in by_group_board.items()},
    )
