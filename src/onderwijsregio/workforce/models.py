"""Strategic personnel planning: staff snapshots, pupil projections, assumptions, scenarios, forecasts.

A board uploads a StaffSnapshot (one row per employee under a pseudonymous id, no names) as of a
reference date; snapshots are versioned, never edited. Pupil forecasts entered by users override
the DUO trend for a school location. Each region keeps one AssumptionSet (rates with sources);
Scenarios are named what-ifs. A ForecastRun is one engine run for one input version: its
`input_key` hashes everything that went in, so an unchanged question is answered from the stored
result instead of being computed again. Sickness absence is kept as a percentage only, never a reason.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onderwijsregio.organisations.models import Organisation, SchoolLocation


class Function(models.TextChoices):
    TEACHING = "teaching", _("onderwijsgevend personeel")
    SUPPORT = "support", _("onderwijsondersteunend personeel")
    MANAGEMENT = "management", _("directie en management")


class StaffDegree(models.TextChoices):
    FIRST = "first", _("eerstegraads")
    SECOND = "second", _("tweedegraads")
    LIMITED_SECOND = "limited_second", _("beperkt tweedegraads")
    PDG = "pdg", _("pdg")
    IN_TRAINING = "in_training", _("in opleiding")
    NONE = "none", _("geen (onbevoegd)")


class Gender(models.TextChoices):
    FEMALE = "v", _("vrouw")
    MALE = "m", _("man")
    OTHER = "x", _("anders of onbekend")


class ContractType(models.TextChoices):
    PERMANENT = "permanent", _("vast")
    FIXED_TERM = "fixed_term", _("tijdelijk")
    OTHER = "other", _("anders (inhuur, payroll)")


class StaffSnapshot(models.Model):
    """A board's staff as of one date. Immutable once stored; a new upload is a new version."""

    board = models.ForeignKey(
        Organisation, verbose_name=_("bestuur"), on_delete=models.CASCADE, related_name="staff_snapshots"
    )
    reference_date = models.DateField(_("peildatum"))
    version = models.PositiveSmallIntegerField(_("versie"), default=1)
    source_filename = models.CharField(_("bestandsnaam"), max_length=255, blank=True)
    row_count = models.PositiveIntegerField(_("aantal medewerkers"), default=0)
    total_fte = models.DecimalField(_("totaal fte"), max_digits=9, decimal_places=2, default=0)
    is_synthetic = models.BooleanField(
        _("synthetisch (demo)"), default=False, help_text=_("Gegenereerd uit publieke kengetallen, geen echte mensen.")
    )
    note = models.CharField(_("opmerking"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geüpload door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("geüpload op"), auto_now_add=True)

    class Meta:
        verbose_name = _("personeelsbestand")
        verbose_name_plural = _("personeelsbestanden")
        ordering = ["board__name", "-reference_date", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "reference_date", "version"], name="one_snapshot_version_per_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.board} {self.reference_date:%d-%m-%Y} v{self.version}"


class StaffRow(models.Model):
    """One employee in a snapshot, under the board's own pseudonymous id."""

    snapshot = models.ForeignKey(
        StaffSnapshot, verbose_name=_("personeelsbestand"), on_delete=models.CASCADE, related_name="rows"
    )
    line_number = models.PositiveIntegerField(_("regel in het bestand"))
    pseudonym = models.CharField(_("pseudoniem"), max_length=64)
    birth_year = models.PositiveSmallIntegerField(
        _("geboortejaar"), validators=[MinValueValidator(1940), MaxValueValidator(2015)]
    )
    gender = models.CharField(_("geslacht"), max_length=1, choices=Gender.choices)
    function = models.CharField(_("functiegroep"), max_length=20, choices=Function.choices)
    # [{"subject": "<SLO code>", "degree": "first"}, ...]; empty for non-teaching staff
    subjects = models.JSONField(_("vakken en bevoegdheden"), default=list, blank=True)
    fte = models.DecimalField(
        _("fte"), max_digits=4, decimal_places=3, validators=[MinValueValidator(0), MaxValueValidator(2)]
    )
    contract_type = models.CharField(_("soort contract"), max_length=20, choices=ContractType.choices)
    start_education = models.DateField(_("in het onderwijs sinds"))
    start_board = models.DateField(_("bij het bestuur sinds"))
    school_location = models.ForeignKey(
        SchoolLocation,
        verbose_name=_("schoolvestiging"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    absence_pct = models.DecimalField(
        _("ziekteverzuim % (12 maanden)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    planned_exit_date = models.DateField(_("geplande uitstroomdatum"), null=True, blank=True)

    class Meta:
        verbose_name = _("medewerker (pseudoniem)")
        verbose_name_plural = _("medewerkers (pseudoniem)")
        ordering = ["line_number"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "pseudonym"], name="one_row_per_pseudonym_per_snapshot"),
        ]

    def __str__(self) -> str:
        return self.pseudonym


class PupilForecast(models.Model):
    """Pupils expected at a school location in a year, entered by a user; overrides the DUO trend."""

    school_location = models.ForeignKey(
        SchoolLocation, verbose_name=_("schoolvestiging"), on_delete=models.CASCADE, related_name="pupil_forecasts"
    )
    year = models.PositiveSmallIntegerField(_("jaar (1 oktober)"), validators=[MinValueValidator(2000)])
    pupils = models.PositiveIntegerField(_("leerlingen"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingevoerd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("ingevoerd op"), auto_now=True)

    class Meta:
        verbose_name = _("leerlingprognose")
        verbose_name_plural = _("leerlingprognoses")
        ordering = ["school_location", "year"]
        constraints = [
            models.UniqueConstraint(fields=["school_location", "year"], name="one_forecast_per_location_year")
        ]

    def __str__(self) -> str:
        return f"{self.school_location} {self.year}: {self.pupils}"


class AssumptionSet(models.Model):
    """The model's rates for one region; keys and defaults are those of `workforce.assumptions`."""

    region = models.OneToOneField(
        Organisation, verbose_name=_("onderwijsregio"), on_delete=models.CASCADE, related_name="workforce_assumptions"
    )
    values = models.JSONField(_("waarden"), default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gewijzigd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("aannames")
        verbose_name_plural = _("aannames")

    def __str__(self) -> str:
        return str(self.region)


class Scenario(models.Model):
    """A named what-if, owned by a board or a region; its levers mirror `engine.types.Scenario`."""

    owner = models.ForeignKey(
        Organisation, verbose_name=_("eigenaar"), on_delete=models.CASCADE, related_name="workforce_scenarios"
    )
    name = models.CharField(_("naam"), max_length=100)
    description = models.TextField(_("omschrijving"), blank=True)
    levers = models.JSONField(_("knoppen"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gemaakt door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenario's")
        ordering = ["owner__name", "name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="unique_scenario_name_per_owner")]

    def __str__(self) -> str:
        return self.name


class ForecastRun(models.Model):
    """One forecast for one input version (board or region, snapshots, pupils, assumptions, scenario)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("in de wachtrij")
        RUNNING = "running", _("bezig")
        SUCCEEDED = "succeeded", _("klaar")
        FAILED = "failed", _("mislukt")

    subject_organisation = models.ForeignKey(
        Organisation, verbose_name=_("bestuur of regio"), on_delete=models.CASCADE, related_name="forecast_runs"
    )
    scenario = models.ForeignKey(
        Scenario, verbose_name=_("scenario"), null=True, blank=True, on_delete=models.CASCADE, related_name="runs"
    )
    input_key = models.CharField(_("invoersleutel"), max_length=64, db_index=True)
    horizon = models.PositiveSmallIntegerField(_("jaren vooruit"), default=10, validators=[MaxValueValidator(15)])
    runs = models.PositiveIntegerField(_("Monte Carlo-trekkingen"), default=1000)
    seed = models.PositiveIntegerField(_("startwaarde"), default=2026)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    job = models.ForeignKey(
        "core.Job", verbose_name=_("taak"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    inputs = models.JSONField(_("invoer (samenvatting)"), default=dict, blank=True)
    result = models.JSONField(_("uitkomst"), default=dict, blank=True)
    message = models.CharField(_("melding"), max_length=500, blank=True)
    wall_time_s = models.FloatField(_("rekentijd (s)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gestart door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("gestart op"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        verbose_name = _("prognose")
        verbose_name_plural = _("prognoses")
        ordering = ["-created_at"]
        constraints = [
            # One stored answer per input version: a second request for the same question reuses it.
            models.UniqueConstraint(
                fields=["input_key"],
                condition=Q(status__in=["queued", "running", "succeeded"]),
                name="one_live_forecast_per_input",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_organisation} {self.created_at:%d-%m-%Y %H:%M}"
