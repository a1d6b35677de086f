"""The expected pupils a board enters for its school locations, next to DUO's trend."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from onderwijsregio.core.errors import DomainError, actor_or_none
from onderwijsregio.core.services import audit_record
from onderwijsregio.organisations.models import SchoolLocation

from .. import audit
from ..models import PupilForecast

MAX_PUPILS = 100_000


@transaction.atomic
def pupil_forecast_set(*, location: SchoolLocation, year: int, pupils: int | None, actor: Any) -> PupilForecast | None:
    """Enter (or with pupils=None remove) the expected pupils of a location in a year."""
    if not 2000 <= int(year) <= 2100:
        raise DomainError({"year": _("Kies een jaar van 2000 tot en met 2100.")}, code="year_out_of_range")
    existing = PupilForecast.objects.select_for_update().filter(school_location=location, year=year).first()
    if pupils is None:
        if existing is not None:
            existing.delete()
            audit_record(
                actor=actor,
                action=audit.PUPIL_FORECAST_REMOVED,
                object_type="workforce.pupilforecast",
                object_id=f"{location.vestiging_code}-{year}",
                object_repr=f"{location} {year}",
                organisation_id=location.board_id,
                details={"year": int(year)},
            )
        return None
    if not 0 <= int(pupils) <= MAX_PUPILS:
        raise DomainError(
            {"pupils": _("Vul een aantal leerlingen van 0 tot en met 100.000 in.")}, code="pupils_out_of_range"
        )
    forecast = existing or PupilForecast(school_location=location, year=year)
    previous = forecast.pupils if existing else None
    forecast.pupils = int(pupils)
    forecast.entered_by = actor_or_none(actor)
    forecast.full_clean()
    forecast.save()
    audit_record(
        actor=actor,
        action=audit.PUPIL_FORECAST_SET,
        obj=forecast,
        organisation_id=location.board_id,
        details={"year": int(year), "pupils": int(pupils), "previous": previous},
    )
    return forecast
