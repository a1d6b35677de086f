from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutesConfig(AppConfig):
    name = "onderwijsregio.routes"
    label = "routes"
    verbose_name = _("Routes naar een bevoegdheid")
