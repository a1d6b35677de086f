"""The candidate desk in the API, for board systems and the desk's own tools.

Same rules as the pages (loket.permissions): the regional team sees and manages its region's
candidates; a receiver of a handover sees only the candidates handed to it, and of them only the
shared parts. A candidate the user may not see answers 404. Every read of candidates is a
personal-data read in the audit log: one event per request, with the ids. Writes go through
loket.services; a stale write (If-Match) is a 412.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from onderwijsregio.api.base import ApiViewMixin
from onderwijsregio.api.concurrency import ETAG, IF_MATCH, STALE_ERRORS, expected_version, version_etag
from onderwijsregio.api.filters import parse_query
from onderwijsregio.api.schema import problem

from .. import audit, selectors, services
from ..models import Candidate, SharedPart, Trajectory
from ..permissions import visible_trajectories_q
from ..worklist import Viewer, worklist
from .serializers import (
    CONSENT_NAMES,
    CandidateChangeSerializer,
    CandidateQuery,
    CandidateRegisterSerializer,
    CandidateSerializer,
    EventSerializer,
    HandoverDecisionSerializer,
    HandoverQuery,
    HandoverSerializer,
    TrajectoryEndSerializer,
    TrajectoryMoveSerializer,
    TrajectorySerializer,
)


def _with_record(queryset):
    return queryset.select_related("region", "coordinator").prefetch_related(
        "related_subjects", "target_subjects", "documents"
    )


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
        queryset = worklist(viewer=self.viewer, filters=filters).order_by("-created_at", "-pk")
        if "updatedSince" in query:
            queryset = queryset.filter(updated_at__gte=query["updatedSince"])
        return _with_record(queryset)

    def list(self, request, *args, **kwargs):
        self._query = parse_query(CandidateQuery, request)
        page = self.paginate_queryset(self.get_queryset())
        selectors.candidates_read_record(user=request.user, candidates=page, path=request.get_full_path())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _visible(self, pk) -> Candidate:
        return get_object_or_404(self.get_queryset(), pk=pk)

    def retrieve(self, request, *args, **kwargs):
        candidate = self._visible(kwargs["pk"])
        selectors.candidates_read_record(user=request.user, candidates=[candidate], path=request.get_full_path())
        etag = version_etag(candidate)
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
            headers={"ETag": version_etag(candidate)},
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
        services.candidate_update(
            candidate=candidate, actor=request.user, expected_version=version, **payload.service_arguments()
        )
        updated = self._visible(candidate.pk)
        return Response(self.get_serializer(updated).data, headers={"ETag": version_etag(updated)})

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
        return Response(self.get_serializer(trajectory).data, headers={"ETag": version_etag(trajectory)})

    def partial_update(self, request, *args, **kwargs):
        trajectory = self._open(kwargs["pk"])
        if not request.user.has_perm("loket.progress_candidate", trajectory.candidate):
            raise exceptions.PermissionDenied(_("U mag dit traject niet verder zetten."))
        version = expected_version(request)
        payload = TrajectoryMoveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.trajectory_move(
            trajectory=trajectory,
            to_stage=payload.validated_data["stage"],
            note=payload.validated_data.get("note", ""),
            actor=request.user,
            expected_version=version,
        )
        moved = self.get_queryset().get(pk=trajectory.pk)
        return Response(self.get_serializer(moved).data, headers={"ETag": version_etag(moved)})

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
        services.trajectory_end(
            trajectory=trajectory,
            reason=payload.validated_data["exitReason"],
            note=payload.validated_data.get("note", ""),
            actor=request.user,
            expected_version=version,
        )
        ended = self.get_queryset().get(pk=trajectory.pk)
        return Response(self.get_serializer(ended).data, headers={"ETag": version_etag(ended)})


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
            query = parse_query(HandoverQuery, self.request)
            if "status" in query:
                queryset = queryset.filter(status=query["status"])
            return queryset.order_by("status", "-created_at", "-id")
        return queryset

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        selectors.candidates_read_record(
            user=request.user,
            candidates=[handover.candidate for handover in page],
            path=request.get_full_path(),
            action=audit.CANDIDATE_LIST_VIEWED,
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        handover = self.get_object()
        selectors.candidates_read_record(
            user=request.user, candidates=[handover.candidate], path=request.get_full_path()
        )
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
