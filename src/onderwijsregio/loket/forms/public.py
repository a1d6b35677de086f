"""Forms of the public desk and the candidate's own pages: registration with intake, editing,
consent, and the login by emailed code.

Every field has its own Dutch message for a missing or wrong answer. The consent questions are
shown exactly as in labels.CONSENT_TEXTS for the current text version.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from onderwijsregio.organisations.models import Sector, Subject

from .. import services
from ..labels import consent_text
from ..models import Candidate, ConsentPurpose, ForeignDiplomaRecognition, TargetGroup
from ..spam import HONEYPOT_FIELD

YES_NO = [("ja", _("Ja")), ("nee", _("Nee"))]

# Teaching qualifications a candidate may already hold (codes of the route engine).
QUALIFICATION_CHOICES = [
    ("", _("geen onderwijsbevoegdheid")),
    ("po", _("bevoegd voor het primair onderwijs (pabo)")),
    ("limited_second_degree", _("beperkt tweedegraads (educatieve minor)")),
    ("second_degree", _("tweedegraads")),
    ("first_degree", _("eerstegraads")),
    ("pdg", _("pedagogisch-didactisch getuigschrift (mbo)")),
]


def _yes_no_field(label, required_message) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": _("Kies ja of nee.")},
    )


class SubjectChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Subject) -> str:
        return obj.name


# Dutch messages for a missing answer, per field.
REQUIRED_MESSAGES = {
    "first_name": _("Vul uw voornaam in."),
    "last_name": _("Vul uw achternaam in."),
    "email": _("Vul uw e-mailadres in."),
    "postcode": _("Vul uw postcode in, bijvoorbeeld 3811 AB."),
    "target_group": _("Kies wat het best bij u past."),
    "education_level": _("Kies uw hoogste afgeronde opleiding."),
    "dutch_level": _("Kies uw niveau Nederlands."),
    "preferred_language": _("Kies de taal van onze e-mails."),
}


class CandidateDataForm(forms.ModelForm):
    """The intake questions about the person: used to register and to edit one's own record."""

    target_sectors = forms.MultipleChoiceField(
        label=_("In welke sector(en) wilt u werken?"),
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Kies ten minste één sector."),
            "invalid_choice": _("Kies een sector uit de lijst."),
        },
    )
    related_subjects = SubjectChoiceField(
        label=_("Aan welke schoolvakken is uw opleiding verwant?"),
        queryset=Subject.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Bijvoorbeeld wiskunde voor een studie econometrie. Dit bepaalt mede welke routes passen."),
        error_messages={
            "invalid_choice": _("Kies vakken uit de lijst."),
            "invalid_pk_value": _("Kies vakken uit de lijst."),
        },
    )
    target_subjects = SubjectChoiceField(
        label=_("Welk vak of welke vakken wilt u geven?"),
        queryset=Subject.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Voor het primair onderwijs hoeft u geen vak te kiezen."),
        error_messages={
            "invalid_choice": _("Kies vakken uit de lijst."),
            "invalid_pk_value": _("Kies vakken uit de lijst."),
        },
    )
    current_qualification = forms.ChoiceField(
        label=_("Welke onderwijsbevoegdheid heeft u al?"), choices=QUALIFICATION_CHOICES, required=False
    )
    hours_available = forms.IntegerField(
        label=_("Hoeveel uur per week kunt u werken of studeren?"),
        required=False,
        min_value=0,
        max_value=60,
        error_messages={
            "invalid": _("Vul een heel aantal uren in, bijvoorbeeld 24."),
            "min_value": _("Vul een aantal uren van 0 tot en met 60 in."),
            "max_value": _("Vul een aantal uren van 0 tot en met 60 in."),
        },
    )

    class Meta:
        model = Candidate
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "postcode",
            "preferred_language",
            "target_group",
            "education_level",
            "education_field",
            "diplomas",
            "related_subjects",
            "foreign_diploma_country",
            "foreign_diploma_recognition",
            "dutch_level",
            "target_sectors",
            "target_subjects",
            "current_qualification",
            "current_work",
            "hours_available",
            "has_job_offer",
            "enrolled_teacher_training_recently",
        ]
        labels = {
            "first_name": _("Voornaam"),
            "last_name": _("Achternaam"),
            "email": _("E-mailadres"),
            "phone": _("Telefoonnummer"),
            "postcode": _("Postcode"),
            "preferred_language": _("In welke taal wilt u onze e-mails ontvangen?"),
            "target_group": _("Wat past het best bij u?"),
            "education_level": _("Wat is uw hoogste afgeronde opleiding?"),
            "education_field": _("Welke studierichting heeft u gedaan?"),
            "diplomas": _("Welke diploma's heeft u?"),
            "foreign_diploma_country": _("Heeft u een buitenlands diploma? In welk land?"),
            "foreign_diploma_recognition": _("Heeft u erkenning van dat diploma bij DUO aangevraagd?"),
            "dutch_level": _("Wat is uw niveau Nederlands?"),
            "current_work": _("Wat is uw huidige werk?"),
        }
        help_texts = {
            "email": _("Hierop ontvangt u een bevestiging en later uw inlogcode."),
            "diplomas": _("Noem ook diploma's uit het buitenland, met het jaar."),
            "dutch_level": _("Volgens het Europees Referentiekader (ERK): A1 is beginner, C2 is bijna moedertaal."),
            "foreign_diploma_recognition": _(
                "Alleen DUO kan een buitenlandse onderwijsbevoegdheid erkennen; dat is gratis."
            ),
        }
        widgets = {
            "preferred_language": forms.RadioSelect,
            "target_group": forms.RadioSelect,
            "diplomas": forms.Textarea(attrs={"rows": 3}),
        }

    has_job_offer = _yes_no_field(
        _("Heeft u een baan of een baanaanbod op een school?"), _("Geef aan of u een baan(aanbod) op een school heeft.")
    )
    enrolled_teacher_training_recently = _yes_no_field(
        _("Stond u de afgelopen 2 jaar ingeschreven bij een lerarenopleiding zonder die af te maken?"),
        _("Geef aan of u de afgelopen 2 jaar bij een lerarenopleiding stond ingeschreven."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        subjects = Subject.objects.order_by("name")
        self.fields["related_subjects"].queryset = subjects
        self.fields["target_subjects"].queryset = subjects
        self.fields["preferred_language"].choices = [("nl", "Nederlands"), ("en", "English")]
        self.fields["target_group"].choices = TargetGroup.choices
        self.fields["foreign_diploma_recognition"].choices = ForeignDiplomaRecognition.choices
        for name, message in REQUIRED_MESSAGES.items():
            self.fields[name].error_messages["required"] = message
        for name in ("target_group", "education_level", "dutch_level", "preferred_language"):
            self.fields[name].error_messages["invalid_choice"] = _("Kies een van de mogelijkheden.")
        self.fields["foreign_diploma_recognition"].error_messages["invalid_choice"] = _(
            "Kies een van de mogelijkheden."
        )
        self.fields["email"].error_messages["invalid"] = _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.")
        for name in ("education_level", "dutch_level"):
            # A select starts on an empty choice, so nobody is registered with a level they did not pick.
            self.fields[name].choices = [("", _("— maak een keuze —")), *self.fields[name].choices[1:]]
        for name in ("has_job_offer", "enrolled_teacher_training_recently"):
            # The record holds booleans; the radio buttons speak "ja"/"nee".
            if isinstance(self.initial.get(name), bool):
                self.initial[name] = "ja" if self.initial[name] else "nee"

    def clean_postcode(self) -> str:
        compact = (self.cleaned_data.get("postcode") or "").replace(" ", "").upper()
        return f"{compact[:4]} {compact[4:]}" if len(compact) == 6 else self.cleaned_data.get("postcode", "")

    def clean(self):
        cleaned = super().clean()
        country = (cleaned.get("foreign_diploma_country") or "").strip()
        recognition = cleaned.get("foreign_diploma_recognition") or ""
        if recognition and not country:
            self.add_error("foreign_diploma_country", _("Vul het land in waar u uw diploma heeft gehaald."))
        if country and not recognition and "foreign_diploma_recognition" not in self.errors:
            self.add_error(
                "foreign_diploma_recognition",
                _("Geef aan of u erkenning bij DUO heeft aangevraagd (of kies ‘niet van toepassing’)."),
            )
        return cleaned

    def service_data(self) -> dict:
        """The cleaned answers as services.candidate_register / candidate_update take them."""
        data = {name: self.cleaned_data[name] for name in services.CANDIDATE_FIELDS if name in self.cleaned_data}
        data["current_qualification"] = data.get("current_qualification") or ""
        return data


class RegistrationForm(CandidateDataForm):
    """Registration and intake: the candidate's data, the four consent questions and a honeypot."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for purpose in ConsentPurpose.values:
            self.fields[f"consent_{purpose}"] = _yes_no_field(
                consent_text(purpose), _("Geef antwoord op deze vraag over toestemming.")
            )
        # Bots fill every field; people never see this one (see spam.py and the template).
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Laat dit veld leeg"),
            required=False,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )

    def consent_fields(self):
        return [self[f"consent_{purpose}"] for purpose in ConsentPurpose.values]

    def consents(self) -> dict[str, bool]:
        return {purpose: self.cleaned_data[f"consent_{purpose}"] for purpose in ConsentPurpose.values}


class CandidateEditForm(CandidateDataForm):
    """Editing one's own record; `version` guards against overwriting a newer save."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class ConsentChangeForm(forms.Form):
    purpose = forms.ChoiceField(choices=ConsentPurpose.choices)
    given = forms.TypedChoiceField(choices=YES_NO, coerce=lambda value: value == "ja")


class LoginEmailForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        help_text=_("Het e-mailadres waarmee u zich bij het onderwijsloket heeft aangemeld."),
        error_messages={
            "required": _("Vul uw e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
        },
    )


class LoginCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Inlogcode"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        help_text=_("De 6 cijfers uit de e-mail."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={
            "required": _("Vul de inlogcode uit de e-mail in."),
            "invalid": _("Een inlogcode bestaat uit 6 cijfers."),
        },
    )
