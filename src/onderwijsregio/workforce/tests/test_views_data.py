"""The data pages: each board sees only its own snapshots; the region never sees rows; forms keep input."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from onderwijsregio.core.models import AuditEvent
from onderwijsregio.workforce import services
from onderwijsregio.workforce.models import AssumptionSet, PupilForecast, Scenario, StaffSnapshot
from onderwijsregio.workforce.tests.factories import ScenarioFactory, StaffRowFactory, StaffSnapshotFactory

from .data_helpers import World, csv_bytes, row, subjects_create, xlsx_bytes

pytestmark = pytest.mark.django_db
REF = date(2026, 10, 1)


@pytest.fixture
def world():
    subjects_create()
    return World()


def login(client, user):
    client.force_login(user)
    return client


def upload(client, board, data: bytes, name="personeel.csv", ref="2026-10-01"):
    return client.post(
        reverse("workforce:board", args=[board.pk]),
        {"reference_date": ref, "file": SimpleUploadedFile(name, data), "note": "eerste poging"},
    )


def test_home_lists_own_boards_and_regions(client, world):
    response = login(client, world.hr_a).get(reverse("workforce:home"))
    assert response.status_code == 200
    text = response.content.decode()
    assert world.board_a.name in text and world.board_b.name not in text
    assert world.region.name in text
    assert login(client, world.outsider).get(reverse("workforce:home")).status_code == 403


def test_upload_success_redirects_to_the_new_version(client, world):
    response = upload(login(client, world.hr_a), world.board_a, csv_bytes([row(1), row(2)]))
    snapshot = StaffSnapshot.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workforce:snapshot_detail", args=[world.board_a.pk, snapshot.pk])
    assert snapshot.row_count == 2 and snapshot.note == "eerste poging"


@pytest.mark.parametrize("as_xlsx", [False, True])
def test_broken_upload_shows_every_problem_keeps_the_date_and_stores_nothing(client, world, as_xlsx):
    rows = [row(1), row(2, geboortejaar="oud"), row(3), row(4, fte="9", contract="soms")]
    data = xlsx_bytes(rows) if as_xlsx else csv_bytes(rows)
    response = upload(login(client, world.hr_a), world.board_a, data, "p.xlsx" if as_xlsx else "p.csv", "2025-10-01")
    assert response.status_code == 200
    table = response.context["problems"]
    assert {(p.line, p.column) for p in table} == {(3, "geboortejaar"), (5, "fte"), (5, "contract")}
    html = response.content.decode()
    assert "Problemen per regel en kolom" in html and 'value="2025-10-01"' in html
    assert 'value="eerste poging"' in html
    assert not StaffSnapshot.objects.exists()


def test_form_errors_keep_input(client, world):
    response = login(client, world.hr_a).post(
        reverse("workforce:board", args=[world.board_a.pk]), {"reference_date": "2026-10-01", "note": "x"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["Kies een bestand."]
    assert 'value="2026-10-01"' in response.content.decode()


def test_board_a_hr_cannot_see_or_upload_for_board_b(client, world):
    snapshot_b = StaffSnapshotFactory(board=world.board_b)
    StaffRowFactory(snapshot=snapshot_b)
    login(client, world.hr_a)
    assert client.get(reverse("workforce:board", args=[world.board_b.pk])).status_code == 403
    assert upload(client, world.board_b, csv_bytes([row(1)])).status_code == 403
    for name in ("snapshot_detail", "snapshot_rows", "snapshot_delete"):
        assert client.get(reverse(f"workforce:{name}", args=[world.board_b.pk, snapshot_b.pk])).status_code == 403
        # Board B's snapshot through board A's address does not exist.
        assert client.get(reverse(f"workforce:{name}", args=[world.board_a.pk, snapshot_b.pk])).status_code == 404
    assert client.get(reverse("workforce:board_pupils", args=[world.board_b.pk])).status_code == 403
    assert StaffSnapshot.objects.filter(board=world.board_b).count() == 1


def test_regional_team_cannot_see_board_detail_or_rows(client, world):
    snapshot = StaffSnapshotFactory(board=world.board_a)
    StaffRowFactory(snapshot=snapshot)
    login(client, world.team)
    assert client.get(reverse("workforce:board", args=[world.board_a.pk])).status_code == 403
    assert client.get(reverse("workforce:snapshot_detail", args=[world.board_a.pk, snapshot.pk])).status_code == 403
    assert client.get(reverse("workforce:snapshot_rows", args=[world.board_a.pk, snapshot.pk])).status_code == 403
    assert not AuditEvent.objects.filter(personal_data_read=True).exists()


def test_snapshot_detail_summary_with_synthetic_label(client, world):
    snapshot = StaffSnapshotFactory(board=world.board_a, is_synthetic=True, note="Synthetisch")
    StaffRowFactory.create_batch(3, snapshot=snapshot, birth_year=1965)
    StaffRowFactory(snapshot=snapshot, birth_year=1995, gender="m", function="support", subjects=[])
    response = login(client, world.hr_a).get(reverse("workforce:snapshot_detail", args=[world.board_a.pk, snapshot.pk]))
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary.heads == 4
    pyramid = {band["label"]: band for band in summary.pyramid}
    assert pyramid["60-64"]["v"] == 3 and pyramid["30-34"]["m"] == 1
    html = response.content.decode()
    assert "Synthetische gegevens" in html and "<svg" in html and "Leeftijdspiramide" in html
    board_page = client.get(reverse("workforce:board", args=[world.board_a.pk])).content.decode()
    assert "Synthetische gegevens" in board_page


def test_rows_page_is_paginated_and_audit_logged(client, world):
    snapshot = StaffSnapshotFactory(board=world.board_a)
    StaffRowFactory.create_batch(60, snapshot=snapshot)
    response = login(client, world.hr_a).get(
        reverse("workforce:snapshot_rows", args=[world.board_a.pk, snapshot.pk]) + "?page=2"
    )
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 10
    event = AuditEvent.objects.get(action="workforce.snapshot_rows_read")
    assert event.personal_data_read and event.organisation_id == world.board_a.pk
    assert event.details == {"page": 2, "rows": 10}


def test_snapshot_delete_by_own_hr(client, world):
    snapshot = services.snapshot_upload(
        board=world.board_a, reference_date=REF, file=csv_bytes([row(1)]), actor=world.hr_a
    )
    response = login(client, world.hr_a).post(
        reverse("workforce:snapshot_delete", args=[world.board_a.pk, snapshot.pk])
    )
    assert response.status_code == 302 and not StaffSnapshot.objects.exists()


def test_template_downloads(client, world):
    login(client, world.hr_a)
    csv_response = client.get(reverse("workforce:template", args=["csv"]))
    assert csv_response.status_code == 200 and b"pseudoniem;geboortejaar" in csv_response.content
    xlsx_response = client.get(reverse("workforce:template", args=["xlsx"]) + f"?bestuur={world.board_a.pk}")
    assert xlsx_response.content[:2] == b"PK"
    from io import BytesIO

    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(xlsx_response.content))
    assert workbook.sheetnames[:2] == ["Personeel", "Toelichting"]
    assert workbook["Vestigingen"]["A2"].value == world.location_a.vestiging_code
    # Another board's locations are not listed for someone who is not its HR.
    other = load_workbook(
        BytesIO(client.get(reverse("workforce:template", args=["xlsx"]) + f"?bestuur={world.board_b.pk}").content)
    )
    assert "Vestigingen" not in other.sheetnames


def test_pupil_forecast_form_saves_and_keeps_input_on_error(client, world):
    login(client, world.hr_a)
    url = reverse("workforce:board_pupils", args=[world.board_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"location": world.location_a.pk, "year": "2028", "pupils": "veel"})
    assert response.status_code == 200
    assert 'value="2028"' in response.content.decode()
    assert response.context["form"].errors["pupils"] == ["Vul een heel getal in."]
    response = client.post(url, {"location": world.location_a.pk, "year": "2028", "pupils": "650"})
    assert response.status_code == 302
    assert PupilForecast.objects.get().pupils == 650
    # Board B's location cannot be chosen by board A.
    response = client.post(url, {"location": world.location_b.pk, "year": "2028", "pupils": "5"})
    assert "location" in response.context["form"].errors
    page = client.get(url)
    assert "650*" in page.content.decode()
    # Without DUO counts the history is unknown ("—"), not zero.
    assert all(item["duo"] is None for item in page.context["totals"])


def test_region_pupils_for_team_and_member_hr_only(client, world):
    url = reverse("workforce:region_pupils", args=[world.region.slug])
    assert login(client, world.team).get(url).status_code == 200
    assert login(client, world.hr_a).get(url).status_code == 200
    assert login(client, world.other_team).get(url).status_code == 403


def test_assumptions_page_edit_by_team_with_bounds_and_conflict(client, world):
    url = reverse("workforce:assumptions", args=[world.region.slug])
    hr_page = login(client, world.hr_a).get(url)
    assert hr_page.status_code == 200 and hr_page.context["form"] is None
    assert "Rijksoverheid" in hr_page.content.decode()
    assert client.post(url, {"version": 0}).status_code == 403

    login(client, world.team)
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: (str(v).replace(".", ",") if v is not None else "") for k, v in data.items()}
    data["absence_pct"] = "45"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "absence_pct" in response.context["form"].errors
    assert 'value="45"' in response.content.decode()
    data["absence_pct"] = "5,5"
    assert client.post(url, data).status_code == 302
    assert AssumptionSet.objects.get().values["absence_pct"] == 5.5
    # The same (now stale) version again: a conflict message, the typed value kept, nothing overwritten.
    data["absence_pct"] = "7"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Iemand anders heeft de aannames intussen gewijzigd" in response.content.decode()
    assert AssumptionSet.objects.get().values["absence_pct"] == 5.5


def test_scenarios_per_owner(client, world):
    login(client, world.hr_a)
    create_url = reverse("workforce:scenario_create", args=[world.board_a.pk])
    response = client.post(create_url, {"name": "", "lever_more_hours_share": "30"})
    assert response.status_code == 200 and 'value="30"' in response.content.decode()
    response = client.post(
        create_url, {"name": "Meer uren", "lever_more_hours_share": "30", "lever_more_hours_fte": "0,1"}
    )
    assert response.status_code == 302
    scenario = Scenario.objects.get()
    assert scenario.levers["more_hours_share"] == pytest.approx(0.3)
    assert scenario.levers["more_hours_fte"] == pytest.approx(0.1)
    edit = client.get(reverse("workforce:scenario_edit", args=[scenario.pk]))
    assert edit.context["form"]["lever_more_hours_share"].value() == pytest.approx(30)
    # HR of board B sees neither the list nor the scenario; the team of the region neither.
    for user in (world.hr_b, world.team):
        login(client, user)
        assert client.get(reverse("workforce:scenario_list", args=[world.board_a.pk])).status_code == 403
        assert client.get(reverse("workforce:scenario_edit", args=[scenario.pk])).status_code == 403
    region_scenario = ScenarioFactory(owner=world.region)
    login(client, world.hr_a)
    assert client.get(reverse("workforce:scenario_list", args=[world.region.pk])).status_code == 200
    assert client.get(reverse("workforce:scenario_edit", args=[region_scenario.pk])).status_code == 403
    login(client, world.team)
    assert client.post(reverse("workforce:scenario_delete", args=[region_scenario.pk])).status_code == 302
    assert not Scenario.objects.filter(pk=region_scenario.pk).exists()
