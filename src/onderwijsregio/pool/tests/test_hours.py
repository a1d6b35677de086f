"""Worked hours: entered per week by one side, confirmed or disputed by the other, with clear errors."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from onderwijsregio.accounts.models import Role
from onderwijsregio.accounts.tests.factories import MembershipFactory, UserFactory
from onderwijsregio.core.errors import StaleVersion
from onderwijsregio.core.models import AuditEvent
from onderwijsregio.organisations.models import SubRegion
from onderwijsregio.organisations.tests.factories import (
    BoardFactory,
    MunicipalityFactory,
    PupilCountFactory,
    RegionFactory,
    RegionSchoolLocationFactory,
    SchoolLocationFactory,
)
from onderwijsregio.pool import selectors, services
from onderwijsregio.pool.models import Assignment, HoursEntry
from onderwijsregio.pool.services import (
    hours_entry_confirm,
    hours_entry_create,
    hours_entry_dispute,
)
from onderwijsregio.pool.tests.factories import (
    AssignmentFactory,
    PoolBoardFactory,
    PoolFactory,
    PoolMemberFactory,
    ReplacementRequestFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db

Side = HoursEntry.Side


def monday_weeks_ago(weeks: int) -> date:
    today = date.today()
    return today - timedelta(days=today.weekday()) - timedelta(weeks=weeks)


def build_hours_world() -> SimpleNamespace:
    """A pool of two boards (A asks, B supplies and asks too), an outsider C, people and one assignment.

    The assignment (a member of board B at a school of board A) ran four weeks, ending two weeks ago.
    """
    w = SimpleNamespace()
    w.municipality = MunicipalityFactory(name="Amersfoort")
    w.other_municipality = MunicipalityFactory(name="Leusden")
    w.region = RegionFactory(name="Onderwijsregio Eemland")
    w.subregion = SubRegion.objects.create(region=w.region, name="Eemland-Noord")
    w.subregion.municipalities.add(w.municipality)
    w.board_a = BoardFactory(name="Stichting Vraagt")
    w.board_b = BoardFactory(name="Stichting Levert")
    w.board_c = BoardFactory(name="Stichting Buiten")
    w.school_a = SchoolLocationFactory(board=w.board_a, name="Eemcollege", municipality=w.municipality)
    w.school_b = SchoolLocationFactory(board=w.board_b, name="Leverancier College", municipality=w.other_municipality)
    for school, pupils in ((w.school_a, 600), (w.school_b, 400)):
        RegionSchoolLocationFactory(region=w.region, school_location=school, started_on=date(2020, 8, 1))
        PupilCountFactory(school_location=school, year=2024, count=pupils - 50)
        PupilCountFactory(school_location=school, year=2025, count=pupils)
    w.wi = SubjectFactory(code="wi", name="wiskunde")
    w.ne = SubjectFactory(code="ne", name="Nederlands")
    w.pool = PoolFactory(region=w.region, name="Invalpool Eemland", slug="eemland", vog_max_age_months=36)
    w.pb_a = PoolBoardFactory(pool=w.pool, board=w.board_a, contribution_fte=Decimal("300"))
    w.pb_b = PoolBoardFactory(pool=w.pool, board=w.board_b, contribution_fte=Decimal("100"))
    w.coordinator = MembershipFactory(organisation=w.region, role=Role.REGIONAL_TEAM).user
    w.hr_a = MembershipFactory(organisation=w.board_a, role=Role.BOARD_HR).user
    w.hr_b = MembershipFactory(organisation=w.board_b, role=Role.BOARD_HR).user
    w.hr_c = MembershipFactory(organisation=w.board_c, role=Role.BOARD_HR).user
    w.leader_a = MembershipFactory(organisation=w.board_a, role=Role.SCHOOL_LEADER, school_location=w.school_a).user
    w.member_user = UserFactory(email="anna.invaller@example.nl", full_name="Anna Eerste")
    w.m1 = PoolMemberFactory(
        pool=w.pool, employer=w.board_b, full_name="Anna Eerste", email="anna@example.nl", user=w.member_user
    )
    w.m_idle = PoolMemberFactory(pool=w.pool, employer=w.board_b, full_name="Ivo Nooitingezet", email="ivo@example.nl")
    w.m_a = PoolMemberFactory(pool=w.pool, employer=w.board_a, full_name="Aart Eigen", email="aart@example.nl")
    w.start = monday_weeks_ago(6)
    w.request = ReplacementRequestFactory(
        pool=w.pool,
        school_location=w.school_a,
        subject=w.wi,
        start_date=w.start,
        end_date=w.start + timedelta(days=25),  # Monday of week 1 to Friday of week 4
        hours_per_week=Decimal("8.0"),
        contact_email="contact@eemcollege.example.nl",
        status="filled",
        filled_hours_per_week=Decimal("8.0"),
    )
    w.assignment = AssignmentFactory(request=w.request, member=w.m1)
    return w


@pytest.fixture
def w():
    return build_hours_world()


def test_school_enters_hours_and_the_member_is_asked_to_confirm(w, django_capture_on_commit_callbacks, run_worker):
    with django_capture_on_commit_callbacks(execute=True):
        entry = hours_entry_create(
            assignment=w.assignment, week_start=w.start, hours="7.5", side=Side.SCHOOL, actor=w.leader_a
        )
    assert entry.status == HoursEntry.Status.ENTERED
    assert entry.hours == Decimal("7.50")
    assert entry.entered_by == w.leader_a
    event = AuditEvent.objects.get(action="pool.hours_entered")
    assert event.organisation_id == w.board_a.pk and event.details["hours"] == "7.50"
    run_worker()
    assert [message.to for message in mail.outbox] == [["anna@example.nl"]]
    assert "bevestig" in mail.outbox[0].body.lower()
    assert f"/invalpool/eemland/uren/inzet/{w.assignment.pk}/" in mail.outbox[0].body


def test_the_member_entering_asks_the_school_contact(w, django_capture_on_commit_callbacks, run_worker):
    with django_capture_on_commit_callbacks(execute=True):
        hours_entry_create(assignment=w.assignment, week_start=w.start, hours=8, side=Side.MEMBER, actor=w.member_user)
    run_worker()
    assert [message.to for message in mail.outbox] == [["contact@eemcollege.example.nl"]]


def test_more_than_one_and_a_half_times_the_agreed_hours_is_refused(w):
    hours_entry_create(assignment=w.assignment, week_start=w.start, hours=12, side=Side.SCHOOL, actor=w.hr_a)
    with pytest.raises(ValidationError) as error:
        hours_entry_create(
            assignment=w.assignment,
            week_start=w.start + timedelta(weeks=1),
            hours="12.5",
            side=Side.SCHOOL,
            actor=w.hr_a,
        )
    assert "anderhalf" in error.value.message_dict["hours"][0]
    assert "12" in error.value.message_dict["hours"][0]
    with pytest.raises(ValidationError) as error:
        hours_entry_create(assignment=w.assignment, week_start=w.start, hours=-1, side=Side.SCHOOL, actor=w.hr_a)
    assert "negatief" in error.value.message_dict["hours"][0]


def test_weeks_outside_the_assignment_or_not_a_monday_are_refused(w):
    for week, fragment in [
        (w.start - timedelta(weeks=1), "buiten de inzet"),
        (w.start + timedelta(weeks=4), "buiten de inzet"),
        (w.start + timedelta(days=2), "maandag"),
    ]:
        with pytest.raises(ValidationError) as error:
            hours_entry_create(assignment=w.assignment, week_start=week, hours=8, side=Side.SCHOOL, actor=w.hr_a)
        assert fragment in error.value.message_dict["week_start"][0]
    assert services.assignment_weeks(assignment=w.assignment) == [w.start + timedelta(weeks=n) for n in range(4)]
    assert not HoursEntry.objects.exists()


def test_a_week_that_starts_midweek_counts(w):
    assignment = AssignmentFactory(
        request=ReplacementRequestFactory(
            pool=w.pool,
            school_location=w.school_a,
            start_date=w.start + timedelta(days=2),
            end_date=w.start + timedelta(days=9),
        ),
        member=w.m_a,
    )
    assert services.assignment_weeks(assignment=assignment) == [w.start, w.start + timedelta(weeks=1)]


def test_one_entry_per_week_corrected_until_confirmed_with_optimistic_version(w):
    first = hours_entry_create(assignment=w.assignment, week_start=w.start, hours=6, side=Side.SCHOOL, actor=w.hr_a)
    corrected = hours_entry_create(
        assignment=w.assignment,
        week_start=w.start,
        hours=7,
        side=Side.MEMBER,
        actor=w.member_user,
        expected_version=first.version,
    )
    assert corrected.pk == first.pk and corrected.version == first.version + 1
    assert corrected.entered_side == Side.MEMBER and corrected.hours == Decimal("7.00")
    assert HoursEntry.objects.count() == 1
    assert AuditEvent.objects.filter(action="pool.hours_corrected").count() == 1
    with pytest.raises(StaleVersion):
        hours_entry_create(
            assignment=w.assignment, week_start=w.start, hours=8, side=Side.SCHOOL, actor=w.hr_a, expected_version=1
        )
    hours_entry_confirm(entry=corrected, side=Side.SCHOOL, actor=w.leader_a)
    with pytest.raises(ValidationError, match="al bevestigd"):
        hours_entry_create(assignment=w.assignment, week_start=w.start, hours=8, side=Side.SCHOOL, actor=w.hr_a)
    assert HoursEntry.objects.get().hours == Decimal("7.00")


def test_only_the_other_side_or_the_coordinator_confirms(w):
    entry = hours_entry_create(assignment=w.assignment, week_start=w.start, hours=8, side=Side.SCHOOL, actor=w.hr_a)
    with pytest.raises(ValidationError, match="andere partij"):
        hours_entry_confirm(entry=entry, side=Side.SCHOOL, actor=w.leader_a)
    with pytest.raises(ValidationError, match="eigen kant"):
        hours_entry_confirm(entry=entry, side=Side.MEMBER, actor=w.hr_a)
    confirmed = hours_entry_confirm(entry=entry, side=Side.MEMBER, actor=w.member_user, expected_version=entry.version)
    assert confirmed.status == HoursEntry.Status.CONFIRMED and confirmed.confirmed_by == w.member_user
    assert confirmed.confirmed_at is not None
    assert AuditEvent.objects.filter(action="pool.hours_confirmed", object_id=str(entry.pk)).exists()
    with pytest.raises(ValidationError, match="al bevestigd"):
        hours_entry_confirm(entry=confirmed, side=Side.COORDINATOR, actor=w.coordinator)
    # The coordinator may confirm what the coordinator entered.
    own = hours_entry_create(
        assignment=w.assignment,
        week_start=w.start + timedelta(weeks=1),
        hours=8,
        side=Side.COORDINATOR,
        actor=w.coordinator,
    )
    assert hours_entry_confirm(entry=own, side=Side.COORDINATOR, actor=w.coordinator).status == "confirmed"


def test_outsiders_cannot_act_for_any_side(w):
    for actor, side in [
        (w.hr_c, Side.SCHOOL),
        (w.hr_b, Side.SCHOOL),
        (w.member_user, Side.SCHOOL),
        (w.hr_a, Side.COORDINATOR),
    ]:
        with pytest.raises(ValidationError):
            hours_entry_create(assignment=w.assignment, week_start=w.start, hours=8, side=side, actor=actor)
    assert not HoursEntry.objects.exists()


def test_dispute_needs_a_reason_mails_the_enterer_and_a_correction_puts_it_back(
    w, django_capture_on_commit_callbacks, run_worker
):
    entry = hours_entry_create(assignment=w.assignment, week_start=w.start, hours=8, side=Side.SCHOOL, actor=w.leader_a)
    with pytest.raises(ValidationError) as error:
        hours_entry_dispute(entry=entry, side=Side.MEMBER, actor=w.member_user, note="  ")
    assert "note" in error.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        disputed = hours_entry_dispute(
            entry=entry, side=Side.MEMBER, actor=w.member_user, note="Woensdag was er geen les."
        )
    assert disputed.status == HoursEntry.Status.DISPUTED and disputed.note == "Woensdag was er geen les."
    run_worker()
    assert [message.to for message in mail.outbox] == [[w.leader_a.email]]
    assert "Woensdag was er geen les." in mail.outbox[0].body
    # The member cannot confirm a disputed entry; the school corrects it and it awaits confirmation again.
    with pytest.raises(ValidationError, match="betwist"):
        hours_entry_confirm(entry=disputed, side=Side.MEMBER, actor=w.member_user)
    again = hours_entry_create(assignment=w.assignment, week_start=w.start, hours=4, side=Side.SCHOOL, actor=w.leader_a)
    assert again.status == HoursEntry.Status.ENTERED and again.hours == Decimal("4.00")
    assert hours_entry_confirm(entry=again, side=Side.MEMBER, actor=w.member_user).status == "confirmed"
    assert AuditEvent.objects.filter(action="pool.hours_disputed").count() == 1


def test_the_coordinator_settles_a_dispute(w):
    entry = hours_entry_create(
        assignment=w.assignment, week_start=w.start, hours=8, side=Side.MEMBER, actor=w.member_user
    )
    disputed = hours_entry_dispute(entry=entry, side=Side.SCHOOL, actor=w.hr_a, note="Maar 6 uur gewerkt.")
    assert hours_entry_confirm(entry=disputed, side=Side.COORDINATOR, actor=w.coordinator).status == "confirmed"


def test_no_hours_on_a_cancelled_assignment(w):
    Assignment.objects.filter(pk=w.assignment.pk).update(status=Assignment.Status.CANCELLED)
    with pytest.raises(ValidationError, match="geannuleerd"):
        hours_entry_create(assignment=w.assignment, week_start=w.start, hours=8, side=Side.SCHOOL, actor=w.hr_a)


def test_awaiting_lists_only_what_the_user_must_confirm(w):
    school_entered = hours_entry_create(
        assignment=w.assignment, week_start=w.start, hours=8, side=Side.SCHOOL, actor=w.hr_a
    )
    member_entered = hours_entry_create(
        assignment=w.assignment, week_start=w.start + timedelta(weeks=1), hours=8, side=Side.MEMBER, actor=w.member_user
    )
    assert list(selectors.hours_awaiting(user=w.member_user, pool=w.pool)) == [school_entered]
    assert list(selectors.hours_awaiting(user=w.leader_a, pool=w.pool)) == [member_entered]
    assert list(selectors.hours_awaiting(user=w.hr_b, pool=w.pool)) == []
    assert set(selectors.hours_awaiting(user=w.coordinator, pool=w.pool)) == {school_entered, member_entered}
    # HR of the employing board sees the entries of its member, HR outside the pool sees none.
    assert selectors.hours_entries_visible(user=w.hr_b, pool=w.pool).count() == 2
    assert selectors.hours_entries_visible(user=w.hr_c, pool=w.pool).count() == 0
