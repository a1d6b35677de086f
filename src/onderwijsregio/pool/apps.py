from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoolConfig(AppConfig):
    name = "onderwijsregio.pool"
    label = "pool"
    verbose_name = _("Invalpool")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)
