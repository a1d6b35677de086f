"""The monitoring and settlement reports open as DOCX and PDF and hold the figures (and no member names)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from onderwijsregio.core.documents import docx_text, pdf_text, render_docx, render_pdf
from onderwijsregio.pool import monitoring, reports
from onderwijsregio.pool.selectors import settlement_lines
from onderwijsregio.pool.services import settlement_run_create, settlement_totals
from onderwijsregio.pool.tests.factories import HoursEntryFactory
from onderwijsregio.pool.tests.test_hours import build_hours_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    w = build_hours_world()
    for week in range(3):
        HoursEntryFactory(
            assignment=w.assignment,
            week_start=w.start + timedelta(weeks=week),
            hours=Decimal("8.00"),
            status="confirmed",
        )
    w.period = monitoring.Period(w.start, w.start + timedelta(days=27))
    return w


def _dashboard(w, user=None):
    viewer = monitoring.Viewer(user or w.coordinator, w.pool)
    return monitoring.monitoring_dashboard(
        pool=w.pool, period=w.period, viewer=viewer, today=w.start + timedelta(days=28)
    )


def test_dutch_number_formats():
    assert reports.number(1234.56) == "1.234,6"
    assert reports.euro(Decimal("-2900.5")) == "−€ 2.900,50"
    assert reports.percent(None) == "—" and reports.percent(12.345) == "12,3%"


def test_monitoring_report_docx_has_every_question_with_figures_and_no_names(w):
    text = docx_text(render_docx(reports.monitoring_report(_dashboard(w))))
    for heading in [
        "Monitor invalpool",
        "Vraag naar vervanging",
        "Invulgraad en tijd tot invulling",
        "Niet ingevulde dagen en verloren lesuren",
        "Benutting van poolleden",
        "Eerlijkheid per bestuur",
        "Ketenregeling en VOG",
        "Besparing ten opzichte van uitzendtarieven",
        "Vergelijking van subregio's",
    ]:
        assert heading in text
    assert "wiskunde | 1 | 8,0" in text  # demand per subject
    assert "Stichting Vraagt | 32,0 | 0,0 | 100,0% | 60,0%" in text  # fairness row
    assert "Totaal | 24,0 | € 1.392,00 | € 2.712,00 | € 1.320,00" in text  # savings
    assert "Eemland-Noord | 1 | 1 | 100,0%" in text  # sub-region
    for name in ("Anna Eerste", "Ivo Nooitingezet", "Aart Eigen"):
        assert name not in text


def test_monitoring_report_pdf_opens_with_the_figures(w):
    data = render_pdf(reports.monitoring_report(_dashboard(w)))
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Monitor invalpool" in text
    assert "Besparing ten opzichte van uitzendtarieven" in text
    assert "1.320,00" in text
    assert "Anna Eerste" not in text


def test_dashboard_sections_name_members_only_for_those_who_may_see_them(w):
    coordinator_sections = reports.monitoring_sections(_dashboard(w), with_names=True)
    hr_sections = reports.monitoring_sections(_dashboard(w, w.hr_a), with_names=True)

    def names(sections):
        found = set()
        for section in sections:
            for table in section.tables:
                for row in table.rows:
                    found.update(str(cell) for cell in row)
        return found

    assert {"Ivo Nooitingezet", "Aart Eigen"} <= names(coordinator_sections)
    assert "Aart Eigen" in names(hr_sections) and "Ivo Nooitingezet" not in names(hr_sections)
    assert len(coordinator_sections) == 8 and all(section.charts for section in coordinator_sections)


def test_settlement_report_docx_and_pdf_hold_the_lines_and_totals(w):
    run = settlement_run_create(pool=w.pool, period_start=w.period.start, period_end=w.period.end, actor=w.coordinator)
    lines = settlement_lines(run=run)
    report = reports.settlement_report(run, lines, settlement_totals(lines=lines))
    text = docx_text(render_docx(report))
    assert "Afrekening invalpool" in text and "Invalpool Eemland" in text
    # 24 hours at € 58: A received them, B supplied them; pupils 600:400.
    assert "Stichting Vraagt | 24,00 | 0,00 | € 1.392,00 | € 2.712,00 | € 1.320,00" in text
    assert "Stichting Vraagt | 60,0% | € 835,20 | € 0,00 | € 835,20" in text
    assert "Stichting Levert | 40,0% | € 556,80 | € 1.392,00 | −€ 835,20" in text
    assert "Totaal | 100,0% | € 1.392,00 | € 1.392,00 | € 0,00" in text
    pdf = render_pdf(report)
    assert pdf.startswith(b"%PDF")
    pdf_content = pdf_text(pdf)
    assert "Stichting Levert" in pdf_content and "835,20" in pdf_content
