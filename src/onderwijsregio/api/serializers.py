"""Representations of the API's resources.

Field names are camelCase (NL API Design Rules recommend it) and declared explicitly with
`source=`, so that the JSON, the validation errors and the OpenAPI document all use one name.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from onderwijsregio.accounts.api import UserRefSerializer
from onderwijsregio.accounts.models import Membership, Role
from onderwijsregio.core.models import AuditEvent, Job
from onderwijsregio.organisations.api import OrganisationRefSerializer
from onderwijsregio.organisations.models import (
    LabourMarketRegion,
    Municipality,
    Organisation,
    PostcodeArea,
    RegionMember,
    SchoolLocation,
    Sector,
)
from onderwijsregio.organisations.services import EDITABLE_PROFILE_FIELDS

# --- reference data ---------------------------------------------------------------------------


class LabourMarketRegionRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class LabourMarketRegionSerializer(serializers.ModelSerializer):
    municipalityCount = serializers.IntegerField(source="municipality_count", read_only=True)

    class Meta:
        model = LabourMarketRegion
        fields = ["code", "name", "municipalityCount"]


class MunicipalityRefSerializer(serializers.Serializer):
    cbsCode = serializers.CharField(source="cbs_code")
    name = serializers.CharField()


class MunicipalitySerializer(serializers.ModelSerializer):
    cbsCode = serializers.CharField(source="cbs_code")
    duoName = serializers.CharField(source="duo_name")
    labourMarketRegion = LabourMarketRegionRefSerializer(source="labour_market_region", allow_null=True)

    class Meta:
        model = Municipality
        fields = ["cbsCode", "name", "duoName", "province", "labourMarketRegion", "latitude", "longitude"]


class PostcodeAreaSerializer(serializers.ModelSerializer):
    placeName = serializers.CharField(source="place_name")
    municipality = MunicipalityRefSerializer(allow_null=True)

    class Meta:
        model = PostcodeArea
        fields = ["pc4", "placeName", "municipality", "latitude", "longitude"]


class DistanceSerializer(serializers.Serializer):
    origin = PostcodeAreaSerializer(help_text="Het postcodegebied van `from`.")
    destination = PostcodeAreaSerializer(help_text="Het postcodegebied van `to`.")
    distanceKm = serializers.FloatField(
        help_text="Afstand hemelsbreed in kilometers tussen de middelpunten, op 0,1 km afgerond."
    )
    method = serializers.CharField()


# --- organisations ----------------------------------------------------------------------------


class OrganisationSerializer(serializers.ModelSerializer):
    duoNumber = serializers.CharField(source="duo_number")
    nameIsProvisional = serializers.BooleanField(source="name_is_provisional")
    municipality = MunicipalityRefSerializer(allow_null=True)
    sectors = serializers.ListField(child=serializers.ChoiceField(choices=Sector.choices))
    isSynthetic = serializers.BooleanField(source="is_synthetic")
    updatedAt = serializers.DateTimeField(source="updated_at")

    class Meta:
        model = Organisation
        fields = [
            "id",
            "kind",
            "name",
            "slug",
            "duoNumber",
            "nameIsProvisional",
            "municipality",
            "sectors",
            "website",
            "description",
            "isSynthetic",
            "updatedAt",
        ]
        read_only_fields = fields


class OrganisationUpdateSerializer(serializers.Serializer):
    """The profile fields a board or the regional team may change; all optional (PATCH)."""

    name = serializers.CharField(max_length=200, required=False)
    website = serializers.URLField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs):
        # Silently ignoring a field the client meant to change would be worse than refusing it.
        unknown = sorted(set(self.initial_data) - set(EDITABLE_PROFILE_FIELDS))
        if unknown:
            raise serializers.ValidationError({name: _("Dit veld kan niet worden gewijzigd.") for name in unknown})
        if not attrs:
            raise serializers.ValidationError(_("Geef ten minste één veld om te wijzigen."))
        return attrs


class RegionSerializer(serializers.ModelSerializer):
    isSynthetic = serializers.BooleanField(source="is_synthetic")
    sectors = serializers.ListField(child=serializers.ChoiceField(choices=Sector.choices))

    class Meta:
        model = Organisation
        fields = ["id", "name", "slug", "sectors", "website", "description", "isSynthetic"]


class RegionMemberSerializer(serializers.ModelSerializer):
    member = OrganisationRefSerializer()
    isApplicant = serializers.BooleanField(source="is_applicant")
    joinedOn = serializers.DateField(source="joined_on", allow_null=True)

    class Meta:
        model = RegionMember
        fields = ["member", "role", "isApplicant", "joinedOn"]


class PupilTotalSerializer(serializers.Serializer):
    known = serializers.IntegerField(help_text="Som van de bekende aantallen.")
    small = serializers.IntegerField(help_text="Aantal vestigingen met '<5' (1 tot 4 leerlingen, onbekend hoeveel).")
    min = serializers.IntegerField(source="minimum", help_text="Ten minste: known + 1 per kleine vestiging.")
    max = serializers.IntegerField(source="maximum", help_text="Ten hoogste: known + 4 per kleine vestiging.")


class AnalysisRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Sector, CBS-code van de gemeente of naam van de subregio.")
    label = serializers.CharField()
    locations = serializers.IntegerField(help_text="Aantal vestigingen.")
    boards = serializers.IntegerField(source="board_count", help_text="Aantal besturen.")
    pupils = PupilTotalSerializer(help_text="Leerlingen in het laatste jaar met tellingen.")


class SeriesPointSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    pupils = PupilTotalSerializer()


class SeriesSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Sector, of `total` voor alle sectoren samen.")
    points = SeriesPointSerializer(many=True)


class RegionAnalysisSerializer(serializers.Serializer):
    region = OrganisationRefSerializer()
    sector = serializers.ChoiceField(choices=Sector.choices, allow_null=True)
    latestYear = serializers.IntegerField(source="analysis.latest_year", allow_null=True)
    years = serializers.ListField(child=serializers.IntegerField(), source="analysis.years")
    total = AnalysisRowSerializer(source="analysis.total")
    bySector = AnalysisRowSerializer(source="analysis.by_sector", many=True)
    byMunicipality = AnalysisRowSerializer(source="analysis.by_municipality", many=True)
    bySubregion = AnalysisRowSerializer(source="analysis.by_subregion", many=True)
    series = serializers.SerializerMethodField()

    @extend_schema_field(SeriesSerializer(many=True))
    def get_series(self, obj) -> list:
        series = [
            {"key": key, "points": [{"year": year, "pupils": total} for year, total in points.items()]}
            for key, points in sorted(obj["analysis"].series.items())
        ]
        return SeriesSerializer(series, many=True).data


class PupilCountSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="Jaar van de teldatum 1 oktober.")
    count = serializers.IntegerField(allow_null=True, help_text="Aantal leerlingen; leeg als DUO '<5' meldt.")
    isSmall = serializers.BooleanField(source="is_small", help_text="DUO meldt '<5': 1 tot 4 leerlingen.")


class SchoolLocationSerializer(serializers.ModelSerializer):
    vestigingCode = serializers.CharField(source="vestiging_code")
    board = OrganisationRefSerializer()
    schoolType = serializers.CharField(source="school_type")
    voLevels = serializers.ListField(child=serializers.CharField(), source="vo_levels")
    houseNumber = serializers.CharField(source="house_number")
    municipality = MunicipalityRefSerializer()
    region = serializers.SerializerMethodField(help_text="De onderwijsregio waar de vestiging nu bij hoort.")
    pupilCounts = PupilCountSerializer(source="pupil_counts", many=True)

    class Meta:
        model = SchoolLocation
        fields = [
            "vestigingCode",
            "brin",
            "name",
            "board",
            "sector",
            "schoolType",
            "onderwijsstructuur",
            "voLevels",
            "denomination",
            "street",
            "houseNumber",
            "postcode",
            "place",
            "municipality",
            "website",
            "region",
            "pupilCounts",
        ]

    @extend_schema_field(OrganisationRefSerializer(allow_null=True))
    def get_region(self, obj) -> dict | None:
        # The view prefetches the current link into `current_links` (one query for the page).
        links = getattr(obj, "current_links", None)
        if not links:
            return None
        return OrganisationRefSerializer(links[0].region).data


# --- accounts ---------------------------------------------------------------------------------


class MembershipSerializer(serializers.ModelSerializer):
    user = UserRefSerializer()
    organisation = OrganisationRefSerializer()
    schoolLocation = serializers.SlugRelatedField(
        source="school_location", slug_field="vestiging_code", read_only=True, allow_null=True
    )
    createdAt = serializers.DateTimeField(source="created_at")
    endedAt = serializers.DateTimeField(source="ended_at", allow_null=True)
    isActive = serializers.BooleanField(source="is_active")

    class Meta:
        model = Membership
        fields = ["id", "user", "organisation", "role", "schoolLocation", "createdAt", "endedAt", "isActive"]
        read_only_fields = fields


class MembershipCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(help_text="E-mailadres van een bestaand account.")
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    role = serializers.ChoiceField(choices=Role.choices)
    schoolLocation = serializers.SlugRelatedField(
        slug_field="vestiging_code",
        queryset=SchoolLocation.objects.all(),
        required=False,
        allow_null=True,
        help_text="Alleen voor schoolleiders: de vestigingscode van hun vestiging.",
    )


class CurrentUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    fullName = serializers.CharField(source="full_name")
    preferredLanguage = serializers.CharField(source="preferred_language")
    isStaff = serializers.BooleanField(source="is_staff")
    isSuperuser = serializers.BooleanField(source="is_superuser")
    memberships = serializers.SerializerMethodField(help_text="De lidmaatschappen die nu gelden.")

    @extend_schema_field(MembershipSerializer(many=True))
    def get_memberships(self, user) -> list:
        active = (
            Membership.objects.filter(user=user, ended_at__isnull=True)
            .select_related("user", "organisation", "school_location")
            .order_by("organisation__name", "role")
        )
        return MembershipSerializer(active, many=True).data


# --- core -------------------------------------------------------------------------------------


class AuditEventSerializer(serializers.ModelSerializer):
    createdAt = serializers.DateTimeField(source="created_at")
    actorId = serializers.IntegerField(source="actor_id", allow_null=True)
    actorLabel = serializers.CharField(source="actor_label")
    objectType = serializers.CharField(source="object_type")
    objectId = serializers.CharField(source="object_id")
    objectRepr = serializers.CharField(source="object_repr")
    organisationId = serializers.IntegerField(source="organisation_id", allow_null=True)
    personalDataRead = serializers.BooleanField(source="personal_data_read")
    details = serializers.JSONField()

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "createdAt",
            "actorId",
            "actorLabel",
            "action",
            "objectType",
            "objectId",
            "objectRepr",
            "organisationId",
            "personalDataRead",
            "details",
        ]
        read_only_fields = fields


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(help_text="Voortgang in procenten (0-100).")
    isFinished = serializers.BooleanField(source="is_finished")
    result = serializers.JSONField()
    createdAt = serializers.DateTimeField(source="created_at")
    startedAt = serializers.DateTimeField(source="started_at", allow_null=True)
    finishedAt = serializers.DateTimeField(source="finished_at", allow_null=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "label",
            "status",
            "done",
            "total",
            "percent",
            "isFinished",
            "message",
            "result",
            "createdAt",
            "startedAt",
            "finishedAt",
        ]
        read_only_fields = fields
