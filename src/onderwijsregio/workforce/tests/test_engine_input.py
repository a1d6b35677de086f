"""Snapshot rows as engine records: the split per subject, degrees, years and the base year."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from onderwijsregio.workforce.engine_input import (
    age_band_index,
    base_year,
    row_records,
    school_year,
    snapshot_counts,
    snapshot_records,
)
from onderwijsregio.workforce.models import StaffRow
from onderwijsregio.workforce.tests.factories import StaffRowFactory, StaffSnapshotFactory

pytestmark = pytest.mark.django_db


def make_row(**fields) -> StaffRow:
    defaults = {
        "function": "teaching",
        "subjects": [{"subject": "wiskunde", "degree": "first"}],
        "birth_year": 1970,
        "fte": Decimal("0.900"),
        "start_education": date(1995, 8, 1),
        "start_board": date(2020, 3, 1),
        "absence_pct": None,
        "planned_exit_date": None,
    }
    return StaffRow(**{**defaults, **fields})


def test_a_teacher_of_two_subjects_becomes_two_records_with_half_the_fte_each():
    row = make_row(
        subjects=[{"subject": "wiskunde", "degree": "first"}, {"subject": "natuurkunde", "degree": "second"}],
        absence_pct=Decimal("4.50"),
    )
    records = row_records(row, board_id=7, base=2026)
    assert [(r.subject, r.degree, r.fte) for r in records] == [
        ("wiskunde", "first", pytest.approx(0.45)),
        ("natuurkunde", "second", pytest.approx(0.45)),
    ]
    assert sum(r.fte for r in records) == pytest.approx(0.9)  # the board's total fte stays exact
    assert {(r.board_id, r.birth_year, r.absence_pct, r.start_year_board, r.start_year_education) for r in records} == {
        (7, 1970, 4.5, 2019, 1995)
    }


def test_non_teaching_staff_and_unknown_degrees():
    support = row_records(make_row(function="support", subjects=[]), board_id=1, base=2026)
    assert [(r.function, r.subject, r.degree) for r in support] == [("support", "", "none")]
    # a management row that lists a subject is still counted as management without a subject
    manager = row_records(make_row(function="management"), board_id=1, base=2026)
    assert [(r.subject, r.degree) for r in manager] == [("", "none")]
    odd = row_records(make_row(subjects=[{"subject": "duits", "degree": "bogus"}]), board_id=1, base=2026)
    assert odd[0].degree == "none"
    no_subject = row_records(make_row(subjects=[]), board_id=1, base=2026)
    assert [(r.function, r.subject) for r in no_subject] == [("teaching", "")]


def test_school_years_base_year_and_planned_exit():
    assert school_year(date(2026, 10, 1)) == 2026
    assert school_year(date(2026, 8, 1)) == 2026
    assert school_year(date(2026, 7, 31)) == 2025
    assert base_year(StaffSnapshotFactory.build(reference_date=date(2026, 3, 1))) == 2025
    # leaving in July 2028 is the end of school year 2027
    assert (
        row_records(make_row(planned_exit_date=date(2028, 7, 31)), board_id=1, base=2026)[0].planned_exit_year == 2027
    )
    # an exit date already past is leaving at the end of the base year
    assert row_records(make_row(planned_exit_date=date(2024, 1, 1)), board_id=1, base=2026)[0].planned_exit_year == 2026


def test_snapshot_records_and_person_counts():
    snapshot = StaffSnapshotFactory()
    StaffRowFactory(snapshot=snapshot, birth_year=1960, gender="m")
    StaffRowFactory(
        snapshot=snapshot,
        birth_year=1990,
        subjects=[{"subject": "wiskunde", "degree": "first"}, {"subject": "engels", "degree": "second"}],
    )
    StaffRowFactory(snapshot=snapshot, function="support", subjects=[], birth_year=2004, gender="x")
    records = snapshot_records(snapshot)
    assert len(records) == 4 and {r.board_id for r in records} == {snapshot.board_id}
    counts = snapshot_counts([snapshot], base=2026)
    assert counts.persons == 3
    assert counts.by_function == {"teaching": 2, "support": 1}
    assert counts.by_group == {("teaching", "wiskunde"): 2, ("teaching", "engels"): 1, ("support", ""): 1}
    assert counts.age_pyramid[age_band_index(66)] == {"m": 1}
    assert counts.age_pyramid[age_band_index(22)] == {"x": 1}
    assert sum(sum(band.values()) for band in counts.age_pyramid.values()) == 3
