from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "onderwijsregio.workforce"
    label = "workforce"
    verbose_name = _("Strategische personeelsplanning")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)
