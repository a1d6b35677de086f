"""Sessions that end: after a period without requests and at a maximum age since login.

Django's session lasts SESSION_COOKIE_AGE (14 days) whatever happens, so a staff member who walks
away from a shared computer stays logged in for two weeks. This middleware stores the login time
and the time of the last request in the session and logs the person out when either limit has
passed, with a Dutch message on the login page saying why:

- staff (everyone who is not only a candidate): STAFF_SESSION_IDLE_MINUTES idle, at most
  STAFF_SESSION_MAX_HOURS after login;
- candidates, who log in with an emailed code and see only their own record, may stay logged in
  longer: CANDIDATE_SESSION_IDLE_MINUTES idle, CANDIDATE_SESSION_MAX_HOURS after login.

The session's own expiry is set to what is left (plus a grace period in which the message can still
be shown), so the cookie and the stored session end too instead of after 14 days.
API requests with a token carry no session and are not affected.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _

from .models import Role
from .permissions import access_for

LOGIN_AT = "_onderwijsregio_login_at"
LAST_SEEN = "_onderwijsregio_last_seen"
# The last-seen time is written at most this often, so that not every request writes the session.
TOUCH_EVERY_SECONDS = 60
# The stored session outlives the limit by this much, so that a person who comes back after it is
# still recognised and told why they were logged out (the middleware refuses the session anyway).
EXPIRY_GRACE_SECONDS = 12 * 3600


def _is_candidate_only(user) -> bool:
    if user.is_staff or user.is_superuser:
        return False
    roles = {role for role, _organisation, _location in access_for(user).memberships}
    return roles == {Role.CANDIDATE}


def _limits(user) -> tuple[int, int, bool]:
    """(idle seconds, maximum age in seconds, is a candidate) for this user."""
    if _is_candidate_only(user):
        return settings.CANDIDATE_SESSION_IDLE_MINUTES * 60, settings.CANDIDATE_SESSION_MAX_HOURS * 3600, True
    return settings.STAFF_SESSION_IDLE_MINUTES * 60, settings.STAFF_SESSION_MAX_HOURS * 3600, False


def session_clock_start(sender, request, user, **kwargs) -> None:
    """At login (the `user_logged_in` signal): start both clocks in the new session."""
    session = getattr(request, "session", None) if request is not None else None
    if session is not None:
        _touch(session, user, now=time.time(), login=True)


def _touch(session, user, *, now: float, login: bool = False) -> None:
    if login:
        session[LOGIN_AT] = now
    session[LAST_SEEN] = now
    idle, max_age, _is_candidate = _limits(user)
    if not session.get_expire_at_browser_close():
        # The stored session and its cookie end soon after the first limit to pass.
        left = int(min(idle, max_age - (now - session[LOGIN_AT])))
        session.set_expiry(max(left, 1) + EXPIRY_GRACE_SECONDS)


class SessionTimeoutMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            ended = self._check(request, user)
            if ended is not None:
                return ended
        return self.get_response(request)

    def _check(self, request: HttpRequest, user) -> HttpResponse | None:
        now = time.time()
        idle, max_age, is_candidate = _limits(user)
        login_at = request.session.get(LOGIN_AT)
        last_seen = request.session.get(LAST_SEEN)
        if login_at is None or last_seen is None:
            # A session from before these limits existed (logins start the clock): its clock starts now.
            self._touch(request, user, now=now, login=True)
            return None
        if now - last_seen > idle:
            reason = _("U bent uitgelogd omdat u %(minutes)s minuten niets hebt gedaan. Log opnieuw in.") % {
                "minutes": idle // 60
            }
        elif now - login_at > max_age:
            reason = _("U bent uitgelogd omdat u langer dan %(hours)s uur was ingelogd. Log opnieuw in.") % {
                "hours": max_age // 3600
            }
        else:
            if now - last_seen >= TOUCH_EVERY_SECONDS:
                self._touch(request, user, now=now)
            return None
        logout(request)
        if request.path.startswith("/api/"):
            # The API answers for itself (401/403 for an anonymous request); no page to send anyone to.
            return None
        messages.info(request, reason)
        login_url = resolve_url(settings.CANDIDATE_LOGIN_URL if is_candidate else settings.LOGIN_URL)
        if request.method == "GET":
            login_url = f"{login_url}?{urlencode({'next': request.get_full_path()})}"
        return HttpResponseRedirect(login_url)

    def _touch(self, request: HttpRequest, user, *, now: float, login: bool = False) -> None:
        _touch(request.session, user, now=now, login=login)
