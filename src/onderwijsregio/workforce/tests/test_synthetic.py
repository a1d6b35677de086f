"""Synthetic demo snapshots: drawn from public figures, labelled synthetic, stored once."""

from __future__ import annotations

from collections import Counter
from datetime import date

import numpy as np
import pytest
from django.core.management import call_command

from onderwijsregio.organisations.models import Sector
from onderwijsregio.organisations.tests.factories import (
    BoardFactory,
    PupilCountFactory,
    RegionFactory,
    RegionMemberFactory,
    RegionSchoolLocationFactory,
    SchoolLocationFactory,
)
from onderwijsregio.workforce import synthetic
from onderwijsregio.workforce.models import Scenario, StaffRow, StaffSnapshot
from onderwijsregio.workforce.scenarios import scenario_levers

REF = date(2025, 10, 1)


def test_generated_staff_follow_the_public_figures():
    rows = synthetic.generate_rows(
        n=6000, reference_date=REF, rng=np.random.default_rng(7), locations=[(1, 900), (2, 300)], prefix="S-"
    )
    ages = np.array([REF.year - r["birth_year"] for r in rows])
    assert 42.0 <= ages.mean() <= 44.5
    bands = Counter(min(age // 10, 6) for age in ages)  # 2 = 20-29 ... 5 = 50-59
    decade_55 = sum(1 for age in ages if 55 <= age <= 64)
    other_decades = [sum(1 for age in ages if lo <= age <= lo + 9) for lo in (15, 25, 35, 45)]
    assert decade_55 > max(other_decades), bands
    fte = np.array([float(r["fte"]) for r in rows])
    assert 0.72 <= fte.mean() <= 0.79
    assert (fte < 1.0).mean() > 0.6  # many part-timers
    absence = np.array([float(r["absence_pct"]) for r in rows])
    assert absence.mean() == pytest.approx(6.0, abs=0.05)
    functions = Counter(r["function"] for r in rows)
    assert 0.64 <= functions["teaching"] / len(rows) <= 0.72
    teachers = [r for r in rows if r["function"] == "teaching"]
    assert all(r["subjects"] for r in teachers)
    assert all(not r["subjects"] for r in rows if r["function"] != "teaching")
    for r in rows:
        assert r["start_education"] <= r["start_board"] <= REF
        assert r["planned_exit_date"] is None or r["planned_exit_date"] >= REF
    assert len({r["pseudonym"] for r in rows}) == len(rows)
    assert {r["school_location_id"] for r in rows} <= {1, 2, None}


def test_same_seed_same_people():
    def draw():
        return synthetic.generate_rows(
            n=50, reference_date=REF, rng=np.random.default_rng([2026, 1]), locations=[(1, 1)], prefix="S-"
        )

    assert draw() == draw()


@pytest.fixture
def demo_region():
    region = RegionFactory()
    boards = []
    for pupils in (2800, 700):
        board = BoardFactory()
        RegionMemberFactory(region=region, member=board)
        location = SchoolLocationFactory(board=board, sector=Sector.VO)
        RegionSchoolLocationFactory(region=region, school_location=location)
        PupilCountFactory(school_location=location, year=2025, count=pupils)
        boards.append(board)
    # A PO board in the region gets no snapshot.
    po = SchoolLocationFactory(sector=Sector.PO)
    RegionMemberFactory(region=region, member=po.board)
    RegionSchoolLocationFactory(region=region, school_location=po)
    PupilCountFactory(school_location=po, year=2025, count=300)
    return region, boards


@pytest.mark.django_db
def test_build_is_labelled_sized_and_idempotent(demo_region):
    region, (large, small) = demo_region
    made = synthetic.demo_workforce_build(region=region)
    assert made["snapshots"] == 2 and made["scenarios"] == 2 and made["reference_date"] == REF
    snapshots = {s.board_id: s for s in StaffSnapshot.objects.all()}
    assert set(snapshots) == {large.pk, small.pk}
    assert snapshots[large.pk].row_count == 200 and snapshots[small.pk].row_count == 50  # pupils / 14
    for snapshot in snapshots.values():
        assert snapshot.is_synthetic and snapshot.uploaded_by is None
        assert snapshot.note == "Synthetisch: gegenereerd uit publieke kengetallen"
        assert snapshot.rows.count() == snapshot.row_count
    # Stored rows pass the model's own validation.
    for staff_row in StaffRow.objects.all()[:100]:
        staff_row.full_clean()
    again = synthetic.demo_workforce_build(region=region)
    assert (again["snapshots"], again["scenarios"]) == (0, 0)
    assert StaffSnapshot.objects.count() == 2
    scenarios = Scenario.objects.filter(owner=region)
    assert scenarios.count() == 2
    assert scenario_levers(scenarios.get(name="Meer uren voor deeltijders")).more_hours_share == 0.33


@pytest.mark.django_db
def test_command_needs_the_demo_region(monkeypatch, demo_region):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("load_demo_workforce")
    region, _ = demo_region
    monkeypatch.setattr(synthetic, "demo_region", lambda: region)
    from onderwijsregio.workforce.management.commands import load_demo_workforce

    monkeypatch.setattr(load_demo_workforce, "demo_region", lambda: region)
    call_command("load_demo_workforce", "--peildatum", "2025-09-01")
    assert StaffSnapshot.objects.filter(reference_date=date(2025, 9, 1), is_synthetic=True).count() == 2
