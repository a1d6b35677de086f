"""A receiver's working list, board, exports and candidate page show only the trajectory it was handed (issue 10).

A board handed a candidate with only contact details must not learn the stage, subject or follow-up date of
that candidate's trajectory at another board, nor who the desk's coordinator is: not in a cell, and not
through a filter or sort that narrows or orders the list by them.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from onderwijsregio.accounts.models import Role
from onderwijsregio.accounts.tests.factories import MembershipFactory
from onderwijsregio.loket import services
from onderwijsregio.loket.models import ConsentPurpose, SharedPart, Stage, Trajectory
from onderwijsregio.loket.tests.test_staff_views import World, page_text
from onderwijsregio.organisations.models import Subject
from onderwijsregio.organisations.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


class Elsewhere(World):
    """A candidate on a pathway at board A (advised, Sterrenkunde, overdue, with a coordinator) and handed
    to the other board with only contact details, on a fresh trajectory of its own."""

    def __init__(self) -> None:
        super().__init__()
        self.coordinator = MembershipFactory(
            organisation=self.region, role=Role.REGIONAL_TEAM, user__full_name="Regisseur Geheimnaam"
        ).user
        self.subject = Subject.objects.create(code="STERRENKUNDE-X", name="Sterrenkunde-X")
        self.candidate = self.register(
            last_name="Tweesporig",
            consents={ConsentPurpose.SHARE_BOARDS: True, ConsentPurpose.SHARE_OTHER_REGION: True},
        )
        at_a = self.candidate.trajectories.get()
        services.trajectory_update(trajectory=at_a, board=self.board, subject=self.subject, actor=self.team)
        services.trajectory_move(trajectory=at_a, to_stage=Stage.ADVISED, actor=self.team)
        Trajectory.objects.filter(pk=at_a.pk).update(follow_up_on=timezone.localdate() - timedelta(days=3))
        services.coordinator_assign(candidate=self.candidate, coordinator=self.coordinator, actor=self.team)
        self.at_b = services.trajectory_create(candidate=self.candidate, actor=self.team)
        services.handover_create(
            candidate=self.candidate,
            receiver=self.other_board,
            shared_parts=[SharedPart.CONTACT],
            trajectory=self.at_b,
            actor=self.team,
        )


@pytest.fixture
def elsewhere():
    return Elsewhere()


def listed(client, params=None) -> str:
    response = client.get(reverse("loket:candidate_list"), params or {})
    assert response.status_code == 200
    return page_text(response)


def table(text: str) -> str:
    """The list's table only (the filter form names every stage and subject)."""
    return text[text.index("<table") : text.index("</table>")]


def test_receiver_list_shows_only_the_handed_trajectory_and_no_coordinator(client, elsewhere):
    client.force_login(elsewhere.other_hr)
    text = listed(client)
    rows = table(text)
    assert "Tweesporig" in rows
    assert "nieuw" in rows  # the stage of the trajectory it was handed
    for hidden in ("geadviseerd", "Sterrenkunde-X", "verlopen", "Geheimnaam", ">Ketenregisseur</th>"):
        assert hidden not in rows, hidden
    assert "Geheimnaam" not in text


@pytest.mark.parametrize(
    "params",
    [
        {"stage": Stage.ADVISED},
        {"subject": "STERRENKUNDE-X"},
        {"overdue": "on"},
    ],
)
def test_receiver_filters_do_not_match_on_trajectories_at_another_board(client, elsewhere, params):
    client.force_login(elsewhere.other_hr)
    assert "Tweesporig" in listed(client)
    assert "Tweesporig" not in listed(client, params)
    board = page_text(client.get(reverse("loket:board_view"), params))
    assert "Tweesporig" not in board


def test_the_desk_still_filters_on_every_trajectory(client, elsewhere):
    client.force_login(elsewhere.team)
    for params in ({"stage": Stage.ADVISED}, {"subject": "STERRENKUNDE-X"}, {"overdue": "on"}):
        text = listed(client, params)
        assert "Tweesporig" in text, params
    assert "Geheimnaam" in listed(client)


