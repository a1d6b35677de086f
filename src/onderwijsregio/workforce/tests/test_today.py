"""HR's start page names the latest forecast of its board and its warnings, as the forecast page does (issue 18)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from onderwijsregio.workforce import selectors
from onderwijsregio.workforce.models import ForecastRun
from onderwijsregio.workforce.tests.forecast_helpers import hr_of, make_board, make_snapshot

pytestmark = pytest.mark.django_db


def notes(client, user) -> list[tuple[str, str]]:
    client.force_login(user)
    response = client.get(reverse("core:home"))
    blocks = {block.role: block for block in response.context["today_blocks"]}
    return blocks["board_hr"].notes


def finished_run(board, **extra) -> ForecastRun:
    inputs = selectors.forecast_inputs(organisation=board, scenario=None)
    return ForecastRun.objects.create(
        subject_organisation=board,
        input_key=selectors.input_key(inputs.as_json()),
        status=ForecastRun.Status.SUCCEEDED,
        finished_at=timezone.now(),
        inputs={"is_synthetic": False},
        **extra,
    )


def test_hr_sees_the_latest_forecast_and_when_it_is_out_of_date(client):
    board, _snapshot = make_board()
    hr = hr_of(board)
    url = reverse("workforce:forecast_board", args=[board.pk])
    assert notes(client, hr) == [(url, f"{board.name}: nog geen prognose.")]

    finished_run(board)
    [(link, text)] = notes(client, hr)
    assert link == url and "laatste prognose van" in text and "veranderd" not in text

    # A new staff file: the forecast page warns that the run is of older data, and so does the start page.
    make_snapshot(board, reference_date=date(2026, 11, 1), version=2)
    [(_link, text)] = notes(client, hr)
    assert "de gegevens zijn sindsdien veranderd" in text
    assert selectors.current_run(organisation=board, scenario=None)[1] is False  # what the page warns on


def test_hr_never_sees_another_boards_forecast(client):
    board, _snapshot = make_board()
    other, _other_snapshot = make_board()
    finished_run(other)
    mine = notes(client, hr_of(board))
    assert mine == [(reverse("workforce:forecast_board", args=[board.pk]), f"{board.name}: nog geen prognose.")]
    theirs = notes(client, hr_of(other))
    assert [link for link, _text in theirs] == [reverse("workforce:forecast_board", args=[other.pk])]
    assert "laatste prognose van" in theirs[0][1]


def test_the_forecast_note_queries_do_not_grow_with_the_staff_file(client):
    small, _snapshot = make_board(people=5)
    large, _snapshot = make_board(people=60)
    counted = []
    for board in (small, large):
        finished_run(board)
        hr = hr_of(board)
        notes(client, hr)
        with CaptureQueriesContext(connection) as queries:
            notes(client, hr)
        counted.append(len(queries))
    assert counted[0] == counted[1]
