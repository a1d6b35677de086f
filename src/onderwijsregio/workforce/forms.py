"""Forms of the workforce data pages: snapshot upload, pupil forecast, assumptions and scenarios.

Forms check what a user typed (Dutch messages, bounds); services do the writing and the checks
that need the database. Assumption and scenario forms are built from their catalogues, so a new
entry there shows up in the form by itself.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from onderwijsregio.organisations.models import Organisation

from .assumptions import CATALOGUE
from .importers import MAX_BYTES
from .models import Scenario
from .scenarios import LEVERS
from .selectors import scenarios_usable_for

# At most this many scenarios are compared with the baseline at once.
MAX_COMPARED = 4

ALLOWED_EXTENSIONS = (".csv", ".xlsx", ".txt")


def _number_field(*, label, unit, minimum, maximum, decimals, help_text="", required=True) -> forms.DecimalField:
    step = Decimal(1).scaleb(-decimals) if decimals else Decimal(1)
    return forms.DecimalField(
        label=f"{label} ({unit})",
        min_value=Decimal(str(minimum)),
        max_value=Decimal(str(maximum)),
        decimal_places=max(decimals, 0) + 2,
        required=required,
        localize=True,
        help_text=help_text,
        error_messages={
            "min_value": _("Kies een waarde van minstens %(limit_value)s."),
            "max_value": _("Kies een waarde van hoogstens %(limit_value)s."),
            "invalid": _("Vul een getal in."),
            "required": _("Vul een waarde in."),
            "max_decimal_places": _("Gebruik hoogstens %(max)s cijfers achter de komma."),
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "data-step": str(step)}),
    )


class SnapshotUploadForm(forms.Form):
    reference_date = forms.DateField(
        label=_("Peildatum"),
        help_text=_("De datum waarop het bestand de stand van zaken beschrijft, bijvoorbeeld 1 oktober."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Vul de peildatum in."), "invalid": _("Vul een geldige datum in.")},
    )
    file = forms.FileField(
        label=_("Personeelsbestand (CSV of Excel)"),
        help_text=_("Volgens het sjabloon: één regel per medewerker, zonder namen. Hoogstens 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        error_messages={"required": _("Kies een bestand."), "empty": _("Het bestand is leeg.")},
    )
    note = forms.CharField(label=_("Opmerking"), max_length=300, required=False)

    def clean_reference_date(self):
        value = self.cleaned_data["reference_date"]
        if not date(2000, 1, 1) <= value <= date(date.today().year + 1, 12, 31):
            raise ValidationError(_("Kies een peildatum vanaf 2000 en niet verder dan volgend jaar."))
        return value

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_EXTENSIONS):
            raise ValidationError(_("Lever een CSV-bestand (.csv) of een Excel-bestand (.xlsx) aan."))
        if upload.size > MAX_BYTES:
            raise ValidationError(_("Het bestand is groter dan 10 MB."))
        return upload


class PupilForecastForm(forms.Form):
    location = forms.ModelChoiceField(
        label=_("Vestiging"),
        queryset=None,
        empty_label=_("Kies een vestiging"),
        error_messages={"required": _("Kies een vestiging."), "invalid_choice": _("Kies een vestiging uit de lijst.")},
    )
    year = forms.IntegerField(
        label=_("Jaar (teldatum 1 oktober)"),
        min_value=2000,
        max_value=2100,
        error_messages={"required": _("Vul een jaar in."), "invalid": _("Vul een jaartal in, bijvoorbeeld 2028.")},
    )
    pupils = forms.IntegerField(
        label=_("Verwacht aantal leerlingen"),
        min_value=0,
        max_value=100_000,
        required=False,
        help_text=_(
            "Laat leeg om een eerder ingevoerde prognose voor dit jaar te verwijderen; dan geldt weer de DUO-trend."
        ),
        error_messages={"invalid": _("Vul een heel getal in.")},
    )

    def __init__(self, *args, locations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations
        self.fields["location"].label_from_instance = lambda loc: f"{loc.name} ({loc.vestiging_code})"


class AssumptionsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for entry in CATALOGUE:
            self.fields[entry.key] = _number_field(
                label=entry.label,
                unit=entry.unit,
                minimum=entry.min,
                maximum=entry.max,
                decimals=entry.decimals,
                help_text=entry.help,
            )

    def values(self) -> dict[str, float]:
        return {entry.key: float(self.cleaned_data[entry.key]) for entry in CATALOGUE}

    def groups(self):
        """(group label, [bound fields]) in catalogue order, for fieldsets."""
        grouped: list[tuple[str, list]] = []
        for entry in CATALOGUE:
            if not grouped or grouped[-1][0] != entry.group:
                grouped.append((entry.group, []))
            grouped[-1][1].append(self[entry.key])
        return grouped


class ScenarioForm(forms.Form):
    name = forms.CharField(
        label=_("Naam"), max_length=100, error_messages={"required": _("Geef het scenario een naam.")}
    )
    description = forms.CharField(label=_("Omschrijving"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for lever in LEVERS:
            field = _number_field(
                label=lever.label,
                unit=lever.unit,
                minimum=lever.min,
                maximum=lever.max,
                decimals=lever.decimals,
                help_text=lever.help,
                required=False,
            )
            self.fields[f"lever_{lever.key}"] = field

    @staticmethod
    def initial_for(scenario) -> dict:
        from .scenarios import clean_levers

        levers = clean_levers(scenario.levers)
        initial = {"name": scenario.name, "description": scenario.description, "version": scenario.version}
        for lever in LEVERS:
            initial[f"lever_{lever.key}"] = Decimal(str(lever.to_display(levers[lever.key])))
        return initial

    def levers(self) -> dict[str, float]:
        """The levers in stored (engine) units; an empty field is 0."""
        result = {}
        for lever in LEVERS:
            shown = self.cleaned_data.get(f"lever_{lever.key}")
            result[lever.key] = lever.from_display(float(shown)) if shown is not None else 0.0
        return result

    def lever_fields(self):
        return [self[f"lever_{lever.key}"] for lever in LEVERS]


class ForecastStartForm(forms.Form):
    scenario = forms.ChoiceField(label=_("Scenario"), required=False)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.scenarios = {str(s.pk): s for s in scenarios_usable_for(organisation=organisation)}
        self.fields["scenario"].choices = [("", _("Basis (geen scenario)"))] + [
            (pk, f"{s.name} ({s.owner.name})") for pk, s in self.scenarios.items()
        ]

    def chosen(self) -> Scenario | None:
        return self.scenarios.get(self.cleaned_data.get("scenario") or "")


class CompareForm(forms.Form):
    scenarios = forms.MultipleChoiceField(
        label=_("Scenario's om te vergelijken met de basis"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kies 1 tot 4 scenario's; de basis (geen scenario) staat er altijd bij."),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.available = {str(s.pk): s for s in scenarios_usable_for(organisation=organisation)}
        self.fields["scenarios"].choices = [(pk, f"{s.name} ({s.owner.name})") for pk, s in self.available.items()]

    def clean_scenarios(self):
        chosen = self.cleaned_data["scenarios"]
        if len(chosen) > MAX_COMPARED:
            raise forms.ValidationError(_("Kies ten hoogste %(max)s scenario's.") % {"max": MAX_COMPARED})
        return chosen

    def chosen(self) -> list[Scenario]:
        return [self.available[pk] for pk in self.cleaned_data.get("scenarios", [])]
