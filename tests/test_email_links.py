"""Every link in every email starts with the configured site URL (ONDERWIJSREGIO_SITE_URL).

A link built from the request, a relative path or a hard-coded host would send people to the wrong server
(a test machine, localhost). The test runs the flows that send email, with a site URL no default would give,
and looks at every URL in every message the worker sent.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from onderwijsregio.accounts import services as account_services
from onderwijsregio.accounts.models import Role
from onderwijsregio.accounts.tests.factories import MembershipFactory
from onderwijsregio.loket import services as loket_services
from onderwijsregio.loket.models import ConsentPurpose, SharedPart
from onderwijsregio.organisations.tests.factories import BoardFactory, RegionFactory, RegionMemberFactory
from onderwijsregio.pool.models import ReplacementRequest
from onderwijsregio.pool.tests.workflow_setup import build_world

pytestmark = pytest.mark.django_db

SITE_URL = "https://regio.voorbeeld.nl"
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"')]+")


def _urls_of_all_mail() -> list[tuple[str, str]]:
    return [(message.subject, url) for message in mail.outbox for url in URL.findall(message.body)]


def _desk_emails(run_worker, capture) -> None:
    region = RegionFactory()
    board = BoardFactory()
    RegionMemberFactory(region=region, member=board)
    team = MembershipFactory(organisation=region, role=Role.REGIONAL_TEAM).user
    MembershipFactory(organisation=board, role=Role.BOARD_HR)
    with capture(execute=True):
        candidate = loket_services.candidate_register(
            region=region,
            data={
                "first_name": "Fatima",
                "last_name": "El Amrani",
                "email": "fatima@example.nl",
                "postcode": "3811 AB",
                "target_group": "side_entrant",
                "education_level": "wo_master",
                "dutch_level": "C1",
                "target_sectors": ["VO"],
            },
            consents={ConsentPurpose.SHARE_BOARDS: True},
        )
    with capture(execute=True):
        loket_services.login_code_issue(email=candidate.email)
    with capture(execute=True):
        loket_services.handover_create(
            candidate=candidate,
            receiver=board,
            shared_parts=[SharedPart.CONTACT],
            trajectory=candidate.trajectories.get(),
            actor=team,
        )
    trajectory = candidate.trajectories.get()
    with capture(execute=True):
        loket_services.coordinator_assign(candidate=candidate, coordinator=team, actor=team)
        loket_services.follow_up_set(trajectory=trajectory, on=timezone.localdate() + timedelta(days=1), actor=team)
    with capture(execute=True):
        loket_services.follow_up_reminders_send(today=timezone.localdate() + timedelta(days=2))
    with capture(execute=True):
        account_services.membership_invite(
            organisation=board, email="nieuw@example.nl", full_name="Nieuwe Collega", role=Role.BOARD_HR, actor=team
        )
    run_worker()


def _pool_emails(client, run_worker, capture) -> None:
    w = build_world()
    client.force_login(w.leader_a1)
    client.post(
        reverse("pool:request_create", args=[w.pool.slug]),
        {
            "school_location": w.school_a1.pk,
            "subject": w.wi.pk,
            "levels": ["havo_vwo_lower"],
            "start_date": w.start.isoformat(),
            "end_date": (w.start + timedelta(days=11)).isoformat(),
            "hours_per_week": "6",
            "day_parts": ["1-0", "3-0"],
            "reason": "illness",
            "urgency": "2",
            "contact_name": "Mevr. Rooster",
            "contact_email": "rooster@eemcollege.example.nl",
        },
    )
    assert ReplacementRequest.objects.filter(pool=w.pool).exists()
    client.force_login(w.coordinator)
    with capture(execute=True):
        client.post(reverse("pool:batch_list", args=[w.pool.slug]))
    run_worker()
    batch = w.pool.batches.get()
    with capture(execute=True):
        client.post(reverse("pool:batch_confirm", args=[w.pool.slug, batch.pk]))
    run_worker()
    accept_url = next(url for _subject, url in _urls_of_all_mail() if "/accepteren/" in url)
    client.logout()
    with capture(execute=True):
        client.post(accept_url.removeprefix(SITE_URL))
    run_worker()


def test_every_link_in_every_email_starts_with_the_site_url(
    settings, client, run_worker, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SITE_URL
    _desk_emails(run_worker, django_capture_on_commit_callbacks)
    _pool_emails(client, run_worker, django_capture_on_commit_callbacks)

    urls = _urls_of_all_mail()
    subjects = {subject for subject, _url in urls}
    # Registration, login code, handover (candidate and board), reminder, invitation, offer, assignment.
    assert len(subjects) >= 7, subjects
    wrong = [(subject, url) for subject, url in urls if not url.startswith(SITE_URL + "/")]
    assert wrong == []
