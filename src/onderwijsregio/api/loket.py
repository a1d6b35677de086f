"""The candidate desk (loket) in the API, for board systems and the desk's own tools.

Same rules as the pages (loket.permissions): the regional team sees and manages its region's
candidates; a receiver of a handover sees only the candidates handed to it, and of them only the
shared parts (fields of other parts are left out of the JSON, not sent empty). A candidate the user
may not see answers 404. Every read of candidates is a personal-data read in the audit log: one event
per request, with the ids. Writes go through loket.services; a stale write (If-Match) is a 412.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from onderwijsregio.accounts.api import UserRefSerializer
from onderwijsregio.core.services import audit_record
from onderwijsregio.loket import selectors, services
from onderwijsregio.loket.exports import Viewer, worklist
from onderwijsregio.loket.models import (
    Candidate,
    ConsentPurpose,
    Document,
    EducationLevel,
    ExitReason,
    ForeignDiplomaRecognition,
    Handover,
    LanguageLevel,
    SharedPart,
    Stage,
    TargetGroup,
    Trajectory,
)
from onderwijsregio.loket.permissions import visible_trajectories_q
from onderwijsregio.organisations.api import OrganisationRefSerializer
from onderwijsregio.organisations.models import Organisation, Sector, Subject

from .base import ApiViewMixin
from .problems import PreconditionFailed, PreconditionRequired
from .schema import problem

# --- representations ------------------------------------------------------------------------------

# Which fields belong to which shared part; a receiver gets only the fields of the parts shared with it.
PART_FIELDS = {
    SharedPart.CONTACT: ("email", "phone", "postcode", "preferredLanguage"),
    SharedPart.BACKGROUND: (
        "targetGroup",
        "educationLevel",
        "educationField",
        "diplomas",
        "relatedSubjects",
        "foreignDiplomaCountry",
        "foreignDiplomaRecognition",
        "dutchLevel",
        "currentQualification",
        "currentWork",
        "hasJobOffer",
        "enrolledTeacherTrainingRecently",
    ),
    SharedPart.WISHES: ("targetSectors", "targetSubjects", "hoursAvailable"),
    SharedPart.ADVICE: ("advice",),
    SharedPart.DOCUMENTS: ("documents",),
}
# Internal to the desk, in no part a handover can share.
DESK_ONLY_FIELDS = ("coordinator", "consents")
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]


def _in_part(part: str) -> str:
    return gettext_lazy("Alleen als u het deel `%(part)s` van deze kandidaat mag zien.") % {"part": part}


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    # A plain string: an enum here would collide in the OpenAPI document with organisations' `kind`.
    kind = serializers.CharField(help_text="Soort document: " + ", ".join(f"`{kind}`" for kind in Document.Kind.values))
    originalName = serializers.CharField(source="original_name")
    contentType = serializers.CharField(source="content_type")
    size = serializers.IntegerField(help_text="Grootte in bytes.")
    uploadedAt = serializers.DateTimeField(source="uploaded_at")


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class SubjectCodesField(serializers.Field):
    """The SLO codes of a many-to-many of subjects (prefetched). Not read-only, so that the OpenAPI
    document does not list it as always present: receivers only get it with its part."""

    def to_representation(self, value) -> list[str]:
        return sorted(subject.code for subject in value.all())


@extend_schema_field(
    {"type": "object", "properties": {purpose: {"type": "boolean"} for purpose in ConsentPurpose.values}}
)
class ConsentsField(serializers.Field):
    """The latest answer per consent purpose (source="*": the candidate)."""

    def to_representation(self, candidate) -> dict:
        return services.current_consents(candidate)


class PartFilteredSerializer(serializers.Serializer):
    """Leaves out the fields of parts the viewer may not see (context `viewer`: an exports.Viewer)."""

    def hidden_fields(self, instance) -> set[str]:
        viewer: Viewer = self.context["viewer"]
        parts = viewer.parts(instance)
        hidden = {name for part, names in PART_FIELDS.items() if part not in parts for name in names}
        if not viewer.runs_desk_of(instance):
            hidden.update(DESK_ONLY_FIELDS)
        return hidden

    def to_representation(self, instance):
        hidden = self.hidden_fields(instance)
        data = {}
        for field in self._readable_fields:
            if field.field_name in hidden:
                continue
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            data[field.field_name] = None if check is None else field.to_representation(attribute)
        return data


class CandidateSerializer(PartFilteredSerializer):
    id = serializers.IntegerField()
    region = OrganisationRefSerializer()
    firstName = serializers.CharField(source="first_name")
    lastName = serializers.CharField(source="last_name")
    sharedParts = serializers.SerializerMethodField(
        help_text="De delen van het dossier die u ziet: alle voor het loket, de gedeelde voor een ontvanger."
    )
    version = serializers.IntegerField(help_text="Versie van het dossier; stuur haar als ETag in If-Match.")
    createdAt = serializers.DateTimeField(source="created_at")
    updatedAt = serializers.DateTimeField(source="updated_at")
    email = serializers.EmailField(required=False, help_text=_in_part("contact"))
    phone = serializers.CharField(required=False, help_text=_in_part("contact"))
    postcode = serializers.CharField(required=False, help_text=_in_part("contact"))
    preferredLanguage = serializers.ChoiceField(
        source="preferred_language", choices=LANGUAGES, required=False, help_text=_in_part("contact")
    )
    targetGroup = serializers.ChoiceField(
        source="target_group", choices=TargetGroup.choices, required=False, help_text=_in_part("background")
    )
    educationLevel = serializers.ChoiceField(
        source="education_level", choices=EducationLevel.choices, required=False, help_text=_in_part("background")
    )
    educationField = serializers.CharField(source="education_field", required=False)
    diplomas = serializers.CharField(required=False)
    relatedSubjects = SubjectCodesField(
        source="related_subjects",
        required=False,
        help_text="SLO-codes van de vakken waaraan de opleiding verwant is. " + str(_in_part("background")),
    )
    foreignDiplomaCountry = serializers.CharField(source="foreign_diploma_country", required=False)
    foreignDiplomaRecognition = serializers.ChoiceField(
        source="foreign_diploma_recognition", choices=ForeignDiplomaRecognition.choices, required=False
    )
    dutchLevel = serializers.ChoiceField(source="dutch_level", choices=LanguageLevel.choices, required=False)
    currentQualification = serializers.CharField(source="current_qualification", required=False)
    currentWork = serializers.CharField(source="current_work", required=False)
    hasJobOffer = serializers.BooleanField(source="has_job_offer", required=False)
    enrolledTeacherTrainingRecently = serializers.BooleanField(
        source="enrolled_teacher_training_recently", required=False
    )
    targetSectors = serializers.ListField(
        source="target_sectors",
        child=serializers.ChoiceField(choices=Sector.choices),
        required=False,
        help_text=_in_part("wishes"),
    )
    targetSubjects = SubjectCodesField(
        source="target_subjects",
        required=False,
        help_text="SLO-codes van de gewenste vakken. " + str(_in_part("wishes")),
    )
    hoursAvailable = serializers.IntegerField(source="hours_available", required=False, allow_null=True)
    advice = serializers.JSONField(required=False, help_text="Het laatste routeadvies. " + str(_in_part("advice")))
    documents = DocumentSerializer(many=True, required=False, help_text=_in_part("documents"))
    coordinator = UserRefSerializer(required=False, allow_null=True, help_text="Alleen voor het loket.")
    consents = ConsentsField(
        source="*", required=False, help_text="Laatste antwoord per doel van toestemming. Alleen voor het loket."
    )

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=SharedPart.choices)))
    def get_sharedParts(self, candidate) -> list[str]:
        return sorted(self.context["viewer"].parts(candidate))


class ConsentsSerializer(serializers.Serializer):
    shareBoards = serializers.BooleanField(default=False, help_text="Delen met schoolbesturen en scholen.")
    shareInstitutes = serializers.BooleanField(default=False, help_text="Delen met lerarenopleidingen.")
    shareOtherRegion = serializers.BooleanField(default=False, help_text="Delen met een naburige onderwijsregio.")
    retainOneYear = serializers.BooleanField(default=False, help_text="Gegevens 1 jaar bewaren.")


CONSENT_NAMES = {
    "shareBoards": ConsentPurpose.SHARE_BOARDS,
    "shareInstitutes": ConsentPurpose.SHARE_INSTITUTES,
    "shareOtherRegion": ConsentPurpose.SHARE_OTHER_REGION,
    "retainOneYear": ConsentPurpose.RETAIN_ONE_YEAR,
}
# camelCase name in the API → field of services.CANDIDATE_FIELDS
CANDIDATE_INPUT = {
    "firstName": "first_name",
    "lastName": "last_name",
    "email": "email",
    "phone": "phone",
    "postcode": "postcode",
    "targetGroup": "target_group",
    "educationLevel": "education_level",
    "educationField": "education_field",
    "diplomas": "diplomas",
    "foreignDiplomaCountry": "foreign_diploma_country",
    "foreignDiplomaRecognition": "foreign_diploma_recognition",
    "dutchLevel": "dutch_level",
    "targetSectors": "target_sectors",
    "currentQualification": "current_qualification",
    "currentWork": "current_work",
    "hoursAvailable": "hours_available",
    "hasJobOffer": "has_job_offer",
    "enrolledTeacherTrainingRecently": "enrolled_teacher_training_recently",
    "preferredLanguage": "preferred_language",
}


class CandidateChangeSerializer(serializers.Serializer):
    """The fields of a candidate's record; all optional here (PATCH), the required ones checked on POST."""

    firstName = serializers.CharField(max_length=100, required=False)
    lastName = serializers.CharField(max_length=100, required=False)
    email = serializers.EmailField(required=False)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=7, required=False)
    targetGroup = serializers.ChoiceField(choices=TargetGroup.choices, required=False)
    educationLevel = serializers.ChoiceField(choices=EducationLevel.choices, required=False)
    educationField = serializers.CharField(max_length=200, required=False, allow_blank=True)
    diplomas = serializers.CharField(required=False, allow_blank=True)
    foreignDiplomaCountry = serializers.CharField(max_length=100, required=False, allow_blank=True)
    foreignDiplomaRecognition = serializers.ChoiceField(
        choices=ForeignDiplomaRecognition.choices, required=False, allow_blank=True
    )
    dutchLevel = serializers.ChoiceField(choices=LanguageLevel.choices, required=False)
    targetSectors = serializers.ListField(
        child=serializers.ChoiceField(choices=Sector.choices), required=False, allow_empty=False
    )
    currentQualification = serializers.CharField(max_length=30, required=False, allow_blank=True)
    currentWork = serializers.CharField(max_length=200, required=False, allow_blank=True)
    hoursAvailable = serializers.IntegerField(min_value=0, max_value=60, required=False, allow_null=True)
    hasJobOffer = serializers.BooleanField(required=False)
    enrolledTeacherTrainingRecently = serializers.BooleanField(required=False)
    preferredLanguage = serializers.ChoiceField(choices=LANGUAGES, required=False)
    relatedSubjects = serializers.SlugRelatedField(
        slug_field="code", queryset=Subject.objects.all(), many=True, required=False, help_text="SLO-codes."
    )
    targetSubjects = serializers.SlugRelatedField(
        slug_field="code", queryset=Subject.objects.all(), many=True, required=False, help_text="SLO-codes."
    )

    def validate(self, attrs):
        # A field the client meant to set and we silently dropped would be worse than a refusal.
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({name: _("Onbekend veld.") for name in unknown})
        return attrs

    def service_arguments(self) -> dict:
        data = dict(self.validated_data)
        arguments = {CANDIDATE_INPUT[name]: value for name, value in data.items() if name in CANDIDATE_INPUT}
        for name, argument in (("relatedSubjects", "related_subjects"), ("targetSubjects", "target_subjects")):
            if name in data:
                arguments[argument] = list(data[name])
        return arguments


