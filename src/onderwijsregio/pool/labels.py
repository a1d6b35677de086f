"""Display texts of the pool's codes: why the engine excluded a member, a week as a person reads it, a number of hours.

Pages, emails, services and the engine's explanations use these, so a reason or a week reads the same everywhere.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .engine import types as et

REASON_LABELS: dict[str, Any] = {
    et.Reason.INACTIVE: gettext_lazy("niet actief"),
    et.Reason.NO_QUALIFICATION: gettext_lazy("geen bevoegdheid voor dit vak"),
    et.Reason.DEGREE_TOO_LOW: gettext_lazy("bevoegdheid niet voor (alle) gevraagde niveaus"),
    et.Reason.NOT_AVAILABLE: gettext_lazy("niet beschikbaar op gevraagde dagdelen"),
    et.Reason.ABSENT: gettext_lazy("afwezig in deze periode"),
    et.Reason.TOO_FAR: gettext_lazy("woont verder weg dan de eigen maximale reisafstand"),
    et.Reason.CHAIN_RULE: gettext_lazy("ketenregeling: geen tijdelijk contract meer mogelijk bij dit bestuur"),
    et.Reason.VOG_MISSING: gettext_lazy("geen VOG bekend"),
    et.Reason.VOG_EXPIRED: gettext_lazy("VOG te oud"),
    et.Reason.BLOCKED: gettext_lazy("uitgesloten voor deze school"),
    et.Reason.NOT_RELEASED: gettext_lazy("aanvraag nog niet vrijgegeven voor dit lid"),
    et.Reason.ALREADY_BOOKED: gettext_lazy("al ingeroosterd of geen uren meer vrij"),
}


# Reasons whose label says everything; the engine's detail would only repeat it (with a subject code).
SELF_EXPLAINED = {et.Reason.INACTIVE, et.Reason.NO_QUALIFICATION}


def exclusion_text(exclusion: et.Exclusion) -> str:
    label = str(REASON_LABELS.get(exclusion.reason, exclusion.reason))
    if not exclusion.detail or exclusion.reason in SELF_EXPLAINED:
        return label
    return f"{label} ({exclusion.detail})"


def week_choice_label(monday: date) -> str:
    year, week, _weekday = monday.isocalendar()
    return _("Week %(week)s van %(year)s (maandag %(date)s)") % {
        "week": week,
        "year": year,
        "date": date_format(monday, "j F Y"),
    }


def hours_text(value: Decimal) -> str:
    """A number of hours as Dutch text: 7,5 rather than 7.50."""
    text = f"{value.normalize():f}"
    return text.replace(".", ",")
