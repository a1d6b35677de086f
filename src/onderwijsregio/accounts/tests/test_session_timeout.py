"""Sessions end after inactivity and after a maximum lifetime (issue 10).

Staff sessions used to last 14 days whatever happened. Now a staff session ends after
STAFF_SESSION_IDLE_MINUTES without a request and STAFF_SESSION_MAX_HOURS after login; a
candidate's session may last longer but ends after CANDIDATE_SESSION_IDLE_MINUTES idle too. The
person lands on the login page with a Dutch message saying why.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from onderwijsregio.accounts.models import Role
from onderwijsregio.accounts.tests.factories import MembershipFactory, UserFactory
from onderwijsregio.organisations.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db
START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 60
    settings.STAFF_SESSION_MAX_HOURS = 12
    settings.CANDIDATE_SESSION_IDLE_MINUTES = 24 * 60
    settings.CANDIDATE_SESSION_MAX_HOURS = 14 * 24


def staff_user():
    user = UserFactory()
    MembershipFactory(user=user, organisation=RegionFactory(), role=Role.REGIONAL_TEAM)
    return user


def candidate_user():
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    MembershipFactory(user=user, organisation=RegionFactory(), role=Role.CANDIDATE)
    return user


def get_my_account(client):
    return client.get(reverse("accounts:my_account"))


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_staff_session_survives_activity_within_the_idle_limit(client):
    user = staff_user()
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(user)
        assert get_my_account(client).status_code == 200
        # Active every 50 minutes for ten hours: never idle for an hour, under the twelve-hour cap.
        for _ in range(12):
            traveller.shift(timedelta(minutes=50))
            assert get_my_account(client).status_code == 200
        assert is_logged_in(client)


def test_staff_session_ends_after_an_hour_idle_with_a_message_on_the_login_page(client):
    user = staff_user()
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(user)
        get_my_account(client)
        traveller.shift(timedelta(minutes=61))
        response = get_my_account(client)
        assert not is_logged_in(client)
        login_page = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"]
    assert "U bent uitgelogd omdat u 60 minuten niets hebt gedaan" in login_page.content.decode()


def test_staff_session_ends_after_twelve_hours_however_active(client):
    user = staff_user()
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(user)
        get_my_account(client)
        for _ in range(30):
            traveller.shift(timedelta(minutes=30))
            response = get_my_account(client)
            if response.status_code != 200:
                break
        assert datetime.now(UTC) - START == timedelta(hours=12, minutes=30)
        messages = [str(message) for message in get_messages(response.wsgi_request)]
        assert not is_logged_in(client)

    assert response.status_code == 302
    assert any("langer dan 12 uur" in message for message in messages)


def test_candidate_keeps_a_longer_session_but_not_forever_idle(client):
    user = candidate_user()
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(user)
        client.get("/")
        traveller.shift(timedelta(hours=3))
        client.get("/")
        assert is_logged_in(client), "a candidate is not held to the staff's hour"
        traveller.shift(timedelta(hours=25))
        response = client.get(reverse("loket:my_record"))
        assert not is_logged_in(client)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("loket:candidate_login"))


def test_the_session_cookie_expires_with_the_idle_limit(client):
    user = staff_user()
    with time_machine.travel(START, tick=False):
        client.force_login(user)
        get_my_account(client)
        # An hour, plus the grace period in which a returning person is still told why they were logged out.
        assert client.session.get_expiry_age() <= 60 * 60 + 12 * 3600
