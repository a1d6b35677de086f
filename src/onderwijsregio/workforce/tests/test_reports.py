"""Forecast summaries, charts, spreadsheet and report: the same suppressed numbers everywhere."""

from __future__ import annotations

import io

import pytest

from onderwijsregio.core.documents import docx_text, pdf_text, render_docx, render_pdf
from onderwijsregio.workforce import reports
from onderwijsregio.workforce import selectors as workforce_selectors
from onderwijsregio.workforce import services as workforce_services
from onderwijsregio.workforce.models import ForecastRun
from onderwijsregio.workforce.tests.forecast_helpers import make_board

pytestmark = pytest.mark.django_db


@pytest.fixture
def board_run(run_worker, django_capture_on_commit_callbacks):
    board, _ = make_board(people=21)
    with django_capture_on_commit_callbacks(execute=True):
        run = workforce_services.forecast_request(
            subject_organisation=board, scenario=None, actor=None, horizon=6, runs=50
        )
    run_worker()
    run.refresh_from_db()
    assert run.status == ForecastRun.Status.SUCCEEDED, run.message
    return run


def test_board_summary_hides_nothing_and_ranks_by_the_fifth_year(board_run):
    summary = reports.summarise(board_run.result, regional=False)
    assert summary["ranking_year"] == board_run.result["years"][5]
    assert summary["hidden_cells"] == 0
    gaps = [row["ranking_gap"]["v"] for row in summary["ranking"]]
    assert gaps == sorted(gaps, reverse=True)
    for row in summary["ranking"]:
        low, middle, high = (cell["v"] for cell in row["ranking_band"])
        assert low <= middle + 1e-6 and middle <= high + 1e-6
    # the subject table's totals are the sums of its cells
    for index, total in enumerate(summary["subject_totals"]):
        assert total["v"] == pytest.approx(sum(row["cells"][index]["v"] for row in summary["subject_rows"]), abs=0.2)
    assert summary["pyramid"]["total"]["v"] == 21


def test_regional_summary_suppresses_consistently(board_run):
    summary = reports.summarise(board_run.result, regional=True)
    # 21 persons: 3 per kind of person; every subject has fewer than 5 except none -> rows hidden
    for row in summary["subject_rows"]:
        persons = next(g["persons"] for g in board_run.result["by_group"] if g["subject"] == row["code"])
        if 0 < persons < 5:
            assert all(cell["s"] == "<5" for cell in row["cells"])
    assert all(row["ranking_gap"]["v"] is not None for row in summary["ranking"])
    cells = [cell for row in summary["pyramid"]["rows"] for cell in row["cells"]]
    assert all(cell["v"] is None or cell["v"] == 0 or cell["v"] >= 5 for cell in cells)


def test_summary_is_cached_by_input_key(board_run, monkeypatch):
    first = workforce_selectors.cached_summary(run=board_run, regional=False)
    monkeypatch.setattr(reports, "summarise", lambda *args, **kwargs: pytest.fail("not from the cache"))
    assert workforce_selectors.cached_summary(run=board_run, regional=False) == first


def test_charts_are_svg_with_titles_and_handle_a_surplus(board_run):
    summary = reports.summarise(board_run.result, regional=False)
    charts = reports.summary_charts(summary)
    assert set(charts) == {"supply_demand", "gap", "retirements", "pyramid", "shortage"}
    for svg in charts.values():
        assert svg.startswith("<svg") and "<title" in svg and "<desc" in svg
    svg = reports.band_chart(
        [2026, 2027], [-3.0, -1.0], [-2.0, 0.5], [-1.0, 2.0], chart_id="t", title="<t>", description="d"
    )
    assert "&lt;t&gt;" in svg and "<polygon" in svg


def test_xlsx_and_report_carry_the_same_numbers(board_run):
    from openpyxl import load_workbook

    summary = reports.summarise(board_run.result, regional=True)
    data = reports.xlsx_bytes(summary, title="Prognose", meta=[("Scenario", "Basis")], inputs=board_run.inputs)
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Samenvatting", "Per vak", "Per jaar", "Banden", "Aannames"]
    per_subject = list(workbook["Per vak"].iter_rows(values_only=True))
    assert per_subject[0][0] == "Vak" and per_subject[-1][0] == "Totaal onderwijsgevend"
    flat = [value for row in per_subject[1:] for value in row[1:]]
    assert "<5" in flat  # suppressed in the spreadsheet as on the page
    assert any("AOW" in str(row[0]) for row in workbook["Aannames"].iter_rows(values_only=True))
    assert any(row[0] == "Onderdrukking" for row in workbook["Samenvatting"].iter_rows(values_only=True))

    report = reports.build_report(
        title="Prognose regio", organisation="Regio", summary=summary, inputs=board_run.inputs, scenario_name="Basis"
    )
    text = docx_text(render_docx(report))
    for heading in ("Context", "Aannames en bronnen", "Uitkomsten", "Methode", "Onderdrukking van kleine aantallen"):
        assert heading in text
    assert "Synthetische gegevens" in text
    assert "Tekortvakken" in pdf_text(render_pdf(report))


def test_comparison_effects_against_the_baseline():
    base = {"years": [2026, 2027], "by_board": [{}, {}], "by_function": {"teaching": 20}}
    groups = [
        {"function": "teaching", "subject": "wiskunde", "persons": 12, "largest_board_persons": 6, "gap": [1.0, 2.0]},
        {"function": "teaching", "subject": "duits", "persons": 3, "largest_board_persons": 2, "gap": [0.5, 0.5]},
        {"function": "teaching", "subject": "engels", "persons": 9, "largest_board_persons": 5, "gap": [1.0, 1.5]},
    ]
    scenario = [dict(g, gap=[g["gap"][0], g["gap"][1] - 0.5]) for g in groups]
    comparison = reports.compare(
        [("Basis", {**base, "by_group": groups}), ("Meer uren", {**base, "by_group": scenario})], regional=True
    )
    rows = {row["code"]: row for row in comparison["rows"]}
    assert comparison["year"] == 2027
    assert rows["duits"]["cells"][0]["s"] == "<5"
    # duits hidden, so another subject is hidden too (the total per scenario is published)
    assert sum(1 for row in rows.values() if row["cells"][0]["v"] is None) >= 2
    shown = [row for row in rows.values() if row["cells"][0]["v"] is not None]
    for row in shown:
        assert row["effects"][0]["v"] == pytest.approx(-0.5)
    assert comparison["total_effects"][0]["v"] == pytest.approx(-1.5)
