"""Forms of the accounts pages: filters, adding a person, preferred language."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from onderwijsregio.organisations.models import Organisation, SchoolLocation

from .models import ROLE_ORGANISATION_KINDS, Role, User


class PeopleFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.none(), required=False, empty_label=_("Alle")
    )
    role = forms.ChoiceField(label=_("Rol"), required=False)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations
        self.fields["role"].choices = [("", _("Alle"))] + list(Role.choices)


class MembershipAddForm(forms.Form):
    """Add a person (new or existing account) to one organisation with one role."""

    email = forms.EmailField(
        label=_("E-mailadres"),
        help_text=_("Heeft deze persoon nog geen account, dan krijgt die een e-mail om een wachtwoord te kiezen."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    full_name = forms.CharField(
        label=_("Naam"),
        max_length=200,
        required=False,
        help_text=_("Nodig als deze persoon nog geen account heeft."),
    )
    role = forms.ChoiceField(label=_("Rol"))
    school_location = forms.ModelChoiceField(
        label=_("Schoolvestiging"),
        queryset=SchoolLocation.objects.none(),
        required=False,
        help_text=_("Alleen voor schoolleiders: de vestiging die zij leiden."),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["role"].choices = [("", _("Kies een rol"))] + [
            (value, label) for value, label in Role.choices if organisation.kind in ROLE_ORGANISATION_KINDS[value]
        ]
        if organisation.kind == Organisation.Kind.BOARD:
            self.fields["school_location"].queryset = SchoolLocation.objects.filter(board=organisation).order_by("name")
        else:
            del self.fields["school_location"]

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        location = cleaned.get("school_location")
        if location is not None and role and role != Role.SCHOOL_LEADER:
            self.add_error("school_location", _("Kies alleen een vestiging bij de rol schoolleider."))
        return cleaned


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Actie"), required=False)
    actor_email = forms.CharField(label=_("E-mailadres van de actor"), required=False, max_length=254)
    object_type = forms.ChoiceField(label=_("Objecttype"), required=False)
    date_from = forms.DateField(
        label=_("Vanaf datum"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("Tot en met datum"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    personal_data_only = forms.BooleanField(label=_("Alleen inzage van persoonsgegevens"), required=False)

    def __init__(self, *args, actions=(), object_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        # `actions` are (name, label) pairs: people choose by the Dutch label, the URL keeps the name.
        self.fields["action"].choices = [("", _("Alle"))] + list(actions)
        self.fields["object_type"].choices = [("", _("Alle"))] + [(t, t) for t in object_types]

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("De einddatum ligt vóór de begindatum."))
        return cleaned


class PreferredLanguageForm(forms.Form):
    preferred_language = forms.ChoiceField(
        label=_("Voorkeurstaal"), choices=User._meta.get_field("preferred_language").choices
    )
