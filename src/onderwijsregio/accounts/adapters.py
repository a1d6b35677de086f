"""django-allauth adapters: staff accounts are created by administrators, never by self sign-up."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.utils import translation

from onderwijsregio.core.i18n import language_cookie_set


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    def post_login(self, request, user, **kwargs):
        """After login, continue in the language the user chose in their account."""
        response = super().post_login(request, user, **kwargs)
        language = getattr(user, "preferred_language", "")
        # Only an explicit choice overrides the browser's language.
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            language_cookie_set(response, language)
        return response


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        # OpenID Connect logs in existing staff accounts (matched on verified email); it creates none.
        return False
