"""Services of the pool workflow: validation, batches, proposals, offers, cancellations (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from onderwijsregio.core.errors import StaleVersion
from onderwijsregio.core.models import AuditEvent
from onderwijsregio.pool import selectors, services
from onderwijsregio.pool.models import (
    Assignment,
    Batch,
    BookedSlot,
    Level,
    MemberContract,
    MemberUnavailability,
    Offer,
    Proposal,
    ReplacementRequest,
)

from .workflow_setup import build_world, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_world()


def request_data(w, **overrides):
    data = {
        "subject": w.wi,
        "levels": [Level.HAVO_VWO_LOWER.value],
        "start_date": w.start,
        "end_date": w.start + timedelta(days=18),
        "hours_per_week": Decimal("8"),
        "day_parts": ["0-0", "2-0"],
        "reason": "illness",
        "urgency": 0,
        "contact_name": "J. de Vries",
        "contact_email": "roosters@eemcollege.example.nl",
    }
    data.update(overrides)
    return data


def run_and_confirm(w, django_capture_on_commit_callbacks):
    batch = services.batch_run(pool=w.pool, actor=w.coordinator)
    with django_capture_on_commit_callbacks(execute=False):
        offers = services.batch_confirm(batch=batch, actor=w.coordinator)
    return batch, offers


class TestRequestValidation:
    def test_valid_request_is_created_and_audited(self, w):
        request = services.request_create(
            pool=w.pool, actor=w.leader_a1, school_location=w.school_a1, data=request_data(w)
        )
        assert request.board == w.board_a
        assert request.status == ReplacementRequest.Status.OPEN
        assert request.release_tier == "own_school"
        assert AuditEvent.objects.filter(action="pool.request_created", object_id=str(request.pk)).exists()

    def test_urgent_request_is_released_to_the_whole_pool_at_once(self, w):
        request = services.request_create(
            pool=w.pool, actor=w.hr_a, school_location=w.school_a1, data=request_data(w, urgency=2)
        )
        assert request.release_tier == "pool"

    def test_every_problem_is_reported_in_dutch(self, w):
        data = request_data(w, end_date=w.start - timedelta(days=1), subject=w.du, levels=[], day_parts=[])
        with pytest.raises(services.PoolError) as raised:
            services.request_create(pool=w.pool, actor=w.hr_a, school_location=w.school_a1, data=data)
        errors = raised.value.message_dict
        assert "vóór de eerste dag" in errors["end_date"][0]
        assert "Duits valt niet onder deze pool" in errors["subject"][0]
        assert "ten minste één niveau" in errors["levels"][0]
        assert "ten minste één dagdeel" in errors["day_parts"][0]
        assert not ReplacementRequest.objects.exists()

    def test_short_absence_is_not_for_the_pool(self, w):
        data = request_data(w, end_date=w.start + timedelta(days=2))
        with pytest.raises(services.PoolError) as raised:
            services.request_create(pool=w.pool, actor=w.hr_a, school_location=w.school_a1, data=data)
        assert "3 werkdag" in raised.value.message_dict["end_date"][0]
        assert "ten minste 5 werkdagen" in raised.value.message_dict["end_date"][0]

    def test_hours_must_fit_the_day_parts(self, w):
        data = request_data(w, hours_per_week=Decimal("11"), day_parts=["0-0", "2-0"])
        with pytest.raises(services.PoolError) as raised:
            services.request_create(pool=w.pool, actor=w.hr_a, school_location=w.school_a1, data=data)
        assert "hoogstens 10 lesuren" in raised.value.message_dict["hours_per_week"][0]

    def test_levels_outside_the_pool_are_refused(self, w):
        w.pool.levels = [Level.VMBO_GT.value]
        w.pool.save()
        with pytest.raises(services.PoolError) as raised:
            services.request_create(pool=w.pool, actor=w.hr_a, school_location=w.school_a1, data=request_data(w))
        assert "onderbouw havo/vwo" in raised.value.message_dict["levels"][0]

    def test_board_outside_the_pool_cannot_request(self, w):
        with pytest.raises(services.PoolError) as raised:
            services.request_create(pool=w.pool, actor=w.hr_c, school_location=w.school_c1, data=request_data(w))
        assert "neemt niet deel" in raised.value.message_dict["school_location"][0]

    def test_supplying_only_board_cannot_request(self, w):
        with pytest.raises(services.PoolError) as raised:
            services.request_create(pool=w.pool, actor=w.hr_b, school_location=w.school_b1, data=request_data(w))
        assert "geen vervanging aan" in raised.value.message_dict["school_location"][0]

    def test_stale_update_is_refused(self, w):
        request = make_request(w)
        services.request_update(
            request=request, actor=w.hr_a, data={"notes_for_substitute": "Lokaal 12"}, expected_version=request.version
        )
        with pytest.raises(StaleVersion):
            services.request_update(
                request=request, actor=w.hr_a, data={"notes_for_substitute": "x"}, expected_version=request.version
            )


class TestBatchAndOffers:
    def test_batch_proposes_the_nearest_qualified_member_and_explains_unfilled(self, w):
        filled = make_request(w)
        german = make_request(w, subject=w.ne, day_parts=["1-1", "3-1"])
        batch = services.batch_run(pool=w.pool, actor=w.coordinator)
        assert batch.status == Batch.Status.PROPOSED
        proposal = batch.proposals.get()
        assert proposal.request == filled
        assert proposal.member in (w.m1, w.m2)
        unfilled = batch.unfilled.get()
        assert unfilled.request == german
        assert "Nederlands" in unfilled.explanation
        filled.refresh_from_db()
        german.refresh_from_db()
        assert filled.status == ReplacementRequest.Status.PROPOSED
        assert german.status == ReplacementRequest.Status.OPEN
        assert german.unfilled_explanation == unfilled.explanation

    def test_confirm_creates_offers_and_mails_links(self, w, django_capture_on_commit_callbacks, run_worker):
        request = make_request(w)
        batch = services.batch_run(pool=w.pool, actor=w.coordinator)
        with django_capture_on_commit_callbacks(execute=True):
            offers = services.batch_confirm(batch=batch, actor=w.coordinator)
        run_worker()
        offer = offers[0]
        assert offer.expires_at > timezone.now() + timedelta(hours=w.pool.offer_valid_hours - 1)
        request.refresh_from_db()
        assert request.status == ReplacementRequest.Status.OFFERED
        message = mail.outbox[-1]
        assert message.to == [offer.member.email]
        assert f"/invalpool/aanbod/{offer.token}/accepteren/" in message.body
        assert f"/invalpool/aanbod/{offer.token}/afwijzen/" in message.body

    def test_second_confirmation_is_refused(self, w, django_capture_on_commit_callbacks):
        make_request(w)
        batch, offers = run_and_confirm(w, django_capture_on_commit_callbacks)
        with pytest.raises(services.PoolError) as raised:
            services.batch_confirm(batch=batch, actor=w.other_coordinator)
        assert "al bevestigd" in raised.value.messages[0]
        assert Offer.objects.count() == len(offers) == 1

    def test_accept_books_slots_contract_and_fills_request(self, w, django_capture_on_commit_callbacks):
        request = make_request(w)
        _, offers = run_and_confirm(w, django_capture_on_commit_callbacks)
        offer = offers[0]
        with django_capture_on_commit_callbacks(execute=False):
            assignment = services.offer_accept(token=offer.token)
        request.refresh_from_db()
        offer.refresh_from_db()
        assert offer.status == Offer.Status.ACCEPTED
        assert request.status == ReplacementRequest.Status.FILLED
        assert request.filled_hours_per_week == request.hours_per_week
        # three weeks, Monday and Wednesday mornings
        assert BookedSlot.objects.filter(assignment=assignment).count() == 6
        assert set(BookedSlot.objects.values_list("part", flat=True)) == {0}
        # board A is not the employer: a fixed-term contract counts for the chain rule
        assert MemberContract.objects.get(assignment=assignment).board == w.board_a

    def test_accept_twice_gives_a_clear_message(self, w, django_capture_on_commit_callbacks):
        make_request(w)
        _, offers = run_and_confirm(w, django_capture_on_commit_callbacks)
        services.offer_accept(token=offers[0].token)
        with pytest.raises(services.OfferRefused) as raised:
            services.offer_accept(token=offers[0].token)
        assert "al geaccepteerd" in raised.value.messages[0]
        assert Assignment.objects.count() == 1

    def test_expired_offer_cannot_be_accepted(self, w, django_capture_on_commit_callbacks):
        request = make_request(w)
        _, offers = run_and_confirm(w, django_capture_on_commit_callbacks)
        later = timezone.now() + timedelta(hours=w.pool.offer_valid_hours + 1)
        with pytest.raises(services.OfferRefused) as raised:
            services.offer_accept(token=offers[0].token, now=later)
        assert "verlopen" in raised.value.messages[0]
        offers[0].refresh_from_db()
        request.refresh_from_db()
        assert offers[0].status == Offer.Status.EXPIRED
        assert request.status == ReplacementRequest.Status.OPEN
        assert not Assignment.objects.exists()

    def test_unknown_token(self, w):
        with pytest.raises(services.OfferRefused) as raised:
            services.offer_accept(token="bestaat-niet")
        assert "onbekend" in raised.value.messages[0]

    def test_accept_rechecks_eligibility(self, w, django_capture_on_commit_callbacks):
        request = make_request(w)
        _, offers = run_and_confirm(w, django_capture_on_commit_callbacks)
        member = offers[0].member
        MemberUnavailability.objects.create(member=member, start_date=request.start_date, end_date=request.end_date)
        with pytest.raises(services.OfferRefused) as raised:
            services.offer_accept(token=offers[0].token)
        assert "afwezig" in raised.value.messages[0]
        assert not Assignment.objects.exists()

    def test_overlapping_work_is_refused_on_accept(self, w, django_capture_on_commit_callbacks):
        first = make_request(w, school_location=w.school_a1)
        second = make_request(w, school_location=w.school_a2, class_key="3C")
        # Offer both requests to the same member by hand (as two separate batches could).
        offers = [
            Offer.objects.create(
                request=r, member=w.m1, hours_per_week=r.hours_per_week, expires_at=timezone.now() + timedelta(hours=4)
            )
            for r in (first, second)
        ]
        services.offer_accept(token=offers[0].token)
        with pytest.raises(services.OfferRefused) as raised:
            services.offer_accept(token=offers[1].token)
        assert "al ingeroosterd" in raised.value.messages[0]
        assert Assignment.objects.filter(member=w.m1).count() == 1
        offers[1].refresh_from_db()
        assert offers[1].status == Offer.Status.WITHDRAWN

    def test_decline_reopens_request(self, w, django_capture_on_commit_callbacks):
        request = make_request(w)
        _, offers = run_and_confirm(w, django_capture_on_commit_callbacks)
        services.offer_decline(token=offers[0].token, reason="Ik heb al werk")
        request.refresh_from_db()
        offers[0].refresh_from_db()
        assert offers[0].status == Offer.Status.DECLINED
        assert offers[0].decline_reason == "Ik heb al werk"
        assert request.status == ReplacementRequest.Status.OPEN

    def test_offers_expire(self, w, django_capture_on_commit_callbacks):
        request = make_request(w)
        _, offers = run_and_confirm(w, django_capture_on_commit_callbacks)
        assert services.offers_expire(now=timezone.now()) == 0
        assert services.offers_expire(now=timezone.now() + timedelta(hours=49)) == 1
        request.refresh_from_db()
        assert request.status == ReplacementRequest.Status.OPEN


class TestProposalsEditing:
    def test_remove_proposal_reopens_request(self, w):
        request = make_request(w)
        batch = services.batch_run(pool=w.pool, actor=w.coordinator)
        services.proposal_remove(proposal=batch.proposals.get(), actor=w.coordinator)
        request.refresh_from_db()
        assert request.status == ReplacementRequest.Status.OPEN
        with pytest.raises(services.PoolError):
            services.proposal_remove(proposal=batch.proposals.get(), actor=w.coordinator)

    def test_replace_with_eligible_member(self, w):
        make_request(w)
        batch = services.batch_run(pool=w.pool, actor=w.coordinator)
        proposal = batch.proposals.get()
        other = w.m2 if proposal.member == w.m1 else w.m1
        services.proposal_replace(proposal=proposal, member=other, actor=w.coordinator)
        proposal.refresh_from_db()
        assert proposal.member == other
        assert proposal.edited_by_coordinator

    def test_replace_with_ineligible_member_lists_reasons(self, w):
        make_request(w)
        batch = services.batch_run(pool=w.pool, actor=w.coordinator)
        proposal = batch.proposals.get()
        with pytest.raises(services.PoolError) as raised:
            services.proposal_replace(proposal=proposal, member=w.m_far, actor=w.coordinator)
        assert "reisafstand" in raised.value.messages[0]
        proposal.refresh_from_db()
        assert proposal.member != w.m_far

    def test_why_not_lists_every_reason(self, w):
        request = make_request(w)
        rows = {row["member"]: row for row in selectors.why_not(request=request)}
        assert rows[w.m1]["eligible"]
        assert not rows[w.m_far]["eligible"]
        assert any("reisafstand" in reason for reason in rows[w.m_far]["reasons"])


class TestReleaseTiers:
    def test_tiers_widen_with_lead_time(self, w):
        w.pool.release_own_board_after_days = 1
        w.pool.release_pool_after_days = 3
        w.pool.save()
        request = make_request(w, release_tier="own_school")
        ReplacementRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - timedelta(days=1, hours=1))
        assert services.release_tiers_widen() == 1
        request.refresh_from_db()
        assert request.release_tier == "own_board"
        ReplacementRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - timedelta(days=4))
        services.release_tiers_widen()
        request.refresh_from_db()
        assert request.release_tier == "pool"

    def test_own_school_tier_only_proposes_members_of_the_school(self, w):
        w.pool.release_own_board_after_days = 5
        w.pool.release_pool_after_days = 10
        w.pool.save()
        request = make_request(w, release_tier="own_school")
        batch = services.batch_run(pool=w.pool, actor=w.coordinator)
        assert not batch.proposals.exists()
        w.m1.employer = w.board_a
        w.m1.home_school = w.school_a1
        w.m1.save()
        batch = services.batch_run(pool=w.pool, actor=w.coordinator)
        assert batch.proposals.get().member == w.m1
        assert batch.proposals.get().request == request


class TestCancellation:
    def test_cancel_request_withdraws_offers_and_frees_future_slots(self, w, django_capture_on_commit_callbacks):
        request = make_request(w)
        other = make_request(w, school_location=w.school_a2, class_key="4A", day_parts=["1-0"], hours_per_week=4)
        Offer.objects.create(
            request=other, member=w.m2, hours_per_week=4, expires_at=timezone.now() + timedelta(hours=4)
        )
        offer = Offer.objects.create(
            request=request, member=w.m1, hours_per_week=8, expires_at=timezone.now() + timedelta(hours=4)
        )
        services.offer_accept(token=offer.token)
        services.request_cancel(request=request, actor=w.hr_a)
        services.request_cancel(request=other, actor=w.hr_a)
        assert not BookedSlot.objects.exists()
        assert Assignment.objects.get().status == Assignment.Status.CANCELLED
        assert set(Offer.objects.values_list("status", flat=True)) == {"accepted", "withdrawn"}
        with pytest.raises(services.PoolError):
            services.request_cancel(request=request, actor=w.hr_a)

    def test_assignment_cancel_reopens_hours(self, w):
        request = make_request(w)
        offer = Offer.objects.create(
            request=request, member=w.m1, hours_per_week=8, expires_at=timezone.now() + timedelta(hours=4)
        )
        assignment = services.offer_accept(token=offer.token)
        services.assignment_cancel(assignment=assignment, actor=w.coordinator, reason="ziek")
        request.refresh_from_db()
        assert request.filled_hours_per_week == 0
        assert request.status == ReplacementRequest.Status.OPEN
        assert not BookedSlot.objects.exists()
        assert not MemberContract.objects.exists()


def test_batch_run_failure_marks_batch_failed(w, monkeypatch):
    make_request(w)

    def boom(*args, **kwargs):
        raise RuntimeError("solver weg")

    monkeypatch.setattr(services.batches, "_engine_assign", boom)
    with pytest.raises(RuntimeError):
        services.batch_run(pool=w.pool, actor=w.coordinator)
    assert Batch.objects.get().status == Batch.Status.FAILED
    assert not Proposal.objects.exists()