REQUIRED_ON_REGISTER = ("firstName", "lastName", "email", "postcode", "targetGroup", "educationLevel", "dutchLevel")


class CandidateRegisterSerializer(CandidateChangeSerializer):
    region = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.REGION),
        help_text="Id van de onderwijsregio; u moet in haar regioteam zitten.",
    )
    consents = ConsentsSerializer(required=False, help_text="Toestemmingen; niet genoemd is niet gegeven.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in REQUIRED_ON_REGISTER:
            self.fields[name].required = True
        self.fields["targetSectors"].required = True


class TrajectorySerializer(serializers.ModelSerializer):
    candidateId = serializers.IntegerField(source="candidate_id")
    routeId = serializers.CharField(source="route_id")
    subject = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    board = OrganisationRefSerializer(allow_null=True)
    schoolLocation = serializers.SlugRelatedField(
        source="school_location", slug_field="vestiging_code", read_only=True, allow_null=True
    )
    institute = OrganisationRefSerializer(allow_null=True)
    stageChangedAt = serializers.DateTimeField(source="stage_changed_at")
    endedAt = serializers.DateTimeField(source="ended_at", allow_null=True)
    exitReason = serializers.SlugRelatedField(source="exit_reason", slug_field="code", read_only=True, allow_null=True)
    exitNote = serializers.CharField(source="exit_note")
    followUpOn = serializers.DateField(source="follow_up_on", allow_null=True)
    isOpen = serializers.BooleanField(source="is_open")
    createdAt = serializers.DateTimeField(source="created_at")

    class Meta:
        model = Trajectory
        fields = [
            "id",
            "candidateId",
            "routeId",
            "subject",
            "board",
            "schoolLocation",
            "institute",
            "stage",
            "stageChangedAt",
            "isOpen",
            "endedAt",
            "exitReason",
            "exitNote",
            "followUpOn",
            "version",
            "createdAt",
        ]
        read_only_fields = fields


class TrajectoryMoveSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices, help_text="De nieuwe fase.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    def validate(self, attrs):
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({name: _("Dit veld kan niet worden gewijzigd.") for name in unknown})
        return attrs


class TrajectoryEndSerializer(serializers.Serializer):
    exitReason = serializers.SlugRelatedField(
        slug_field="code",
        queryset=ExitReason.objects.filter(is_active=True),
        help_text="Code van de reden uit de beheerde lijst.",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="Soort gebeurtenis, bijvoorbeeld `stage_changed`.")
    kindLabel = serializers.CharField(source="get_kind_display")
    trajectoryId = serializers.IntegerField(source="trajectory_id", allow_null=True)
    fromStage = serializers.CharField(source="from_stage")
    toStage = serializers.CharField(source="to_stage")
    text = serializers.CharField()
    actorLabel = serializers.SerializerMethodField()
    details = serializers.JSONField()
    createdAt = serializers.DateTimeField(source="created_at")

    def get_actorLabel(self, event) -> str:
        return event.actor.full_name if event.actor else ""


class CandidateRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    firstName = serializers.CharField(source="first_name")
    lastName = serializers.CharField(source="last_name")
    region = OrganisationRefSerializer()


class HandoverSerializer(serializers.ModelSerializer):
    candidate = CandidateRefSerializer()
    receiver = OrganisationRefSerializer()
    schoolLocation = serializers.SlugRelatedField(
        source="school_location", slug_field="vestiging_code", read_only=True, allow_null=True
    )
    trajectoryId = serializers.IntegerField(source="trajectory_id", allow_null=True)
    sharedParts = serializers.ListField(source="shared_parts", child=serializers.ChoiceField(SharedPart.choices))
    responseNote = serializers.CharField(source="response_note")
    createdAt = serializers.DateTimeField(source="created_at")
    decidedAt = serializers.DateTimeField(source="decided_at", allow_null=True)

    class Meta:
        model = Handover
        fields = [
            "id",
            "candidate",
            "receiver",
            "schoolLocation",
            "trajectoryId",
            "sharedParts",
            "message",
            "status",
            "responseNote",
            "createdAt",
            "decidedAt",
        ]
        read_only_fields = fields


class HandoverDecisionSerializer(serializers.Serializer):
    accept = serializers.BooleanField(help_text="`true`: verder met de kandidaat; `false`: afwijzen.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class CandidateQuery(serializers.Serializer):
    stage = serializers.ChoiceField(
        choices=Stage.choices, required=False, help_text="Alleen kandidaten met een lopend traject in deze fase."
    )
    targetGroup = serializers.ChoiceField(choices=TargetGroup.choices, required=False)
    updatedSince = serializers.DateTimeField(
        required=False, help_text="Alleen dossiers die sinds dit tijdstip (ISO 8601) zijn gewijzigd."
    )


class HandoverQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=Handover.Status.choices, required=False)


# --- helpers --------------------------------------------------------------------------------------


def candidate_etag(candidate: Candidate) -> str:
    return f'"{candidate.version}"'


def trajectory_etag(trajectory: Trajectory) -> str:
    return f'"{trajectory.version}"'


def expected_version(request, *, required: bool = True) -> int | None:
    """The version a client read (If-Match), for the services' optimistic concurrency check."""
    if_match = request.headers.get("If-Match")
    if not if_match:
        if required:
            raise PreconditionRequired()
        return None
    etags = parse_etags(if_match)
    if "*" in etags:
        return None
    for etag in etags:
        value = etag.strip('"')
        if value.isdigit():
            return int(value)
    raise PreconditionFailed()


def _candidates_read(request, candidates: list[Candidate], *, action: str = "candidate.viewed") -> None:
    """One audit event per request, with every candidate id it showed (a personal-data read)."""
    if not candidates:
        return
    regions = sorted({candidate.region_id for candidate in candidates})
    audit_record(
        actor=request.user,
        action=action,
        object_type="loket.candidate",
        object_id=str(candidates[0].pk) if len(candidates) == 1 else "",
        organisation_id=regions[0] if len(regions) == 1 else None,
        personal_data_read=True,
        details={
            "via": "api",
            "path": request.get_full_path()[:500],
            "candidates": [candidate.pk for candidate in candidates],
            "regions": regions,
        },
    )


def _with_record(queryset):
    return queryset.select_related("region", "coordinator").prefetch_related(
        "related_subjects", "target_subjects", "documents"
    )


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="De ETag (versie) uit de laatste GET.",
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description="Versie van het object; stuur haar mee in If-Match bij een wijziging.",
)
STALE_ERRORS = {
    (412, "application/problem+json"): problem("Gewijzigd door een ander"),
    (428, "application/problem+json"): problem("Voorwaarde vereist"),
}


