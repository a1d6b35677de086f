"""Forms of the organisation pages: filters, the board profile, region management and DUO upload.

Forms only parse and check input; the views hand the cleaned data to services.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import selectors
from .importers.boards import BoardFileKind, detect_board_kind
from .models import Municipality, Organisation, RegionMember, SchoolLocation, Sector, VoLevel

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class SectorFilterForm(forms.Form):
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("Alle sectoren")), *Sector.choices])


class BoardFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Onderwijsregio"),
        required=False,
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        empty_label=_("Alle regio's"),
    )
    q = forms.CharField(
        label=_("Zoek op naam of DUO-nummer"),
        required=False,
        max_length=200,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = selectors.regions()


class SchoolLocationFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Onderwijsregio"),
        required=False,
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        empty_label=_("Alle regio's"),
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("Alle sectoren")), *Sector.choices])
    municipality = forms.ModelChoiceField(
        label=_("Gemeente"),
        required=False,
        queryset=Municipality.objects.none(),
        to_field_name="cbs_code",
        empty_label=_("Alle gemeenten"),
    )
    level = forms.ChoiceField(
        label=_("Niveau (vo)"), required=False, choices=[("", _("Alle niveaus")), *VoLevel.choices]
    )
    q = forms.CharField(label=_("Zoek op naam, plaats, postcode of vestigingscode"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = selectors.regions()
        # Only municipalities that have a school location, so the list stays short and useful.
        self.fields["municipality"].queryset = Municipality.objects.filter(
            pk__in=SchoolLocation.objects.values("municipality_id")
        ).order_by("name")


class DistanceForm(forms.Form):
    postcode = forms.RegexField(
        label=_("Uw postcode"),
        regex=r"^\s*\d{4}\s*([A-Za-z]{2})?\s*$",
        max_length=7,
        help_text=_("Vier cijfers zijn genoeg, bijvoorbeeld 3811."),
        error_messages={"invalid": _("Vul een postcode in, bijvoorbeeld 3811 of 3811 AB.")},
    )

    def clean_postcode(self) -> str:
        return self.cleaned_data["postcode"].strip()[:4]


class BoardProfileForm(forms.Form):
    """A board's public profile; a name the board has not confirmed yet can be confirmed as it is."""

    name = forms.CharField(label=_("Naam"), max_length=200)
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("Bijvoorbeeld https://www.voorbeeld.nl"),
    )
    description = forms.CharField(
        label=_("Beschrijving"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Wat het bestuur is en doet; zichtbaar voor iedereen."),
    )
    confirm_name = forms.BooleanField(
        label=_("Deze naam klopt"),
        required=False,
        help_text=_(
            "Vink dit aan als de naam hierboven juist is, of verbeter hem eerst. Een bevestigde naam "
            "wordt niet meer overschreven door een import van DUO-gegevens."
        ),
    )
    # The version the editor saw: saving over someone else's change in between is refused.
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, name_confirmable: bool = False, **kwargs):
        # Offered while the board has not confirmed its name itself (placeholder, DUO file or derived list).
        super().__init__(*args, **kwargs)
        if not name_confirmable:
            del self.fields["confirm_name"]

    def changes(self, organisation: Organisation) -> dict:
        """The profile fields that differ from the organisation, plus the name when confirmed."""
        changed = {
            name: self.cleaned_data[name]
            for name in ("name", "website", "description")
            if self.cleaned_data[name] != getattr(organisation, name)
        }
        if self.cleaned_data.get("confirm_name"):
            changed["name"] = self.cleaned_data["name"]
        return changed


