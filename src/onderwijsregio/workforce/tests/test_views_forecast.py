"""Forecast pages: who sees what, the progress page, suppression in the region view, downloads that open."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from onderwijsregio.accounts.tests.factories import UserFactory
from onderwijsregio.core.documents import docx_text, pdf_text
from onderwijsregio.workforce import selectors as workforce_selectors
from onderwijsregio.workforce import services as workforce_services
from onderwijsregio.workforce.models import ForecastRun
from onderwijsregio.workforce.tests.factories import ScenarioFactory
from onderwijsregio.workforce.tests.forecast_helpers import hr_of, make_board, make_region, team_of

pytestmark = pytest.mark.django_db

SMALL = {"horizon": 6, "runs": 50}


def board_url(board, name="forecast_board", **kwargs):
    return reverse(f"workforce:{name}", kwargs={"board_id": board.pk, **kwargs})


def region_url(region, name="forecast_region", **kwargs):
    return reverse(f"workforce:{name}", kwargs={"region_slug": region.slug, **kwargs})


def computed(organisation, run_worker, capture, scenario=None):
    with capture(execute=True):
        run = workforce_services.forecast_request(
            subject_organisation=organisation, scenario=scenario, actor=None, **SMALL
        )
    run_worker()
    run.refresh_from_db()
    assert run.status == ForecastRun.Status.SUCCEEDED, run.message
    return run


@pytest.fixture
def small_runs(monkeypatch):
    """Pages start forecasts with the defaults; keep them small in tests."""
    monkeypatch.setattr(workforce_selectors, "DEFAULT_RUNS", 50)
    monkeypatch.setattr(workforce_selectors, "DEFAULT_HORIZON", 6)
    original = workforce_services.forecast_request.__kwdefaults__
    monkeypatch.setattr(workforce_services.forecast_request, "__kwdefaults__", {**original, "horizon": 6, "runs": 50})
    inputs_defaults = workforce_selectors.forecast_inputs.__kwdefaults__
    monkeypatch.setattr(
        workforce_selectors.forecast_inputs, "__kwdefaults__", {**inputs_defaults, "horizon": 6, "runs": 50}
    )


def test_board_hr_cannot_see_another_boards_forecast(client, small_runs):
    board_a, _ = make_board()
    board_b, _ = make_board()
    client.force_login(hr_of(board_a))
    assert client.get(board_url(board_a)).status_code == 200
    assert client.get(board_url(board_b)).status_code == 404
    assert client.post(board_url(board_b), {"scenario": ""}).status_code == 404
    assert client.get(board_url(board_b, "forecast_board_download", fmt="xlsx")).status_code == 404
    assert client.get(board_url(board_b, "forecast_board_compare")).status_code == 404
    assert not ForecastRun.objects.filter(subject_organisation=board_b).exists()


def test_anonymous_is_sent_to_login_and_strangers_get_404(client, small_runs):
    board, _ = make_board()
    response = client.get(board_url(board))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(UserFactory())
    assert client.get(board_url(board)).status_code == 404


def test_regional_team_sees_no_board_detail(client, small_runs):
    region, [(board, _)] = make_region(boards=1)
    client.force_login(team_of(region))
    assert client.get(board_url(board)).status_code == 404
    assert client.get(region_url(region)).status_code == 200


def test_start_shows_progress_then_results_with_synthetic_label(
    client, run_worker, small_runs, django_capture_on_commit_callbacks
):
    board, _ = make_board(people=14)
    client.force_login(hr_of(board))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(board_url(board), {"scenario": ""}, follow=True)
    assert response.status_code == 200
    run = ForecastRun.objects.get(subject_organisation=board)
    assert run.runs == 50 and run.horizon == 6
    page = response.content.decode()
    assert "<progress" in page and "Vernieuwen" in page
    progress_url = reverse("workforce:forecast_progress", kwargs={"run_id": run.pk})
    assert progress_url in page  # htmx polls it
    assert client.get(progress_url).status_code == 200

    run_worker()
    response = client.get(progress_url, HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"
    page = client.get(board_url(board)).content.decode()
    assert "Synthetische gegevens" in page
    assert "Tekortvakken" in page and "wiskunde" in page.lower()
    assert "<svg" in page and '<table class="utrecht-table">' in page
    assert "&lt;5" not in page  # the board's own view hides nothing
    # A stranger cannot poll the progress of this board's run.
    client.force_login(hr_of(make_board()[0]))
    assert client.get(progress_url).status_code == 404


def test_region_view_shows_only_suppressed_aggregates(
    client, run_worker, django_capture_on_commit_callbacks, small_runs
):
    # Two boards of 7 people: each subject has fewer than 5 persons in the region.
    region, boards = make_region(boards=2, people=7)
    computed(region, run_worker, django_capture_on_commit_callbacks)
    hr = hr_of(boards[0][0])
    for user in (team_of(region), hr):
        client.force_login(user)
        response = client.get(region_url(region))
        assert response.status_code == 200
        summary = response.context["summary"]
        assert summary["regional"]
        for row in summary["subject_rows"]:
            assert all(cell["v"] is None for cell in row["cells"])  # 2-4 persons per subject
        pyramid_values = [cell["v"] for row in summary["pyramid"]["rows"] for cell in row["cells"]]
        assert all(value is None or value == 0 or value >= 5 for value in pyramid_values)
        assert "&lt;5" in response.content.decode()


def test_downloads_open(client, run_worker, django_capture_on_commit_callbacks, small_runs):
    from openpyxl import load_workbook

    board, _ = make_board(people=14)
    scenario = ScenarioFactory(owner=board, name="Meer uren")
    computed(board, run_worker, django_capture_on_commit_callbacks)
    computed(board, run_worker, django_capture_on_commit_callbacks, scenario=scenario)
    client.force_login(hr_of(board))

    response = client.get(board_url(board, "forecast_board_download", fmt="xlsx"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Samenvatting", "Per vak", "Per jaar", "Banden", "Aannames"]
    assert workbook["Per vak"]["A1"].value == "Vak"

    response = client.get(board_url(board, "forecast_board_download", fmt="docx"))
    assert response.status_code == 200
    text = docx_text(response.content)
    assert "Aannames en bronnen" in text and "Synthetische gegevens" in text
    assert "Scenario's vergeleken" in text and "Meer uren" in text

    response = client.get(board_url(board, "forecast_board_download", fmt="pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Tekort per vak per jaar" in pdf_text(response.content)
    assert client.get(board_url(board, "forecast_board_download", fmt="exe")).status_code == 404


def test_compare_page_side_by_side(client, run_worker, django_capture_on_commit_callbacks, small_runs):
    board, _ = make_board(people=14)
    more = ScenarioFactory(owner=board, name="Meer uren", levers={"more_hours_share": 1.0, "more_hours_fte": 0.2})
    computed(board, run_worker, django_capture_on_commit_callbacks)
    computed(board, run_worker, django_capture_on_commit_callbacks, scenario=more)
    client.force_login(hr_of(board))
    response = client.get(board_url(board, "forecast_board_compare"), {"scenarios": [more.pk]})
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert [column["name"] for column in comparison["columns"]] == ["Basis", "Meer uren"]
    # Working more hours lowers the gap of at least one subject and raises none.
    effects = [row["effects"][0]["v"] for row in comparison["rows"]]
    assert min(effects) < 0 and max(effects) <= 1e-6
    # Too many scenarios is refused with a Dutch message.
    many = [ScenarioFactory(owner=board).pk for _ in range(5)]
    response = client.get(board_url(board, "forecast_board_compare"), {"scenarios": many})
    assert "ten hoogste 4" in response.content.decode()
