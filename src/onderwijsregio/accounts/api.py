"""Accounts, memberships, the audit log and jobs in the API (/api/v1/).

The shared kernel (core) sits below the API layer, so its audit-event and job resources are served
from here, next to the permission rules that decide who sees them. Memberships, audit events and
jobs are visible only where accounts.permissions allows, and an object a user may not see answers
404, never 403, so its existence stays hidden.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet, ReadOnlyModelViewSet

from onderwijsregio.api.base import ApiViewMixin, HasGlobalPerm
from onderwijsregio.api.filters import IdField, parse_query
from onderwijsregio.api.schema import problem
from onderwijsregio.core.models import AuditEvent, Job
from onderwijsregio.organisations.api import OrganisationRefSerializer
from onderwijsregio.organisations.models import Organisation, SchoolLocation

from .models import Membership, Role
from .permissions import visible_audit_events_q
from .selectors import people_viewed_record, user_by_email, visible_memberships
from .services import membership_create, membership_end


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    fullName = serializers.CharField(source="full_name")


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


# --- query parameters ---------------------------------------------------------------------


class MembershipQuery(serializers.Serializer):
    organisation = IdField(required=False, help_text="Id van de organisatie.")
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    active = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="`true`: alleen lopende, `false`: alleen beëindigde."
    )


class AuditEventQuery(serializers.Serializer):
    action = serializers.CharField(required=False, help_text="Bijvoorbeeld `organisation.updated`.")
    personalDataRead = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Alleen (`true`) of zonder (`false`) inzage."
    )
    organisation = IdField(required=False, help_text="Id van de organisatie.")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateTimeField(required=False, help_text="Vanaf dit tijdstip (ISO 8601).")
        fields["to"] = serializers.DateTimeField(required=False, help_text="Tot dit tijdstip (ISO 8601).")
        return fields

    def validate(self, attrs):
        if attrs.get("from") and attrs.get("to") and attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"to": gettext_lazy("`to` ligt vóór `from`.")}, code="to_before_from")
        return attrs


class CanReadAuditLog(HasGlobalPerm):
    perm = "core.view_auditevent"


# --- accounts ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Lidmaatschappen",
        description=(
            "Wie welke rol heeft bij welke organisatie: alleen van organisaties waarvan u de accounts beheert. "
            "Het inzien van lidmaatschappen van anderen wordt in de auditlog vastgelegd."
        ),
        parameters=[MembershipQuery],
    ),
    retrieve=extend_schema(summary="Eén lidmaatschap"),
    create=extend_schema(
        summary="Lidmaatschap toekennen",
        request=MembershipCreateSerializer,
        responses={201: MembershipSerializer},
    ),
    destroy=extend_schema(
        summary="Lidmaatschap beëindigen",
        description=(
            "Het lidmaatschap blijft bewaard met een einddatum. Uw eigen laatste lidmaatschap beëindigt u niet: "
            "dat geeft 409 (`last_own_membership`)."
        ),
        responses={
            204: OpenApiResponse(description="Beëindigd."),
            (409, "application/problem+json"): problem("Uw eigen laatste lidmaatschap"),
        },
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
    serializer_class = MembershipSerializer

    def get_queryset(self):
        queryset = visible_memberships(user=self.request.user, include_ended=True).order_by(
            "organisation__name", "role", "id"
        )
        if self.action != "list":
            return queryset
        query = parse_query(MembershipQuery, self.request)
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
        payload = MembershipCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if not request.user.has_perm("accounts.manage_memberships", data["organisation"]):
            raise exceptions.PermissionDenied(_("U beheert de accounts van deze organisatie niet."))
        user = user_by_email(email=data["email"])
        if user is None:
            raise exceptions.ValidationError(
                {"email": _("Er is geen account met dit e-mailadres.")}, code="unknown_account"
            )
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
        responses={200: CurrentUserSerializer},
    )
    def get(self, request):
        return Response(CurrentUserSerializer(request.user).data)


# --- core -------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Auditlog",
        description="Alleen voor wie de auditlog mag lezen, en alleen gebeurtenissen van organisaties die u ziet.",
        parameters=[AuditEventQuery],
    ),
    retrieve=extend_schema(summary="Eén auditgebeurtenis"),
)
class AuditEventViewSet(ApiViewMixin, ReadOnlyModelViewSet):
    serializer_class = AuditEventSerializer
    permission_classes = [CanReadAuditLog]

    def get_queryset(self):
        queryset = AuditEvent.objects.filter(visible_audit_events_q(self.request.user)).order_by("-created_at", "-id")
        if self.action != "list":
            return queryset
        query = parse_query(AuditEventQuery, self.request)
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
    serializer_class = JobSerializer
    queryset = Job.objects.all()

    def get_object(self):
        # DRF's get_object_or_404 also answers 404 (not 400) for an id that is no UUID.
        job = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if not self.request.user.has_perm("core.view_job", job):
            raise exceptions.NotFound()
        return job
