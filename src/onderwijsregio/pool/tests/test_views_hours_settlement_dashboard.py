"""Pages for hours, settlements and the monitoring dashboard: who may see and do what, and forms that keep input."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from onderwijsregio.core.documents import docx_text, pdf_text
from onderwijsregio.core.models import AuditEvent
from onderwijsregio.pool.models import HoursEntry, SettlementRun
from onderwijsregio.pool.tests.factories import AssignmentFactory, HoursEntryFactory, ReplacementRequestFactory
from onderwijsregio.pool.tests.test_hours import build_hours_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    w = build_hours_world()
    # Board B's own request, worked by board A's member: none of board A's business on the school side.
    w.assignment_b = AssignmentFactory(
        request=ReplacementRequestFactory(
            pool=w.pool,
            school_location=w.school_b,
            subject=w.ne,
            start_date=w.start,
            end_date=w.start + timedelta(days=11),
        ),
        member=w.m_a,
    )
    return w


def hours_url(w, assignment=None):
    assignment = assignment or w.assignment
    return reverse("pool:hours_assignment", kwargs={"slug": w.pool.slug, "assignment_pk": assignment.pk})


def test_school_leader_enters_and_the_member_confirms_through_the_pages(client, w):
    client.force_login(w.leader_a)
    page = client.get(hours_url(w))
    assert page.status_code == 200
    assert "Anna Eerste" in page.content.decode()
    response = client.post(hours_url(w), {"week": w.start.isoformat(), "hours": "7,5", "note": "Prima"})
    assert response.status_code == 302
    entry = HoursEntry.objects.get()
    assert (entry.hours, entry.entered_side, entry.status) == (Decimal("7.50"), "school", "entered")

    client.force_login(w.member_user)
    waiting = client.get(reverse("pool:hours_list", kwargs={"slug": w.pool.slug}))
    assert waiting.status_code == 200 and "Bevestig week" in waiting.content.decode()
    response = client.post(
        reverse("pool:hours_confirm", kwargs={"slug": w.pool.slug, "entry_pk": entry.pk}),
        {"version": entry.version, "next": "list"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("pool:hours_list", kwargs={"slug": w.pool.slug})
    entry.refresh_from_db()
    assert entry.status == "confirmed" and entry.confirmed_by == w.member_user


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [("abc", "als een getal"), ("20", "anderhalf"), ("", "verplicht")],
)
def test_the_hours_form_keeps_what_was_typed_on_error(client, w, typed, fragment):
    client.force_login(w.hr_a)
    response = client.post(hours_url(w), {"week": w.start.isoformat(), "hours": typed, "note": "mijn notitie"})
    assert response.status_code == 200
    content = response.content.decode()
    assert fragment in content
    assert f'value="{typed}"' in content if typed else 'name="hours"' in content
    assert "mijn notitie" in content
    assert f'value="{w.start.isoformat()}" selected' in content
    assert not HoursEntry.objects.exists()


def test_a_week_outside_the_assignment_is_an_error_on_the_week_field(client, w):
    client.force_login(w.hr_a)
    response = client.post(hours_url(w), {"week": "2001-01-01", "hours": "8"})
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()


def test_board_a_cannot_see_or_confirm_board_bs_hours(client, w):
    entry = HoursEntryFactory(assignment=w.assignment_b, entered_side="member")
    client.force_login(w.hr_a)
    assert client.get(hours_url(w, w.assignment_b)).status_code == 404
    response = client.post(
        reverse("pool:hours_confirm", kwargs={"slug": w.pool.slug, "entry_pk": entry.pk}), {"version": entry.version}
    )
    assert response.status_code == 404
    assert (
        client.get(reverse("pool:hours_dispute", kwargs={"slug": w.pool.slug, "entry_pk": entry.pk})).status_code == 404
    )
    entry.refresh_from_db()
    assert entry.status == "entered"
    listing = client.get(reverse("pool:hours_list", kwargs={"slug": w.pool.slug})).content.decode()
    assert "Leverancier College" not in listing
    # HR of the supplying board is no side of the assignment: it cannot enter hours for it either.
    client.force_login(w.hr_b)
    assert client.get(hours_url(w)).status_code == 404
    # A board outside the pool does not even see the pool's hours pages.
    client.force_login(w.hr_c)
    assert client.get(reverse("pool:hours_list", kwargs={"slug": w.pool.slug})).status_code == 404


def test_the_entering_side_cannot_confirm_its_own_hours(client, w):
    entry = HoursEntryFactory(assignment=w.assignment, entered_side="school")
    client.force_login(w.hr_a)
    page = client.get(hours_url(w)).content.decode()
    assert "Bevestig week" not in page
    client.post(reverse("pool:hours_confirm", kwargs={"slug": w.pool.slug, "entry_pk": entry.pk}), {"version": 1})
    entry.refresh_from_db()
    assert entry.status == "entered"


def test_disputing_needs_a_reason_and_keeps_the_form(client, w):
    entry = HoursEntryFactory(assignment=w.assignment, entered_side="school")
    client.force_login(w.member_user)
    url = reverse("pool:hours_dispute", kwargs={"slug": w.pool.slug, "entry_pk": entry.pk})
    response = client.post(url, {"note": "", "version": entry.version})
    assert response.status_code == 200 and "Schrijf kort op wat er niet klopt" in response.content.decode()
    response = client.post(url, {"note": "Geen les op woensdag", "version": entry.version})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "disputed" and entry.note == "Geen les op woensdag"


def test_hours_export_lists_names_and_is_logged_as_a_personal_data_read(client, w):
    HoursEntryFactory(assignment=w.assignment, status="confirmed", hours=Decimal("7.25"), note="=SOM(A1)")
    # Board B's school, board B's member: nothing board A may see.
    b_only = AssignmentFactory(
        request=ReplacementRequestFactory(pool=w.pool, school_location=w.school_b, start_date=w.start), member=w.m_idle
    )
    HoursEntryFactory(assignment=b_only, status="confirmed")
    client.force_login(w.hr_a)
    response = client.get(reverse("pool:hours_export", kwargs={"slug": w.pool.slug, "file_format": "csv"}))
    content = b"".join(response.streaming_content).decode()
    assert content.startswith("\ufeff")
    assert "Anna Eerste" in content and "7,25" in content and "'=SOM(A1)" in content
    assert "Ivo Nooitingezet" not in content
    event = AuditEvent.objects.get(action="pool.hours_exported")
    assert event.personal_data_read and event.details["rows"] == 1
    response = client.get(reverse("pool:hours_export", kwargs={"slug": w.pool.slug, "file_format": "xlsx"}))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[1][5] == "Anna Eerste" and rows[1][7] == 7.25


# --- Settlements --------------------------------------------------------------------------------


def settlement_url(w, name, **kwargs):
    return reverse(f"pool:{name}", kwargs={"slug": w.pool.slug, **kwargs})


def test_settlement_form_keeps_input_on_error_and_creates_a_run(client, w):
    HoursEntryFactory(assignment=w.assignment, status="confirmed", hours=Decimal("8.00"))
    client.force_login(w.coordinator)
    assert client.get(settlement_url(w, "settlement_create")).status_code == 200
    start, end = w.start.isoformat(), (w.start - timedelta(days=1)).isoformat()
    response = client.post(settlement_url(w, "settlement_create"), {"period_start": start, "period_end": end})
    content = response.content.decode()
    assert response.status_code == 200 and "vóór de eerste dag" in content
    assert f'value="{start}"' in content and f'value="{end}"' in content
    response = client.post(settlement_url(w, "settlement_create"), {"period_start": start, "period_end": "31-02-2026"})
    assert "Vul een datum in" in response.content.decode()
    assert not SettlementRun.objects.exists()
    response = client.post(
        settlement_url(w, "settlement_create"),
        {"period_start": start, "period_end": (w.start + timedelta(days=27)).isoformat(), "only_confirmed_hours": "on"},
    )
    run = SettlementRun.objects.get()
    assert response["Location"] == settlement_url(w, "settlement_detail", run_pk=run.pk)
    detail = client.get(response["Location"]).content.decode()
    assert "Stichting Vraagt" in detail and "€ 464,00" in detail and "<svg" in detail


def test_settlements_are_for_the_coordinator_and_hr_of_participating_boards(client, w, settings):
    run = SettlementRun.objects.create(
        pool=w.pool,
        period_start=w.start,
        period_end=w.start + timedelta(days=6),
        payroll_rate=Decimal("58.00"),
        agency_rate=Decimal("113.00"),
        contribution_key="per_pupil",
        created_by=w.coordinator,
    )
    client.force_login(w.hr_a)
    assert client.get(settlement_url(w, "settlement_list")).status_code == 200
    assert client.get(settlement_url(w, "settlement_detail", run_pk=run.pk)).status_code == 200
    assert client.get(settlement_url(w, "settlement_create")).status_code == 404
    for outsider in (w.hr_c, w.leader_a, w.member_user):
        client.force_login(outsider)
        assert client.get(settlement_url(w, "settlement_list")).status_code == 404
        assert client.get(settlement_url(w, "settlement_detail", run_pk=run.pk)).status_code == 404
        assert client.get(settlement_url(w, "settlement_download", run_pk=run.pk, file_format="pdf")).status_code == 404


def test_settlement_downloads_open_and_are_logged(client, w):
    HoursEntryFactory(assignment=w.assignment, status="confirmed", hours=Decimal("8.00"))
    client.force_login(w.coordinator)
    client.post(
        settlement_url(w, "settlement_create"),
        {
            "period_start": w.start.isoformat(),
            "period_end": (w.start + timedelta(days=27)).isoformat(),
            "only_confirmed_hours": "on",
        },
    )
    run = SettlementRun.objects.get()
    client.force_login(w.hr_b)
    files = {
        file_format: client.get(settlement_url(w, "settlement_download", run_pk=run.pk, file_format=file_format))
        for file_format in ("csv", "xlsx", "docx", "pdf")
    }
    assert all(response.status_code == 200 for response in files.values())
    assert "Stichting Levert;0,00;8,00" in files["csv"].content.decode()
    assert "Stichting Levert | 0,00 | 8,00" in docx_text(files["docx"].content)
    assert "Stichting Levert" in pdf_text(files["pdf"].content)
    assert files["pdf"]["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action="pool.settlement_downloaded").count() == 4
    assert client.get(settlement_url(w, "settlement_download", run_pk=run.pk, file_format="exe")).status_code == 404


# --- Dashboard ----------------------------------------------------------------------------------


def dashboard_url(w):
    return reverse("pool:dashboard", kwargs={"slug": w.pool.slug})


def test_dashboard_panels_with_charts_and_tables_for_the_coordinator(client, w):
    client.force_login(w.coordinator)
    query = {"van": (w.start - timedelta(days=7)).isoformat(), "tot": (w.start + timedelta(days=60)).isoformat()}
    response = client.get(dashboard_url(w), query)
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<svg") >= 8 and content.count("<caption") >= content.count("<svg")
    for title in ("Vraag naar vervanging", "Eerlijkheid per bestuur", "Vergelijking van subregio"):
        assert title in content
    assert "Ivo Nooitingezet" in content  # never worked, named for the coordinator
    assert AuditEvent.objects.filter(action="pool.dashboard_viewed", personal_data_read=True).exists()


def test_dashboard_shows_hr_no_names_of_other_boards_members(client, w):
    client.force_login(w.hr_a)
    content = client.get(dashboard_url(w)).content.decode()
    assert "1 poollid van een andere werkgever nog nooit ingezet" in content
    assert "Ivo Nooitingezet" not in content and "Anna Eerste" not in content
    for outsider in (w.hr_c, w.leader_a, w.member_user):
        client.force_login(outsider)
        assert client.get(dashboard_url(w)).status_code == 404


def test_dashboard_period_errors_keep_the_input(client, w):
    client.force_login(w.coordinator)
    response = client.get(dashboard_url(w), {"van": "2026-09-01", "tot": "2026-08-01"})
    content = response.content.decode()
    assert response.status_code == 200 and "De einddatum ligt vóór de begindatum." in content
    assert 'value="2026-09-01"' in content and 'value="2026-08-01"' in content


def test_monitoring_report_downloads_open(client, w):
    client.force_login(w.hr_a)
    query = {"van": w.start.isoformat(), "tot": (w.start + timedelta(days=27)).isoformat()}
    docx = client.get(reverse("pool:dashboard_report", kwargs={"slug": w.pool.slug, "file_format": "docx"}), query)
    assert docx.status_code == 200
    assert "Vraag naar vervanging" in docx_text(docx.content)
    pdf = client.get(reverse("pool:dashboard_report", kwargs={"slug": w.pool.slug, "file_format": "pdf"}), query)
    assert "Monitor invalpool" in pdf_text(pdf.content)
    assert AuditEvent.objects.filter(action="pool.monitoring_report_downloaded").count() == 2
