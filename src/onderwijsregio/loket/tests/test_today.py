"""The desk's blocks of the "Vandaag te doen" start page (issue 18): each count is the number of rows of the
list its link opens, a board sees only its own handovers, and the queries do not grow with the data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from onderwijsregio.accounts.models import Role
from onderwijsregio.accounts.tests.factories import MembershipFactory, UserFactory
from onderwijsregio.loket import services
from onderwijsregio.loket.models import ConsentPurpose, SharedPart, Trajectory
from onderwijsregio.loket.tests.test_staff_views import World, page_text

pytestmark = pytest.mark.django_db

LIST = "/loket/kandidaten"


@pytest.fixture
def world():
    return World()


def blocks(client, user) -> dict:
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return {block.role: block for block in response.context["today_blocks"]}


def counts(block) -> dict[str, int]:
    return {item.url: item.count for item in block.items}


def rows_behind(client, url: str) -> int:
    """The number of rows the linked list shows (over all its pages)."""
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page_obj"].paginator.count


def follow_up(candidate, days: int) -> None:
    Trajectory.objects.filter(candidate=candidate).update(follow_up_on=timezone.localdate() + timedelta(days=days))


def fill(world, *, overdue=0, today=0, later=0, assigned=0) -> None:
    for days, n in ((-2, overdue), (0, today), (5, later)):
        for _ in range(n):
            follow_up(world.register(), days)
    for _ in range(assigned):
        services.coordinator_assign(candidate=world.register(), coordinator=world.team, actor=world.team)


def test_regional_team_counts_equal_the_filtered_lists(client, world):
    fill(world, overdue=3, today=2, later=1, assigned=1)
    # Another region's work is not this team's: it must not be counted.
    fill(World(), overdue=4, today=1)

    team = blocks(client, world.team)["regional_team"]
    found = counts(team)
    assert found[f"{LIST}?overdue=on"] == 3
    assert found[f"{LIST}?due_today=on"] == 2
    assert found[f"{LIST}?coordinator=none"] == 6
    assert found["/loket/inbox?status=pending"] == 0
    for item in team.items:
        assert rows_behind(client, item.url) == item.count, item.label


def test_due_today_filter_of_the_list_shows_only_todays_follow_ups(client, world):
    fill(world, overdue=1, today=2, later=1)
    client.force_login(world.team)
    response = client.get(f"{LIST}?due_today=on")
    shown = {candidate.pk for candidate in response.context["page_obj"].object_list}
    expected = set(Trajectory.objects.filter(follow_up_on=timezone.localdate()).values_list("candidate_id", flat=True))
    assert shown == expected and len(shown) == 2


def test_board_hr_counts_only_its_own_pending_handovers(client, world):
    for _ in range(2):
        world.hand_over(world.register(), [SharedPart.CONTACT])
    answered = world.hand_over(world.register(), [SharedPart.CONTACT])
    services.handover_decide(handover=answered, accept=True, note="", actor=world.hr)
    world.hand_over(world.register(), [SharedPart.CONTACT], receiver=world.other_board)

    mine = blocks(client, world.hr)["board_hr"]
    assert counts(mine) == {"/loket/inbox?status=pending": 2}
    assert rows_behind(client, "/loket/inbox?status=pending") == 2
    # The whole inbox still lists the answered one too; the filter is what the count counts.
    assert rows_behind(client, "/loket/inbox") == 3

    theirs = blocks(client, world.other_hr)["board_hr"]
    assert counts(theirs) == {"/loket/inbox?status=pending": 1}
    assert "regional_team" not in blocks(client, world.other_hr)


def test_institute_sees_the_candidates_handed_to_it(client, world):
    staff = MembershipFactory(organisation=world.institute, role=Role.INSTITUTE_STAFF).user
    consents = {ConsentPurpose.SHARE_INSTITUTES: True}
    world.hand_over(world.register(consents=consents), [SharedPart.CONTACT], receiver=world.institute)
    world.hand_over(world.register(consents=consents), [SharedPart.CONTACT], receiver=world.institute)
    world.register()  # not handed over

    block = blocks(client, staff)["institute_staff"]
    found = counts(block)
    assert found[LIST] == 2 and found["/loket/inbox?status=pending"] == 2
    for item in block.items:
        assert rows_behind(client, item.url) == item.count


def test_the_start_page_queries_do_not_grow_with_the_candidates(client, world):
    client.force_login(world.team)
    fill(world, overdue=1, today=1)
    client.get(reverse("core:home"))  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("core:home"))
    fill(world, overdue=8, today=6, assigned=3)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("core:home"))
    assert counts({b.role: b for b in response.context["today_blocks"]}["regional_team"])[f"{LIST}?overdue=on"] == 9
    assert len(many) == len(few)


def test_platform_admin_sees_the_desk_of_all_regions(client, world, django_user_model):
    fill(world, overdue=2)
    fill(World(), overdue=3)
    admin = django_user_model.objects.create_superuser(email="beheer@example.nl", password="x" * 20)
    team = blocks(client, admin)["regional_team"]
    assert counts(team)[f"{LIST}?overdue=on"] == 5
    assert rows_behind(client, f"{LIST}?overdue=on") == 5


def test_candidate_sees_the_next_step_and_the_coordinator(client, world):
    candidate = world.register()
    candidate.user = UserFactory(email=candidate.email)
    candidate.save(update_fields=["user"])
    services.coordinator_assign(candidate=candidate, coordinator=world.team, actor=world.team)
    Trajectory.objects.filter(candidate=candidate).update(stage="advised")
    someone_else = world.register()
    services.coordinator_assign(candidate=someone_else, coordinator=world.colleague, actor=world.team)

    client.force_login(candidate.user)
    text = page_text(client.get(reverse("core:home")))
    assert "Je volgende stap" in text
    assert "Je bent nu in de fase “geadviseerd” (stap 3 van" in text
    assert "Hierna komt: “in gesprek met school”" in text
    assert f'href="mailto:{world.team.email}"' in text and world.team.get_full_name() in text
    assert world.colleague.email not in text


def test_candidate_without_an_open_trajectory_or_coordinator_is_told_so(client, world):
    candidate = world.register()
    candidate.user = UserFactory(email=candidate.email)
    candidate.save(update_fields=["user"])
    Trajectory.objects.filter(candidate=candidate).update(ended_at=timezone.now(), stage="qualified")
    client.force_login(candidate.user)
    text = page_text(client.get(reverse("core:home")))
    assert "Je hebt nu geen lopend traject" in text
    assert "Je hebt nog geen vaste ketenregisseur" in text