def test_receiver_follow_up_sort_ignores_dates_it_cannot_see(client, elsewhere):
    # A second handed candidate whose own (visible) trajectory is due in a week.
    later = elsewhere.register(last_name="Zichtbaar")
    trajectory = later.trajectories.get()
    Trajectory.objects.filter(pk=trajectory.pk).update(follow_up_on=timezone.localdate() + timedelta(days=7))
    elsewhere.hand_over(later, [SharedPart.CONTACT], receiver=elsewhere.other_board)
    client.force_login(elsewhere.other_hr)
    text = listed(client, {"sort": "follow_up"})
    # Sorted by a date it may see, Zichtbaar comes first; Tweesporig has none it may see, so comes last.
    assert text.index("Zichtbaar") < text.index("Tweesporig")
    text = listed(client, {"sort": "stage"})
    # By stage: both are "new" for this board, then newest first; "advised" elsewhere must not rank it.
    assert text.index("Zichtbaar") < text.index("Tweesporig")


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_receiver_export_has_no_other_trajectories_nor_coordinator(client, elsewhere, file_format):
    client.force_login(elsewhere.other_hr)
    response = client.get(reverse("loket:export"), {"format": file_format})
    if file_format == "csv":
        text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
        rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    header, *data = rows
    assert "Ketenregisseur" not in header
    (row,) = [dict(zip(header, values, strict=True)) for values in data]
    assert row["Fase"] == "nieuw"
    assert row["Vak(ken)"] == "" and row["Opvolgen op"] == ""
    assert "Geheimnaam" not in " ".join(sum(rows, []))


def test_a_desk_that_receives_from_another_region_sees_no_coordinator_of_it(client, elsewhere):
    """The regional team of another region receives like a board: it runs its own desk, not this one."""
    other_region = RegionFactory()
    other_team = MembershipFactory(organisation=other_region, role=Role.REGIONAL_TEAM).user
    services.handover_create(
        candidate=elsewhere.candidate,
        receiver=other_region,
        shared_parts=[SharedPart.CONTACT],
        trajectory=elsewhere.at_b,
        actor=elsewhere.team,
    )
    client.force_login(other_team)
    text = listed(client)
    assert "Tweesporig" in text and "Geheimnaam" not in text
    # "Niemand" as coordinator must not tell it whether this region's desk assigned one.
    services.coordinator_assign(candidate=elsewhere.candidate, coordinator=None, actor=elsewhere.team)
    assert "Tweesporig" not in listed(client, {"coordinator": "none"})
    response = client.get(reverse("loket:export"), {"format": "csv"})
    exported = b"".join(response.streaming_content).decode("utf-8")
    assert "Geheimnaam" not in exported


def test_receiver_candidate_page_shows_no_coordinator(client, elsewhere):
    client.force_login(elsewhere.other_hr)
    text = page_text(client.get(reverse("loket:candidate_detail", args=[elsewhere.candidate.pk])))
    assert "Tweesporig" in text
    assert "Geheimnaam" not in text and ">Ketenregisseur</dt>" not in text
    client.force_login(elsewhere.team)
    assert "Geheimnaam" in page_text(client.get(reverse("loket:candidate_detail", args=[elsewhere.candidate.pk])))


def test_receiver_list_query_count_does_not_grow_with_rows(client, elsewhere):
    client.force_login(elsewhere.other_hr)

    def count() -> tuple[int, ...]:
        counts = []
        for name, params in (
            ("loket:candidate_list", {}),
            ("loket:candidate_list", {"sort": "follow_up"}),
            ("loket:board_view", {}),
        ):
            with CaptureQueriesContext(connection) as context:
                assert client.get(reverse(name), params).status_code == 200
            counts.append(len(context))
        return tuple(counts)

    few = count()
    for _ in range(6):
        candidate = elsewhere.register()
        services.trajectory_create(candidate=candidate, actor=elsewhere.team, board=elsewhere.board)
        trajectory = candidate.trajectories.order_by("pk").first()
        services.handover_create(
            candidate=candidate,
            receiver=elsewhere.other_board,
            shared_parts=[SharedPart.CONTACT],
            trajectory=trajectory,
            actor=elsewhere.team,
        )
    assert count() == few
