"""Who may change which reference data through the DUO import (issue 10).

A regional team may start an import, but DUO's files describe every school in the country: a team
must not be able to rename, move or create school locations and boards outside its own region. Such
rows are left as they are and reported with their line; the platform administrator (and the command
line) may change everything.
"""

from __future__ import annotations

import pytest

from onderwijsregio.accounts.models import Role
from onderwijsregio.accounts.tests.factories import MembershipFactory, UserFactory
from onderwijsregio.organisations.models import Organisation, PupilCount, SchoolLocation
from onderwijsregio.organisations.services import duo_import
from onderwijsregio.organisations.tests.factories import (
    BoardFactory,
    PupilCountFactory,
    RegionFactory,
    RegionMemberFactory,
    RegionSchoolLocationFactory,
    SchoolLocationFactory,
)
from onderwijsregio.organisations.tests.test_import_duo import (
    VO_ADDRESS_HEADER,
    VO_PUPILS_HEADER,
    municipalities,  # noqa: F401 - fixture
    vo_address,
    vo_pupils,
    write,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(municipalities):  # noqa: F811
    amersfoort = municipalities[0]
    own_region, other_region = RegionFactory(), RegionFactory()
    own_board, other_board = BoardFactory(duo_number="41787"), BoardFactory(duo_number="41700")
    RegionMemberFactory(region=own_region, member=own_board)
    RegionMemberFactory(region=other_region, member=other_board)
    own = SchoolLocationFactory(
        vestiging_code="99ZZ00", name="Eemlandcollege", board=own_board, municipality=amersfoort
    )
    other = SchoolLocationFactory(
        vestiging_code="88YY00", name="Het Andere College", board=other_board, municipality=amersfoort
    )
    RegionSchoolLocationFactory(region=own_region, school_location=own)
    RegionSchoolLocationFactory(region=other_region, school_location=other)
    PupilCountFactory(school_location=other, year=2025, count=500)
    team = UserFactory()
    MembershipFactory(user=team, organisation=own_region, role=Role.REGIONAL_TEAM)
    return {"own": own, "other": other, "team": team, "own_board": own_board, "other_board": other_board}


def test_regional_team_cannot_rename_or_move_another_regions_school(tmp_path, world):
    # The file of the report: one row renaming another region's school and moving it to a new board.
    path = write(
        tmp_path / "vo_adressen.csv",
        [VO_ADDRESS_HEADER, vo_address(code="88YY00", board="12345", name="Overgenomen")],
    )
    report = duo_import(paths=[path], actor=world["team"])

    other = SchoolLocation.objects.get(vestiging_code="88YY00")
    assert (other.name, other.board_id) == ("Het Andere College", world["other_board"].pk)
    assert not Organisation.objects.filter(duo_number="12345").exists()
    assert [(notice.file, notice.line) for notice in report.notices] == [("vo_adressen.csv", 2)]
    assert "buiten uw regio" in report.notices[0].reason
    assert report.files[0]["outside_region"] == 1


def test_regional_team_cannot_change_pupil_counts_of_another_region(tmp_path, world):
    path = write(tmp_path / "leerlingen_vo_2025.csv", [VO_PUPILS_HEADER, vo_pupils(code="88YY00", board="41700")])
    report = duo_import(paths=[path], actor=world["team"])

    assert PupilCount.objects.get(school_location=world["other"], year=2025).count == 500
    assert [notice.line for notice in report.notices] == [2]


def test_regional_team_cannot_create_locations_or_boards(tmp_path, world):
    path = write(tmp_path / "vo_adressen.csv", [VO_ADDRESS_HEADER, vo_address(code="77XX00", board="54321")])
    report = duo_import(paths=[path], actor=world["team"])

    assert not SchoolLocation.objects.filter(vestiging_code="77XX00").exists()
    assert not Organisation.objects.filter(duo_number="54321").exists()
    assert len(report.notices) == 1


def test_regional_team_cannot_move_its_school_to_a_board_outside_its_region(tmp_path, world):
    path = write(tmp_path / "vo_adressen.csv", [VO_ADDRESS_HEADER, vo_address(code="99ZZ00", board="41700")])
    report = duo_import(paths=[path], actor=world["team"])

    assert SchoolLocation.objects.get(vestiging_code="99ZZ00").board_id == world["own_board"].pk
    assert len(report.notices) == 1


def test_regional_team_updates_its_own_region_and_unchanged_rows_elsewhere_are_not_reported(tmp_path, world):
    other = world["other"]
    unchanged_other = vo_address(code="88YY00", board="41700", name=other.name, structure=other.onderwijsstructuur)
    path = write(
        tmp_path / "vo_adressen.csv",
        [VO_ADDRESS_HEADER, vo_address(code="99ZZ00", name="Eemlandcollege Noord"), unchanged_other],
    )
    # The other region's school in DUO's form, so that the second row changes nothing of it.
    SchoolLocation.objects.filter(pk=other.pk).update(
        street="Leusderweg",
        house_number="12",
        postcode="3811 AB",
        place="AMERSFOORT",
        denomination="Bijzonder",
        website="www.voorbeeld.nl",
        phone="",
        school_type="",
        source="DUO adressen vo",
    )
    report = duo_import(paths=[path], actor=world["team"])

    assert SchoolLocation.objects.get(vestiging_code="99ZZ00").name == "Eemlandcollege Noord"
    assert report.notices == []
    assert report.counts["school_locations"] == {"created": 0, "updated": 1, "unchanged": 1}


@pytest.mark.parametrize("who", ["platform_admin", "command_line"])
def test_platform_admin_and_command_line_change_every_region(tmp_path, world, who):
    actor = UserFactory(is_superuser=True, is_staff=True) if who == "platform_admin" else None
    path = write(
        tmp_path / "vo_adressen.csv",
        [VO_ADDRESS_HEADER, vo_address(code="88YY00", board="12345", name="Hernoemd door DUO")],
    )
    report = duo_import(paths=[path], actor=actor)

    other = SchoolLocation.objects.get(vestiging_code="88YY00")
    assert other.name == "Hernoemd door DUO"
    assert other.board.duo_number == "12345"
    assert report.notices == []


def test_job_keeps_the_scope_of_the_team_that_started_it(
    tmp_path, world, django_capture_on_commit_callbacks, monkeypatch
):
    from django.core.management import call_command

    from onderwijsregio.core.models import Job
    from onderwijsregio.organisations.services import duo_import_start

    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    path = write(tmp_path / "vo_adressen.csv", [VO_ADDRESS_HEADER, vo_address(code="88YY00", name="Overgenomen")])
    with django_capture_on_commit_callbacks(execute=True):
        job = duo_import_start(paths=[path], actor=world["team"])
    # Gone by the time the worker runs: the import must not fall back to "no actor, no limits".
    world["team"].delete()
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert SchoolLocation.objects.get(vestiging_code="88YY00").name == "Het Andere College"
    assert [notice["line"] for notice in job.result["notices"]] == [2]


def test_job_page_lists_the_rows_left_alone(tmp_path, world, client):
    from onderwijsregio.core.models import Job
    from onderwijsregio.organisations.services import duo_import_run_job

    path = write(tmp_path / "vo_adressen.csv", [VO_ADDRESS_HEADER, vo_address(code="88YY00", name="Overgenomen")])
    job = Job.objects.create(kind="duo_import", label="DUO-import", created_by=world["team"])
    duo_import_run_job(job_id=job.pk, paths=[path], actor=world["team"])
    client.force_login(world["team"])

    page = client.get(f"/taken/{job.pk}").content.decode()
    assert "88YY00 valt buiten uw regio" in page
