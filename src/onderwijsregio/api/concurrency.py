"""Optimistic locking over HTTP, one scheme for every resource: the ETag is the record's integer `version`.

A GET answers `ETag: "<version>"`; a change sends it back in `If-Match`. The view passes the version to the
service as `expected_version=`, and the service refuses a stale one with `core.errors.StaleVersion`, which
the problem handler answers with 412. No If-Match at all is a 428 where the resource requires it.
"""

from __future__ import annotations

from typing import Any

from django.utils.http import parse_etags
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from .problems import PreconditionFailed, PreconditionRequired
from .schema import problem


def version_etag(record: Any) -> str:
    """The strong ETag of a versioned record."""
    return f'"{record.version}"'


def expected_version(request, *, required: bool = True) -> int | None:
    """The version a client read (If-Match), for the service's `expected_version=`; `*` means any."""
    if_match = request.headers.get("If-Match")
    if not if_match:
        if required:
            raise PreconditionRequired()
        return None
    etags = parse_etags(if_match)
    if "*" in etags:
        return None
    for etag in etags:
        value = etag.strip('"')
        if value.isdigit():
            return int(value)
    raise PreconditionFailed()


def not_modified(request, record: Any) -> bool:
    """True when the client's If-None-Match already names the record's current version."""
    return version_etag(record) in parse_etags(request.headers.get("If-None-Match", ""))


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="De ETag (versie) uit de laatste GET.",
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description="Versie van het object; stuur haar mee in If-Match bij een wijziging.",
)
STALE_ERRORS = {
    (412, "application/problem+json"): problem("Gewijzigd door een ander"),
    (428, "application/problem+json"): problem("Voorwaarde vereist"),
}
