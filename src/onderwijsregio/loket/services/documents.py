"""Documents on a candidate's record (CV, diploma): checked by their first bytes, at most 10 MB."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from onderwijsregio.core.errors import DomainError, actor_or_none
from onderwijsregio.core.services import audit_record

from .. import audit
from ..models import (
    Candidate,
    Document,
    EventKind,
)
from .common import _event

DOCUMENT_TYPES = {
    "application/pdf": b"%PDF",
    "image/png": b"\x89PNG",
    "image/jpeg": b"\xff\xd8\xff",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": b"PK\x03\x04",
}


DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def document_add(*, candidate: Candidate, kind: str, uploaded_file: UploadedFile, actor: Any) -> Document:
    """Store a CV, diploma or similar: only PDF, Word (docx), PNG or JPEG, at most 10 MB."""
    if kind not in Document.Kind.values:
        raise DomainError({"kind": _("Kies het soort document.")}, code="document_kind_unknown")
    if uploaded_file.size > DOCUMENT_MAX_BYTES:
        raise DomainError({"file": _("Het bestand is groter dan 10 MB.")}, code="document_too_large")
    if uploaded_file.size == 0:
        raise DomainError({"file": _("Het bestand is leeg.")}, code="document_empty")
    head = uploaded_file.read(8)
    uploaded_file.seek(0)
    content_type = next((ct for ct, magic in DOCUMENT_TYPES.items() if head.startswith(magic)), None)
    if content_type is None:
        raise DomainError(
            {"file": _("Alleen PDF, Word (.docx), PNG of JPEG is toegestaan.")}, code="document_type_refused"
        )
    document = Document(
        candidate=candidate,
        kind=kind,
        file=uploaded_file,
        original_name=str(uploaded_file.name)[:255],
        content_type=content_type,
        size=uploaded_file.size,
        uploaded_by=actor_or_none(actor),
    )
    document.save()
    _event(candidate, EventKind.DOCUMENT, actor, details={"document": document.pk, "kind": kind})
    audit_record(actor=actor, action=audit.CANDIDATE_DOCUMENT_ADDED, obj=candidate, organisation_id=candidate.region_id)
    return document
