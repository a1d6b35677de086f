from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoketConfig(AppConfig):
    name = "onderwijsregio.loket"
    label = "loket"
    verbose_name = _("Loket en kandidaatreis")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
