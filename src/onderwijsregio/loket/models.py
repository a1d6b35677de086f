"""The candidate desk (loket): one shared record per prospective teacher and their journey.

A Candidate is a person; a Trajectory is one route towards a qualification at a board/school and
an institute; every change is a TrajectoryEvent on the timeline. Handovers share a candidate, with
consent, with a board, school, institute or another region; only what a handover lists is shown
to its receiver. No medical data is ever stored here.
"""

from __future__ import annotations

import math
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onderwijsregio.organisations.models import Organisation, SchoolLocation, Subject


class TargetGroup(models.TextChoices):
    SIDE_ENTRANT = "side_entrant", _("zij-instromer")
    REFUGEE_TEACHER = "refugee_teacher", _("statushouder met onderwijservaring")
    STUDENT = "student", _("student buiten de lerarenopleiding")
    LONG_TIME_STUDENT = "long_time_student", _("langstudeerder")
    RETURNER = "returner", _("herintreder")
    SCHOOL_LEADER = "school_leader", _("aspirant-schoolleider")
    TEACHING_ASSISTANT = "teaching_assistant", _("onderwijsassistent of TOA")
    OTHER = "other", _("anders")


class EducationLevel(models.TextChoices):
    VO = "vo", _("voortgezet onderwijs")
    MBO2 = "mbo2", _("mbo niveau 2")
    MBO3 = "mbo3", _("mbo niveau 3")
    MBO4 = "mbo4", _("mbo niveau 4")
    HBO_AD = "hbo_ad", _("associate degree (hbo)")
    HBO_BACHELOR = "hbo_bachelor", _("hbo-bachelor")
    HBO_MASTER = "hbo_master", _("hbo-master")
    WO_BACHELOR = "wo_bachelor", _("wo-bachelor")
    WO_MASTER = "wo_master", _("wo-master")
    PHD = "phd", _("promotie")


class LanguageLevel(models.TextChoices):
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"
    NATIVE = "native", _("moedertaal")


class ForeignDiplomaRecognition(models.TextChoices):
    NOT_APPLICABLE = "", _("niet van toepassing")
    NOT_REQUESTED = "not_requested", _("nog niet aangevraagd")
    REQUESTED = "requested", _("aangevraagd bij DUO")
    GRANTED = "granted", _("erkend door DUO")
    REFUSED = "refused", _("niet erkend")


class Stage(models.TextChoices):
    """The journey, in order. `ORDER` below is what the funnel counts with."""

    NEW = "new", _("nieuw")
    INTAKE_DONE = "intake_done", _("intake gedaan")
    ADVISED = "advised", _("geadviseerd")
    IN_CONVERSATION = "in_conversation", _("in gesprek met school")
    SUITABILITY_ASSESSMENT = "suitability_assessment", _("geschiktheidsonderzoek")
    STARTED = "started", _("gestart met opleiding of aangesteld")
    INDUCTION = "induction", _("inductie")
    QUALIFIED = "qualified", _("bevoegd")


STAGE_ORDER: list[str] = [stage.value for stage in Stage]


# The intake fields of a candidate's record: what the services take, the forms ask and the AVG download lists.
CANDIDATE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "postcode",
    "target_group",
    "education_level",
    "education_field",
    "diplomas",
    "foreign_diploma_country",
    "foreign_diploma_recognition",
    "dutch_level",
    "target_sectors",
    "current_qualification",
    "current_work",
    "hours_available",
    "has_job_offer",
    "enrolled_teacher_training_recently",
    "preferred_language",
)


