"""Personal data never lands in a shared or browser cache: Cache-Control no-store on personal responses (issue 10)."""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.authtoken.models import Token

from onderwijsregio.accounts.tests.factories import MembershipFactory, UserFactory
from onderwijsregio.core.middleware import NoStoreMiddleware

pytestmark = pytest.mark.django_db


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_pages_for_a_logged_in_user_are_not_stored(client):
    client.force_login(MembershipFactory().user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert {"no-store", "private"} <= _directives(response)


def test_api_responses_are_not_stored_with_a_token_and_on_errors(client):
    token = Token.objects.create(user=UserFactory())
    response = client.get("/api/v1/users/me", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert {"no-store", "private"} <= _directives(response)
    refused = client.get("/api/v1/users/me")
    assert refused.status_code == 401
    assert {"no-store", "private"} <= _directives(refused)
    missing = client.get("/api/v1/bestaat-niet")
    assert missing.status_code == 404
    assert {"no-store", "private"} <= _directives(missing)


def test_the_login_response_that_starts_a_session_is_not_stored(client):
    user = UserFactory(email="hr@example.nl")
    user.set_password("een-lang-wachtwoord-2026")
    user.save()
    response = client.post(reverse("account_login"), {"login": "hr@example.nl", "password": "een-lang-wachtwoord-2026"})
    assert settings.SESSION_COOKIE_NAME in response.cookies
    assert "no-store" in _directives(response)


def test_public_pages_for_anonymous_visitors_stay_cacheable(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert "no-store" not in _directives(response)


def test_a_view_that_chose_its_own_caching_keeps_it():
    def view(request):
        response = HttpResponse("openbaar")
        response["Cache-Control"] = "public, max-age=600"
        return response

    request = RequestFactory().get("/over")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"
    assert NoStoreMiddleware(view)(request)["Cache-Control"] == "public, max-age=600"
