"""The whole cycle through the pages: a school asks, the coordinator runs and confirms a batch, the
member accepts through the link in the email, and the school sees who comes."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from onderwijsregio.core.models import AuditEvent
from onderwijsregio.pool.models import Assignment, BookedSlot, MemberContract, ReplacementRequest

from .workflow_setup import build_world

pytestmark = pytest.mark.django_db


def test_request_to_assignment(client, run_worker, django_capture_on_commit_callbacks):
    w = build_world()
    # 1. the school leader files a request
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
            "notes_for_substitute": "Meld u bij de conciërge.",
        },
    )
    request = ReplacementRequest.objects.get()
    assert request.release_tier == "pool"
    # 2. the coordinator runs a batch in the background and confirms it
    client.force_login(w.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("pool:batch_list", args=[w.pool.slug]))
    run_worker()
    batch = w.pool.batches.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("pool:batch_confirm", args=[w.pool.slug, batch.pk]))
    run_worker()
    offer_mail = mail.outbox[-1]
    accept_path = re.search(r"https?://[^/\s]+(/invalpool/aanbod/[^/\s]+/accepteren/)", offer_mail.body).group(1)
    # 3. the member opens the link (no login) and confirms
    client.logout()
    assert "Ja, ik accepteer" in client.get(accept_path).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(accept_path)
    run_worker()
    assignment = Assignment.objects.get()
    request.refresh_from_db()
    assert request.status == ReplacementRequest.Status.FILLED
    assert BookedSlot.objects.filter(assignment=assignment).count() == 4  # two weeks, Tue and Thu mornings
    assert MemberContract.objects.filter(assignment=assignment, board=w.board_a).exists()
    recipients = {tuple(m.to) for m in mail.outbox}
    assert ("rooster@eemcollege.example.nl",) in recipients
    assert (assignment.member.email,) in recipients
    member_mail = next(m for m in mail.outbox if m.to == [assignment.member.email])
    assert "Meld u bij de conciërge." in member_mail.body
    # 4. the school sees who comes
    client.force_login(w.leader_a1)
    body = client.get(reverse("pool:request_detail", args=[w.pool.slug, request.pk])).content.decode()
    assert assignment.member.full_name in body
    assert "ingevuld" in body
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"pool.request_created", "pool.batch_proposed", "pool.batch_confirmed", "pool.offer_accepted"} <= actions
