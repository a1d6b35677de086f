"""The substitute pool in the API, for school systems: replacement requests, offers and assignments.

Same rules as the pages (pool.permissions and pool.selectors): a school sees and changes the requests
of its own location (board HR: of its board), the coordinator those of the pool; a member sees the
offers and assignments that are theirs and answers their own offers. Something the user may not see
answers 404. Writes go through pool.services, so the API refuses the same things with the same Dutch
sentences as the forms (400 problem with `invalidParams`); a stale write (If-Match) is a 412, and an
offer that can no longer be answered is a 409. Reading who was offered or assigned (names of pool
members) is a personal-data read in the audit log, one event per request.
"""

from __future__ import annotations

from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from onderwijsregio.api.base import ApiViewMixin
from onderwijsregio.api.concurrency import ETAG, IF_MATCH, STALE_ERRORS, expected_version, version_etag
from onderwijsregio.api.filters import parse_query
from onderwijsregio.api.schema import problem
from onderwijsregio.organisations.api import OrganisationRefSerializer
from onderwijsregio.organisations.models import SchoolLocation, Subject

from . import selectors, services
from .models import (
    DAY_PART_VALUES,
    AbsenceReason,
    Assignment,
    Level,
    Offer,
    Pool,
    PoolMember,
    ReleaseTier,
    ReplacementRequest,
    Urgency,
)

HOURS = {"max_digits": 4, "decimal_places": 1, "coerce_to_string": False}


def _refuse_unknown(serializer) -> None:
    # A field the client meant to set and we silently dropped would be worse than a refusal.
    unknown = sorted(set(serializer.initial_data) - set(serializer.fields))
    if unknown:
        raise serializers.ValidationError({name: _("Onbekend veld.") for name in unknown})


# --- representations ------------------------------------------------------------------------------


class ReplacementRequestSerializer(serializers.ModelSerializer):
    pool = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    schoolLocation = serializers.SlugRelatedField(source="school_location", slug_field="vestiging_code", read_only=True)
    board = OrganisationRefSerializer()
    subject = serializers.SlugRelatedField(slug_field="code", read_only=True)
    levels = serializers.ListField(child=serializers.ChoiceField(choices=Level.choices))
    yearGroups = serializers.CharField(source="year_groups")
    classKey = serializers.CharField(source="class_key")
    startDate = serializers.DateField(source="start_date")
    endDate = serializers.DateField(source="end_date")
    hoursPerWeek = serializers.DecimalField(source="hours_per_week", **HOURS)
    dayParts = serializers.ListField(
        source="day_parts",
        child=serializers.ChoiceField(choices=DAY_PART_VALUES),
        help_text="Dagdelen als `weekdag-dagdeel`: `0-0` is maandagochtend, `4-1` vrijdagmiddag.",
    )
    preferredMemberId = serializers.IntegerField(source="preferred_member_id", allow_null=True)
    contactName = serializers.CharField(source="contact_name")
    contactEmail = serializers.EmailField(source="contact_email")
    contactPhone = serializers.CharField(source="contact_phone")
    notesForSubstitute = serializers.CharField(source="notes_for_substitute")
    releaseTier = serializers.ChoiceField(source="release_tier", choices=ReleaseTier.choices)
    filledHoursPerWeek = serializers.DecimalField(source="filled_hours_per_week", **HOURS)
    unfilledExplanation = serializers.CharField(source="unfilled_explanation")
    createdAt = serializers.DateTimeField(source="created_at")
    updatedAt = serializers.DateTimeField(source="updated_at")

    class Meta:
        model = ReplacementRequest
        fields = [
            "id",
            "pool",
            "schoolLocation",
            "board",
            "subject",
            "levels",
            "yearGroups",
            "classKey",
            "startDate",
            "endDate",
            "hoursPerWeek",
            "dayParts",
            "reason",
            "urgency",
            "preferredMemberId",
            "contactName",
            "contactEmail",
            "contactPhone",
            "notesForSubstitute",
            "status",
            "releaseTier",
            "filledHoursPerWeek",
            "unfilledExplanation",
            "version",
            "createdAt",
            "updatedAt",
        ]
        read_only_fields = fields


