"""All loket URLs: each views module keeps its own `urlpatterns`, concatenated here."""

from importlib import import_module

app_name = "loket"

urlpatterns: list = []
for module_name in ("views_public", "views_candidate", "views_staff", "views_funnel"):
    try:
        module = import_module(f"onderwijsregio.loket.{module_name}")
    except ModuleNotFoundError as error:
        if error.name != f"onderwijsregio.loket.{module_name}":
            raise
        continue
    urlpatterns += getattr(module, "urlpatterns", [])
