"""Batch pages: start as a background job, review, edit, confirm once."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from onderwijsregio.pool import services
from onderwijsregio.pool.models import Batch, Offer, Proposal

from .workflow_setup import build_world, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_world()


def test_only_the_coordinator(client, w):
    client.force_login(w.hr_a)
    assert client.get(reverse("pool:batch_list", args=[w.pool.slug])).status_code == 403
    batch = services.batch_run(pool=w.pool, actor=w.coordinator)
    assert client.get(reverse("pool:batch_detail", args=[w.pool.slug, batch.pk])).status_code == 404


def test_start_runs_in_the_worker_with_progress(client, w, run_worker, django_capture_on_commit_callbacks):
    make_request(w)
    client.force_login(w.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pool:batch_list", args=[w.pool.slug]))
    batch = Batch.objects.get()
    assert response.url == reverse("pool:batch_detail", args=[w.pool.slug, batch.pk])
    body = client.get(response.url).content.decode()
    assert "<progress" in body  # the job's progress component while it waits for the worker
    run_worker()
    batch.refresh_from_db()
    assert batch.status == Batch.Status.PROPOSED
    assert batch.job.status == "succeeded"
    body = client.get(response.url).content.decode()
    assert "Bevestigen en aanbiedingen versturen" in body
    assert batch.proposals.get().explanation in body


def test_remove_replace_and_confirm(client, w, run_worker, django_capture_on_commit_callbacks):
    make_request(w)
    unfilled = make_request(w, subject=w.ne, school_location=w.school_a2)
    batch = services.batch_run(pool=w.pool, actor=w.coordinator)
    proposal = batch.proposals.get()
    client.force_login(w.coordinator)
    detail = reverse("pool:batch_detail", args=[w.pool.slug, batch.pk])
    body = client.get(detail).content.decode()
    assert unfilled.unfilled_explanation or "Nederlands" in body
    replace = reverse("pool:proposal_replace", args=[w.pool.slug, batch.pk, proposal.pk])
    body = client.post(replace, {"member": w.m_far.pk}).content.decode()
    assert "kan deze aanvraag niet krijgen" in body and "reisafstand" in body
    other = w.m2 if proposal.member == w.m1 else w.m1
    assert client.post(replace, {"member": other.pk}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.member == other
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("pool:batch_confirm", args=[w.pool.slug, batch.pk]))
    run_worker()
    offer = Offer.objects.get()
    assert offer.member == other
    assert mail.outbox[-1].to == [other.email]
    # a second confirmation (another tab, another coordinator) says so and sends nothing
    client.force_login(w.other_coordinator)
    response = client.post(reverse("pool:batch_confirm", args=[w.pool.slug, batch.pk]), follow=True)
    assert "al bevestigd" in response.content.decode()
    assert Offer.objects.count() == 1


def test_remove_proposal(client, w):
    make_request(w)
    batch = services.batch_run(pool=w.pool, actor=w.coordinator)
    proposal = batch.proposals.get()
    client.force_login(w.coordinator)
    client.post(reverse("pool:proposal_remove", args=[w.pool.slug, batch.pk, proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REMOVED
    client.post(reverse("pool:batch_confirm", args=[w.pool.slug, batch.pk]))
    assert not Offer.objects.exists()
