"""Forms of the staff desk: the working-list filter and the small forms of the candidate page.

Forms only parse and check input, with a Dutch message for every field; the views hand the cleaned
data to one service each, which has the last word (and whose errors the forms then show).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from onderwijsregio.accounts.models import Membership, Role
from onderwijsregio.organisations.models import Organisation, RegionMember, SchoolLocation, Sector, Subject, SubRegion

from ..models import CANDIDATE_FIELDS, Candidate, Document, ExitReason, SharedPart, Stage, TargetGroup, Trajectory
from ..worklist import SORTS, Viewer

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]


def _optional(label, choices):
    return [("", label), *choices]


def team_members(region_ids) -> QuerySet:
    """People of the regional team(s): the coordinators a candidate can be assigned to."""
    user_ids = Membership.objects.filter(
        organisation_id__in=region_ids, role=Role.REGIONAL_TEAM, ended_at__isnull=True
    ).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("full_name", "email")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name()


class WorklistFilterForm(forms.Form):
    """Filters of the working list and the board; GET, so a filtered list can be bookmarked."""

    q = forms.CharField(label=_("Zoek op naam of e-mailadres"), required=False, max_length=200)
    stage = forms.ChoiceField(label=_("Fase"), required=False, choices=_optional(_("Alle fasen"), Stage.choices))
    target_group = forms.ChoiceField(
        label=_("Doelgroep"), required=False, choices=_optional(_("Alle doelgroepen"), TargetGroup.choices)
    )
    subject = forms.ModelChoiceField(
        label=_("Vak"),
        required=False,
        queryset=Subject.objects.none(),
        to_field_name="code",
        empty_label=_("Alle vakken"),
        error_messages={"invalid_choice": _("Kies een vak uit de lijst.")},
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=_optional(_("Alle sectoren"), Sector.choices))
    subregion = forms.ModelChoiceField(
        label=_("Subregio"),
        required=False,
        queryset=SubRegion.objects.none(),
        empty_label=_("Alle subregio's"),
        error_messages={"invalid_choice": _("Kies een subregio uit de lijst.")},
    )
    coordinator = forms.ChoiceField(label=_("Ketenregisseur"), required=False)
    region = forms.ModelChoiceField(
        label=_("Onderwijsregio"),
        required=False,
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        empty_label=_("Alle regio's"),
        error_messages={"invalid_choice": _("Kies een regio uit de lijst.")},
    )
    overdue = forms.BooleanField(label=_("Alleen met verlopen opvolgdatum"), required=False)
    due_today = forms.BooleanField(label=_("Alleen met opvolgdatum vandaag"), required=False)
    needs_decision = forms.BooleanField(
        label=_("Alleen te beoordelen (lang geen activiteit)"),
        required=False,
        help_text=_("Kandidaten bij wie al lang niets is gebeurd: besluit of het traject doorgaat of eindigt."),
    )
    sort = forms.ChoiceField(label=_("Sorteren op"), required=False, choices=list(SORTS.items()))

    def __init__(self, *args, viewer: Viewer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = Subject.objects.order_by("name")
        regions = list(viewer.regions())
        self.multiple_regions = len(regions) > 1
        region_ids = [region.pk for region in regions]
        self.fields["subregion"].queryset = SubRegion.objects.filter(region_id__in=region_ids).select_related("region")
        if self.multiple_regions:
            self.fields["region"].queryset = Organisation.objects.filter(pk__in=region_ids).order_by("name")
            self.fields["subregion"].label_from_instance = lambda sub: f"{sub.name} ({sub.region.name})"
        else:
            del self.fields["region"]
        if viewer.works_at_desk:
            members = team_members(viewer.team_regions) if not viewer.is_admin else team_members(region_ids)
            self.fields["coordinator"].choices = [
                ("", _("Iedereen")),
                ("me", _("mij")),
                ("none", _("niemand")),
                *[(str(user.pk), user.get_full_name()) for user in members],
            ]
        else:
            # Receivers do not assign coordinators; the filter would only confuse. Deciding on records
            # left lying is the desk's work, and the desk's activity is not theirs to see.
            del self.fields["coordinator"]
            del self.fields["needs_decision"]

    def filters(self) -> dict:
        """The valid filters; an invalid one is left out (and its error shown) instead of emptying the list."""
        self.is_valid()
        return {name: value for name, value in getattr(self, "cleaned_data", {}).items() if value not in (None, "")}


class ExportFormatForm(forms.Form):
    format = forms.ChoiceField(
        choices=[("csv", "CSV"), ("xlsx", "Excel (XLSX)")],
        error_messages={"invalid_choice": _("Kies CSV of XLSX.")},
    )


# --- The candidate page ------------------------------------------------------------------------


class VersionedForm(forms.Form):
    """Carries the version the user saw, so a save after someone else's change is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class StageMoveForm(VersionedForm):
    to_stage = forms.ChoiceField(
        label=_("Nieuwe fase"), error_messages={"required": _("Kies een fase."), "invalid_choice": _("Kies een fase.")}
    )
    note = forms.CharField(
        label=_("Toelichting"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, trajectory: Trajectory, **kwargs) -> None:
        kwargs.setdefault("initial", {"version": trajectory.version})
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = _optional(
            _("Kies een fase"), [(value, label) for value, label in Stage.choices if value != trajectory.stage]
        )


class TrajectoryEndForm(VersionedForm):
    exit_reason = forms.ModelChoiceField(
        label=_("Reden"),
        queryset=ExitReason.objects.none(),
        empty_label=_("Kies een reden"),
        error_messages={
            "required": _("Kies een reden uit de lijst."),
            "invalid_choice": _("Kies een reden uit de lijst."),
        },
    )
    note = forms.CharField(
        label=_("Toelichting"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, trajectory: Trajectory, **kwargs) -> None:
        kwargs.setdefault("initial", {"version": trajectory.version})
        super().__init__(*args, **kwargs)
        self.fields["exit_reason"].queryset = ExitReason.objects.filter(is_active=True)


class FollowUpForm(forms.Form):
    follow_up_on = forms.DateField(
        label=_("Opvolgen op"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leeg laten om de opvolgdatum te wissen."),
        error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 31-12-2026.")},
    )

    def __init__(self, *args, trajectory: Trajectory, **kwargs) -> None:
        kwargs.setdefault("initial", {"follow_up_on": trajectory.follow_up_on})
        super().__init__(*args, **kwargs)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Notitie"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Schrijf geen medische gegevens op."),
        error_messages={
            "required": _("Schrijf een notitie."),
            "max_length": _("Een notitie is ten hoogste 5000 tekens."),
        },
    )
    trajectory = forms.ModelChoiceField(
        label=_("Bij traject"),
        required=False,
        queryset=Trajectory.objects.none(),
        empty_label=_("Geen specifiek traject"),
    )

    def __init__(self, *args, candidate: Candidate, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trajectory"].queryset = candidate.trajectories.order_by("-created_at")
        self.fields["trajectory"].label_from_instance = _trajectory_label


def _trajectory_label(trajectory: Trajectory) -> str:
    subject = f", {trajectory.subject.name}" if trajectory.subject_id else ""
    return f"{trajectory.route_id or _('route nog niet gekozen')}{subject} ({trajectory.get_stage_display()})"


class CoordinatorForm(forms.Form):
    coordinator = UserChoiceField(
        label=_("Ketenregisseur"),
        required=False,
        queryset=get_user_model().objects.none(),
        empty_label=_("niemand"),
        error_messages={"invalid_choice": _("Kies iemand van het regioteam.")},
    )

    def __init__(self, *args, candidate: Candidate, **kwargs) -> None:
        kwargs.setdefault("initial", {"coordinator": candidate.coordinator_id})
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = team_members([candidate.region_id])


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Soort document"),
        choices=_optional(_("Kies het soort"), Document.Kind.choices),
        error_messages={"required": _("Kies het soort document."), "invalid_choice": _("Kies het soort document.")},
    )
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_("PDF, Word (.docx), PNG of JPEG, ten hoogste 10 MB."),
        error_messages={"required": _("Kies een bestand."), "empty": _("Het bestand is leeg.")},
    )


