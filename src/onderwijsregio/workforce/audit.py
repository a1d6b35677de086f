"""The audit actions of strategic personnel planning, with their Dutch labels."""

from django.utils.translation import gettext_lazy as _

from onderwijsregio.core.audit import audit_action

SNAPSHOT_UPLOADED = audit_action("workforce.snapshot_uploaded", _("Personeelsbestand geüpload"))
SNAPSHOT_DELETED = audit_action("workforce.snapshot_deleted", _("Personeelsbestand verwijderd"))
# A read of (pseudonymous) personal data: the rows of a snapshot, on the page or for a forecast.
SNAPSHOT_ROWS_READ = audit_action("workforce.snapshot_rows_read", _("Inzage: medewerkers in een personeelsbestand"))
PUPIL_FORECAST_SET = audit_action("workforce.pupil_forecast_set", _("Leerlingprognose ingevuld"))
PUPIL_FORECAST_REMOVED = audit_action("workforce.pupil_forecast_removed", _("Leerlingprognose verwijderd"))
ASSUMPTIONS_UPDATED = audit_action("workforce.assumptions_updated", _("Aannames van een regio gewijzigd"))
SCENARIO_CREATED = audit_action("workforce.scenario_created", _("Scenario aangemaakt"))
SCENARIO_UPDATED = audit_action("workforce.scenario_updated", _("Scenario gewijzigd"))
SCENARIO_DELETED = audit_action("workforce.scenario_deleted", _("Scenario verwijderd"))
FORECAST_REQUESTED = audit_action("workforce.forecast_requested", _("Personeelsprognose aangevraagd"))
