from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "onderwijsregio.core"
    label = "core"
    verbose_name = _("Kern")

    def ready(self) -> None:
        # Every app's audit.py declares its audit actions; load them all so the catalogue is complete.
        autodiscover_modules("audit")
        # Every app's today.py registers its blocks of the start page (core.today), without core importing apps.
        autodiscover_modules("today")
