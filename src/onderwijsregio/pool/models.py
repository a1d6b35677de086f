"""The substitute pool (invalpool): boards share teachers for long-term replacements.

A Pool belongs to a region (optionally one sub-region) and carries its policy. Boards take part;
PoolMembers (teachers, employed by a board or a regional employer) say what they can teach and when.
Schools file ReplacementRequests; a Batch runs the assignment engine over the open requests and
proposes members; the coordinator confirms, Offers go out by email, an accepted Offer becomes an
Assignment. Every day-part an assignment occupies is a BookedSlot row, unique per member, day and
part: the database itself makes double booking impossible, whatever two coordinators or two
accepts do at the same moment. Worked hours are entered and confirmed per week; a SettlementRun
freezes what each board owes and saves for a period. Only the *category* of an absence is stored,
never a diagnosis.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from onderwijsregio.organisations.models import Organisation, SchoolLocation, Subject, SubRegion

from .engine.types import Degree as EngineDegree
from .engine.types import Level as EngineLevel


class Degree(models.TextChoices):
    FIRST = EngineDegree.FIRST.value, _("eerstegraads")
    SECOND = EngineDegree.SECOND.value, _("tweedegraads")
    LIMITED_SECOND = EngineDegree.LIMITED_SECOND.value, _("beperkt tweedegraads")
    PDG = EngineDegree.PDG.value, _("pedagogisch-didactisch getuigschrift (pdg)")
    IN_TRAINING = EngineDegree.IN_TRAINING.value, _("in opleiding")


class Level(models.TextChoices):
    VSO = EngineLevel.VSO.value, _("vso")
    VMBO_BK = EngineLevel.VMBO_BK.value, _("vmbo basis/kader")
    VMBO_GT = EngineLevel.VMBO_GT.value, _("vmbo gemengd/theoretisch")
    HAVO_VWO_LOWER = EngineLevel.HAVO_VWO_LOWER.value, _("onderbouw havo/vwo")
    HAVO_UPPER = EngineLevel.HAVO_UPPER.value, _("bovenbouw havo")
    VWO_UPPER = EngineLevel.VWO_UPPER.value, _("bovenbouw vwo")
    MBO = EngineLevel.MBO.value, _("mbo")


class AbsenceReason(models.TextChoices):
    """Category only: the platform never stores what someone is ill with."""

    ILLNESS = "illness", _("ziekte")
    LEAVE = "leave", _("verlof")
    VACANCY = "vacancy", _("openstaande vacature")
    OTHER = "other", _("anders")


class Urgency(models.IntegerChoices):
    NORMAL = 0, _("normaal")
    HIGH = 1, _("hoog")
    URGENT = 2, _("spoed")


class ContributionKey(models.TextChoices):
    PER_PUPIL = "per_pupil", _("naar leerlingaantal")
    PER_FTE = "per_fte", _("naar fte")
    PER_HOUR = "per_hour", _("naar gebruikte uren")


class ReleaseTier(models.TextChoices):
    OWN_SCHOOL = "own_school", _("eigen school")
    OWN_BOARD = "own_board", _("eigen bestuur")
    POOL = "pool", _("hele pool")


# Day-parts are stored as "weekday-part" strings: "0-0" is Monday morning, "4-1" Friday afternoon.
DAY_PART_CHOICES = [
    (f"{weekday}-{part}", f"{day} {half}")
    for weekday, day in enumerate([_("maandag"), _("dinsdag"), _("woensdag"), _("donderdag"), _("vrijdag")])
    for part, half in enumerate([_("ochtend"), _("middag")])
]
DAY_PART_VALUES = [value for value, _label in DAY_PART_CHOICES]


class Pool(models.Model):
    """A cross-board substitute pool and its policy (all of it editable by the regional team)."""

    region = models.ForeignKey(
        Organisation,
        verbose_name=_("onderwijsregio"),
        on_delete=models.PROTECT,
        related_name="pools",
        limit_choices_to={"kind": Organisation.Kind.REGION},
    )
    sub_region = models.ForeignKey(
        SubRegion, verbose_name=_("subregio"), null=True, blank=True, on_delete=models.PROTECT, related_name="pools"
    )
    name = models.CharField(_("naam"), max_length=150)
    slug = models.SlugField(_("korte naam"), max_length=80, unique=True)
    is_active = models.BooleanField(_("actief"), default=True)
    description = models.TextField(_("omschrijving"), blank=True)
    # policy
    long_term_days = models.PositiveSmallIntegerField(
        _("langdurig vanaf (werkdagen)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    subjects = models.ManyToManyField(
        Subject,
        verbose_name=_("vakken in de pool"),
        blank=True,
        related_name="pools",
        help_text=_("Leeg: alle vakken."),
    )
    levels = models.JSONField(_("niveaus in de pool"), default=list, blank=True, help_text=_("Leeg: alle niveaus."))
    allow_partial = models.BooleanField(_("gedeeltelijk invullen toegestaan"), default=False)
    allow_in_training = models.BooleanField(_("leraren in opleiding inzetbaar"), default=False)
    vog_max_age_months = models.PositiveSmallIntegerField(
        _("VOG maximaal zo oud (maanden)"), null=True, blank=True, help_text=_("Leeg: een VOG verloopt niet.")
    )
    contribution_key = models.CharField(
        _("verdeelsleutel bijdrage"), max_length=20, choices=ContributionKey.choices, default=ContributionKey.PER_PUPIL
    )
    payroll_rate = models.DecimalField(
        _("uurtarief eigen personeel (€)"), max_digits=7, decimal_places=2, default=Decimal("58.00")
    )
    agency_rate = models.DecimalField(
        _("uurtarief uitzendbureau incl. btw (€)"), max_digits=7, decimal_places=2, default=Decimal("113.00")
    )
    release_own_board_after_days = models.PositiveSmallIntegerField(
        _("na zoveel dagen open voor het eigen bestuur"), default=1
    )
    release_pool_after_days = models.PositiveSmallIntegerField(_("na zoveel dagen open voor de hele pool"), default=3)
    offer_valid_hours = models.PositiveSmallIntegerField(
        _("aanbod geldig (uren)"), default=48, validators=[MinValueValidator(1), MaxValueValidator(24 * 14)]
    )
    fairness_window_months = models.PositiveSmallIntegerField(_("eerlijkheidsvenster (maanden)"), default=12)
    auto_batch = models.BooleanField(_("automatisch elke werkdag een ronde voorstellen"), default=False)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("invalpool")
        verbose_name_plural = _("invalpools")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(release_pool_after_days__gte=F("release_own_board_after_days")),
                name="pool_release_tiers_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PoolBoard(models.Model):
    """A board (or regional employer) taking part in a pool, with its own chain rule."""

    pool = models.ForeignKey(Pool, verbose_name=_("pool"), on_delete=models.CASCADE, related_name="participants")
    board = models.ForeignKey(
        Organisation, verbose_name=_("bestuur"), on_delete=models.PROTECT, related_name="pool_participations"
    )
    joined_on = models.DateField(_("deelnemer sinds"), null=True, blank=True)
    requests_substitutes = models.BooleanField(_("vraagt vervanging aan"), default=True)
    supplies_members = models.BooleanField(_("levert poolleden"), default=True)
    contribution_fte = models.DecimalField(
        _("fte voor de verdeelsleutel"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    chain_max_contracts = models.PositiveSmallIntegerField(
        _("ketenregeling: maximaal aantal tijdelijke contracten"), default=3, validators=[MinValueValidator(1)]
    )
    chain_window_months = models.PositiveSmallIntegerField(
        _("ketenregeling: binnen zoveel maanden"), default=36, validators=[MinValueValidator(1)]
    )
    chain_exempt_reasons = models.JSONField(
        _("vervanging die niet meetelt voor de keten"), default=list, blank=True, help_text=_("Bijvoorbeeld ziekte.")
    )

    class Meta:
        verbose_name = _("deelnemend bestuur")
        verbose_name_plural = _("deelnemende besturen")
        ordering = ["pool", "board__name"]
        constraints = [models.UniqueConstraint(fields=["pool", "board"], name="one_participation_per_board")]

    def __str__(self) -> str:
        return f"{self.board} in {self.pool}"


class PoolMember(models.Model):
    """A teacher in the pool. Personal data: visible to the coordinator and the employing board's HR."""

    pool = models.ForeignKey(Pool, verbose_name=_("pool"), on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pool_memberships",
    )
    full_name = models.CharField(_("naam"), max_length=200)
    email = models.EmailField(_("e-mailadres"))
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    employer = models.ForeignKey(
        Organisation, verbose_name=_("werkgever"), on_delete=models.PROTECT, related_name="pool_members"
    )
    home_school = models.ForeignKey(
        SchoolLocation,
        verbose_name=_("eigen school"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Voor de eerste vrijgavetrap: vervanging binnen de eigen school."),
    )
    levels = models.JSONField(_("niveaus waarop lesgegeven wordt"), default=list, blank=True)
    contract_hours = models.DecimalField(
        _("contracturen per week"), max_digits=4, decimal_places=1, validators=[MinValueValidator(0)]
    )
    pool_hours = models.DecimalField(
        _("inzetbaar voor de pool (uren per week)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(40)],
    )
    day_parts = models.JSONField(_("beschikbare dagdelen"), default=list, blank=True)
    home_postcode = models.CharField(
        _("postcode woonadres (4 cijfers)"),
        max_length=4,
        validators=[RegexValidator(r"^[1-9]\d{3}$", _("Vul de vier cijfers van de postcode in, bijvoorbeeld 3811."))],
    )
    latitude = models.FloatField(_("breedtegraad"), null=True, blank=True)
    longitude = models.FloatField(_("lengtegraad"), null=True, blank=True)
    max_travel_km = models.PositiveSmallIntegerField(
        _("maximale reisafstand (km)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    vog_date = models.DateField(_("datum VOG"), null=True, blank=True)
    preferred_schools = models.ManyToManyField(
        SchoolLocation, verbose_name=_("voorkeursscholen"), blank=True, related_name="+"
    )
    blocked_schools = models.ManyToManyField(
        SchoolLocation, verbose_name=_("geblokkeerde scholen"), blank=True, related_name="+"
    )
    is_active = models.BooleanField(_("actief"), default=True)
    is_synthetic = models.BooleanField(_("fictief (demo)"), default=False)
    notes = models.TextField(_("notities coördinator"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("poollid")
        verbose_name_plural = _("poolleden")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(fields=["pool", "email"], name="one_pool_member_per_email"),
            models.CheckConstraint(condition=Q(pool_hours__gt=0), name="pool_member_hours_positive"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def audit_label(self) -> str:
        return f"poollid {self.pk}"


class MemberQualification(models.Model):
    member = models.ForeignKey(
        PoolMember, verbose_name=_("poollid"), on_delete=models.CASCADE, related_name="qualifications"
    )
    subject = models.ForeignKey(Subject, verbose_name=_("vak"), on_delete=models.PROTECT, related_name="+")
    degree = models.CharField(_("bevoegdheid"), max_length=20, choices=Degree.choices)

    class Meta:
        verbose_name = _("bevoegdheid")
        verbose_name_plural = _("bevoegdheden")
        ordering = ["subject__name"]
        constraints = [models.UniqueConstraint(fields=["member", "subject"], name="one_degree_per_subject")]

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_degree_display()})"


class MemberUnavailability(models.Model):
    """A period a member cannot work (holiday, other work). No reason is asked."""

    member = models.ForeignKey(
        PoolMember, verbose_name=_("poollid"), on_delete=models.CASCADE, related_name="unavailable_periods"
    )
    start_date = models.DateField(_("van"))
    end_date = models.DateField(_("tot en met"))
    note = models.CharField(_("toelichting"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("niet beschikbaar")
        verbose_name_plural = _("niet beschikbaar")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="unavailability_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.start_date:%d-%m-%Y} – {self.end_date:%d-%m-%Y}"


class MemberContract(models.Model):
    """A fixed-term contract of a member with a board: what the chain rule counts."""

    member = models.ForeignKey(
        PoolMember, verbose_name=_("poollid"), on_delete=models.CASCADE, related_name="contracts"
    )
    board = models.ForeignKey(Organisation, verbose_name=_("bestuur"), on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(_("begindatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    assignment = models.OneToOneField(
        "Assignment", verbose_name=_("inzet"), null=True, blank=True, on_delete=models.SET_NULL, related_name="contract"
    )

    class Meta:
        verbose_name = _("tijdelijk contract")
        verbose_name_plural = _("tijdelijke contracten")
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return f"{self.board} {self.start_date:%d-%m-%Y}"


class ReplacementRequest(models.Model):
    """A school's request for a substitute."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        PROPOSED = "proposed", _("voorstel gedaan")
        OFFERED = "offered", _("aanbod verstuurd")
        PARTIALLY_FILLED = "partially_filled", _("gedeeltelijk ingevuld")
        FILLED = "filled", _("ingevuld")
        UNFILLED = "unfilled", _("niet ingevuld")
        CANCELLED = "cancelled", _("ingetrokken")

    OPEN_STATUSES = (Status.OPEN, Status.PROPOSED, Status.OFFERED, Status.PARTIALLY_FILLED)

    pool = models.ForeignKey(Pool, verbose_name=_("pool"), on_delete=models.PROTECT, related_name="requests")
    school_location = models.ForeignKey(
        SchoolLocation, verbose_name=_("schoolvestiging"), on_delete=models.PROTECT, related_name="replacement_requests"
    )
    board = models.ForeignKey(
        Organisation, verbose_name=_("bestuur"), on_delete=models.PROTECT, related_name="replacement_requests"
    )
    subject = models.ForeignKey(Subject, verbose_name=_("vak"), on_delete=models.PROTECT, related_name="+")
    levels = models.JSONField(_("niveaus"), default=list)
    year_groups = models.CharField(_("klassen of leerjaren"), max_length=100, blank=True)
    class_key = models.CharField(
        _("groep (voor continuïteit)"),
        max_length=100,
        blank=True,
        help_text=_("Bijvoorbeeld 2B. Dezelfde groep krijgt bij voorkeur dezelfde invaller."),
    )
    start_date = models.DateField(_("eerste dag"))
    end_date = models.DateField(_("laatste dag"))
    hours_per_week = models.DecimalField(
        _("lesuren per week"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(40)],
    )
    day_parts = models.JSONField(_("dagdelen"), default=list)
    reason = models.CharField(_("reden (alleen de soort)"), max_length=20, choices=AbsenceReason.choices)
    urgency = models.PositiveSmallIntegerField(_("urgentie"), choices=Urgency.choices, default=Urgency.NORMAL)
    preferred_member = models.ForeignKey(
        PoolMember,
        verbose_name=_("voorkeur voor poollid"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_name = models.CharField(_("contactpersoon"), max_length=200)
    contact_email = models.EmailField(_("e-mailadres contactpersoon"))
    contact_phone = models.CharField(_("telefoon contactpersoon"), max_length=30, blank=True)
    notes_for_substitute = models.TextField(
        _("voor de invaller"), blank=True, help_text=_("Lesmateriaal, waar melden, rooster. Geen medische gegevens.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    release_tier = models.CharField(
        _("vrijgegeven voor"), max_length=20, choices=ReleaseTier.choices, default=ReleaseTier.OWN_SCHOOL
    )
    filled_hours_per_week = models.DecimalField(
        _("ingevulde uren per week"), max_digits=4, decimal_places=1, default=Decimal("0")
    )
    unfilled_explanation = models.TextField(_("waarom (nog) niet ingevuld"), blank=True)
    is_synthetic = models.BooleanField(_("fictief (demo)"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangevraagd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)
    filled_at = models.DateTimeField(_("ingevuld op"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("vervangingsaanvraag")
        verbose_name_plural = _("vervangingsaanvragen")
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="request_ends_after_start"),
            models.CheckConstraint(condition=Q(hours_per_week__gt=0), name="request_hours_positive"),
            models.CheckConstraint(
                condition=Q(filled_hours_per_week__lte=F("hours_per_week")), name="request_not_overfilled"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} — {self.school_location} ({self.start_date:%d-%m-%Y})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class Batch(models.Model):
    """One run of the assignment engine over a pool's open requests, and what it proposed."""

    class Status(models.TextChoices):
        RUNNING = "running", _("bezig")
        PROPOSED = "proposed", _("voorstel")
        CONFIRMED = "confirmed", _("bevestigd")
        DISCARDED = "discarded", _("verworpen")
        FAILED = "failed", _("mislukt")

    pool = models.ForeignKey(Pool, verbose_name=_("pool"), on_delete=models.CASCADE, related_name="batches")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RUNNING)
    job = models.ForeignKey(
        "core.Job", verbose_name=_("taak"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(_("methode"), max_length=20, blank=True)
    solver_status = models.CharField(_("uitkomst solver"), max_length=20, blank=True)
    gap = models.FloatField(_("optimaliteitsmarge"), null=True, blank=True)
    filled_hours = models.FloatField(_("ingevulde lesuren"), default=0)
    requested_hours = models.FloatField(_("gevraagde lesuren"), default=0)
    wall_time_s = models.FloatField(_("rekentijd (s)"), default=0)
    notes = models.JSONField(_("toelichting"), default=list, blank=True)
    is_scheduled = models.BooleanField(_("automatisch gestart"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gestart door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("gestart op"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bevestigd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("bevestigd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("ronde")
        verbose_name_plural = _("rondes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.pool} {self.created_at:%d-%m-%Y %H:%M}"


class Proposal(models.Model):
    """One proposed member for one request in a batch; the coordinator may remove or replace it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("voorgesteld")
        REMOVED = "removed", _("geschrapt")
        OFFERED = "offered", _("aangeboden")

    batch = models.ForeignKey(Batch, verbose_name=_("ronde"), on_delete=models.CASCADE, related_name="proposals")
    request = models.ForeignKey(
        ReplacementRequest, verbose_name=_("aanvraag"), on_delete=models.CASCADE, related_name="proposals"
    )
    member = models.ForeignKey(
        PoolMember, verbose_name=_("poollid"), on_delete=models.CASCADE, related_name="proposals"
    )
    hours_per_week = models.DecimalField(_("uren per week"), max_digits=4, decimal_places=1)
    travel_km = models.FloatField(_("reisafstand (km)"))
    partial = models.BooleanField(_("gedeeltelijk"), default=False)
    explanation = models.TextField(_("waarom dit lid"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    edited_by_coordinator = models.BooleanField(_("aangepast door coördinator"), default=False)

    class Meta:
        verbose_name = _("voorstel")
        verbose_name_plural = _("voorstellen")
        ordering = ["request__start_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "request", "member"], name="one_proposal_per_pair_per_batch")
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.request}"


class UnfilledRequest(models.Model):
    """Why a batch could not fill (all of) a request: the engine's explanation, kept with the batch."""

    batch = models.ForeignKey(Batch, verbose_name=_("ronde"), on_delete=models.CASCADE, related_name="unfilled")
    request = models.ForeignKey(
        ReplacementRequest, verbose_name=_("aanvraag"), on_delete=models.CASCADE, related_name="+"
    )
    hours_per_week = models.DecimalField(_("open uren per week"), max_digits=4, decimal_places=1)
    explanation = models.TextField(_("toelichting"))
    reason_counts = models.JSONField(_("uitsluitingen per reden"), default=dict)

    class Meta:
        verbose_name = _("niet ingevulde aanvraag")
        verbose_name_plural = _("niet ingevulde aanvragen")
        constraints = [models.UniqueConstraint(fields=["batch", "request"], name="one_unfilled_per_request_per_batch")]

    def __str__(self) -> str:
        return f"{self.request}: {self.explanation}"


def _offer_token() -> str:
    return secrets.token_urlsafe(32)


class Offer(models.Model):
    """Work offered to one member by email; the member accepts or declines through a link that expires."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("geaccepteerd")
        DECLINED = "declined", _("afgewezen")
        EXPIRED = "expired", _("verlopen")
        WITHDRAWN = "withdrawn", _("ingetrokken")

    request = models.ForeignKey(
        ReplacementRequest, verbose_name=_("aanvraag"), on_delete=models.CASCADE, related_name="offers"
    )
    member = models.ForeignKey(PoolMember, verbose_name=_("poollid"), on_delete=models.CASCADE, related_name="offers")
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("voorstel"), null=True, blank=True, on_delete=models.SET_NULL, related_name="offers"
    )
    hours_per_week = models.DecimalField(_("uren per week"), max_digits=4, decimal_places=1)
    token = models.CharField(max_length=64, unique=True, default=_offer_token, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    expires_at = models.DateTimeField(_("geldig tot"))
    responded_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    decline_reason = models.CharField(_("reden afwijzing"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verstuurd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("verstuurd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("aanbod")
        verbose_name_plural = _("aanbiedingen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "member"], condition=Q(status="open"), name="one_open_offer_per_member_per_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.request} ({self.get_status_display()})"


class Assignment(models.Model):
    """Confirmed work: a member substitutes for (part of) a request."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("lopend")
        COMPLETED = "completed", _("afgerond")
        CANCELLED = "cancelled", _("geannuleerd")

    request = models.ForeignKey(
        ReplacementRequest, verbose_name=_("aanvraag"), on_delete=models.PROTECT, related_name="assignments"
    )
    member = models.ForeignKey(
        PoolMember, verbose_name=_("poollid"), on_delete=models.PROTECT, related_name="assignments"
    )
    offer = models.OneToOneField(
        Offer, verbose_name=_("aanbod"), null=True, blank=True, on_delete=models.SET_NULL, related_name="assignment"
    )
    start_date = models.DateField(_("eerste dag"))
    end_date = models.DateField(_("laatste dag"))
    hours_per_week = models.DecimalField(_("uren per week"), max_digits=4, decimal_places=1)
    day_parts = models.JSONField(_("dagdelen"), default=list)
    travel_km = models.FloatField(_("reisafstand (km)"), default=0)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bevestigd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("geannuleerd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("inzet")
        verbose_name_plural = _("inzetten")
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="assignment_ends_after_start"),
            models.CheckConstraint(condition=Q(hours_per_week__gt=0), name="assignment_hours_positive"),
            models.UniqueConstraint(
                fields=["request", "member"], condition=Q(status="active"), name="one_active_assignment_per_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.request}"


class BookedSlot(models.Model):
    """One day-part a member is booked for. Unique per member, day and part: no double booking, ever."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="slots")
    member = models.ForeignKey(PoolMember, on_delete=models.CASCADE, related_name="booked_slots")
    day = models.DateField()
    part = models.PositiveSmallIntegerField(validators=[MaxValueValidator(1)])

    class Meta:
        verbose_name = _("geboekt dagdeel")
        verbose_name_plural = _("geboekte dagdelen")
        constraints = [
            models.UniqueConstraint(fields=["member", "day", "part"], name="member_booked_once_per_day_part")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.day:%d-%m-%Y} {self.part}"


class HoursEntry(models.Model):
    """Hours worked in one week of an assignment: entered by one side, confirmed by the other."""

    class Side(models.TextChoices):
        SCHOOL = "school", _("school")
        MEMBER = "member", _("poollid")
        COORDINATOR = "coordinator", _("coördinator")

    class Status(models.TextChoices):
        ENTERED = "entered", _("ingevoerd")
        CONFIRMED = "confirmed", _("bevestigd")
        DISPUTED = "disputed", _("betwist")

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("inzet"), on_delete=models.PROTECT, related_name="hours_entries"
    )
    week_start = models.DateField(_("week (maandag)"))
    hours = models.DecimalField(
        _("gewerkte uren"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(60)]
    )
    entered_side = models.CharField(_("ingevoerd door"), max_length=20, choices=Side.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingevoerd door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("ingevoerd op"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ENTERED)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bevestigd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("bevestigd op"), null=True, blank=True)
    note = models.CharField(_("opmerking"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("urenregistratie")
        verbose_name_plural = _("urenregistraties")
        ordering = ["week_start"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "week_start"], name="one_hours_entry_per_week"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} {self.week_start:%d-%m-%Y}: {self.hours}"


class SettlementRun(models.Model):
    """A frozen settlement between the pool's boards for one period, at the rates of that moment."""

    pool = models.ForeignKey(Pool, verbose_name=_("pool"), on_delete=models.PROTECT, related_name="settlements")
    period_start = models.DateField(_("van"))
    period_end = models.DateField(_("tot en met"))
    payroll_rate = models.DecimalField(_("uurtarief eigen personeel (€)"), max_digits=7, decimal_places=2)
    agency_rate = models.DecimalField(_("uurtarief uitzendbureau (€)"), max_digits=7, decimal_places=2)
    contribution_key = models.CharField(_("verdeelsleutel"), max_length=20, choices=ContributionKey.choices)
    only_confirmed_hours = models.BooleanField(_("alleen bevestigde uren"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opgesteld door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("opgesteld op"), auto_now_add=True)

    class Meta:
        verbose_name = _("afrekening")
        verbose_name_plural = _("afrekeningen")
        ordering = ["-period_end", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="settlement_period_in_order")
        ]

    def __str__(self) -> str:
        return f"{self.pool} {self.period_start:%d-%m-%Y} – {self.period_end:%d-%m-%Y}"


class SettlementLine(models.Model):
    """One board's line of a settlement."""

    run = models.ForeignKey(SettlementRun, verbose_name=_("afrekening"), on_delete=models.CASCADE, related_name="lines")
    board = models.ForeignKey(Organisation, verbose_name=_("bestuur"), on_delete=models.PROTECT, related_name="+")
    hours_received = models.DecimalField(_("uren ontvangen"), max_digits=9, decimal_places=2)
    hours_supplied = models.DecimalField(_("uren geleverd"), max_digits=9, decimal_places=2)
    cost_received = models.DecimalField(_("kosten ontvangen uren (€)"), max_digits=12, decimal_places=2)
    agency_cost_avoided = models.DecimalField(_("kosten via uitzendbureau (€)"), max_digits=12, decimal_places=2)
    savings = models.DecimalField(_("besparing (€)"), max_digits=12, decimal_places=2)
    key_share = models.DecimalField(_("aandeel in de sleutel"), max_digits=7, decimal_places=6)
    contribution_due = models.DecimalField(_("bijdrage volgens sleutel (€)"), max_digits=12, decimal_places=2)
    value_supplied = models.DecimalField(_("waarde geleverde uren (€)"), max_digits=12, decimal_places=2)
    balance = models.DecimalField(
        _("saldo (€)"),
        max_digits=12,
        decimal_places=2,
        help_text=_("Positief: het bestuur betaalt; negatief: ontvangt."),
    )

    class Meta:
        verbose_name = _("afrekenregel")
        verbose_name_plural = _("afrekenregels")
        ordering = ["board__name"]
        constraints = [models.UniqueConstraint(fields=["run", "board"], name="one_settlement_line_per_board")]

    def __str__(self) -> str:
        return f"{self.board}: {self.balance}"


# --- Monthly figures for the monitoring dashboard (decision 22) --------------------------------------------
# Rebuilt from the requests and hours themselves by `services.figures.figures_refresh`, which every service that
# changes a request or confirmed hours calls in its own transaction; the dashboard reads these rows instead of scanning a school year of requests.


class FiguresMonth(models.Model):
    """One (pool, month) whose figures are stored: the row a refresh locks, so two refreshes never interleave."""

    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month in which the replacements start
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("maandcijfers van de monitor")
        verbose_name_plural = _("maandcijfers van de monitor")
        constraints = [models.UniqueConstraint(fields=["pool", "month"], name="one_figures_month_per_pool")]

    def __str__(self) -> str:
        return f"{self.pool_id} {self.month:%Y-%m}"


class RequestMonthFigures(models.Model):
    """Requests of a pool starting in one month, counted per subject, reason, status and set of levels."""

    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=20)
    status = models.CharField(max_length=20)
    levels = models.JSONField(default=list)
    requests = models.PositiveIntegerField()
    hours = models.DecimalField(max_digits=10, decimal_places=1)  # sum of hours_per_week
    filled_hours = models.DecimalField(max_digits=10, decimal_places=1)  # sum of filled_hours_per_week

    class Meta:
        indexes = [models.Index(fields=["pool", "month"], name="pool_figures_month_idx")]

    def __str__(self) -> str:
        return f"{self.pool_id} {self.month:%Y-%m} {self.subject_id} {self.reason} {self.status}: {self.requests}"


class RequestLocationFigures(models.Model):
    """Requests of a pool starting in one month, counted per school location and status (for the sub-regions)."""

    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    school_location = models.ForeignKey(SchoolLocation, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20)
    requests = models.PositiveIntegerField()
    hours = models.DecimalField(max_digits=10, decimal_places=1)

    class Meta:
        indexes = [models.Index(fields=["pool", "month"], name="pool_location_figures_idx")]

    def __str__(self) -> str:
        return f"{self.pool_id} {self.month:%Y-%m} {self.school_location_id} {self.status}: {self.requests}"


class AssignmentMonthFigures(models.Model):
    """Planned lesson hours of a pool's assignments (not cancelled) inside one month, per member and receiving board.

    Lesson hours are the hours a week times the working days of the assignment in that month / 5, as the
    utilisation and fairness panels count them; stored exactly (two decimals suffice: hours have one).
    """

    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    member = models.ForeignKey(PoolMember, on_delete=models.CASCADE, related_name="+")
    board = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    lesson_hours = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        indexes = [models.Index(fields=["pool", "month"], name="pool_assignment_figures_idx")]

    def __str__(self) -> str:
        return f"{self.pool_id} {self.month:%Y-%m} {self.member_id} {self.board_id}: {self.lesson_hours}"


class HoursMonthFigures(models.Model):
    """Confirmed hours of a pool per month (of the week's Monday) and receiving board (for the savings)."""

    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    board = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    hours = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        indexes = [models.Index(fields=["pool", "month"], name="pool_hours_figures_idx")]

    def __str__(self) -> str:
        return f"{self.pool_id} {self.month:%Y-%m} {self.board_id}: {self.hours}"
