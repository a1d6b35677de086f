"""The candidate's code login never opens a staff account (issue 10, second High).

Anyone can register at the public intake form with any address. If the code login attached itself to the
existing account with that address, registering with a staff member's address and asking for a code would
open that staff account with all its roles. The code login may only open an account that is nothing but a
candidate's: no usable password, no active membership other than the candidate role, not `is_staff`, not
`is_superuser`.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from onderwijsregio.accounts.models import Membership, Role, User
from onderwijsregio.accounts.tests.factories import MembershipFactory, UserFactory
from onderwijsregio.core.models import AuditEvent
from onderwijsregio.loket import services
from onderwijsregio.loket.models import Candidate, ConsentPurpose, LoginCode
from onderwijsregio.loket.services.login_codes import _login_code_hash
from onderwijsregio.organisations.tests.factories import BoardFactory, RegionFactory

pytestmark = pytest.mark.django_db

STAFF_EMAIL = "medewerker@example.nl"
INTAKE = {
    "first_name": "Fatima",
    "last_name": "El Amrani",
    "email": STAFF_EMAIL,
    "postcode": "3811 AB",
    "target_group": "side_entrant",
    "education_level": "wo_master",
    "education_field": "Econometrie",
    "dutch_level": "C1",
    "target_sectors": ["VO"],
}
CODE = "123456"


def _superuser(region):
    return User.objects.create_superuser(STAFF_EMAIL, "een-lang-geheim-wachtwoord")


def _is_staff(region):
    user = UserFactory(email=STAFF_EMAIL, is_staff=True)
    user.set_unusable_password()
    user.save()
    return user


def _board_hr(region):
    user = UserFactory(email=STAFF_EMAIL)
    user.set_unusable_password()  # e.g. logs in through SURFconext, or has not chosen a password yet
    user.save()
    MembershipFactory(user=user, organisation=BoardFactory(), role=Role.BOARD_HR)
    return user


def _with_password(region):
    return UserFactory(email=STAFF_EMAIL)


STAFF_ACCOUNTS = pytest.mark.parametrize(
    "make_account",
    [_superuser, _is_staff, _board_hr, _with_password],
    ids=["superuser", "is_staff", "board_hr", "password"],
)


@pytest.fixture
def region():
    return RegionFactory(name="Onderwijsregio Eemland", slug="eemland")


def register(region, email=STAFF_EMAIL) -> Candidate:
    """What anyone can do at the public intake form: register with any address."""
    return services.candidate_register(
        region=region, data={**INTAKE, "email": email}, consents={ConsentPurpose.SHARE_BOARDS: True}, send_email=False
    )


def request_code(client, email, run_worker, capture) -> str:
    """Ask for a code at /loket/inloggen; the page the visitor sees next, and the mail that went out."""
    mail.outbox.clear()
    with capture(execute=True):
        response = client.post(reverse("loket:candidate_login"), {"email": email})
    assert response.status_code == 302 and response["Location"] == reverse("loket:candidate_login_code")
    run_worker()
    page = client.get(reverse("loket:candidate_login_code")).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page).replace(email, "EMAIL")


def six_digit_codes(messages) -> list[str]:
    return [code for message in messages for code in re.findall(r"(?<!\d)\d{6}(?!\d)", message.body)]


def stored_code(candidate: Candidate) -> LoginCode:
    """A valid code as one issued before the fix would have left behind."""
    return LoginCode.objects.create(
        candidate=candidate,
        code_hash=_login_code_hash(CODE, str(candidate.public_id)),
        expires_at=timezone.now() + timedelta(minutes=15),
    )


@STAFF_ACCOUNTS
def test_asking_for_a_code_for_a_staff_address_sends_no_code_and_looks_like_an_unknown_address(
    client, region, make_account, run_worker, django_capture_on_commit_callbacks
):
    staff = make_account(region)
    candidate = register(region)

    unknown_page = request_code(client, "onbekend@example.nl", run_worker, django_capture_on_commit_callbacks)
    staff_page = request_code(client, STAFF_EMAIL, run_worker, django_capture_on_commit_callbacks)

    assert staff_page == unknown_page
    assert LoginCode.objects.count() == 0
    # The owner of the address may be told why no code came, but never gets a code that works.
    assert six_digit_codes(mail.outbox) == []
    assert [(message.to, message.subject) for message in mail.outbox] == [
        ([STAFF_EMAIL], "Inloggen met een code kan niet met dit e-mailadres")
    ]
    assert "hoort een account van een medewerker" in mail.outbox[0].body
    refusal = AuditEvent.objects.get(action="candidate.login_code_refused", object_id=str(candidate.pk))
    assert refusal.details["step"] == "issue"
    assert not AuditEvent.objects.filter(action="candidate.login_code_sent").exists()
    staff.refresh_from_db()
    assert not Membership.objects.filter(user=staff, role=Role.CANDIDATE).exists()


@STAFF_ACCOUNTS
def test_a_code_never_logs_into_a_staff_account(client, region, make_account):
    staff = make_account(region)
    candidate = register(region)
    login_code = stored_code(candidate)

    session = client.session
    session["loket_login_email"] = STAFF_EMAIL
    session.save()
    response = client.post(reverse("loket:candidate_login_code"), {"code": CODE})

    assert response.status_code == 400
    assert "Deze code klopt niet of is niet meer geldig" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/beheer/").status_code == 302  # to the admin's login page
    candidate.refresh_from_db()
    assert candidate.user is None
    assert not Membership.objects.filter(user=staff, role=Role.CANDIDATE).exists()
    login_code.refresh_from_db()
    assert login_code.used_at is not None  # used up: it can never be tried again
    refusal = AuditEvent.objects.get(action="candidate.login_code_refused", object_id=str(candidate.pk))
    assert refusal.details["step"] == "verify"
    assert not AuditEvent.objects.filter(action="candidate.logged_in").exists()


@STAFF_ACCOUNTS
def test_the_service_refuses_to_attach_a_candidate_to_a_staff_account(region, make_account):
    staff = make_account(region)
    candidate = register(region)

    with pytest.raises(ValidationError) as refused:
        services.candidate_login_account(candidate=candidate)

    assert refused.value.error_code == "candidate_login_refused"
    candidate.refresh_from_db()
    assert candidate.user is None
    assert not Membership.objects.filter(user=staff, role=Role.CANDIDATE).exists()


def test_a_candidate_account_that_later_gets_a_staff_role_no_longer_logs_in_by_code(client, region):
    candidate = register(region, email="fatima@example.nl")
    account = services.candidate_login_account(candidate=candidate)
    # Hired by a board: the same account now holds an HR role.
    MembershipFactory(user=account, organisation=BoardFactory(), role=Role.BOARD_HR)
    stored_code(candidate)

    session = client.session
    session["loket_login_email"] = "fatima@example.nl"
    session.save()
    response = client.post(reverse("loket:candidate_login_code"), {"code": CODE})

    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.get(action="candidate.login_code_refused").details["reason"] == "membership"


def test_the_notice_to_a_staff_address_is_limited_per_hour(
    client, region, run_worker, django_capture_on_commit_callbacks
):
    _board_hr(region)
    register(region)
    sent = 0
    for _request in range(services.LOGIN_CODES_PER_HOUR + 2):
        request_code(client, STAFF_EMAIL, run_worker, django_capture_on_commit_callbacks)
        sent += len(mail.outbox)
    assert sent == services.LOGIN_CODES_PER_HOUR
    assert AuditEvent.objects.filter(action="candidate.login_code_refused").count() == services.LOGIN_CODES_PER_HOUR + 2


def test_an_account_that_is_only_a_candidates_still_logs_in(
    client, region, run_worker, django_capture_on_commit_callbacks
):
    # A former staff member: memberships ended, no password left. Nothing but the candidate role remains.
    former = UserFactory(email=STAFF_EMAIL)
    former.set_unusable_password()
    former.save()
    MembershipFactory(user=former, organisation=BoardFactory(), role=Role.BOARD_HR, ended_at=timezone.now())
    candidate = register(region)

    request_code(client, STAFF_EMAIL, run_worker, django_capture_on_commit_callbacks)
    (code,) = six_digit_codes(mail.outbox)
    response = client.post(reverse("loket:candidate_login_code"), {"code": code})

    assert response.status_code == 302 and response["Location"] == reverse("loket:my_record")
    candidate.refresh_from_db()
    assert candidate.user == former
    assert not AuditEvent.objects.filter(action="candidate.login_code_refused").exists()


@STAFF_ACCOUNTS
def test_erasing_a_candidate_wrongly_linked_to_a_staff_account_keeps_the_account(region, make_account):
    staff = make_account(region)
    candidate = register(region)
    # As the code login did before it refused staff accounts.
    Candidate.objects.filter(pk=candidate.pk).update(user=staff)
    candidate.refresh_from_db()

    services.candidate_erase(candidate=candidate, actor=None, reason="request")

    assert User.objects.filter(pk=staff.pk).exists()