class Candidate(models.Model):
    """A prospective teacher known to a region's desk. Personal data: read access is audited."""

    id = models.BigAutoField(primary_key=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(
        Organisation,
        verbose_name=_("onderwijsregio"),
        on_delete=models.PROTECT,
        related_name="candidates",
        limit_choices_to={"kind": Organisation.Kind.REGION},
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidate",
    )
    first_name = models.CharField(_("voornaam"), max_length=100)
    last_name = models.CharField(_("achternaam"), max_length=100)
    email = models.EmailField(_("e-mailadres"))
    phone = models.CharField(
        _("telefoonnummer"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^\+?[0-9 ()-]{8,20}$", _("Vul een geldig telefoonnummer in."))],
    )
    postcode = models.CharField(
        _("postcode"),
        max_length=7,
        validators=[RegexValidator(r"^[1-9][0-9]{3} ?[A-Za-z]{2}$", _("Vul een postcode in als 1234 AB."))],
    )
    target_group = models.CharField(_("doelgroep"), max_length=30, choices=TargetGroup.choices)
    education_level = models.CharField(_("hoogste opleiding"), max_length=20, choices=EducationLevel.choices)
    education_field = models.CharField(_("studierichting"), max_length=200, blank=True)
    diplomas = models.TextField(_("diploma's"), blank=True)
    related_subjects = models.ManyToManyField(
        Subject,
        verbose_name=_("vakken waaraan uw opleiding verwant is"),
        blank=True,
        related_name="+",
    )
    foreign_diploma_country = models.CharField(_("land van buitenlands diploma"), max_length=100, blank=True)
    foreign_diploma_recognition = models.CharField(
        _("erkenning door DUO"), max_length=20, blank=True, choices=ForeignDiplomaRecognition.choices
    )
    dutch_level = models.CharField(_("niveau Nederlands"), max_length=10, choices=LanguageLevel.choices)
    target_sectors = models.JSONField(_("gewenste sector(en)"), default=list)
    target_subjects = models.ManyToManyField(Subject, verbose_name=_("gewenste vakken"), blank=True, related_name="+")
    current_qualification = models.CharField(_("huidige onderwijsbevoegdheid"), max_length=30, blank=True)
    current_work = models.CharField(_("huidig werk"), max_length=200, blank=True)
    hours_available = models.PositiveSmallIntegerField(
        _("beschikbare uren per week"), null=True, blank=True, validators=[MaxValueValidator(60)]
    )
    has_job_offer = models.BooleanField(_("heeft een baan(aanbod) op een school"), default=False)
    enrolled_teacher_training_recently = models.BooleanField(
        _("in de afgelopen 2 jaar ingeschreven bij een lerarenopleiding zonder die af te maken"), default=False
    )
    preferred_language = models.CharField(
        _("taal"), max_length=5, choices=[("nl", "Nederlands"), ("en", "English")], default="nl"
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ketenregisseur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_candidates",
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("samengevoegd met"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_synthetic = models.BooleanField(_("fictief (demo)"), default=False)
    advice = models.JSONField(_("routeadvies"), default=dict, blank=True)
    created_at = models.DateTimeField(_("aangemeld"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)
    # Optimistic concurrency: a save with a stale version is refused (two coordinators, one record).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("kandidaat")
        verbose_name_plural = _("kandidaten")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["region", "created_at"]), models.Index(fields=["email"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def audit_label(self) -> str:
        # The audit log outlives erasure: it names a candidate by id only.
        return f"kandidaat {self.pk}"


class ConsentPurpose(models.TextChoices):
    SHARE_BOARDS = "share_boards", _("delen met schoolbesturen en scholen in de regio")
    SHARE_INSTITUTES = "share_institutes", _("delen met lerarenopleidingen")
    SHARE_OTHER_REGION = "share_other_region", _("delen met een naburige onderwijsregio")
    RETAIN_ONE_YEAR = "retain_one_year", _("mijn gegevens 1 jaar bewaren voor nieuwe kansen")


class Consent(models.Model):
    """One answer to one consent question, with the exact text version shown. Never updated:
    a changed answer is a new row, so the history of what was agreed when stays."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("doel"), max_length=30, choices=ConsentPurpose.choices)
    given = models.BooleanField(_("gegeven"))
    text_version = models.CharField(_("versie van de tekst"), max_length=20)
    recorded_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["candidate", "purpose", "-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.given}"


class ExitReason(models.Model):
    """The managed list of reasons a trajectory ends before qualification."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    label = models.CharField(_("omschrijving"), max_length=200)
    is_active = models.BooleanField(_("in gebruik"), default=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("reden van afhaken")
        verbose_name_plural = _("redenen van afhaken")
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label


class Trajectory(models.Model):
    """One route of a candidate towards a qualification (route × board/school × institute)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="trajectories")
    route_id = models.CharField(_("route"), max_length=80, blank=True)
    subject = models.ForeignKey(
        Subject, verbose_name=_("vak"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    board = models.ForeignKey(
        Organisation,
        verbose_name=_("schoolbestuur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.BOARD},
    )
    school_location = models.ForeignKey(
        SchoolLocation, verbose_name=_("school"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    institute = models.ForeignKey(
        Organisation,
        verbose_name=_("lerarenopleiding"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.INSTITUTE},
    )
    stage = models.CharField(_("fase"), max_length=30, choices=Stage.choices, default=Stage.NEW, db_index=True)
    stage_changed_at = models.DateTimeField(_("fase gewijzigd"), db_index=True)
    ended_at = models.DateTimeField(_("beëindigd"), null=True, blank=True, db_index=True)
    exit_reason = models.ForeignKey(
        ExitReason, verbose_name=_("reden"), null=True, blank=True, on_delete=models.PROTECT
    )
    exit_note = models.TextField(_("toelichting"), blank=True)
    follow_up_on = models.DateField(_("opvolgen op"), null=True, blank=True, db_index=True)
    follow_up_reminded_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    # The furthest stage reached (its index in STAGE_ORDER), kept from the timeline by
    # loket.services.summaries for the funnel; a trajectory moved back still reached the later stage.
    reached_rank = models.PositiveSmallIntegerField(default=0, editable=False)
    # The candidate's region, target group and PC4, copied here so the funnel counts a region's
    # trajectories from this table alone; kept by save() and by loket.services.summaries.
    candidate_region = models.ForeignKey(
        Organisation, null=True, editable=False, on_delete=models.CASCADE, related_name="+"
    )
    candidate_target_group = models.CharField(max_length=30, blank=True, editable=False)
    candidate_pc4 = models.CharField(max_length=4, blank=True, editable=False)

    class Meta:
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(stage="qualified") | Q(exit_reason__isnull=False),
                name="ended_trajectory_has_reason_or_qualified",
            ),
        ]
        indexes = [
            # Everything the funnel counts for a whole region, so PostgreSQL answers from the index alone.
            models.Index(
                fields=[
                    "candidate_region",
                    "candidate_target_group",
                    "reached_rank",
                    "exit_reason",
                    "stage",
                    "route_id",
                    "candidate_pc4",
                ],
                name="trajectory_funnel",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} — {self.route_id or '?'}"

    def save(self, *args, **kwargs) -> None:
        if kwargs.get("update_fields") is None:
            self.copy_candidate_keys()
        super().save(*args, **kwargs)

    def copy_candidate_keys(self) -> None:
        candidate = self.candidate
        self.candidate_region_id = candidate.region_id
        self.candidate_target_group = candidate.target_group
        self.candidate_pc4 = candidate.postcode[:4]

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    def audit_label(self) -> str:
        return f"traject {self.pk} van kandidaat {self.candidate_id}"


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("aangemeld")
    UPDATED = "updated", _("gegevens gewijzigd")
    STAGE_CHANGED = "stage_changed", _("fase gewijzigd")
    ENDED = "ended", _("traject beëindigd")
    NOTE = "note", _("notitie")
    FOLLOW_UP = "follow_up", _("opvolgdatum gezet")
    DOCUMENT = "document", _("document toegevoegd")
    HANDOVER = "handover", _("overgedragen")
    HANDOVER_DECIDED = "handover_decided", _("overdracht beantwoord")
    ADVISED = "advised", _("routeadvies gegeven")
    ASSIGNED = "assigned", _("ketenregisseur toegewezen")
    CONSENT = "consent", _("toestemming gewijzigd")
    MERGED = "merged", _("samengevoegd")


class TrajectoryEvent(models.Model):
    """A timestamped step on a candidate's timeline: who did what."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="events")
    trajectory = models.ForeignKey(Trajectory, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("soort"), max_length=30, choices=EventKind.choices)
    from_stage = models.CharField(max_length=30, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=30, choices=Stage.choices, blank=True)
    text = models.TextField(_("tekst"), blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"


class StageStay(models.Model):
    """A completed stay of a trajectory in one stage, in tenths of a day: the funnel's time-in-stage.

    Derived from the timeline (loket.services.summaries) whenever a stage event is written, so the
    funnel reads one narrow table instead of pairing every event with the next. `region` repeats the
    candidate's region (which never changes) so the desk's funnel needs no join.
    """

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="stays")
    region = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=30, choices=Stage.choices)
    tenths = models.PositiveIntegerField(help_text="length in tenths of a day")

    class Meta:
        verbose_name = _("verblijf in een fase")
        verbose_name_plural = _("verblijven in een fase")

    def __str__(self) -> str:
        return f"{self.trajectory_id} {self.stage} {self.tenths / 10} d"


class StageStayCount(models.Model):
    """How many stays of a region's trajectories lasted so long: the whole region's time-in-stage at a glance.

    Live stays are kept with StageStay: loket.services.summaries adds what it creates, and a pre_delete
    receiver (loket.signals) takes off every stay deleted, also when an erasure deletes them by cascade.
    Anonymous stays (`anonymous`) are the days per stage that CandidateStatistic rows keep; receivers add
    them when such a row is saved and take them off when it is deleted.
    """

    region = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=30, choices=Stage.choices)
    tenths = models.PositiveIntegerField()
    anonymous = models.BooleanField(default=False)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("aantal verblijven in een fase")
        verbose_name_plural = _("aantallen verblijven in een fase")
        constraints = [
            models.UniqueConstraint(fields=["region", "stage", "tenths", "anonymous"], name="stage_stay_count_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.stage} {self.tenths / 10} d: {self.count}"


def private_storage():
    from django.core.files.storage import storages

    return storages["private"]


def candidate_document_path(instance, filename: str) -> str:
    # Random names: the original name is kept in the row, never in the path. The extension is the one
    # services.documents derived from the checked type (it renames the upload before saving).
    extension = filename.rpartition(".")[2].lower() if "." in filename else ""
    suffix = f".{extension}" if extension in ("pdf", "png", "jpg", "jpeg", "docx") else ""
    return f"loket/{instance.candidate.public_id}/{uuid.uuid4().hex}{suffix}"


class Document(models.Model):
    class Kind(models.TextChoices):
        CV = "cv", _("cv")
        DIPLOMA = "diploma", _("diploma of cijferlijst")
        RECOGNITION = "recognition", _("erkenning of diplomawaardering")
        VOG = "vog", _("verklaring omtrent het gedrag")
        OTHER = "other", _("anders")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("bestand"), upload_to=candidate_document_path, storage=private_storage)
    original_name = models.CharField(_("bestandsnaam"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("grootte (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class SharedPart(models.TextChoices):
    """What a handover may share; the receiver sees exactly these parts."""

    CONTACT = "contact", _("contactgegevens")
    BACKGROUND = "background", _("opleiding en werkervaring")
    WISHES = "wishes", _("wensen: sector, vakken, uren")
    ADVICE = "advice", _("routeadvies")
    DOCUMENTS = "documents", _("documenten")
    TIMELINE = "timeline", _("tijdlijn van het traject")


class Handover(models.Model):
    """A warm handover of a candidate to a board/school, an institute or another region."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wacht op antwoord")
        ACCEPTED = "accepted", _("geaccepteerd")
        DECLINED = "declined", _("afgewezen")
        WITHDRAWN = "withdrawn", _("ingetrokken")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="handovers")
    trajectory = models.ForeignKey(
        Trajectory, null=True, blank=True, on_delete=models.SET_NULL, related_name="handovers"
    )
    receiver = models.ForeignKey(
        Organisation, verbose_name=_("ontvanger"), on_delete=models.PROTECT, related_name="received_handovers"
    )
    school_location = models.ForeignKey(
        SchoolLocation, verbose_name=_("school"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    shared_parts = models.JSONField(_("gedeeld"), default=list)
    message = models.TextField(_("bericht aan de ontvanger"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    response_note = models.TextField(_("toelichting bij het antwoord"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("overdracht")
        verbose_name_plural = _("overdrachten")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "receiver"],
                condition=Q(status="pending"),
                name="one_pending_handover_per_receiver",
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.receiver}"

    def audit_label(self) -> str:
        return f"overdracht {self.pk} van kandidaat {self.candidate_id} aan {self.receiver}"

    def get_shared_parts_display(self) -> list[str]:
        labels = dict(SharedPart.choices)
        return [str(labels[part]) for part in self.shared_parts if part in labels]


class CandidateStatistic(models.Model):
    """What stays of a candidate after deletion: anonymous figures for the funnel and reports."""

    region = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    target_group = models.CharField(max_length=30, choices=TargetGroup.choices)
    route_id = models.CharField(max_length=80, blank=True)
    subject_code = models.CharField(max_length=50, blank=True)
    subregion_name = models.CharField(max_length=100, blank=True)
    registered_month = models.DateField()
    furthest_stage = models.CharField(max_length=30, choices=Stage.choices)
    exit_reason_code = models.CharField(max_length=50, blank=True)
    ended_month = models.DateField(null=True, blank=True)
    stage_days = models.JSONField(default=dict)
    deleted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("geanonimiseerde kandidaat")
        verbose_name_plural = _("geanonimiseerde kandidaten")

    def __str__(self) -> str:
        return f"{self.region_id} {self.target_group} {self.registered_month:%Y-%m}"

    def stays(self) -> list[tuple[str, int]]:
        """(stage, tenths of a day) of the days kept per stage, as the funnel counts them."""
        return [(stage, tenths_of_days(days)) for stage, days in (self.stage_days or {}).items() if stage]


def tenths_of_days(days) -> int:
    """Days with one decimal as a whole number of tenths, rounded half up like the funnel's SQL."""
    return max(0, math.floor(float(days) * 10 + 0.5))


class LoginCode(models.Model):
    """A one-time code emailed to a candidate to log in with (no password for candidates).

    Only a keyed hash of the code is stored. A code is valid for a short time and for a few
    attempts; the rows go with the candidate when their record is erased.
    """

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="login_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inlogcode")
        verbose_name_plural = _("inlogcodes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.created_at:%Y-%m-%d %H:%M}"
