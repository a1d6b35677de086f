"""Login adapters: django-allauth (staff accounts are created by administrators, never by self sign-up)
and the email address django-axes counts failed logins under."""

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


# Where the email address is, in the order tried: allauth's credentials say "email", Django's admin login
# says "username", axes itself files the address under AXES_USERNAME_FORM_FIELD; the forms post "login"
# (allauth) and "username" (admin).
_CREDENTIAL_KEYS = ("email", "username")
_FORM_FIELDS = ("login", "username", "email")


def lockout_username(request, credentials: dict | None) -> str | None:
    """The email address a login attempt is for, as django-axes records and checks it.

    Axes asks this both when it records a failure (with the credentials of Django's `user_login_failed`
    signal) and when it decides whether an attempt is locked out (with the credentials handed to the
    authentication backend). The allauth login and the admin login name the address differently; without
    one answer for all of them a failure is filed under no address at all, so the lockout neither holds for
    the account (the right password still gets in) nor stays with it (everyone behind the same IP address
    is locked out). Lower-cased, so `A@x.nl` and `a@x.nl` count together, as the accounts store it.
    """
    keys = (*_CREDENTIAL_KEYS, settings.AXES_USERNAME_FORM_FIELD)
    values = [credentials.get(key) for key in keys] if credentials else []
    if not any(values) and request is not None:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        values = [data.get(field) for field in _FORM_FIELDS]
    for value in values:
        if isinstance(value, str) and value.strip():
            return value.strip().lower()
    return None