class BoardNameForm(forms.Form):
    """Confirm a board's name as shown, or correct it first (issue 17)."""

    name = forms.CharField(label=_("Naam van het bestuur"), max_length=200)
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class RegionMemberAddForm(forms.Form):
    """Pick an existing organisation by list or, for a board, by its DUO number."""

    ROLE_FOR_KIND = {
        Organisation.Kind.BOARD: RegionMember.Role.BOARD,
        Organisation.Kind.INSTITUTE: RegionMember.Role.INSTITUTE,
        Organisation.Kind.PROFESSION: RegionMember.Role.PROFESSION,
        Organisation.Kind.MUNICIPALITY: RegionMember.Role.MUNICIPALITY,
    }

    organisation = forms.ModelChoiceField(
        label=_("Organisatie"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("Kies een organisatie"),
    )
    duo_number = forms.RegexField(
        label=_("Of: DUO-nummer van het bestuur"),
        required=False,
        regex=r"^\d{5}$",
        max_length=5,
        error_messages={"invalid": _("Een bevoegd-gezagnummer bestaat uit 5 cijfers.")},
    )
    role = forms.ChoiceField(
        label=_("Rol in de regio"),
        required=False,
        choices=[("", _("Afleiden uit het soort organisatie")), *RegionMember.Role.choices],
    )

    def __init__(self, *args, region: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["organisation"].queryset = selectors.organisations_addable_to_region(region=region)
        self.fields["organisation"].label_from_instance = lambda org: f"{org.name} ({org.get_kind_display()})"

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        duo_number = cleaned.get("duo_number")
        if self.errors:
            return cleaned
        if organisation and duo_number:
            raise ValidationError(_("Kies een organisatie óf vul een DUO-nummer in, niet allebei."))
        if not organisation and not duo_number:
            raise ValidationError(_("Kies een organisatie of vul het DUO-nummer van een bestuur in."))
        if duo_number:
            organisation = selectors.boards().filter(duo_number=duo_number).first()
            if organisation is None:
                self.add_error(
                    "duo_number", _("Er is geen bestuur met DUO-nummer %(number)s.") % {"number": duo_number}
                )
                return cleaned
            if RegionMember.objects.filter(region=self.region, member=organisation).exists():
                self.add_error("duo_number", _("Dit bestuur is al deelnemer van deze regio."))
                return cleaned
        cleaned["organisation"] = organisation
        if not cleaned.get("role"):
            cleaned["role"] = self.ROLE_FOR_KIND.get(organisation.kind, RegionMember.Role.OTHER)
        return cleaned


class SubRegionCreateForm(forms.Form):
    name = forms.CharField(label=_("Naam van de subregio"), max_length=100)
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Gemeenten"),
        queryset=Municipality.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("De gemeenten waar de regio nu vestigingen heeft."),
    )

    def __init__(self, *args, region: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["municipalities"].queryset = selectors.region_municipalities(region=region)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if self.region.subregions.filter(name__iexact=name).exists():
            raise ValidationError(_("Deze regio heeft al een subregio met deze naam."))
        return name


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def _is_derived_board_list(first_line: bytes) -> bool:
    header = first_line.decode("utf-8", errors="replace").split(",")
    return detect_board_kind(header) == BoardFileKind.DERIVED_LIST


class MultipleCsvField(forms.FileField):
    """Several CSV files in one field; each is checked on name, size and DUO's separator."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".csv,text/csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        errors: list[ValidationError] = []
        cleaned = []
        for upload in files:
            try:
                # Our checks first: they name the file, Django's generic ones do not.
                cleaned.append(super().clean(self._check(upload), initial))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return cleaned

    def _check(self, upload):
        name = upload.name or ""
        if not name.lower().endswith(".csv"):
            raise ValidationError(
                _("%(name)s is geen CSV-bestand. Upload de DUO-bestanden zoals DUO ze publiceert (.csv)."),
                params={"name": name},
                code="not_csv",
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("%(name)s is groter dan 20 MB. Een DUO-bestand is kleiner; controleer of u het goede bestand kiest."),
                params={"name": name},
                code="too_large",
            )
        if upload.size == 0:
            raise ValidationError(_("%(name)s is leeg."), params={"name": name}, code="empty")
        upload.seek(0)
        head = upload.read(4096)
        upload.seek(0)
        if b"\x00" in head:
            raise ValidationError(
                _("%(name)s is geen tekstbestand; kies een CSV-bestand van DUO."), params={"name": name}, code="binary"
            )
        first_line = head.splitlines()[0] if head.splitlines() else b""
        # The derived list of board names is comma-separated; every DUO file uses ';'.
        if b";" not in first_line and not _is_derived_board_list(first_line):
            raise ValidationError(
                _("%(name)s heeft geen kolommen gescheiden door puntkomma's (;), zoals in DUO-bestanden."),
                params={"name": name},
                code="not_duo",
            )
        return upload


class DuoImportForm(forms.Form):
    files = MultipleCsvField(
        label=_("DUO-bestanden (CSV)"),
        required=False,
        help_text=_("Eén of meer CSV-bestanden van DUO Open Onderwijsdata, elk hoogstens 20 MB."),
    )
    use_bundled = forms.BooleanField(
        label=_("Gebruik de meegeleverde DUO-bestanden"),
        required=False,
        help_text=_("De bestanden die met het platform worden meegeleverd, met hun bronvermelding."),
    )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if not cleaned.get("files") and not cleaned.get("use_bundled"):
            raise ValidationError(_("Kies één of meer bestanden of vink aan dat u de meegeleverde bestanden gebruikt."))
        if cleaned.get("use_bundled") and not bundled_duo_files():
            self.add_error("use_bundled", _("Er zijn geen meegeleverde DUO-bestanden gevonden op de server."))
        return cleaned


def bundled_duo_files() -> list:
    """The DUO CSV files shipped with the platform."""
    directory = settings.DATA_DIR / "duo"
    return sorted(directory.glob("*.csv")) if directory.is_dir() else []
