"""The desk's resources as JSON: representations, the changes a client sends, and the query parameters.

A receiver of a handover gets only the fields of the parts shared with it (`PartFilteredSerializer`):
fields of other parts are left out of the JSON, not sent empty. Names are camelCase (NL API Design Rules).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

from onderwijsregio.accounts.api import UserRefSerializer
from onderwijsregio.organisations.api import OrganisationRefSerializer
from onderwijsregio.organisations.models import Organisation, Sector, Subject

from .. import selectors
from ..models import (
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
from ..worklist import Viewer

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
        return selectors.current_consents(candidate=candidate)


class PartFilteredSerializer(serializers.Serializer):
    """Leaves out the fields of parts the viewer may not see (context `viewer`: an exports.Viewer)."""

    # The docstring is the OpenAPI description and stays as published; the Viewer is loket.worklist.Viewer.

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
