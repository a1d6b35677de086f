"""OpenAPI generation for the API: every operation documents its problem+json errors and headers.

Views use `ApiAutoSchema`, which adds to what drf-spectacular infers:
- the `API-Version` response header on every response (ADR API-57);
- the error responses each operation can give, as the `Problem` / `ValidationProblem` components
  with media type application/problem+json: 401 and 403 everywhere, 404 where the path names an
  object or the list is paged (a page past the last one), 400 where the operation takes query
  parameters or a body;
- 414 everywhere: the web server (runserver, gunicorn, a proxy) refuses a URL that is too long
  before the API sees it, so that answer has no documented body.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from .problems import PROBLEM_CONTENT_TYPE


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Naam van de ongeldige parameter of het ongeldige veld (camelCase).")
    code = serializers.CharField(help_text="Code van de fout, bijvoorbeeld `required` of `invalid`.")
    reason = serializers.CharField(help_text="Uitleg in het Nederlands.")


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField(help_text="URI die het soort probleem aanduidt (zie docs/api.md).")
    title = serializers.CharField(help_text="Korte Nederlandse omschrijving van het soort probleem.")
    status = serializers.IntegerField(help_text="De HTTP-statuscode.")
    detail = serializers.CharField(help_text="Wat er bij dit verzoek misging.")
    instance = serializers.CharField(help_text="Het pad van het verzoek.")
    code = serializers.CharField(help_text="Code van het soort probleem.")


class ValidationProblemSerializer(ProblemSerializer):
    invalidParams = InvalidParamSerializer(many=True)


def problem(description: str, *, validation: bool = False) -> OpenApiResponse:
    return OpenApiResponse(
        response=ValidationProblemSerializer if validation else ProblemSerializer, description=description
    )


API_VERSION_HEADER = ResolvedComponent(
    name="API-Version",
    type=ResolvedComponent.HEADER,
    schema={
        "schema": {"type": "string", "example": "1.0.0"},
        "description": "Volledige versie van de API (NL API Design Rules, API-57).",
    },
    object="API-Version",
)

STANDARD_ERRORS = {
    "400": ("Ongeldige invoer", True),
    "401": ("Niet ingelogd", False),
    "403": ("Geen toegang", False),
    "404": ("Niet gevonden", False),
}
URI_TOO_LONG = ("414", "Adres te lang: de webserver weigert het verzoek voordat de API het ziet.")


class ApiAutoSchema(AutoSchema):
    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        self.registry.register_on_missing(API_VERSION_HEADER)
        return {"API-Version": API_VERSION_HEADER.ref, **headers}

    def _error_codes(self) -> list[str]:
        codes = []
        has_body = self.method in ("POST", "PUT", "PATCH")
        has_query = bool(self._get_filter_parameters() or self._get_pagination_parameters()) or any(
            location == "query" for _name, location in self._process_override_parameters("request")
        )
        if has_body or has_query:
            codes.append("400")
        if not getattr(self.view, "public", False):
            codes += ["401", "403"]
        if "{" in self.path or self._get_pagination_parameters():
            codes.append("404")
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code in responses:
                continue
            description, validation = STANDARD_ERRORS[code]
            responses[code] = self._get_response_for_code(
                problem(description, validation=validation), code, [PROBLEM_CONTENT_TYPE], direction
            )
        code, description = URI_TOO_LONG
        if code not in responses:
            responses[code] = self._get_response_for_code(OpenApiResponse(description=description), code, [], direction)
        return dict(sorted(responses.items()))
