"""The brute-force lockout (django-axes) at both login pages: per email address + IP address.

The root conftest switches axes off for every other test; these tests switch it on. The allauth login page
also has allauth's own limit on failed logins (in the cache, per email address for 5 minutes); emptying the
cache stands in for that window having passed, so what remains is what axes (in the database, 15 minutes)
guarantees.
"""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from onderwijsregio.accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ALLAUTH_LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/beheer/login/"
LIMIT = 3
WRONG = "dit-is-niet-het-wachtwoord"


@pytest.fixture(autouse=True)
def _axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = LIMIT


def client_from(ip: str) -> Client:
    return Client(REMOTE_ADDR=ip)


def attempt(client: Client, page: str, email: str, password: str):
    field = "login" if page == ALLAUTH_LOGIN else "username"
    data = {field: email, "password": password}
    if page == ADMIN_LOGIN:
        data["next"] = "/beheer/"
    return client.post(page, data)


def answer(response) -> tuple[int, str]:
    """Status and page, without the CSRF token (masked afresh on every page)."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return response.status_code, page


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def fail(client: Client, page: str, email: str, times: int = LIMIT) -> None:
    for _ in range(times):
        attempt(client, page, email, WRONG)
    assert not logged_in(client)


@pytest.fixture
def staff():
    return UserFactory(email="beheerder@example.nl", is_staff=True)


@pytest.fixture
def colleague():
    return UserFactory(email="collega@example.nl", is_staff=True)


@pytest.mark.parametrize("page", [ALLAUTH_LOGIN, ADMIN_LOGIN])
def test_locked_account_cannot_log_in_with_the_right_password(page, staff):
    attacker = client_from("198.51.100.7")
    fail(attacker, page, staff.email)
    cache.clear()  # allauth's own limit has passed; the lockout has not

    right = attempt(attacker, page, staff.email, TEST_PASSWORD)

    assert right.status_code == 429
    assert not logged_in(attacker)


@pytest.mark.parametrize("page", [ALLAUTH_LOGIN, ADMIN_LOGIN])
def test_locked_out_answers_the_same_for_the_right_and_a_wrong_password(page, staff):
    attacker = client_from("198.51.100.7")
    fail(attacker, page, staff.email)
    cache.clear()

    wrong = attempt(attacker, page, staff.email, "nog-een-gok")
    right = attempt(attacker, page, staff.email, TEST_PASSWORD)

    assert answer(right) == answer(wrong)
    assert right.status_code == 429
    assert not logged_in(attacker)


@pytest.mark.parametrize("page", [ALLAUTH_LOGIN, ADMIN_LOGIN])
def test_locked_non_staff_account_answers_the_same_for_the_right_and_a_wrong_password(page):
    user = UserFactory(email="medewerker@example.nl")
    attacker = client_from("198.51.100.7")
    fail(attacker, page, user.email)
    cache.clear()

    wrong = attempt(attacker, page, user.email, "nog-een-gok")
    right = attempt(attacker, page, user.email, TEST_PASSWORD)

    assert answer(right) == answer(wrong)


@pytest.mark.parametrize("page", [ALLAUTH_LOGIN, ADMIN_LOGIN])
def test_another_account_behind_the_same_address_can_still_log_in(page, staff, colleague):
    office = client_from("203.0.113.20")
    fail(office, page, staff.email)
    cache.clear()

    same_office = client_from("203.0.113.20")
    response = attempt(same_office, page, colleague.email, TEST_PASSWORD)

    assert response.status_code == 302
    assert logged_in(same_office)


@pytest.mark.parametrize("page", [ALLAUTH_LOGIN, ADMIN_LOGIN])
def test_the_same_account_from_another_address_can_still_log_in(page, staff):
    fail(client_from("198.51.100.7"), page, staff.email)
    cache.clear()

    elsewhere = client_from("192.0.2.44")
    response = attempt(elsewhere, page, staff.email, TEST_PASSWORD)

    assert response.status_code == 302
    assert logged_in(elsewhere)


@pytest.mark.parametrize("page", [ALLAUTH_LOGIN, ADMIN_LOGIN])
def test_failures_count_together_whatever_the_case_of_the_email(page, staff):
    attacker = client_from("198.51.100.7")
    for email in ["Beheerder@example.nl", "BEHEERDER@EXAMPLE.NL", "beheerder@Example.nl"]:
        attempt(attacker, page, email, WRONG)
    cache.clear()

    right = attempt(attacker, page, "beheerder@example.nl", TEST_PASSWORD)

    assert right.status_code == 429
    assert not logged_in(attacker)


@pytest.mark.parametrize("page", [ALLAUTH_LOGIN, ADMIN_LOGIN])
def test_a_failure_on_one_page_counts_on_the_other(page, staff):
    other = ADMIN_LOGIN if page == ALLAUTH_LOGIN else ALLAUTH_LOGIN
    attacker = client_from("198.51.100.7")
    fail(attacker, page, staff.email, times=LIMIT - 1)
    attempt(attacker, other, staff.email, WRONG)
    cache.clear()

    right = attempt(attacker, page, staff.email, TEST_PASSWORD)

    assert right.status_code == 429
    assert not logged_in(attacker)


@pytest.mark.parametrize("page", [ALLAUTH_LOGIN, ADMIN_LOGIN])
def test_a_successful_login_resets_the_count(page, staff):
    person = client_from("198.51.100.7")
    fail(person, page, staff.email, times=LIMIT - 1)
    assert attempt(person, page, staff.email, TEST_PASSWORD).status_code == 302
    person.logout()
    cache.clear()

    fail(person, page, staff.email, times=LIMIT - 1)
    response = attempt(person, page, staff.email, TEST_PASSWORD)

    assert response.status_code == 302
    assert logged_in(person)


@pytest.mark.parametrize("page", [ALLAUTH_LOGIN, ADMIN_LOGIN])
def test_with_the_default_limit_both_guards_answer_the_same_for_right_and_wrong(page, settings, staff):
    """At the default limit allauth's own per-address limit (also 5) answers first at its page; either way
    the answer to the right password is the answer to a wrong one."""
    settings.AXES_FAILURE_LIMIT = 5
    attacker = client_from("198.51.100.7")
    fail(attacker, page, staff.email, times=5)

    wrong = attempt(attacker, page, staff.email, "nog-een-gok")
    right = attempt(attacker, page, staff.email, TEST_PASSWORD)

    assert answer(right) == answer(wrong)
    assert not logged_in(attacker)
