"""Organisations, regions, school locations and reference data in the API (/api/v1/).

Field names are camelCase (NL API Design Rules recommend it) and declared explicitly with
`source=`, so that the JSON, the validation errors and the OpenAPI document all use one name.
Each list endpoint declares its query parameters as a serializer, which both validates them and
documents them. These are public DUO data: every logged-in user may read them; changing an
organisation's profile goes through `services.organisation_update`, like the edit page.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet, ReadOnlyModelViewSet

from onderwijsregio.api.base import ApiViewMixin
from onderwijsregio.api.concurrency import STALE_ERRORS, expected_version, not_modified, version_etag
from onderwijsregio.api.filters import IdField, NoQuery, parse_query
from onderwijsregio.core.errors import version_check

from . import selectors
from .geo import haversine_km
from .models import (
    LabourMarketRegion,
    Municipality,
    Organisation,
    PostcodeArea,
    PupilCount,
    RegionMember,
    RegionSchoolLocation,
    SchoolLocation,
    Sector,
    VoLevel,
)
from .services import EDITABLE_PROFILE_FIELDS, organisation_update

PC4 = r"^\d{4}$"
CBS_CODE = r"^\d{4}$"
LABOUR_MARKET_REGION_CODE = r"^AM\d{2}$"


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind"]


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
    nameSource = serializers.CharField(
        source="name_source",
        help_text=(
            "Herkomst van de naam van een bestuur: `board` (bevestigd door het bestuur), `duo_file` "
            "(DUO-bestand bevoegde gezagen), `derived_list` (afgeleide landelijke lijst), `placeholder` "
            "(voorlopige naam), of leeg voor andere organisaties."
        ),
    )
    nameSourceDetail = serializers.CharField(
        source="name_source_detail", help_text="Het bestand (en jaar) van de naam."
    )
    kvkNumber = serializers.CharField(source="kvk_number", help_text="KvK-nummer (8 cijfers), of leeg.")
    municipality = MunicipalityRefSerializer(allow_null=True)
    sectors = serializers.ListField(child=serializers.ChoiceField(choices=Sector.choices))
    isSynthetic = serializers.BooleanField(source="is_synthetic")
    updatedAt = serializers.DateTimeField(source="updated_at")
    # Most boards have no website on record: "" then, which a `format: uri` in the document would forbid.
    website = serializers.CharField(help_text="Adres van de website (URL), of leeg als dat niet bekend is.")

    class Meta:
        model = Organisation
        fields = [
            "id",
            "kind",
            "name",
            "slug",
            "duoNumber",
            "nameIsProvisional",
            "nameSource",
            "nameSourceDetail",
            "kvkNumber",
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
            raise serializers.ValidationError(
                {name: _("Dit veld kan niet worden gewijzigd.") for name in unknown}, code="field_not_editable"
            )
        if not attrs:
            raise serializers.ValidationError(_("Geef ten minste één veld om te wijzigen."), code="no_changes")
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


# --- query parameters ---------------------------------------------------------------------


class MunicipalityQuery(serializers.Serializer):
    province = serializers.CharField(required=False, help_text="Naam van de provincie, bijvoorbeeld `Utrecht`.")
    labourMarketRegion = serializers.RegexField(
        LABOUR_MARKET_REGION_CODE, required=False, help_text="Code van de arbeidsmarktregio, bijvoorbeeld `AM14`."
    )


class PostcodeAreaQuery(serializers.Serializer):
    municipality = serializers.RegexField(CBS_CODE, required=False, help_text="CBS-code van de gemeente.")


class DistanceQuery(serializers.Serializer):
    """`from` and `to` are Python keywords, so the fields get their names in get_fields()."""

    def get_fields(self):
        pc4 = {
            "regex": PC4,
            "error_messages": {"invalid": gettext_lazy("Geef een postcode van 4 cijfers, bijvoorbeeld 3811.")},
        }
        return {
            "from": serializers.RegexField(help_text="Postcode (4 cijfers) van het beginpunt.", **pc4),
            "to": serializers.RegexField(help_text="Postcode (4 cijfers) van het eindpunt.", **pc4),
        }


class RegionAnalysisQuery(serializers.Serializer):
    sector = serializers.ChoiceField(
        choices=Sector.choices, required=False, help_text="Alleen vestigingen van deze sector."
    )


class OrganisationQuery(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices, required=False)
    region = IdField(required=False, help_text="Id van een onderwijsregio: alleen haar deelnemers.")
    duoNumber = serializers.RegexField(
        r"^\d{5}$", required=False, help_text="DUO-nummer van het bevoegd gezag (5 cijfers)."
    )
    search = serializers.CharField(required=False, help_text="Zoek in de naam.")


class SchoolLocationQuery(serializers.Serializer):
    region = IdField(required=False, help_text="Id van een onderwijsregio: vestigingen die er nu bij horen.")
    board = IdField(required=False, help_text="Id van het bevoegd gezag.")
    municipality = serializers.RegexField(CBS_CODE, required=False, help_text="CBS-code van de gemeente.")
    sector = serializers.ChoiceField(choices=Sector.choices, required=False)
    level = serializers.ChoiceField(choices=VoLevel.choices, required=False, help_text="Niveau in het vo.")
    search = serializers.CharField(required=False, help_text="Zoek in naam, plaats, postcode en vestigingscode.")


# --- reference data ---------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Arbeidsmarktregio's", description="De 35 arbeidsmarktregio's (CBS/PDOK)."),
    retrieve=extend_schema(summary="Eén arbeidsmarktregio"),
)
class LabourMarketRegionViewSet(ApiViewMixin, ReadOnlyModelViewSet):
    queryset = LabourMarketRegion.objects.annotate(municipality_count=Count("municipalities")).order_by("code")
    serializer_class = LabourMarketRegionSerializer
    lookup_field = "code"
    lookup_value_regex = r"AM\d{2}"

    def get_queryset(self):
        if self.action == "list":
            parse_query(NoQuery, self.request)
        return super().get_queryset()


@extend_schema_view(
    list=extend_schema(summary="Gemeenten", parameters=[MunicipalityQuery]),
    retrieve=extend_schema(summary="Eén gemeente, op CBS-code"),
)
class MunicipalityViewSet(ApiViewMixin, ReadOnlyModelViewSet):
    serializer_class = MunicipalitySerializer
    lookup_field = "cbs_code"
    lookup_url_kwarg = "cbsCode"
    lookup_value_regex = r"\d{4}"

    def get_queryset(self):
        queryset = Municipality.objects.select_related("labour_market_region").order_by("name", "cbs_code")
        if self.action != "list":
            return queryset
        query = parse_query(MunicipalityQuery, self.request)
        if "province" in query:
            queryset = queryset.filter(province__iexact=query["province"])
        if "labourMarketRegion" in query:
            queryset = queryset.filter(labour_market_region__code=query["labourMarketRegion"])
        return queryset


@extend_schema_view(
    list=extend_schema(summary="Postcodegebieden (PC4)", parameters=[PostcodeAreaQuery]),
    retrieve=extend_schema(summary="Eén postcodegebied met zijn middelpunt"),
)
class PostcodeAreaViewSet(ApiViewMixin, ReadOnlyModelViewSet):
    serializer_class = PostcodeAreaSerializer
    lookup_field = "pc4"
    lookup_value_regex = r"\d{4}"

    def get_queryset(self):
        queryset = PostcodeArea.objects.select_related("municipality").order_by("pc4")
        if self.action != "list":
            return queryset
        query = parse_query(PostcodeAreaQuery, self.request)
        if "municipality" in query:
            queryset = queryset.filter(municipality__cbs_code=query["municipality"])
        return queryset


class DistanceView(ApiViewMixin, APIView):
    @extend_schema(
        operation_id="distances_retrieve",
        summary="Afstand hemelsbreed tussen twee postcodegebieden",
        description=(
            "De afstand in kilometers tussen de middelpunten van twee postcodegebieden van 4 cijfers "
            "(GeoNames, CC BY 4.0), over het aardoppervlak (haversine). Geen reisafstand."
        ),
        parameters=[DistanceQuery],
        responses={200: DistanceSerializer},
    )
    def get(self, request):
        query = parse_query(DistanceQuery, request)
        areas = PostcodeArea.objects.select_related("municipality").in_bulk(
            [query["from"], query["to"]], field_name="pc4"
        )
        unknown = {name: _("Onbekende postcode.") for name in ("from", "to") if query[name] not in areas}
        if unknown:
            raise exceptions.ValidationError(unknown, code="unknown_postcode")
        origin, destination = areas[query["from"]], areas[query["to"]]
        distance = haversine_km(origin.latitude, origin.longitude, destination.latitude, destination.longitude)
        data = {
            "origin": origin,
            "destination": destination,
            "distanceKm": round(distance, 1),
            "method": "haversine",
        }
        return Response(DistanceSerializer(data).data)


# --- regions and organisations ----------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Onderwijsregio's"),
    retrieve=extend_schema(summary="Eén onderwijsregio, op id"),
)
class RegionViewSet(ApiViewMixin, ReadOnlyModelViewSet):
    serializer_class = RegionSerializer

    def get_queryset(self):
        if self.action == "list":
            parse_query(NoQuery, self.request)
        return selectors.regions().order_by("name", "id")

    @extend_schema(
        summary="Analyse van een onderwijsregio",
        description=(
            "Leerlingen, vestigingen en besturen per sector, gemeente en subregio (laatste jaar met tellingen), "
            "en per sector een reeks over de jaren. DUO meldt kleine aantallen als '<5': `known` telt alleen "
            "bekende aantallen, `small` het aantal vestigingen met '<5', `min` en `max` de grenzen."
        ),
        parameters=[RegionAnalysisQuery],
        responses={200: RegionAnalysisSerializer},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def analysis(self, request, pk=None):
        region = self.get_object()
        query = parse_query(RegionAnalysisQuery, request)
        analysis = selectors.region_analysis(region=region, sector=query.get("sector"))
        # The selector keys municipalities by primary key; clients know them by CBS code.
        cbs_codes = dict(
            Municipality.objects.filter(pk__in=[int(row.key) for row in analysis.by_municipality]).values_list(
                "pk", "cbs_code"
            )
        )
        for row in analysis.by_municipality:
            row.key = cbs_codes.get(int(row.key), row.key)
        data = {"region": region, "sector": query.get("sector"), "analysis": analysis}
        return Response(RegionAnalysisSerializer(data).data)

    @extend_schema(
        summary="Deelnemers van een onderwijsregio",
        responses={200: RegionMemberSerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def members(self, request, pk=None):
        region = self.get_object()
        parse_query(NoQuery, request)
        page = self.paginate_queryset(selectors.region_members(region=region).order_by("role", "member__name", "id"))
        return self.get_paginated_response(RegionMemberSerializer(page, many=True).data)


ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description="Versie van de organisatie; stuur haar mee in If-Match bij een wijziging.",
)


@extend_schema_view(
    list=extend_schema(summary="Organisaties", parameters=[OrganisationQuery]),
    retrieve=extend_schema(summary="Eén organisatie", parameters=[ETAG_HEADER]),
    partial_update=extend_schema(
        summary="Profiel van een organisatie wijzigen",
        description=(
            "Alleen naam, website en beschrijving, en alleen door HR van de organisatie zelf, het regioteam "
            "of een beheerder. Stuur de ETag van de laatste GET mee in `If-Match`: zonder krijgt u 428, "
            "met een verouderde 412 (iemand anders wijzigde de organisatie intussen)."
        ),
        request=OrganisationUpdateSerializer,
        parameters=[
            OpenApiParameter(
                "If-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description="De ETag uit de laatste GET van deze organisatie.",
            ),
            ETAG_HEADER,
        ],
        responses={200: OrganisationSerializer, **STALE_ERRORS},
    ),
)
class OrganisationViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    serializer_class = OrganisationSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        queryset = Organisation.objects.select_related("municipality").order_by("name", "id")
        if self.action != "list":
            return queryset
        query = parse_query(OrganisationQuery, self.request)
        if "kind" in query:
            queryset = queryset.filter(kind=query["kind"])
        if "region" in query:
            queryset = queryset.filter(region_memberships__region_id=query["region"])
        if "duoNumber" in query:
            queryset = queryset.filter(duo_number=query["duoNumber"])
        if "search" in query:
            queryset = queryset.filter(name__icontains=query["search"])
        return queryset

    def retrieve(self, request, *args, **kwargs):
        organisation = self.get_object()
        etag = version_etag(organisation)
        if not_modified(request, organisation):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(self.get_serializer(organisation).data, headers={"ETag": etag})

    def partial_update(self, request, *args, **kwargs):
        organisation = self.get_object()
        if not request.user.has_perm("organisations.change_organisation", organisation):
            raise exceptions.PermissionDenied(_("U mag het profiel van deze organisatie niet wijzigen."))
        version = expected_version(request)
        # A stale If-Match is refused before the body is looked at; the service checks again under its lock.
        version_check(organisation, version)
        changes = OrganisationUpdateSerializer(data=request.data)
        changes.is_valid(raise_exception=True)
        updated = organisation_update(
            organisation=organisation, actor=request.user, expected_version=version, **changes.validated_data
        )
        updated = Organisation.objects.select_related("municipality").get(pk=updated.pk)
        return Response(self.get_serializer(updated).data, headers={"ETag": version_etag(updated)})


@extend_schema_view(
    list=extend_schema(summary="Schoolvestigingen", parameters=[SchoolLocationQuery]),
    retrieve=extend_schema(summary="Eén schoolvestiging, op vestigingscode (BRIN + 2 cijfers)"),
)
class SchoolLocationViewSet(ApiViewMixin, ReadOnlyModelViewSet):
    serializer_class = SchoolLocationSerializer
    lookup_field = "vestiging_code"
    lookup_url_kwarg = "vestigingCode"
    lookup_value_regex = r"\d{2}[A-Z]{2}\d{2}"

    def get_queryset(self):
        queryset = (
            SchoolLocation.objects.select_related("board", "municipality")
            .prefetch_related(
                Prefetch("pupil_counts", queryset=PupilCount.objects.order_by("year")),
                Prefetch(
                    "region_links",
                    queryset=RegionSchoolLocation.objects.filter(ended_on__isnull=True).select_related("region"),
                    to_attr="current_links",
                ),
            )
            .order_by("name", "vestiging_code")
        )
        if self.action != "list":
            return queryset
        query = parse_query(SchoolLocationQuery, self.request)
        if "region" in query:
            queryset = queryset.filter(
                pk__in=RegionSchoolLocation.objects.filter(region_id=query["region"], ended_on__isnull=True).values(
                    "school_location_id"
                )
            )
        if "board" in query:
            queryset = queryset.filter(board_id=query["board"])
        if "municipality" in query:
            queryset = queryset.filter(municipality__cbs_code=query["municipality"])
        if "sector" in query:
            queryset = queryset.filter(sector=query["sector"])
        if "level" in query:
            # A quoted match on the JSON text works on SQLite and PostgreSQL alike ("vmbo" ≠ "vmbo-tl").
            queryset = queryset.filter(vo_levels__icontains=f'"{query["level"]}"')
        if "search" in query:
            term = query["search"]
            queryset = queryset.filter(
                Q(name__icontains=term)
                | Q(place__icontains=term)
                | Q(postcode__icontains=term)
                | Q(vestiging_code__iexact=term)
            )
        return queryset
