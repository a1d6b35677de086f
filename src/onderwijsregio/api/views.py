"""The API's views: parse the request, ask one selector or service, render.

Visibility follows the pages: public DUO data (organisations, school locations, reference data)
for every logged-in user; memberships, audit events and jobs only where accounts.permissions
allows, and an object a user may not see answers 404, never 403, so its existence stays hidden.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet, ReadOnlyModelViewSet

from onderwijsregio.accounts.permissions import visible_audit_events_q
from onderwijsregio.accounts.selectors import user_by_email, visible_memberships
from onderwijsregio.accounts.services import membership_create, membership_end, people_viewed_record
from onderwijsregio.core.models import AuditEvent, Job
from onderwijsregio.organisations import selectors
from onderwijsregio.organisations.geo import haversine_km
from onderwijsregio.organisations.models import (
    LabourMarketRegion,
    Municipality,
    Organisation,
    PostcodeArea,
    PupilCount,
    RegionSchoolLocation,
    SchoolLocation,
)
from onderwijsregio.organisations.services import organisation_update

from . import filters, serializers
from .base import ApiViewMixin, HasGlobalPerm
from .problems import PreconditionFailed, PreconditionRequired
from .schema import problem


class CanReadAuditLog(HasGlobalPerm):
    perm = "core.view_auditevent"


# --- reference data ---------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Arbeidsmarktregio's", description="De 35 arbeidsmarktregio's (CBS/PDOK)."),
    retrieve=extend_schema(summary="Eén arbeidsmarktregio"),
)
class LabourMarketRegionViewSet(ApiViewMixin, ReadOnlyModelViewSet):
    queryset = LabourMarketRegion.objects.annotate(municipality_count=Count("municipalities")).order_by("code")
    serializer_class = serializers.LabourMarketRegionSerializer
    lookup_field = "code"
    lookup_value_regex = r"AM\d{2}"


@extend_schema_view(
    list=extend_schema(summary="Gemeenten", parameters=[filters.MunicipalityQuery]),
    retrieve=extend_schema(summary="Eén gemeente, op CBS-code"),
)
class MunicipalityViewSet(ApiViewMixin, ReadOnlyModelViewSet):
    serializer_class = serializers.MunicipalitySerializer
    lookup_field = "cbs_code"
    lookup_url_kwarg = "cbsCode"
    lookup_value_regex = r"\d{4}"

    def get_queryset(self):
        queryset = Municipality.objects.select_related("labour_market_region").order_by("name", "cbs_code")
        if self.action != "list":
            return queryset
        query = filters.parse_query(filters.MunicipalityQuery, self.request)
        if "province" in query:
            queryset = queryset.filter(province__iexact=query["province"])
        if "labourMarketRegion" in query:
            queryset = queryset.filter(labour_market_region__code=query["labourMarketRegion"])
        return queryset


@extend_schema_view(
    list=extend_schema(summary="Postcodegebieden (PC4)", parameters=[filters.PostcodeAreaQuery]),
    retrieve=extend_schema(summary="Eén postcodegebied met zijn middelpunt"),
)
class PostcodeAreaViewSet(ApiViewMixin, ReadOnlyModelViewSet):
    serializer_class = serializers.PostcodeAreaSerializer
    lookup_field = "pc4"
    lookup_value_regex = r"\d{4}"

    def get_queryset(self):
        queryset = PostcodeArea.objects.select_related("municipality").order_by("pc4")
        if self.action != "list":
            return queryset
        query = filters.parse_query(filters.PostcodeAreaQuery, self.request)
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
        parameters=[filters.DistanceQuery],
        responses={200: serializers.DistanceSerializer},
    )
    def get(self, request):
        query = filters.parse_query(filters.DistanceQuery, request)
        areas = PostcodeArea.objects.select_related("municipality").in_bulk(
            [query["from"], query["to"]], field_name="pc4"
        )
        unknown = {name: _("Onbekende postcode.") for name in ("from", "to") if query[name] not in areas}
        if unknown:
            raise exceptions.ValidationError(unknown)
        origin, destination = areas[query["from"]], areas[query["to"]]
        distance = haversine_km(origin.latitude, origin.longitude, destination.latitude, destination.longitude)
        data = {
            "origin": origin,
            "destination": destination,
            "distanceKm": round(distance, 1),
            "method": "haversine",
        }
        return Response(serializers.DistanceSerializer(data).data)


# --- regions and organisations ----------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Onderwijsregio's"),
    retrieve=extend_schema(summary="Eén onderwijsregio, op id"),
)
class RegionViewSet(ApiViewMixin, ReadOnlyModelViewSet):
    serializer_class = serializers.RegionSerializer

    def get_queryset(self):
        return selectors.regions().order_by("name", "id")

    @extend_schema(
        summary="Analyse van een onderwijsregio",
        description=(
            "Leerlingen, vestigingen en besturen per sector, gemeente en subregio (laatste jaar met tellingen), "
            "en per sector een reeks over de jaren. DUO meldt kleine aantallen als '<5': `known` telt alleen "
            "bekende aantallen, `small` het aantal vestigingen met '<5', `min` en `max` de grenzen."
        ),
        parameters=[filters.RegionAnalysisQuery],
        responses={200: serializers.RegionAnalysisSerializer},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def analysis(self, request, pk=None):
        region = self.get_object()
        query = filters.parse_query(filters.RegionAnalysisQuery, request)
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
        return Response(serializers.RegionAnalysisSerializer(data).data)

    @extend_schema(
        summary="Deelnemers van een onderwijsregio",
        responses={200: serializers.RegionMemberSerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def members(self, request, pk=None):
        region = self.get_object()
        page = self.paginate_queryset(selectors.region_members(region=region).order_by("role", "member__name", "id"))
        return self.get_paginated_response(serializers.RegionMemberSerializer(page, many=True).data)


def organisation_etag(organisation: Organisation) -> str:
    """A strong ETag that changes with every save (updated_at is auto_now)."""
    digest = hashlib.sha256(f"{organisation.pk}:{organisation.updated_at.isoformat()}".encode()).hexdigest()
    return f'"{digest[:32]}"'


ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description="Versie van de organisatie; stuur haar mee in If-Match bij een wijziging.",
)


@extend_schema_view(
    list=extend_schema(summary="Organisaties", parameters=[filters.OrganisationQuery]),
    retrieve=extend_schema(summary="Eén organisatie", parameters=[ETAG_HEADER]),
    partial_update=extend_schema(
        summary="Profiel van een organisatie wijzigen",
        description=(
            "Alleen naam, website en beschrijving, en alleen door HR van de organisatie zelf, het regioteam "
            "of een beheerder. Stuur de ETag van de laatste GET mee in `If-Match`: zonder krijgt u 428, "
            "met een verouderde 412 (iemand anders wijzigde de organisatie intussen)."
        ),
        request=serializers.OrganisationUpdateSerializer,
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
        responses={
            200: serializers.OrganisationSerializer,
            (412, "application/problem+json"): problem("Gewijzigd door een ander"),
            (428, "application/problem+json"): problem("Voorwaarde vereist"),
        },
    ),
)
class OrganisationViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    serializer_class = serializers.OrganisationSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        if self.action == "partial_update":
            # Lock the row so that the If-Match check and the write see the same version.
            return Organisation.objects.select_for_update()
        queryset = Organisation.objects.select_related("municipality").order_by("name", "id")
        if self.action != "list":
            return queryset
        query = filters.parse_query(filters.OrganisationQuery, self.request)
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
        etag = organisation_etag(organisation)
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(self.get_serializer(organisation).data, headers={"ETag": etag})

    def partial_update(self, request, *args, **kwargs):
        with transaction.atomic():
            organisation = self.get_object()
            if not request.user.has_perm("organisations.change_organisation", organisation):
                raise exceptions.PermissionDenied(_("U mag het profiel van deze organisatie niet wijzigen."))
            if_match = request.headers.get("If-Match")
            if not if_match:
                raise PreconditionRequired()
            etags = parse_etags(if_match)
            if "*" not in etags and organisation_etag(organisation) not in etags:
                raise PreconditionFailed()
            changes = serializers.OrganisationUpdateSerializer(data=request.data)
            changes.is_valid(raise_exception=True)
            updated = organisation_update(organisation=organisation, actor=request.user, **changes.validated_data)
        updated = Organisation.objects.select_related("municipality").get(pk=updated.pk)
        return Response(self.get_serializer(updated).data, headers={"ETag": organisation_etag(updated)})


@extend_schema_view(
    list=extend_schema(summary="Schoolvestigingen", parameters=[filters.SchoolLocationQuery]),
    retrieve=extend_schema(summary="Eén schoolvestiging, op vestigingscode (BRIN + 2 cijfers)"),
)
class SchoolLocationViewSet(ApiViewMixin, ReadOnlyModelViewSet):
    serializer_class = serializers.SchoolLocationSerializer
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
        query = filters.parse_query(filters.SchoolLocationQuery, self.request)
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


# --- accounts ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Lidmaatschappen",
        description=(
            "Wie welke rol heeft bij welke organisatie: alleen van organisaties waarvan u de accounts beheert. "
            "Het inzien van lidmaatschappen van anderen wordt in de auditlog vastgelegd."
        ),
        parameters=[filters.MembershipQuery],
    ),
    retrieve=extend_schema(summary="Eén lidmaatschap"),
    create=extend_schema(
        summary="Lidmaatschap toekennen",
        request=serializers.MembershipCreateSerializer,
        responses={201: serializers.MembershipSerializer},
    ),
    destroy=extend_schema(
        summary="Lidmaatschap beëindigen",
        description="Het lidmaatschap blijft bewaard met een einddatum.",
        responses={204: OpenApiResponse(description="Beëindigd.")},
    ),
)
class MembershipViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    GenericViewSet,
):
    serializer_class = serializers.MembershipSerializer

    def get_queryset(self):
        queryset = visible_memberships(user=self.request.user, include_ended=True).order_by(
            "organisation__name", "role", "id"
        )
        if self.action != "list":
            return queryset
        query = filters.parse_query(filters.MembershipQuery, self.request)
        if "organisation" in query:
            queryset = queryset.filter(organisation_id=query["organisation"])
        if "role" in query:
            queryset = queryset.filter(role=query["role"])
        if "active" in query:
            queryset = queryset.filter(ended_at__isnull=query["active"])
        return queryset

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        people_viewed_record(actor=request.user, memberships=page, via="api", path=request.get_full_path())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        membership = self.get_object()
        people_viewed_record(actor=request.user, memberships=[membership], via="api", path=request.get_full_path())
        return Response(self.get_serializer(membership).data)

    def create(self, request, *args, **kwargs):
        payload = serializers.MembershipCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if not request.user.has_perm("accounts.manage_memberships", data["organisation"]):
            raise exceptions.PermissionDenied(_("U beheert de accounts van deze organisatie niet."))
        user = user_by_email(email=data["email"])
        if user is None:
            raise exceptions.ValidationError({"email": _("Er is geen account met dit e-mailadres.")})
        membership = membership_create(
            user=user,
            organisation=data["organisation"],
            role=data["role"],
            school_location=data.get("schoolLocation"),
            actor=request.user,
        )
        return Response(self.get_serializer(membership).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        membership = self.get_object()
        if not request.user.has_perm("accounts.manage_memberships", membership.organisation):
            raise exceptions.PermissionDenied(_("U beheert de accounts van deze organisatie niet."))
        membership_end(membership=membership, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CurrentUserView(ApiViewMixin, APIView):
    @extend_schema(
        operation_id="users_me_retrieve",
        summary="De ingelogde gebruiker",
        responses={200: serializers.CurrentUserSerializer},
    )
    def get(self, request):
        return Response(serializers.CurrentUserSerializer(request.user).data)


# --- core -------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Auditlog",
        description="Alleen voor wie de auditlog mag lezen, en alleen gebeurtenissen van organisaties die u ziet.",
        parameters=[filters.AuditEventQuery],
    ),
    retrieve=extend_schema(summary="Eén auditgebeurtenis"),
)
class AuditEventViewSet(ApiViewMixin, ReadOnlyModelViewSet):
    serializer_class = serializers.AuditEventSerializer
    permission_classes = [CanReadAuditLog]

    def get_queryset(self):
        queryset = AuditEvent.objects.filter(visible_audit_events_q(self.request.user)).order_by("-created_at", "-id")
        if self.action != "list":
            return queryset
        query = filters.parse_query(filters.AuditEventQuery, self.request)
        if "action" in query:
            queryset = queryset.filter(action=query["action"])
        if "personalDataRead" in query:
            queryset = queryset.filter(personal_data_read=query["personalDataRead"])
        if "organisation" in query:
            queryset = queryset.filter(organisation_id=query["organisation"])
        if "from" in query:
            queryset = queryset.filter(created_at__gte=query["from"])
        if "to" in query:
            queryset = queryset.filter(created_at__lt=query["to"])
        return queryset


@extend_schema_view(retrieve=extend_schema(summary="Voortgang van een taak"))
class JobViewSet(ApiViewMixin, mixins.RetrieveModelMixin, GenericViewSet):
    serializer_class = serializers.JobSerializer
    queryset = Job.objects.all()

    def get_object(self):
        # DRF's get_object_or_404 also answers 404 (not 400) for an id that is no UUID.
        job = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if not self.request.user.has_perm("core.view_job", job):
            raise exceptions.NotFound()
        return job
