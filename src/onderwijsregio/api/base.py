"""What every API view shares: authentication, the default permission, JSON only, the schema class."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated

from .problems import problem_json_response
from .schema import ApiAutoSchema


class ApiViewMixin:
    # Token first: its WWW-Authenticate header is what turns "not logged in" into a 401 instead of a 403.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    schema = ApiAutoSchema()


class HasGlobalPerm(IsAuthenticated):
    """A django-rules permission without an object, such as "may read the audit log at all"."""

    perm = ""

    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.user.has_perm(self.perm)


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Every /api/v1/ path no route matched, with or without a trailing slash (ADR: no redirects)."""
    return problem_json_response(request, 404, _("Dit adres bestaat niet in de API."))
