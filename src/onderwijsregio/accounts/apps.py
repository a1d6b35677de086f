from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "onderwijsregio.accounts"
    label = "accounts"
    verbose_name = _("Accounts en rollen")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import session_clock_start

        # The session limits count from the login itself (accounts.middleware).
        user_logged_in.connect(session_clock_start, dispatch_uid="onderwijsregio_session_clock_start")
