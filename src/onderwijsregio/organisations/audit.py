"""The audit actions of organisations, regions and the imports of public data, with their Dutch labels."""

from django.utils.translation import gettext_lazy as _

from onderwijsregio.core.audit import audit_action

ORGANISATION_CREATED = audit_action("organisation.created", _("Organisatie aangemaakt"))
ORGANISATION_UPDATED = audit_action("organisation.updated", _("Profiel van een organisatie gewijzigd"))
BOARD_NAME_CONFIRMED = audit_action(
    "organisation.board_name_confirmed", _("Naam van een schoolbestuur bevestigd of verbeterd door het bestuur")
)
REGION_MEMBER_ADDED = audit_action("region.member_added", _("Deelnemer aan een regio toegevoegd"))
REGION_SUBREGION_CREATED = audit_action("region.subregion_created", _("Subregio aangemaakt"))
REGION_SCHOOL_LOCATION_ASSIGNED = audit_action(
    "region.school_location_assigned", _("Schoolvestiging aan een regio toegewezen")
)
REFERENCE_IMPORTED = audit_action("reference.imported", _("Referentiegegevens (gemeenten, postcodes) geïmporteerd"))
DUO_IMPORTED = audit_action("duo.imported", _("DUO-gegevens geïmporteerd"))
