"""Exports of the working list: exactly the visible rows and columns, audited, safe to open."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from onderwijsregio.core.models import AuditEvent
from onderwijsregio.loket import services
from onderwijsregio.loket.models import SharedPart, Stage
from onderwijsregio.loket.tests.test_staff_views import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def xlsx_rows(response) -> list[list[str]]:
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [["" if value is None else str(value) for value in row] for row in sheet.iter_rows(values_only=True)]


def as_dicts(rows: list[list[str]]) -> list[dict[str, str]]:
    header, *data = rows
    return [dict(zip(header, row, strict=True)) for row in data]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_desk_export_has_the_filtered_rows_and_all_columns(client, world, file_format):
    advised = world.register(last_name="Geadviseerd")
    services.trajectory_move(trajectory=advised.trajectories.get(), to_stage=Stage.ADVISED, actor=world.team)
    world.register(last_name="Nieuw")
    client.force_login(world.team)
    response = client.get(reverse("loket:export"), {"format": file_format, "stage": Stage.ADVISED})
    rows = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
    assert rows[0] == [
        "Naam",
        "E-mailadres",
        "Doelgroep",
        "Fase",
        "Vak(ken)",
        "Sector",
        "Subregio",
        "Ketenregisseur",
        "Opvolgen op",
        "Aangemeld",
    ]
    (row,) = as_dicts(rows)
    assert (row["Naam"], row["E-mailadres"], row["Fase"], row["Sector"]) == (
        advised.full_name,
        advised.email,
        "geadviseerd",
        "Voortgezet onderwijs",
    )
    event = AuditEvent.objects.get(action="candidate.exported")
    assert event.personal_data_read and event.actor == world.team
    assert event.details == {"format": file_format, "filters": {"stage": "advised"}, "rows": 1}
    assert event.organisation_id == world.region.pk


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_receiver_export_has_only_handed_candidates_and_shared_columns(client, world, file_format):
    with_contact = world.register(last_name="MetContact")
    without_contact = world.register(last_name="ZonderContact")
    world.register(last_name="NietOvergedragen")
    world.hand_over(with_contact, [SharedPart.CONTACT])
    world.hand_over(without_contact, [SharedPart.TIMELINE])
    client.force_login(world.hr)
    response = client.get(reverse("loket:export"), {"format": file_format})
    rows = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
    header = rows[0]
    # Contact was shared for one candidate: the column exists; background and wishes never were.
    assert "E-mailadres" in header and "Subregio" in header
    assert "Doelgroep" not in header and "Sector" not in header
    by_name = {row["Naam"]: row for row in as_dicts(rows)}
    assert set(by_name) == {with_contact.full_name, without_contact.full_name}
    assert by_name[with_contact.full_name]["E-mailadres"] == with_contact.email
    assert by_name[without_contact.full_name]["E-mailadres"] == ""
    assert AuditEvent.objects.get(action="candidate.exported").details["rows"] == 2


def test_other_board_exports_nothing(client, world):
    world.hand_over(world.register(), [SharedPart.CONTACT])
    client.force_login(world.other_hr)
    rows = csv_rows(client.get(reverse("loket:export"), {"format": "csv"}))
    assert len(rows) == 1


def test_cells_are_never_formulas(client, world):
    world.register(first_name="=HYPERLINK", last_name="(evil)")
    client.force_login(world.team)
    (row,) = as_dicts(xlsx_rows(client.get(reverse("loket:export"), {"format": "xlsx"})))
    assert row["Naam"] == "'=HYPERLINK (evil)"
    (row,) = as_dicts(csv_rows(client.get(reverse("loket:export"), {"format": "csv"})))
    assert row["Naam"] == "'=HYPERLINK (evil)"


def test_unknown_format_is_refused_with_a_message(client, world):
    client.force_login(world.team)
    response = client.get(reverse("loket:export"), {"format": "pdf"}, follow=True)
    assert "Kies CSV of XLSX" in response.content.decode()
    assert not AuditEvent.objects.filter(action="candidate.exported").exists()


def test_export_streams_large_lists_in_chunks(client, world, monkeypatch):
    from onderwijsregio.loket import exports

    monkeypatch.setattr(exports, "EXPORT_CHUNK", 2)
    for _ in range(5):
        world.register()
    client.force_login(world.team)
    response = client.get(reverse("loket:export"), {"format": "csv"})
    assert response.streaming
    assert len(csv_rows(response)) == 6