def _member_organisations(region_id: int, kind: str):
    members = RegionMember.objects.filter(region_id=region_id).values("member_id")
    return Organisation.objects.filter(pk__in=members, kind=kind).order_by("name")


def _region_schools(region_id: int):
    boards = _member_organisations(region_id, Organisation.Kind.BOARD).values("pk")
    return (
        SchoolLocation.objects.filter(
            board_id__in=boards, region_links__region_id=region_id, region_links__ended_on=None
        )
        .select_related("board")
        .order_by("name")
    )


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name}, {obj.place} ({obj.board.name})" if obj.place else f"{obj.name} ({obj.board.name})"


class TrajectoryForm(forms.Form):
    route_id = forms.ChoiceField(label=_("Route"), required=False)
    subject = forms.ModelChoiceField(
        label=_("Vak"), required=False, queryset=Subject.objects.none(), empty_label=_("Nog niet bekend")
    )
    board = forms.ModelChoiceField(
        label=_("Schoolbestuur"), required=False, queryset=Organisation.objects.none(), empty_label=_("Nog niet bekend")
    )
    school_location = SchoolChoiceField(
        label=_("School"),
        required=False,
        queryset=SchoolLocation.objects.none(),
        empty_label=_("Nog niet bekend"),
        help_text=_("De school moet bij het gekozen bestuur horen."),
    )
    institute = forms.ModelChoiceField(
        label=_("Lerarenopleiding"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("Nog niet bekend"),
    )

    def __init__(self, *args, candidate: Candidate, trajectory: Trajectory | None = None, **kwargs) -> None:
        if trajectory is not None:
            kwargs.setdefault(
                "initial",
                {
                    "route_id": trajectory.route_id,
                    "subject": trajectory.subject_id,
                    "board": trajectory.board_id,
                    "school_location": trajectory.school_location_id,
                    "institute": trajectory.institute_id,
                    "version": trajectory.version,
                },
            )
        super().__init__(*args, **kwargs)
        routes = [
            (item.get("route"), item.get("name") or item.get("route"))
            for item in (candidate.advice or {}).get("routes", [])
            if item.get("route") and item.get("status") != "does_not_fit"
        ]
        current = trajectory.route_id if trajectory is not None else ""
        if current and current not in {value for value, _label in routes}:
            routes.append((current, current))
        self.fields["route_id"].choices = _optional(_("Nog niet gekozen"), routes)
        self.fields["route_id"].help_text = (
            _("De routes die volgens het routeadvies passen.") if routes else _("Er is nog geen routeadvies.")
        )
        self.fields["subject"].queryset = Subject.objects.order_by("name")
        boards = _member_organisations(candidate.region_id, Organisation.Kind.BOARD)
        institutes = Organisation.objects.filter(kind=Organisation.Kind.INSTITUTE).order_by("name")
        schools = _region_schools(candidate.region_id)
        if trajectory is not None:
            # A place chosen earlier (say by a receiver of another region) stays selectable.
            boards = boards | Organisation.objects.filter(pk=trajectory.board_id)
            schools = schools | SchoolLocation.objects.filter(pk=trajectory.school_location_id).select_related("board")
        self.fields["board"].queryset = boards.distinct().order_by("name")
        self.fields["school_location"].queryset = schools.distinct().order_by("name")
        self.fields["institute"].queryset = institutes
        if trajectory is not None:
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean(self):
        cleaned = super().clean()
        school, board = cleaned.get("school_location"), cleaned.get("board")
        if school is not None and board is None:
            cleaned["board"] = school.board
        elif school is not None and school.board_id != board.pk:
            self.add_error("school_location", _("Deze school hoort niet bij het gekozen bestuur."))
        return cleaned


class CandidateEditForm(forms.ModelForm):
    """The candidate's data as the desk edits it; saved through services.candidate_update."""

    target_sectors = forms.MultipleChoiceField(
        label=_("Gewenste sector(en)"),
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies ten minste één sector.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Candidate
        fields = [*CANDIDATE_FIELDS, "related_subjects", "target_subjects"]
        widgets = {
            "diplomas": forms.Textarea(attrs={"rows": 3}),
            "email": forms.EmailInput,
        }
        error_messages = {
            "first_name": {"required": _("Vul de voornaam in.")},
            "last_name": {"required": _("Vul de achternaam in.")},
            "email": {"required": _("Vul een e-mailadres in."), "invalid": _("Vul een geldig e-mailadres in.")},
            "postcode": {"required": _("Vul een postcode in als 1234 AB.")},
            "target_group": {"required": _("Kies een doelgroep.")},
            "education_level": {"required": _("Kies de hoogste opleiding.")},
            "dutch_level": {"required": _("Kies het niveau Nederlands.")},
            "hours_available": {
                "invalid": _("Vul een aantal uren in."),
                "max_value": _("Vul ten hoogste 60 uur in."),
                "min_value": _("Vul een aantal uren in."),
            },
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version
        for name in ("related_subjects", "target_subjects"):
            self.fields[name].queryset = Subject.objects.order_by("name")
            self.fields[name].required = False

    def _post_clean(self) -> None:
        # The model is validated by the service, on the locked row; here only the fields are parsed.
        pass

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in CANDIDATE_FIELDS}


class ReceiverChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class HandoverForm(forms.Form):
    receiver = ReceiverChoiceField(
        label=_("Ontvanger"),
        queryset=Organisation.objects.none(),
        empty_label=_("Kies een ontvanger"),
        error_messages={"required": _("Kies een ontvanger."), "invalid_choice": _("Kies een ontvanger uit de lijst.")},
    )
    school_location = SchoolChoiceField(
        label=_("School"),
        required=False,
        queryset=SchoolLocation.objects.none(),
        empty_label=_("Het hele bestuur"),
        help_text=_("Alleen bij een schoolbestuur: de school waar de kandidaat terechtkan."),
        error_messages={"invalid_choice": _("Kies een school uit de lijst.")},
    )
    trajectory = forms.ModelChoiceField(
        label=_("Traject"), required=False, queryset=Trajectory.objects.none(), empty_label=_("Geen specifiek traject")
    )
    shared_parts = forms.MultipleChoiceField(
        label=_("Wat deelt u?"),
        choices=SharedPart.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("De ontvanger ziet alleen wat u hier aanvinkt, en de naam van de kandidaat."),
        error_messages={"required": _("Kies wat u deelt.")},
    )
    message = forms.CharField(
        label=_("Bericht aan de ontvanger"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, candidate: Candidate, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        region_id = candidate.region_id
        members = RegionMember.objects.filter(region_id=region_id).values("member_id")
        receivers = Organisation.objects.filter(
            pk__in=members, kind__in=[Organisation.Kind.BOARD, Organisation.Kind.INSTITUTE]
        ) | Organisation.objects.filter(kind=Organisation.Kind.REGION).exclude(pk=region_id)
        self.fields["receiver"].queryset = receivers.order_by("name")
        kind_labels = {
            Organisation.Kind.BOARD: _("Schoolbesturen in de regio"),
            Organisation.Kind.INSTITUTE: _("Lerarenopleidingen in de regio"),
            Organisation.Kind.REGION: _("Andere onderwijsregio's"),
        }
        grouped: dict[str, list] = {kind: [] for kind in kind_labels}
        for organisation in self.fields["receiver"].queryset:
            grouped[organisation.kind].append((organisation.pk, organisation.name))
        self.fields["receiver"].choices = [("", _("Kies een ontvanger"))] + [
            (str(kind_labels[kind]), options) for kind, options in grouped.items() if options
        ]
        self.fields["school_location"].queryset = _region_schools(region_id)
        self.fields["trajectory"].queryset = candidate.trajectories.filter(ended_at__isnull=True)
        self.fields["trajectory"].label_from_instance = _trajectory_label


class HandoverDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accepteren")), ("decline", _("Afwijzen"))],
        error_messages={"required": _("Kies accepteren of afwijzen.")},
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bij afwijzen: waarom? De ketenregisseur ziet deze toelichting."),
    )


class MergeForm(forms.Form):
    keep = forms.ChoiceField(
        label=_("Welke aanmelding blijft bestaan?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies welke aanmelding blijft bestaan.")},
    )

    def __init__(self, *args, first: Candidate, second: Candidate, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [
            (
                str(candidate.pk),
                _("%(name)s (%(email)s), aangemeld op %(date)s")
                % {
                    "name": candidate.full_name,
                    "email": candidate.email,
                    "date": date_format(timezone.localtime(candidate.created_at), "SHORT_DATE_FORMAT"),
                },
            )
            for candidate in (first, second)
        ]


class CandidateEraseForm(forms.Form):
    reason = forms.CharField(
        label=_("Hoe heeft de kandidaat om verwijdering gevraagd?"),
        help_text=_("Bijvoorbeeld: e-mail van 3 maart. Schrijf hier geen persoonsgegevens."),
        max_length=200,
        error_messages={"required": _("Vul in hoe de kandidaat om verwijdering vroeg.")},
    )
    confirm = forms.BooleanField(
        label=_("Ik begrijp dat alle gegevens van deze kandidaat definitief worden verwijderd."),
        error_messages={"required": _("Bevestig dat de gegevens definitief worden verwijderd.")},
    )
