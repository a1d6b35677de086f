"""Forms of the pool pages. They parse and check input; the services decide and write.

The request form asks services.request_problems for the domain checks, so the page and the API
refuse the same things with the same Dutch sentences, and the form keeps what the user typed.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from onderwijsregio.organisations.models import Organisation, SchoolLocation, Subject

from . import monitoring, services
from .engine.calendar import add_months
from .labels import hours_text, week_choice_label
from .models import (
    DAY_PART_CHOICES,
    AbsenceReason,
    Assignment,
    Degree,
    Level,
    Pool,
    PoolBoard,
    PoolMember,
    ReplacementRequest,
    Urgency,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
QUALIFICATION_ROWS_EXTRA = 2


def _date_field(label, required=True, help_text=""):
    return forms.DateField(label=label, required=required, widget=DATE_WIDGET, help_text=help_text)


def level_choices(pool: Pool) -> list[tuple[str, str]]:
    return [(value, label) for value, label in Level.choices if not pool.levels or value in pool.levels]


class RequestForm(forms.Form):
    school_location = forms.ModelChoiceField(label=_("Schoolvestiging"), queryset=SchoolLocation.objects.none())
    subject = forms.ModelChoiceField(label=_("Vak"), queryset=Subject.objects.none())
    levels = forms.MultipleChoiceField(
        label=_("Niveaus"),
        widget=forms.CheckboxSelectMultiple,
        choices=(),
        error_messages={"required": _("Kies ten minste één niveau.")},
    )
    year_groups = forms.CharField(
        label=_("Klassen of leerjaren"), max_length=100, required=False, help_text=_("Bijvoorbeeld: 2B, 3 havo.")
    )
    class_key = forms.CharField(
        label=_("Groep (voor continuïteit)"),
        max_length=100,
        required=False,
        help_text=_("Dezelfde groep krijgt bij voorkeur dezelfde invaller als eerder."),
    )
    start_date = _date_field(_("Eerste dag"))
    end_date = _date_field(_("Laatste dag"))
    hours_per_week = forms.DecimalField(
        label=_("Lesuren per week"), min_value=0.5, max_value=40, decimal_places=1, max_digits=4
    )
    day_parts = forms.MultipleChoiceField(
        label=_("Dagdelen"),
        widget=forms.CheckboxSelectMultiple,
        choices=DAY_PART_CHOICES,
        help_text=_("Per dagdeel passen hoogstens 5 lesuren."),
        error_messages={"required": _("Kies ten minste één dagdeel waarop de vervanger nodig is.")},
    )
    reason = forms.ChoiceField(
        label=_("Reden (alleen de soort, geen medische gegevens)"), choices=AbsenceReason.choices
    )
    urgency = forms.TypedChoiceField(
        label=_("Urgentie"),
        choices=Urgency.choices,
        coerce=int,
        initial=Urgency.NORMAL,
        help_text=_("Spoed gaat direct naar de hele pool."),
    )
    preferred_member = forms.ModelChoiceField(
        label=_("Voorkeur voor invaller"), queryset=PoolMember.objects.none(), required=False
    )
    contact_name = forms.CharField(label=_("Contactpersoon"), max_length=200)
    contact_email = forms.EmailField(label=_("E-mailadres contactpersoon"))
    contact_phone = forms.CharField(label=_("Telefoon contactpersoon"), max_length=30, required=False)
    notes_for_substitute = forms.CharField(
        label=_("Voor de invaller"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Lesmateriaal, waar melden, rooster. Geen medische gegevens."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args, pool: Pool, locations, preferred_members, instance: ReplacementRequest | None = None, **kwargs
    ):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{field: getattr(instance, field) for field in services.REQUEST_FIELDS},
                "school_location": instance.school_location_id,
                "version": instance.version,
            }
        super().__init__(*args, **kwargs)
        self.pool = pool
        self.instance = instance
        self.fields["school_location"].queryset = locations
        pool_subjects = pool.subjects.all()
        self.fields["subject"].queryset = pool_subjects if pool_subjects.exists() else Subject.objects.all()
        self.fields["levels"].choices = level_choices(pool)
        self.fields["preferred_member"].queryset = preferred_members
        if instance is not None:
            self.fields["school_location"].disabled = True
        elif locations.count() == 1:
            self.fields["school_location"].initial = locations.first().pk

    def clean(self):
        data = super().clean()
        start = data.get("start_date")
        if self.instance is None and start and start < timezone.localdate():
            self.add_error("start_date", _("De eerste dag ligt in het verleden. Kies vandaag of een latere dag."))
        # The service's checks run over whatever fields are valid, so one submit shows every problem
        # (a period ending before it starts is reported together with a missing day-part); a field
        # that already has its own error is not told the same thing twice.
        location = None if self.instance is not None else data.get("school_location")
        problems = services.request_problems(pool=self.pool, school_location=location, data=data)
        for field, messages in problems.items():
            if field in self.errors:
                continue
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        return data

    def service_data(self) -> dict:
        return {field: self.cleaned_data.get(field) for field in services.REQUEST_FIELDS if field in self.cleaned_data}


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Toelichting"), max_length=200, required=False)


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Waarom niet? (helpt de coördinator)"), max_length=200, required=False)


class RequestFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alle"))] + list(ReplacementRequest.Status.choices)
    )
    subject = forms.ModelChoiceField(label=_("Vak"), queryset=Subject.objects.all(), required=False)

    def __init__(self, *args, pool: Pool, **kwargs):
        super().__init__(*args, **kwargs)
        subjects = Subject.objects.filter(pk__in=pool.requests.values("subject_id"))
        self.fields["subject"].queryset = subjects


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoek op naam of e-mail"), required=False, max_length=100)
    subject = forms.ModelChoiceField(label=_("Bevoegd voor vak"), queryset=Subject.objects.none(), required=False)
    employer = forms.ModelChoiceField(label=_("Werkgever"), queryset=Organisation.objects.none(), required=False)
    active = forms.ChoiceField(
        label=_("Actief"), required=False, choices=[("", _("Alle")), ("1", _("Actief")), ("0", _("Niet actief"))]
    )
    vog = forms.ChoiceField(
        label=_("VOG"),
        required=False,
        choices=[("", _("Alle")), ("warning", _("Verloopt binnenkort, verlopen of ontbreekt"))],
    )

    def __init__(self, *args, pool: Pool, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = Subject.objects.filter(
            pk__in=pool.members.values("qualifications__subject_id")
        )
        self.fields["employer"].queryset = employers


class MemberForm(forms.Form):
    full_name = forms.CharField(label=_("Naam"), max_length=200)
    email = forms.EmailField(label=_("E-mailadres"))
    phone = forms.CharField(label=_("Telefoon"), max_length=30, required=False)
    employer = forms.ModelChoiceField(label=_("Werkgever"), queryset=Organisation.objects.none())
    home_school = forms.ModelChoiceField(
        label=_("Eigen school"),
        queryset=SchoolLocation.objects.none(),
        required=False,
        help_text=_("Voor de eerste vrijgavetrap: vervanging binnen de eigen school."),
    )
    levels = forms.MultipleChoiceField(
        label=_("Niveaus waarop lesgegeven wordt"),
        widget=forms.CheckboxSelectMultiple,
        choices=Level.choices,
        required=False,
    )
    contract_hours = forms.DecimalField(label=_("Contracturen per week"), min_value=0, max_digits=4, decimal_places=1)
    pool_hours = forms.DecimalField(
        label=_("Inzetbaar voor de pool (uren per week)"), min_value=0.5, max_value=40, max_digits=4, decimal_places=1
    )
    day_parts = forms.MultipleChoiceField(
        label=_("Beschikbare dagdelen"), widget=forms.CheckboxSelectMultiple, choices=DAY_PART_CHOICES, required=False
    )
    home_postcode = forms.RegexField(
        label=_("Postcode woonadres (4 cijfers)"),
        regex=r"^[1-9]\d{3}$",
        error_messages={"invalid": _("Vul de vier cijfers van de postcode in, bijvoorbeeld 3811.")},
        max_length=4,
    )
    max_travel_km = forms.IntegerField(label=_("Maximale reisafstand (km)"), min_value=1, max_value=200, initial=30)
    vog_date = _date_field(_("Datum VOG"), required=False)
    is_active = forms.BooleanField(label=_("Actief"), required=False, initial=True)
    notes = forms.CharField(label=_("Notities coördinator"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    preferred_schools = forms.ModelMultipleChoiceField(
        label=_("Voorkeursscholen"),
        queryset=SchoolLocation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    blocked_schools = forms.ModelMultipleChoiceField(
        label=_("Geblokkeerde scholen"),
        queryset=SchoolLocation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, pool: Pool, employers, instance: PoolMember | None = None, is_coordinator=True, **kwargs):
        qualifications = list(instance.qualifications.all()) if instance is not None else []
        if instance is not None and "initial" not in kwargs:
            initial = {field: getattr(instance, field) for field in services.MEMBER_FIELDS}
            initial["employer"] = instance.employer_id
            initial["home_school"] = instance.home_school_id
            initial["preferred_schools"] = list(instance.preferred_schools.values_list("pk", flat=True))
            initial["blocked_schools"] = list(instance.blocked_schools.values_list("pk", flat=True))
            initial["version"] = instance.version
            for index, qualification in enumerate(qualifications):
                initial[f"q_subject_{index}"] = qualification.subject_id
                initial[f"q_degree_{index}"] = qualification.degree
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.pool = pool
        self.fields["employer"].queryset = employers
        schools = SchoolLocation.objects.filter(board_id__in=pool.participants.values("board_id")).order_by("name")
        self.fields["home_school"].queryset = schools
        self.fields["preferred_schools"].queryset = schools
        self.fields["blocked_schools"].queryset = schools
        if not is_coordinator:
            del self.fields["notes"]
        posted_rows = 0
        if self.data:
            posted_rows = len([key for key in self.data if key.startswith("q_subject_")])
        self.qualification_rows = max(len(qualifications) + QUALIFICATION_ROWS_EXTRA, posted_rows, 1)
        subjects = pool.subjects.all()
        subject_queryset = subjects if subjects.exists() else Subject.objects.all()
        for index in range(self.qualification_rows):
            self.fields[f"q_subject_{index}"] = forms.ModelChoiceField(
                label=_("Vak %(n)s") % {"n": index + 1}, queryset=subject_queryset, required=False
            )
            self.fields[f"q_degree_{index}"] = forms.ChoiceField(
                label=_("Bevoegdheid %(n)s") % {"n": index + 1},
                choices=[("", "—")] + list(Degree.choices),
                required=False,
            )

    def qualification_fields(self):
        return [(self[f"q_subject_{i}"], self[f"q_degree_{i}"]) for i in range(self.qualification_rows)]

    def clean(self):
        data = super().clean()
        qualifications = []
        seen = set()
        for index in range(self.qualification_rows):
            subject, degree = data.get(f"q_subject_{index}"), data.get(f"q_degree_{index}")
            if subject and not degree:
                self.add_error(f"q_degree_{index}", _("Kies de bevoegdheid voor %(s)s.") % {"s": subject.name})
            elif degree and not subject:
                self.add_error(f"q_subject_{index}", _("Kies het vak bij deze bevoegdheid."))
            elif subject:
                if subject.pk in seen:
                    self.add_error(f"q_subject_{index}", _("%(s)s staat er al in.") % {"s": subject.name})
                seen.add(subject.pk)
                qualifications.append((subject, degree))
        self.qualifications = qualifications
        blocked = set(data.get("blocked_schools") or [])
        if blocked & set(data.get("preferred_schools") or []):
            self.add_error("blocked_schools", _("Een school kan niet tegelijk voorkeursschool en geblokkeerd zijn."))
        return data

    def service_data(self) -> dict:
        return {field: self.cleaned_data[field] for field in services.MEMBER_FIELDS if field in self.cleaned_data}


class UnavailabilityForm(forms.Form):
    start_date = _date_field(_("Van"))
    end_date = _date_field(_("Tot en met"))
    note = forms.CharField(
        label=_("Toelichting"), max_length=200, required=False, help_text=_("Bijvoorbeeld vakantie. Geen reden nodig.")
    )

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("De einddatum ligt vóór de begindatum."))
        return data


class AvailabilityForm(forms.Form):
    day_parts = forms.MultipleChoiceField(
        label=_("Op deze dagdelen kan ik invallen"),
        widget=forms.CheckboxSelectMultiple,
        choices=DAY_PART_CHOICES,
        required=False,
    )
    pool_hours = forms.DecimalField(
        label=_("Uren per week voor de pool"), min_value=0.5, max_value=40, max_digits=4, decimal_places=1
    )
    max_travel_km = forms.IntegerField(label=_("Maximale reisafstand (km)"), min_value=1, max_value=200)


class PolicyForm(forms.ModelForm):
    levels = forms.MultipleChoiceField(
        label=_("Niveaus in de pool"),
        widget=forms.CheckboxSelectMultiple,
        choices=Level.choices,
        required=False,
        help_text=_("Niets aangevinkt: alle niveaus."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Pool
        fields = [*services.POOL_POLICY_FIELDS, "subjects"]
        widgets = {"subjects": forms.CheckboxSelectMultiple, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        own, whole = data.get("release_own_board_after_days"), data.get("release_pool_after_days")
        if own is not None and whole is not None and whole < own:
            self.add_error(
                "release_pool_after_days",
                _("De hele pool komt niet eerder aan de beurt dan het eigen bestuur: kies ten minste %(n)s dagen.")
                % {"n": own},
            )
        return data

    def _post_clean(self):
        # The service validates and saves; skip ModelForm's instance construction on the shared object.
        pass


class PoolBoardForm(forms.ModelForm):
    chain_exempt_reasons = forms.MultipleChoiceField(
        label=_("Vervanging die niet meetelt voor de keten"),
        choices=AbsenceReason.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = PoolBoard
        fields = [
            "board",
            "joined_on",
            "requests_substitutes",
            "supplies_members",
            "contribution_fte",
            "chain_max_contracts",
            "chain_window_months",
            "chain_exempt_reasons",
        ]
        widgets = {"joined_on": DATE_WIDGET}

    def __init__(self, *args, boards=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["board"]
        else:
            self.fields["board"].queryset = boards if boards is not None else Organisation.objects.none()

    def _post_clean(self):
        pass

    def service_data(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.fields if field != "board"}


class ReplaceForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Ander poollid"), queryset=PoolMember.objects.none())

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


# --- hours, settlement and dashboard ----------------------------------------------------------

_HOURS_PATTERN = re.compile(r"^\d{1,2}([.,]\d{1,2})?$")


class HoursEntryForm(forms.Form):
    week = forms.ChoiceField(label=gettext_lazy("Week"))
    hours = forms.CharField(
        label=gettext_lazy("Gewerkte uren"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 6}),
    )
    note = forms.CharField(
        label=gettext_lazy("Opmerking"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, assignment: Assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        self.fields["week"].choices = [
            (monday.isoformat(), week_choice_label(monday))
            for monday in services.assignment_weeks(assignment=assignment)
        ]
        self.fields["hours"].help_text = _(
            "Bijvoorbeeld 7,5. Afgesproken: %(hours)s uur per week; hoogstens %(max)s."
        ) % {
            "hours": hours_text(assignment.hours_per_week),
            "max": hours_text(services.max_hours(assignment=assignment)),
        }

    def clean_week(self) -> date:
        return date.fromisoformat(self.cleaned_data["week"])

    def clean_hours(self) -> Decimal:
        text = self.cleaned_data["hours"].strip().replace(" ", "")
        if not _HOURS_PATTERN.match(text):
            raise ValidationError(_("Vul het aantal uren in als een getal, bijvoorbeeld 7,5."))
        try:
            return Decimal(text.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern already rules this out
            raise ValidationError(_("Vul het aantal uren in als een getal, bijvoorbeeld 7,5.")) from None


class DisputeForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Wat klopt er niet?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Bijvoorbeeld: op woensdag was er geen les. De ander krijgt dit per e-mail."),
        error_messages={"required": gettext_lazy("Schrijf kort op wat er niet klopt.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ExportForm(forms.Form):
    van = forms.DateField(
        label=gettext_lazy("Weken vanaf"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Vul een datum in als 2026-01-31.")},
    )
    tot = forms.DateField(
        label=gettext_lazy("Weken tot en met"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Vul een datum in als 2026-12-31.")},
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("van"), cleaned.get("tot")
        if start and end and end < start:
            self.add_error("tot", _("De einddatum ligt vóór de begindatum."))
        return cleaned


class SettlementForm(forms.Form):
    period_start = forms.DateField(
        label=gettext_lazy("Eerste dag van de periode"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": gettext_lazy("Vul een datum in als 2026-01-31."),
            "required": gettext_lazy("Vul de eerste dag van de periode in."),
        },
    )
    period_end = forms.DateField(
        label=gettext_lazy("Laatste dag van de periode"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": gettext_lazy("Vul een datum in als 2026-12-31."),
            "required": gettext_lazy("Vul de laatste dag van de periode in."),
        },
    )
    only_confirmed_hours = forms.BooleanField(
        label=gettext_lazy("Alleen bevestigde uren meetellen"),
        required=False,
        initial=True,
        help_text=gettext_lazy("Zonder vinkje tellen ook uren mee die nog op bevestiging wachten (niet de betwiste)."),
    )

    def clean(self):
        cleaned = super().clean()
        if "period_start" in cleaned and "period_end" in cleaned:
            for name, message in services.settlement_period_errors(
                period_start=cleaned["period_start"], period_end=cleaned["period_end"]
            ).items():
                self.add_error(name, message)
        return cleaned


# A dashboard period of more than this many days is refused (monthly series would become unreadable).
MAX_PERIOD_DAYS = 3 * 366


class PeriodForm(forms.Form):
    van = forms.DateField(
        label=gettext_lazy("Vervanging begint vanaf"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Vul een datum in als 2026-08-01.")},
    )
    tot = forms.DateField(
        label=gettext_lazy("tot en met"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Vul een datum in als 2027-07-31.")},
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("van"), cleaned.get("tot")
        if start and end:
            if end < start:
                self.add_error("tot", _("De einddatum ligt vóór de begindatum."))
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("tot", _("Kies een periode van hoogstens drie jaar."))
        return cleaned

    def period(self, today: date) -> monitoring.Period:
        """The chosen period; the current school year where a date is missing or did not validate."""
        data = self.cleaned_data if self.is_bound and not self.errors else {}
        start, end = data.get("van"), data.get("tot")
        if start and end:
            return monitoring.Period(start, end)
        if start:
            end = add_months(start, 12) - timedelta(days=1)
        elif end:
            start = add_months(end, -12) + timedelta(days=1)
        else:
            default = monitoring.school_year(today=today)
            start, end = default.start, default.end
        return monitoring.Period(start, end)
