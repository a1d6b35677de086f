"""Errors as application/problem+json (RFC 9457) with Dutch titles, per the NL API Design Rules.

Every error the API gives, whether DRF raised it, a service refused a change (Django's
ValidationError) or Django itself answered (see middleware.py), leaves as one shape:
`type`, `title`, `status`, `detail`, `instance`, `code`, and for invalid input `invalidParams`
[{name, code, reason}] with the camelCase names the client sent.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.response import Response

from onderwijsregio.core.errors import DomainError, StaleVersion

PROBLEM_CONTENT_TYPE = "application/problem+json"

# Titles name the kind of problem, not this occurrence (RFC 9457 §3.1.3): `detail` says what happened.
TITLES = {
    400: _("Ongeldige invoer"),
    401: _("Niet ingelogd"),
    403: _("Geen toegang"),
    404: _("Niet gevonden"),
    405: _("Methode niet toegestaan"),
    406: _("Formaat niet beschikbaar"),
    409: _("Conflict"),
    412: _("Gewijzigd door een ander"),
    413: _("Verzoek te groot"),
    414: _("Adres te lang"),
    415: _("Mediatype niet ondersteund"),
    428: _("Voorwaarde vereist"),
    429: _("Te veel verzoeken"),
    500: _("Interne fout"),
    503: _("Dienst niet beschikbaar"),
}

CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    412: "precondition_failed",
    413: "request_too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    428: "precondition_required",
    429: "throttled",
    500: "server_error",
    503: "service_unavailable",
}

# The field name DRF and Django use for errors that belong to no single field.
NON_FIELD_NAME = "nonFieldErrors"


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = _("Stuur de ETag die u bij het ophalen kreeg mee in de header If-Match.")
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = _(
        "Iemand anders heeft dit gegevensobject gewijzigd nadat u het ophaalde. Haal het opnieuw op en probeer het nog eens."
    )
    default_code = "precondition_failed"


class InvalidParams(exceptions.ValidationError):
    """A 400 whose invalidParams are given as they are: names exactly as the client sent them.

    (A ValidationError's names are turned into camelCase, right for serializer fields but wrong for a
    name the API does not know, such as an unknown `page_size`.)
    """

    def __init__(self, params: list[dict[str, str]]) -> None:
        super().__init__({param["name"]: [param["reason"]] for param in params})
        self.params = params


class DomainProblem(exceptions.APIException):
    """A service's DomainError with a status other than 400, answered with the error's own code."""

    def __init__(self, detail: str, *, status_code: int, code: str) -> None:
        self.status_code = status_code
        super().__init__(detail=detail, code=code)


def problem_type(code: str) -> str:
    """A stable URI per kind of problem; the list is in docs/api.md."""
    return f"urn:onderwijsregio:problem:{code}"


def title_for(status_code: int) -> str:
    if status_code in TITLES:
        return str(TITLES[status_code])
    return str(TITLES[500] if status_code >= 500 else TITLES[400])


def problem_body(
    *,
    status_code: int,
    detail: str,
    instance: str,
    code: str | None = None,
    invalid_params: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    code = code or CODES.get(status_code, "error")
    body: dict[str, Any] = {
        "type": problem_type(code),
        "title": title_for(status_code),
        "status": status_code,
        "detail": str(detail),
        "instance": instance,
        "code": code,
    }
    if invalid_params is not None:
        body["invalidParams"] = invalid_params
    return body


def problem_json_response(request: HttpRequest, status_code: int, detail: str, code: str | None = None) -> JsonResponse:
    """A problem for Django-level errors, outside DRF's views (catch-all 404, 500, middleware)."""
    body = problem_body(status_code=status_code, detail=detail, instance=request.get_full_path(), code=code)
    return JsonResponse(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def camel(name: str) -> str:
    """snake_case → camelCase, for names that come from models and services."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """Nested DRF error details → a flat list with dotted names (`items.0.name`)."""
    if isinstance(detail, dict):
        params: list[dict[str, str]] = []
        for key, value in detail.items():
            name = NON_FIELD_NAME if key in ("non_field_errors", "__all__") else camel(str(key))
            params.extend(_flatten(value, f"{prefix}.{name}" if prefix else name))
        return params
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return [_param(prefix or NON_FIELD_NAME, item) for item in detail]
        params = []
        for index, item in enumerate(detail):
            params.extend(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return params
    return [_param(prefix or NON_FIELD_NAME, detail)]


def _param(name: str, error: Any) -> dict[str, str]:
    return {"name": name, "code": str(getattr(error, "code", None) or "invalid"), "reason": str(error)}


def invalid_params_from(detail: Any) -> list[dict[str, str]]:
    return _flatten(detail)


def _django_validation_detail(exc: DjangoValidationError) -> Any:
    if hasattr(exc, "error_dict"):
        return {
            field: [
                exceptions.ErrorDetail(message, code=error.code or "invalid") for error in errors for message in error
            ]
            for field, errors in exc.error_dict.items()
        }
    return [
        exceptions.ErrorDetail(message, code=error.code or "invalid") for error in exc.error_list for message in error
    ]


def problem_exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every error a view raises becomes a problem+json response."""
    if isinstance(exc, StaleVersion):
        # One stale-version error for every service: the client read an older version (If-Match).
        exc = PreconditionFailed()
    elif isinstance(exc, DomainError) and exc.http_status != 400:
        # A refusal that is not about the input (an offer already answered): its own status and code.
        exc = DomainProblem(" ".join(exc.messages), status_code=exc.http_status, code=exc.error_code)
    elif isinstance(exc, DjangoValidationError):
        # Services validate with full_clean() and raise Django's error (or a DomainError with a stable
        # code); it is the client's input, and each invalidParams entry carries the error's code.
        exc = exceptions.ValidationError(_django_validation_detail(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        # Unexpected errors go on to Django, which logs them; the middleware shapes the 500.
        return None

    request = context.get("request")
    instance = request.get_full_path() if request is not None else ""
    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))

    status_code = exc.status_code
    if isinstance(exc, InvalidParams):
        body = problem_body(
            status_code=status_code,
            detail=str(_("De invoer is niet geldig; zie invalidParams.")),
            instance=instance,
            invalid_params=exc.params,
        )
    elif isinstance(exc, exceptions.ParseError):
        # A body that is no JSON at all: the same shape as any other 400, with the whole body as
        # the one invalid parameter, so a client needs a single code path for bad input.
        body = problem_body(
            status_code=status_code,
            detail=str(_("De body van het verzoek is geen geldige JSON; zie invalidParams.")),
            instance=instance,
            code=exc.default_code,
            invalid_params=[{"name": "body", "code": exc.default_code, "reason": str(exc.detail)}],
        )
    elif isinstance(exc, exceptions.ValidationError):
        body = problem_body(
            status_code=status_code,
            detail=str(_("De invoer is niet geldig; zie invalidParams.")),
            instance=instance,
            invalid_params=invalid_params_from(exc.detail),
        )
    else:
        detail = exc.detail if not isinstance(exc.detail, (list, dict)) else exc.default_detail
        code = getattr(detail, "code", None) or exc.default_code
        body = problem_body(status_code=status_code, detail=str(detail), instance=instance, code=code)
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)