# camelCase name in the API → field of pool.services.REQUEST_FIELDS
REQUEST_INPUT = {
    "subject": "subject",
    "levels": "levels",
    "yearGroups": "year_groups",
    "classKey": "class_key",
    "startDate": "start_date",
    "endDate": "end_date",
    "hoursPerWeek": "hours_per_week",
    "dayParts": "day_parts",
    "reason": "reason",
    "urgency": "urgency",
    "preferredMemberId": "preferred_member",
    "contactName": "contact_name",
    "contactEmail": "contact_email",
    "contactPhone": "contact_phone",
    "notesForSubstitute": "notes_for_substitute",
}


class ReplacementRequestChangeSerializer(serializers.Serializer):
    """The fields of a request; all optional here (PATCH), the required ones checked on POST."""

    subject = serializers.SlugRelatedField(
        slug_field="code", queryset=Subject.objects.all(), required=False, help_text="SLO-code van het vak."
    )
    levels = serializers.ListField(child=serializers.ChoiceField(choices=Level.choices), required=False)
    yearGroups = serializers.CharField(max_length=100, required=False, allow_blank=True)
    classKey = serializers.CharField(max_length=100, required=False, allow_blank=True)
    startDate = serializers.DateField(required=False)
    endDate = serializers.DateField(required=False)
    hoursPerWeek = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=Decimal("0.5"), max_value=Decimal("40"), required=False
    )
    dayParts = serializers.ListField(child=serializers.ChoiceField(choices=DAY_PART_VALUES), required=False)
    reason = serializers.ChoiceField(choices=AbsenceReason.choices, required=False, help_text="Alleen de soort.")
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    preferredMemberId = serializers.PrimaryKeyRelatedField(
        queryset=PoolMember.objects.all(), required=False, allow_null=True
    )
    contactName = serializers.CharField(max_length=200, required=False)
    contactEmail = serializers.EmailField(required=False)
    contactPhone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    notesForSubstitute = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs):
        _refuse_unknown(self)
        return attrs

    def service_data(self) -> dict:
        return {REQUEST_INPUT[name]: value for name, value in self.validated_data.items() if name in REQUEST_INPUT}


REQUIRED_ON_CREATE = (
    "subject",
    "levels",
    "startDate",
    "endDate",
    "hoursPerWeek",
    "dayParts",
    "reason",
    "contactName",
    "contactEmail",
)


class ReplacementRequestCreateSerializer(ReplacementRequestChangeSerializer):
    pool = serializers.SlugRelatedField(
        slug_field="slug", queryset=Pool.objects.all(), help_text="Korte naam van de pool."
    )
    schoolLocation = serializers.SlugRelatedField(
        slug_field="vestiging_code", queryset=SchoolLocation.objects.all(), help_text="Vestigingscode, bijv. 02KT00."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in REQUIRED_ON_CREATE:
            self.fields[name].required = True


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class RequestRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    subject = serializers.CharField(source="subject.code", help_text="SLO-code van het vak.")
    schoolLocation = serializers.CharField(source="school_location.vestiging_code", help_text="Vestigingscode.")
    startDate = serializers.DateField(source="start_date")
    endDate = serializers.DateField(source="end_date")
    dayParts = serializers.ListField(source="day_parts", child=serializers.CharField())


class MemberRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    fullName = serializers.CharField(source="full_name")


class OfferSerializer(serializers.ModelSerializer):
    request = RequestRefSerializer()
    member = MemberRefSerializer()
    hoursPerWeek = serializers.DecimalField(source="hours_per_week", **HOURS)
    expiresAt = serializers.DateTimeField(source="expires_at")
    respondedAt = serializers.DateTimeField(source="responded_at", allow_null=True)
    declineReason = serializers.CharField(source="decline_reason")
    createdAt = serializers.DateTimeField(source="created_at")

    class Meta:
        model = Offer
        fields = [
            "id",
            "request",
            "member",
            "hoursPerWeek",
            "status",
            "expiresAt",
            "respondedAt",
            "declineReason",
            "createdAt",
        ]
        read_only_fields = fields


class AssignmentSerializer(serializers.ModelSerializer):
    request = RequestRefSerializer()
    member = MemberRefSerializer()
    startDate = serializers.DateField(source="start_date")
    endDate = serializers.DateField(source="end_date")
    hoursPerWeek = serializers.DecimalField(source="hours_per_week", **HOURS)
    dayParts = serializers.ListField(source="day_parts", child=serializers.CharField())
    travelKm = serializers.FloatField(source="travel_km")
    createdAt = serializers.DateTimeField(source="created_at")

    class Meta:
        model = Assignment
        fields = [
            "id",
            "request",
            "member",
            "startDate",
            "endDate",
            "hoursPerWeek",
            "dayParts",
            "travelKm",
            "status",
            "createdAt",
        ]
        read_only_fields = fields


class RequestQuery(serializers.Serializer):
    pool = serializers.SlugField(required=False, help_text="Korte naam van de pool.")
    status = serializers.ChoiceField(choices=ReplacementRequest.Status.choices, required=False)


class OfferQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=Offer.Status.choices, required=False)


class AssignmentQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=Assignment.Status.choices, required=False)


# --- views ----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Vervangingsaanvragen",
        description=(
            "Aanvragen die u mag zien: een schoolleider die van de eigen vestiging, HR die van het bestuur, de "
            "coördinator die van de pool, een poollid die waarvoor het een aanbod kreeg of is ingezet."
        ),
        parameters=[RequestQuery],
    ),
    retrieve=extend_schema(summary="Eén aanvraag", parameters=[ETAG]),
    create=extend_schema(
        summary="Vervanging aanvragen",
        description=(
            "Voor een vestiging van een deelnemend bestuur dat vervanging aanvraagt. Dezelfde controles als het "
            "formulier: laatste dag op of na de eerste, ten minste de langdurig-drempel van de pool in werkdagen, "
            "vak en niveaus binnen de pool, hoogstens 5 lesuren per dagdeel, ten minste één dagdeel."
        ),
        request=ReplacementRequestCreateSerializer,
        responses={201: ReplacementRequestSerializer},
    ),
    partial_update=extend_schema(
        summary="Aanvraag wijzigen",
        description="Stuur de ETag van de laatste GET mee in `If-Match`: zonder krijgt u 428, met een verouderde 412.",
        request=ReplacementRequestChangeSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: ReplacementRequestSerializer, **STALE_ERRORS},
    ),
)
class ReplacementRequestViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    GenericViewSet,
):
    serializer_class = ReplacementRequestSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        queryset = selectors.visible_requests(user=self.request.user).select_related(
            "pool", "school_location", "board", "subject"
        )
        if self.action == "list":
            query = parse_query(RequestQuery, self.request)
            if "pool" in query:
                queryset = queryset.filter(pool__slug=query["pool"])
            if "status" in query:
                queryset = queryset.filter(status=query["status"])
        return queryset.order_by("-created_at", "-pk")

    def _visible(self, pk) -> ReplacementRequest:
        return get_object_or_404(self.get_queryset(), pk=pk)

    def retrieve(self, request, *args, **kwargs):
        replacement = self._visible(kwargs["pk"])
        return Response(self.get_serializer(replacement).data, headers={"ETag": version_etag(replacement)})

    def create(self, request, *args, **kwargs):
        payload = ReplacementRequestCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        pool = payload.validated_data["pool"]
        if not request.user.has_perm("pool.view_pool", pool):
            raise exceptions.NotFound()
        if not request.user.has_perm("pool.create_request", pool):
            raise exceptions.PermissionDenied(_("U mag in deze pool geen vervanging aanvragen."))
        location = payload.validated_data["schoolLocation"]
        if not selectors.request_locations(user=request.user, pool=pool).filter(pk=location.pk).exists():
            raise exceptions.PermissionDenied(_("U mag voor deze vestiging geen vervanging aanvragen."))
        created = services.request_create(
            pool=pool, actor=request.user, school_location=location, data=payload.service_data()
        )
        created = self._visible(created.pk)
        return Response(
            self.get_serializer(created).data, status=status.HTTP_201_CREATED, headers={"ETag": version_etag(created)}
        )

    def partial_update(self, request, *args, **kwargs):
        replacement = self._visible(kwargs["pk"])
        if not request.user.has_perm("pool.change_request", replacement):
            raise exceptions.PermissionDenied(_("U mag deze aanvraag niet wijzigen."))
        version = expected_version(request)
        payload = ReplacementRequestChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        if not payload.validated_data:
            raise exceptions.ValidationError(_("Geef ten minste één veld om te wijzigen."))
        # A stale If-Match is a StaleVersion from the service: the problem handler answers 412.
        services.request_update(
            request=replacement, actor=request.user, data=payload.service_data(), expected_version=version
        )
        updated = self._visible(replacement.pk)
        return Response(self.get_serializer(updated).data, headers={"ETag": version_etag(updated)})

    @extend_schema(
        summary="Aanvraag intrekken",
        description="Open aanbiedingen vervallen; de dagdelen van ingezette invallers komen vanaf vandaag vrij.",
        request=CancelSerializer,
        responses={200: ReplacementRequestSerializer, (409, "application/problem+json"): problem("Conflict")},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        replacement = self._visible(pk)
        if not request.user.has_perm("pool.change_request", replacement):
            raise exceptions.PermissionDenied(_("U mag deze aanvraag niet intrekken."))
        payload = CancelSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        # A request already withdrawn is a PoolConflict: the problem handler answers 409.
        services.request_cancel(
            request=replacement, actor=request.user, reason=payload.validated_data.get("reason", "")
        )
        cancelled = self._visible(replacement.pk)
        return Response(self.get_serializer(cancelled).data, headers={"ETag": version_etag(cancelled)})


# List and retrieve that log each read of pool members' work (offers, assignments) as personal data.
# A comment, not a docstring: drf-spectacular would publish a docstring as every operation's description.
class MemberWorkReadMixin:
    work_kind = ""

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        selectors.member_work_read(user=request.user, kind=self.work_kind, objects=page, path=request.get_full_path())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        selectors.member_work_read(
            user=request.user, kind=self.work_kind, objects=[record], path=request.get_full_path()
        )
        return Response(self.get_serializer(record).data)


OFFER_RESPONSES = {(409, "application/problem+json"): problem("Conflict")}


@extend_schema_view(
    list=extend_schema(
        summary="Aanbiedingen",
        description="Voor een poollid de eigen aanbiedingen; voor school en coördinator die bij hun aanvragen.",
        parameters=[OfferQuery],
    ),
    retrieve=extend_schema(summary="Eén aanbod"),
)
class OfferViewSet(MemberWorkReadMixin, ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    serializer_class = OfferSerializer
    work_kind = "offer"
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        queryset = selectors.visible_offers(user=self.request.user).select_related(
            "request__subject", "request__school_location", "member"
        )
        if self.action == "list":
            query = parse_query(OfferQuery, self.request)
            if "status" in query:
                queryset = queryset.filter(status=query["status"])
        return queryset.order_by("-created_at", "-pk")

    def _own_offer(self, pk) -> Offer:
        offer = self.get_object()
        if not self.request.user.has_perm("pool.respond_offer", offer):
            raise exceptions.PermissionDenied(_("Alleen het poollid zelf beantwoordt dit aanbod."))
        return offer

    @extend_schema(
        summary="Aanbod accepteren (poollid)",
        description=(
            "Wordt een inzet met geboekte dagdelen. 409 als het aanbod verlopen, al beantwoord of ingetrokken is, "
            "of als u in die periode al bent ingeroosterd (er wordt nooit dubbel geboekt)."
        ),
        request=None,
        responses={200: AssignmentSerializer, **OFFER_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        offer = self._own_offer(pk)
        # An offer that can no longer be answered is an OfferRefused: the problem handler answers 409.
        assignment = services.offer_accept(token=offer.token, actor=request.user)
        return Response(AssignmentSerializer(assignment).data)

    @extend_schema(
        summary="Aanbod afwijzen (poollid)",
        request=DeclineSerializer,
        responses={200: OfferSerializer, **OFFER_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        offer = self._own_offer(pk)
        payload = DeclineSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.offer_decline(token=offer.token, reason=payload.validated_data.get("reason", ""), actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=offer.pk)).data)


@extend_schema_view(
    list=extend_schema(
        summary="Inzetten",
        description="Voor een poollid de eigen inzetten; voor school en coördinator die bij hun aanvragen.",
        parameters=[AssignmentQuery],
    ),
    retrieve=extend_schema(summary="Eén inzet"),
)
class AssignmentViewSet(
    MemberWorkReadMixin, ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet
):
    serializer_class = AssignmentSerializer
    work_kind = "assignment"
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        queryset = selectors.visible_assignments(user=self.request.user).select_related(
            "request__subject", "request__school_location", "member"
        )
        if self.action == "list":
            query = parse_query(AssignmentQuery, self.request)
            if "status" in query:
                queryset = queryset.filter(status=query["status"])
        return queryset.order_by("-start_date", "-pk")