# --- views ----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Kandidaten",
        description=(
            "Kandidaten die u mag zien: het regioteam die van zijn regio, een ontvanger van een overdracht alleen "
            "de aan hem overgedragen kandidaten, met alleen de gedeelde delen. Elke opvraging staat in de auditlog "
            "(`personalDataRead`)."
        ),
        parameters=[CandidateQuery],
    ),
    retrieve=extend_schema(summary="Eén kandidaat", parameters=[ETAG]),
    create=extend_schema(
        summary="Kandidaat aanmelden (door het loket)",
        description=(
            "Voor het regioteam: meldt een kandidaat aan met toestemmingen en een eerste traject, zoals het "
            "aanmeldformulier. Mogelijke dubbele aanmeldingen worden gemarkeerd op de tijdlijn. De kandidaat "
            "krijgt een bevestiging per e-mail."
        ),
        request=CandidateRegisterSerializer,
        responses={201: CandidateSerializer},
    ),
    partial_update=extend_schema(
        summary="Dossier van een kandidaat wijzigen",
        description=(
            "Alleen voor het regioteam van de kandidaat. Stuur de ETag van de laatste GET mee in `If-Match`: "
            "zonder krijgt u 428, met een verouderde 412."
        ),
        request=CandidateChangeSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: CandidateSerializer, **STALE_ERRORS},
    ),
)
class CandidateViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    GenericViewSet,
):
    serializer_class = CandidateSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = r"\d+"

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["viewer"] = self.viewer
        return context

    @property
    def viewer(self) -> Viewer:
        if not hasattr(self, "_viewer"):
            self._viewer = Viewer(self.request.user)
        return self._viewer

    def get_queryset(self):
        if self.action != "list":
            return _with_record(selectors.visible_candidates(user=self.request.user))
        query = self._query
        filters = {"stage": query.get("stage"), "target_group": query.get("targetGroup")}
        queryset = worklist(self.viewer, filters).order_by("-created_at", "-pk")
        if "updatedSince" in query:
            queryset = queryset.filter(updated_at__gte=query["updatedSince"])
        return _with_record(queryset)

    def list(self, request, *args, **kwargs):
        from .filters import parse_query

        self._query = parse_query(CandidateQuery, request)
        page = self.paginate_queryset(self.get_queryset())
        _candidates_read(request, page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _visible(self, pk) -> Candidate:
        return get_object_or_404(self.get_queryset(), pk=pk)

    def retrieve(self, request, *args, **kwargs):
        candidate = self._visible(kwargs["pk"])
        _candidates_read(request, [candidate])
        etag = candidate_etag(candidate)
        return Response(self.get_serializer(candidate).data, headers={"ETag": etag})

    def create(self, request, *args, **kwargs):
        payload = CandidateRegisterSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        region = payload.validated_data["region"]
        if not (self.viewer.is_admin or region.pk in self.viewer.team_regions):
            raise exceptions.PermissionDenied(_("U werkt niet bij het loket van deze regio."))
        arguments = payload.service_arguments()
        consents = payload.validated_data.get("consents") or {}
        candidate = services.candidate_register(
            region=region,
            data={
                name: value for name, value in arguments.items() if name not in ("related_subjects", "target_subjects")
            },
            consents={CONSENT_NAMES[name]: given for name, given in consents.items()},
            related_subjects=arguments.get("related_subjects"),
            target_subjects=arguments.get("target_subjects"),
            actor=request.user,
        )
        candidate = _with_record(Candidate.objects.all()).get(pk=candidate.pk)
        return Response(
            self.get_serializer(candidate).data,
            status=status.HTTP_201_CREATED,
            headers={"ETag": candidate_etag(candidate)},
        )

    def partial_update(self, request, *args, **kwargs):
        candidate = self._visible(kwargs["pk"])
        if not request.user.has_perm("loket.manage_candidate", candidate):
            raise exceptions.PermissionDenied(_("Alleen het loket van de regio wijzigt dit dossier."))
        version = expected_version(request)
        payload = CandidateChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        if not payload.validated_data:
            raise exceptions.ValidationError(_("Geef ten minste één veld om te wijzigen."))
        try:
            with transaction.atomic():
                services.candidate_update(
                    candidate=candidate, actor=request.user, expected_version=version, **payload.service_arguments()
                )
        except services.StaleRecord as error:
            raise PreconditionFailed() from error
        updated = self._visible(candidate.pk)
        return Response(self.get_serializer(updated).data, headers={"ETag": candidate_etag(updated)})

    @extend_schema(
        summary="Trajecten van een kandidaat",
        responses={200: TrajectorySerializer(many=True)},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def trajectories(self, request, pk=None):
        candidate, _parts = selectors.candidate_open(user=request.user, pk=int(pk))
        trajectories = (
            candidate.trajectories.filter(visible_trajectories_q(request.user))
            .select_related("subject", "board", "school_location", "institute", "exit_reason")
            .order_by("-created_at", "-id")
        )
        return Response(TrajectorySerializer(trajectories, many=True).data)

    @extend_schema(
        summary="Tijdlijn van een kandidaat",
        description="Alle gebeurtenissen, nieuwste eerst. Voor een ontvanger alleen als de tijdlijn is gedeeld.",
        responses={200: EventSerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        candidate, parts = selectors.candidate_open(user=request.user, pk=int(pk))
        if SharedPart.TIMELINE not in parts:
            raise exceptions.PermissionDenied(_("De tijdlijn van deze kandidaat is niet met u gedeeld."))
        page = self.paginate_queryset(selectors.timeline(candidate=candidate))
        return self.get_paginated_response(EventSerializer(page, many=True).data)


@extend_schema_view(
    retrieve=extend_schema(summary="Eén traject", parameters=[ETAG]),
    partial_update=extend_schema(
        summary="Traject naar een andere fase",
        description=(
            "Voor het loket, en voor een ontvanger die de kandidaat heeft geaccepteerd. Stuur de ETag van de "
            "laatste GET mee in `If-Match`. Naar `qualified` sluit het traject af."
        ),
        request=TrajectoryMoveSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: TrajectorySerializer, **STALE_ERRORS},
    ),
)
class TrajectoryViewSet(ApiViewMixin, mixins.RetrieveModelMixin, GenericViewSet):
    serializer_class = TrajectorySerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return Trajectory.objects.select_related(
            "candidate", "subject", "board", "school_location", "institute", "exit_reason"
        )

    def _open(self, pk) -> Trajectory:
        trajectory = (
            Trajectory.objects.filter(pk=pk)
            .filter(visible_trajectories_q(self.request.user))
            .only("pk", "candidate_id")
            .first()
        )
        if trajectory is None:
            raise Http404
        # Opening the candidate checks visibility (404) and logs the read.
        selectors.candidate_open(user=self.request.user, pk=trajectory.candidate_id)
        return self.get_queryset().get(pk=pk)

    def retrieve(self, request, *args, **kwargs):
        trajectory = self._open(kwargs["pk"])
        return Response(self.get_serializer(trajectory).data, headers={"ETag": trajectory_etag(trajectory)})

    def partial_update(self, request, *args, **kwargs):
        trajectory = self._open(kwargs["pk"])
        if not request.user.has_perm("loket.progress_candidate", trajectory.candidate):
            raise exceptions.PermissionDenied(_("U mag dit traject niet verder zetten."))
        version = expected_version(request)
        payload = TrajectoryMoveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                services.trajectory_move(
                    trajectory=trajectory,
                    to_stage=payload.validated_data["stage"],
                    note=payload.validated_data.get("note", ""),
                    actor=request.user,
                    expected_version=version,
                )
        except services.StaleRecord as error:
            raise PreconditionFailed() from error
        moved = self.get_queryset().get(pk=trajectory.pk)
        return Response(self.get_serializer(moved).data, headers={"ETag": trajectory_etag(moved)})

    @extend_schema(
        summary="Traject beëindigen met een reden",
        description=(
            "Alleen voor het loket van de regio. `If-Match` met de ETag is niet verplicht; met een verouderde "
            "ETag weigert de API (412)."
        ),
        request=TrajectoryEndSerializer,
        parameters=[
            OpenApiParameter(
                "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, description="De ETag uit de laatste GET."
            )
        ],
        responses={200: TrajectorySerializer, (412, "application/problem+json"): problem("Gewijzigd door een ander")},
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        trajectory = self._open(pk)
        if not request.user.has_perm("loket.manage_candidate", trajectory.candidate):
            raise exceptions.PermissionDenied(_("Alleen het loket van de regio beëindigt een traject."))
        version = expected_version(request, required=False)
        payload = TrajectoryEndSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                services.trajectory_end(
                    trajectory=trajectory,
                    reason=payload.validated_data["exitReason"],
                    note=payload.validated_data.get("note", ""),
                    actor=request.user,
                    expected_version=version,
                )
        except services.StaleRecord as error:
            raise PreconditionFailed() from error
        ended = self.get_queryset().get(pk=trajectory.pk)
        return Response(self.get_serializer(ended).data, headers={"ETag": trajectory_etag(ended)})


@extend_schema_view(
    list=extend_schema(
        summary="Overdrachten aan mijn organisatie(s)",
        description="De inbox: overdrachten aan organisaties namens welke u kandidaten ontvangt.",
        parameters=[HandoverQuery],
    ),
    retrieve=extend_schema(summary="Eén overdracht"),
)
class HandoverViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    serializer_class = HandoverSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        queryset = selectors.inbox(user=self.request.user).select_related("candidate__region", "trajectory")
        if self.action == "list":
            from .filters import parse_query

            query = parse_query(HandoverQuery, self.request)
            if "status" in query:
                queryset = queryset.filter(status=query["status"])
            return queryset.order_by("status", "-created_at", "-id")
        return queryset

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        _candidates_read(request, [handover.candidate for handover in page], action="candidate.list_viewed")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        handover = self.get_object()
        _candidates_read(request, [handover.candidate])
        return Response(self.get_serializer(handover).data)

    @extend_schema(
        summary="Overdracht accepteren of afwijzen",
        description="Alleen een openstaande overdracht; de kandidaat krijgt bericht per e-mail.",
        request=HandoverDecisionSerializer,
        responses={200: HandoverSerializer},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        handover = self.get_object()
        payload = HandoverDecisionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        decided = services.handover_decide(
            handover=handover,
            accept=payload.validated_data["accept"],
            note=payload.validated_data.get("note", ""),
            actor=request.user,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=decided.pk)).data)
