"""Candidates log in with a one-time code sent by email; the first login makes their account."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from onderwijsregio.accounts.models import Membership, Role
from onderwijsregio.core.errors import DomainError
from onderwijsregio.core.services import audit_record
from onderwijsregio.organisations.models import Organisation

from .. import audit
from ..models import (
    Candidate,
    LoginCode,
)
from .common import _mail_candidate

LOGIN_CODE_VALID = timedelta(minutes=15)


LOGIN_CODE_MAX_ATTEMPTS = 5


# More requests than this per candidate per hour send no further email (no mail-bombing).
LOGIN_CODES_PER_HOUR = 5


def _login_code_hash(code: str, login_code_salt: str) -> str:
    from django.utils.crypto import salted_hmac

    # Keyed with SECRET_KEY: a copy of the table alone does not let anyone try the million codes.
    return salted_hmac("onderwijsregio.loket.login_code", f"{login_code_salt}:{code}", algorithm="sha256").hexdigest()


def _login_account(candidate: Candidate) -> Any:
    """The account the code login would open for this candidate: theirs, else the one with their address."""
    from onderwijsregio.accounts.models import User

    if candidate.user_id is not None:
        return candidate.user
    return User.objects.filter(email__iexact=candidate.email).first()


def candidate_login_refusal(user: Any) -> str:
    """Why the candidate code login may not open this account, or "" when it may.

    Anyone can register at the public form with any address, so a code only proves control of the
    mailbox, not who the account belongs to. It may therefore open only an account that is nothing but a
    candidate's: never one that logs in otherwise (a usable password), holds a role other than candidate
    (an active membership), or reaches the admin (`is_staff`, `is_superuser`, Django groups or permissions).
    """
    if user is None:
        return ""
    if user.is_superuser:
        return "superuser"
    if user.is_staff:
        return "staff"
    if user.has_usable_password():
        return "password"
    if Membership.objects.filter(user=user, ended_at__isnull=True).exclude(role=Role.CANDIDATE).exists():
        return "membership"
    if user.groups.exists() or user.user_permissions.exists():
        return "permissions"
    return ""


def _refuse_login(candidate: Candidate, user: Any, reason: str, step: str, *, notice_sent: bool = False) -> None:
    audit_record(
        actor=None,
        action=audit.CANDIDATE_LOGIN_CODE_REFUSED,
        obj=candidate,
        organisation_id=candidate.region_id,
        details={"step": step, "reason": reason, "account": user.pk, "notice_sent": notice_sent},
    )


def _login_candidate(email: str, region: Organisation | None = None) -> Candidate | None:
    candidates = Candidate.objects.filter(email__iexact=(email or "").strip(), merged_into__isnull=True)
    if region is not None:
        candidates = candidates.filter(region=region)
    # One person may have registered twice: the record with an account wins, then the newest.
    from django.db.models import F

    return candidates.select_related("region").order_by(F("user_id").asc(nulls_last=True), "-created_at").first()


@transaction.atomic
def login_code_issue(*, email: str, region: Organisation | None = None) -> LoginCode | None:
    """Email a 6-digit one-time code to the candidate with this address, if there is one.

    Returns the stored code row (None when nothing was sent); callers must not tell the visitor
    which, so that the page does not reveal whether an address is known.

    The code itself is made by the worker (login_code_send): the task gets only the row's id, so the
    code is in no task's arguments or result in the database, only in the email and, hashed, in the row.
    Until the worker ran, the row's hash is empty and matches no code.
    """
    from ..tasks import login_code_send_task

    candidate = _login_candidate(email, region)
    if candidate is None:
        return None
    now = timezone.now()
    account = _login_account(candidate)
    if reason := candidate_login_refusal(account):
        # No code, and the visitor sees what an unknown address gets. Only the mailbox's owner is told why.
        _refuse_login(candidate, account, reason, "issue", notice_sent=_login_refused_notice(candidate, now))
        return None
    if candidate.login_codes.filter(created_at__gte=now - timedelta(hours=1)).count() >= LOGIN_CODES_PER_HOUR:
        audit_record(
            actor=None, action=audit.CANDIDATE_LOGIN_CODE_THROTTLED, obj=candidate, organisation_id=candidate.region_id
        )
        return None
    candidate.login_codes.filter(created_at__lt=now - timedelta(days=1)).delete()
    login_code = LoginCode.objects.create(candidate=candidate, code_hash="", expires_at=now + LOGIN_CODE_VALID)
    audit_record(actor=None, action=audit.CANDIDATE_LOGIN_CODE_SENT, obj=candidate, organisation_id=candidate.region_id)
    login_code_id = login_code.pk
    transaction.on_commit(lambda: login_code_send_task.enqueue(login_code_id=login_code_id))
    return login_code


def login_code_send(*, login_code_id: int) -> int:
    """Make the code of a login code row and email it (in the worker); returns how many emails went out.

    Sends nothing for a row that is gone (erased), used or already sent. The email
    is sent right here, not queued as a task of its own, so its text (with the code) is never stored.
    """
    import secrets

    from django.conf import settings
    from django.core.mail import EmailMultiAlternatives
    from django.template.loader import render_to_string
    from django.utils import translation

    with transaction.atomic():
        login_code = (
            LoginCode.objects.select_for_update(of=("self",))
            .select_related("candidate__region")
            .filter(pk=login_code_id, used_at__isnull=True, code_hash="")
            .first()
        )
        if login_code is None:
            return 0
        candidate = login_code.candidate
        code = f"{secrets.randbelow(10**6):06d}"
        # Valid from when it is sent, so a slow queue does not shorten it.
        LoginCode.objects.filter(pk=login_code.pk).update(
            code_hash=_login_code_hash(code, str(candidate.public_id)), expires_at=timezone.now() + LOGIN_CODE_VALID
        )
    with translation.override(candidate.preferred_language or settings.LANGUAGE_CODE):
        body = render_to_string(
            "loket/email/login_code.txt",
            {
                "candidate": candidate,
                "site_url": settings.SITE_URL,
                "code": code,
                "minutes": int(LOGIN_CODE_VALID.total_seconds() // 60),
            },
        )
        subject = str(_("Uw inlogcode voor het onderwijsloket"))
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[candidate.email]
    )
    return message.send()


def _login_refused_notice(candidate: Candidate, now: datetime) -> bool:
    """Tell the owner of the address why no code came (at most LOGIN_CODES_PER_HOUR an hour); True if sent."""
    from onderwijsregio.core.models import AuditEvent

    recent = AuditEvent.objects.filter(
        action=audit.CANDIDATE_LOGIN_CODE_REFUSED,
        object_type="loket.candidate",
        object_id=str(candidate.pk),
        created_at__gte=now - timedelta(hours=1),
        details__notice_sent=True,
    ).count()
    if recent >= LOGIN_CODES_PER_HOUR:
        return False
    _mail_candidate(candidate, "login_code_refused", gettext_noop("Inloggen met een code kan niet met dit e-mailadres"))
    return True


@transaction.atomic
def login_code_verify(*, email: str, code: str) -> Candidate | None:
    """The candidate whose latest code this is, or None; the code is used up on success.

    Only the latest code counts, for LOGIN_CODE_VALID and LOGIN_CODE_MAX_ATTEMPTS tries; every
    failure is counted and audited (and committed: this returns instead of raising).
    """
    from django.utils.crypto import constant_time_compare

    candidates = Candidate.objects.filter(email__iexact=(email or "").strip(), merged_into__isnull=True)
    login_code = (
        LoginCode.objects.select_for_update(of=("self",))
        .filter(candidate__in=candidates, used_at__isnull=True)
        .select_related("candidate")
        .order_by("-created_at", "-id")
        .first()
    )
    if login_code is None:
        return None
    candidate = login_code.candidate
    now = timezone.now()
    account = _login_account(candidate)
    if reason := candidate_login_refusal(account):
        # Whatever was typed: the code is used up and the visitor sees what a wrong code gets.
        LoginCode.objects.filter(pk=login_code.pk).update(used_at=now)
        _refuse_login(candidate, account, reason, "verify")
        return None
    usable = login_code.expires_at > now and login_code.attempts < LOGIN_CODE_MAX_ATTEMPTS
    matches = constant_time_compare(login_code.code_hash, _login_code_hash(str(code).strip(), str(candidate.public_id)))
    if usable and matches:
        LoginCode.objects.filter(pk=login_code.pk).update(used_at=now)
        return candidate
    LoginCode.objects.filter(pk=login_code.pk).update(attempts=login_code.attempts + 1)
    audit_record(
        actor=None,
        action=audit.CANDIDATE_LOGIN_CODE_FAILED,
        obj=candidate,
        organisation_id=candidate.region_id,
        details={
            "attempt": login_code.attempts + 1,
            "reason": "expired" if login_code.expires_at <= now else "attempts" if not usable else "wrong_code",
        },
    )
    return None


@transaction.atomic
def candidate_login_account(*, candidate: Candidate) -> Any:
    """The account a candidate logs in with: made (role CANDIDATE at the region) on first login.

    Refuses (DomainError `candidate_login_refused`) an account that is more than a candidate's; see
    `candidate_login_refusal`. The candidate then has no login of their own until the desk gives their
    record an address that belongs to no such account.
    """
    from onderwijsregio.accounts.models import User
    from onderwijsregio.accounts.services import membership_create, user_create

    candidate = Candidate.objects.select_for_update(of=("self",)).select_related("region", "user").get(pk=candidate.pk)
    user = _login_account(candidate)
    if candidate_login_refusal(user):
        raise DomainError(
            _("Met dit e-mailadres kunt u niet als kandidaat inloggen. Neem contact op met het onderwijsloket."),
            code="candidate_login_refused",
        )
    if candidate.user is None:
        if user is None:
            user = user_create(
                email=candidate.email,
                full_name=candidate.full_name,
                actor=None,
                audit_repr=f"kandidaat-account van kandidaat {candidate.pk}",
            )
            User.objects.filter(pk=user.pk).update(preferred_language=candidate.preferred_language)
            user.preferred_language = candidate.preferred_language
        if not hasattr(user, "candidate") or user.candidate is None:
            Candidate.objects.filter(pk=candidate.pk).update(user=user)
            candidate.user = user
    if not Membership.objects.filter(
        user=user, organisation_id=candidate.region_id, role=Role.CANDIDATE, ended_at__isnull=True
    ).exists():
        membership_create(user=user, organisation=candidate.region, role=Role.CANDIDATE, actor=None)
    audit_record(actor=user, action=audit.CANDIDATE_LOGGED_IN, obj=candidate, organisation_id=candidate.region_id)
    return user
