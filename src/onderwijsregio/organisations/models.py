"""Organisations of a region as they really are: regions, boards, institutes, school locations.

Public reference data (municipalities, labour-market regions, PC4 centroids) lives here too,
because every domain joins on it.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    PO = "PO", _("Primair onderwijs")
    SO = "SO", _("Speciaal (voortgezet) onderwijs")
    VO = "VO", _("Voortgezet onderwijs")
    MBO = "MBO", _("Middelbaar beroepsonderwijs")


class VoLevel(models.TextChoices):
    """Levels taught at a VO location, derived from DUO's onderwijsstructuur."""

    PRO = "pro", _("praktijkonderwijs")
    VMBO = "vmbo", _("vmbo")
    VMBO_TL = "vmbo-tl", _("vmbo-tl (mavo)")
    HAVO = "havo", _("havo")
    VWO = "vwo", _("vwo")
    VSO = "vso", _("vso")
    BRUGJAAR = "brugjaar", _("brugjaar")


class LabourMarketRegion(models.Model):
    code = models.CharField(_("code"), max_length=4, unique=True, validators=[RegexValidator(r"^AM\d{2}$")])
    name = models.CharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("arbeidsmarktregio")
        verbose_name_plural = _("arbeidsmarktregio's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    cbs_code = models.CharField(_("CBS-code"), max_length=4, unique=True, validators=[RegexValidator(r"^\d{4}$")])
    name = models.CharField(_("naam"), max_length=100)
    duo_name = models.CharField(_("naam bij DUO"), max_length=100, blank=True)
    province = models.CharField(_("provincie"), max_length=50, blank=True)
    labour_market_region = models.ForeignKey(
        LabourMarketRegion,
        verbose_name=_("arbeidsmarktregio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="municipalities",
    )
    latitude = models.FloatField(_("breedtegraad"), null=True, blank=True)
    longitude = models.FloatField(_("lengtegraad"), null=True, blank=True)

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PostcodeArea(models.Model):
    """A four-digit postcode with its centroid (GeoNames, CC BY 4.0), for straight-line distances."""

    pc4 = models.CharField(
        _("postcode (4 cijfers)"), max_length=4, unique=True, validators=[RegexValidator(r"^\d{4}$")]
    )
    place_name = models.CharField(_("plaats"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), null=True, blank=True, on_delete=models.SET_NULL
    )
    latitude = models.FloatField(_("breedtegraad"))
    longitude = models.FloatField(_("lengtegraad"))

    class Meta:
        verbose_name = _("postcodegebied")
        verbose_name_plural = _("postcodegebieden")
        ordering = ["pc4"]

    def __str__(self) -> str:
        return self.pc4


class Subject(models.Model):
    """A school subject (vakleergebied) from SLO's curriculum list, with where it is taught."""

    code = models.CharField(_("code (SLO-prefix)"), max_length=50, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    slo_id = models.UUIDField(_("SLO-id"), null=True, blank=True)
    in_po = models.BooleanField(_("in het po"), default=False)
    in_vmbo = models.BooleanField(_("in het vmbo"), default=False)
    in_lower_havo_vwo = models.BooleanField(_("in onderbouw havo/vwo"), default=False)
    in_upper_havo_vwo = models.BooleanField(_("in bovenbouw havo/vwo"), default=False)
    in_so_vso = models.BooleanField(_("in het (v)so"), default=False)

    class Meta:
        verbose_name = _("vak")
        verbose_name_plural = _("vakken")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NameSource(models.TextChoices):
    """Where a board's name comes from; the order of precedence is BOARD > DUO > DERIVED > PLACEHOLDER."""

    PLACEHOLDER = "placeholder", _("voorlopige naam (DUO-nummer)")
    DERIVED = "derived_list", _("afgeleide landelijke lijst")
    DUO = "duo_file", _("DUO-bestand bevoegde gezagen")
    BOARD = "board", _("bevestigd door het bestuur")


# Higher wins; an import may replace a name only of a lower (or, for DUO files, the same) rank.
NAME_SOURCE_RANK = {"": 0, NameSource.PLACEHOLDER: 0, NameSource.DERIVED: 1, NameSource.DUO: 2, NameSource.BOARD: 3}


class Organisation(models.Model):
    """Anyone that can be a member of a region and employ people: one table, one `kind`.

    A region (onderwijsregio) is an organisation too, so that memberships (role × organisation)
    and permissions treat every kind alike.
    """

    class Kind(models.TextChoices):
        REGION = "region", _("onderwijsregio")
        BOARD = "board", _("schoolbestuur")
        INSTITUTE = "institute", _("lerarenopleiding")
        PROFESSION = "profession", _("beroepsgroep")
        MUNICIPALITY = "municipality", _("gemeente")
        EMPLOYER = "employer", _("regionale werkgever")
        OTHER = "other", _("overig")

    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, db_index=True)
    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("korte naam"), max_length=80, unique=True)
    duo_number = models.CharField(
        _("DUO-nummer bevoegd gezag"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^\d{5}$", _("Een bevoegd-gezagnummer bestaat uit 5 cijfers."))],
    )
    name_is_provisional = models.BooleanField(
        _("naam nog niet bevestigd"),
        default=False,
        help_text=_("Nog geen naam uit de bestanden van DUO; het bestuur bevestigt zijn eigen naam."),
    )
    # Where a board's name comes from, highest first: the board itself > DUO's board file > the
    # derived national list > the placeholder "Bevoegd gezag NNNNN" (decision 23). Imports never
    # overwrite a name of a higher source.
    name_source = models.CharField(
        _("herkomst van de naam"), max_length=20, choices=NameSource.choices, blank=True, default=""
    )
    name_source_detail = models.CharField(
        _("bron van de naam"),
        max_length=200,
        blank=True,
        help_text=_("Het bestand (en jaar) waar de naam uit komt."),
    )
    name_confirmed_at = models.DateTimeField(_("naam bevestigd op"), null=True, blank=True)
    name_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("naam bevestigd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kvk_number = models.CharField(
        _("KvK-nummer"),
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^\d{8}$", _("Een KvK-nummer bestaat uit 8 cijfers."))],
    )
    street = models.CharField(_("straat en huisnummer"), max_length=220, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    place = models.CharField(_("plaats"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), null=True, blank=True, on_delete=models.PROTECT
    )
    sectors = models.JSONField(_("sectoren"), default=list, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("beschrijving"), blank=True)
    is_synthetic = models.BooleanField(_("fictief (demo)"), default=False)
    # Optimistic locking: organisations.services.organisation_update raises it by one per change, and
    # a page or API client that read another version is refused (core.errors.StaleVersion).
    version = models.PositiveIntegerField(_("versie"), default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["duo_number"], condition=Q(kind="board") & ~Q(duo_number=""), name="unique_board_duo_number"
            ),
            models.CheckConstraint(condition=Q(kind="board") | Q(duo_number=""), name="duo_number_only_for_boards"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_board(self) -> bool:
        return self.kind == self.Kind.BOARD

    @property
    def name_rank_source(self) -> str:
        """The name's source for precedence; a board named before sources were kept counts as confirmed."""
        if self.name_source:
            return self.name_source
        return NameSource.PLACEHOLDER if self.name_is_provisional else NameSource.BOARD


class RegionMember(models.Model):
    """An organisation taking part in a region (the parties that sign its activity plan)."""

    class Role(models.TextChoices):
        BOARD = "board", _("schoolbestuur")
        INSTITUTE = "institute", _("lerarenopleiding")
        PROFESSION = "profession", _("vertegenwoordiger beroepsgroep")
        MUNICIPALITY = "municipality", _("gemeente")
        OTHER = "other", _("overige partner")

    region = models.ForeignKey(
        Organisation,
        verbose_name=_("onderwijsregio"),
        on_delete=models.CASCADE,
        related_name="region_members",
        limit_choices_to={"kind": Organisation.Kind.REGION},
    )
    member = models.ForeignKey(
        Organisation, verbose_name=_("lid"), on_delete=models.CASCADE, related_name="region_memberships"
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    is_applicant = models.BooleanField(_("penvoerder"), default=False)
    joined_on = models.DateField(_("lid sinds"), null=True, blank=True)

    class Meta:
        verbose_name = _("deelnemer onderwijsregio")
        verbose_name_plural = _("deelnemers onderwijsregio")
        constraints = [
            models.UniqueConstraint(fields=["region", "member"], name="unique_region_member"),
            models.UniqueConstraint(fields=["region"], condition=Q(is_applicant=True), name="one_applicant_per_region"),
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.region}"


class SubRegion(models.Model):
    region = models.ForeignKey(
        Organisation, verbose_name=_("onderwijsregio"), on_delete=models.CASCADE, related_name="subregions"
    )
    name = models.CharField(_("naam"), max_length=100)
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("gemeenten"), related_name="subregions", blank=True
    )

    class Meta:
        verbose_name = _("subregio")
        verbose_name_plural = _("subregio's")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="unique_subregion_name")]

    def __str__(self) -> str:
        return self.name


class SchoolLocation(models.Model):
    """A vestiging: BRIN (instellingscode) + two digits, as DUO numbers it."""

    vestiging_code = models.CharField(
        _("vestigingscode"),
        max_length=6,
        unique=True,
        validators=[
            RegexValidator(
                r"^\d{2}[A-Z]{2}\d{2}$", _("Een vestigingscode is een BRIN plus twee cijfers, bijvoorbeeld 02KT00.")
            )
        ],
    )
    brin = models.CharField(_("BRIN (instellingscode)"), max_length=4, db_index=True)
    name = models.CharField(_("naam"), max_length=200)
    board = models.ForeignKey(
        Organisation,
        verbose_name=_("bevoegd gezag"),
        on_delete=models.PROTECT,
        related_name="school_locations",
        limit_choices_to={"kind": Organisation.Kind.BOARD},
    )
    sector = models.CharField(_("sector"), max_length=3, choices=Sector.choices, db_index=True)
    school_type = models.CharField(_("soort"), max_length=20, blank=True, help_text=_("Bijvoorbeeld BO, SBO, SO, VSO."))
    onderwijsstructuur = models.CharField(_("onderwijsstructuur (DUO)"), max_length=50, blank=True)
    vo_levels = models.JSONField(_("niveaus vo"), default=list, blank=True)
    denomination = models.CharField(_("denominatie"), max_length=100, blank=True)
    street = models.CharField(_("straat"), max_length=200, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    place = models.CharField(_("plaats"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="school_locations"
    )
    website = models.CharField(_("website"), max_length=200, blank=True)
    phone = models.CharField(_("telefoon"), max_length=20, blank=True)
    source = models.CharField(_("bron"), max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("schoolvestiging")
        verbose_name_plural = _("schoolvestigingen")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.vestiging_code})"

    @property
    def pc4(self) -> str:
        return self.postcode[:4]


class RegionSchoolLocation(models.Model):
    """A school location's place in a region over time.

    The partial unique constraint makes "at most one region at a time" a database rule: a location
    can have many ended rows but only one current one.
    """

    region = models.ForeignKey(
        Organisation,
        verbose_name=_("onderwijsregio"),
        on_delete=models.CASCADE,
        related_name="region_school_locations",
        limit_choices_to={"kind": Organisation.Kind.REGION},
    )
    school_location = models.ForeignKey(
        SchoolLocation, verbose_name=_("schoolvestiging"), on_delete=models.CASCADE, related_name="region_links"
    )
    started_on = models.DateField(_("vanaf"))
    ended_on = models.DateField(_("tot"), null=True, blank=True)

    class Meta:
        verbose_name = _("vestiging in onderwijsregio")
        verbose_name_plural = _("vestigingen in onderwijsregio")
        constraints = [
            models.UniqueConstraint(
                fields=["school_location"], condition=Q(ended_on__isnull=True), name="one_current_region_per_location"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="region_link_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_location} in {self.region}"


class PupilCount(models.Model):
    """Pupils at a location on 1 October of `year`. DUO's "<5" is kept as unknown, never zero."""

    school_location = models.ForeignKey(
        SchoolLocation, verbose_name=_("schoolvestiging"), on_delete=models.CASCADE, related_name="pupil_counts"
    )
    year = models.PositiveSmallIntegerField(_("jaar (teldatum 1 oktober)"))
    count = models.PositiveIntegerField(_("aantal leerlingen"), null=True, blank=True)
    is_small = models.BooleanField(_("minder dan 5"), default=False)
    source = models.CharField(_("bron"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("leerlingaantal")
        verbose_name_plural = _("leerlingaantallen")
        ordering = ["school_location", "year"]
        constraints = [
            models.UniqueConstraint(fields=["school_location", "year"], name="unique_pupil_count_per_year"),
            models.CheckConstraint(
                condition=(Q(is_small=True) & Q(count__isnull=True)) | (Q(is_small=False) & Q(count__isnull=False)),
                name="pupil_count_known_or_small",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_location_id} {self.year}: {'<5' if self.is_small else self.count}"
