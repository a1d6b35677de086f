"""django-allauth adapters: staff accounts are created by administrators, never by self sign-up."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    def post_login(self, request, user, **kwargs):
        """After login, continue in the language the user chose in their account."""
        response = super().post_login(request, user, **kwargs)
        language = getattr(user, "preferred_language", "")
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            )
        return response


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        # OpenID Connect logs in existing staff accounts (matched on verified email); it creates none.
        return False
