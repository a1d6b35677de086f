"""Documents on a candidate's record (CV, diploma): checked by their content, at most 10 MB.

The type is taken from the content (first bytes; for Word also the parts inside the zip), and the name
follows the type: an extension that says otherwise (`cv.html` with PDF bytes, `shell.php`) is refused,
and the stored name and the file on disk get the extension of the checked type, so a download is never
opened as anything else.
"""

from __future__ import annotations

import os
import re
import zipfile
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


WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The extensions a file of each type may have; the first is the one it is stored and downloaded with.
DOCUMENT_EXTENSIONS = {
    "application/pdf": ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
}

TYPE_LABELS = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (.docx)",
}

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024

# A Word document is a zip with these parts; any other zip (a .jar, a zipped script) is not one.
_DOCX_PARTS = ("[Content_Types].xml", "word/document.xml")


def _is_docx(uploaded_file: UploadedFile) -> bool:
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        uploaded_file.seek(0)
    return all(part in names for part in _DOCX_PARTS)


def _content_type(uploaded_file: UploadedFile) -> str | None:
    head = uploaded_file.read(8)
    uploaded_file.seek(0)
    content_type = next((ct for ct, magic in DOCUMENT_TYPES.items() if head.startswith(magic)), None)
    if content_type == WORD and not _is_docx(uploaded_file):
        return None
    return content_type


def safe_document_name(name: str, content_type: str) -> str:
    """A file name to store and download with: no path, no control or quote characters, the type's extension.

    Also used for documents stored before names followed their type, so their download is safe too.
    """
    allowed = DOCUMENT_EXTENSIONS.get(content_type, ("bin",))
    base = os.path.basename(str(name).replace("\\", "/"))
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    extension = extension.lower() if extension.lower() in allowed else allowed[0]
    # Keep letters (also accented ones), digits, spaces and a few marks; everything else becomes "_".
    stem = re.sub(r"[^\w .()-]+", "_", stem).strip(" ._") or "document"
    return f"{stem[:200]}.{extension}"


@transaction.atomic
def document_add(*, candidate: Candidate, kind: str, uploaded_file: UploadedFile, actor: Any) -> Document:
    """Store a CV, diploma or similar: only PDF, Word (docx), PNG or JPEG, at most 10 MB."""
    if kind not in Document.Kind.values:
        raise DomainError({"kind": _("Kies het soort document.")}, code="document_kind_unknown")
    if uploaded_file.size > DOCUMENT_MAX_BYTES:
        raise DomainError({"file": _("Het bestand is groter dan 10 MB.")}, code="document_too_large")
    if uploaded_file.size == 0:
        raise DomainError({"file": _("Het bestand is leeg.")}, code="document_empty")
    content_type = _content_type(uploaded_file)
    if content_type is None:
        raise DomainError(
            {"file": _("Alleen PDF, Word (.docx), PNG of JPEG is toegestaan.")}, code="document_type_refused"
        )
    base = os.path.basename(str(uploaded_file.name).replace("\\", "/"))
    _stem, dot, extension = base.rpartition(".")
    if dot and extension.lower() not in DOCUMENT_EXTENSIONS[content_type]:
        # The content is fine but the name says otherwise (cv.html, shell.php): a program would open it as that.
        raise DomainError(
            {
                "file": _("De bestandsnaam eindigt op .%(extension)s, maar het bestand is een %(type)s.")
                % {"extension": extension.lower()[:20], "type": TYPE_LABELS[content_type]}
            },
            code="document_extension_mismatch",
        )
    name = safe_document_name(base, content_type)
    # The path on disk stays random (models.candidate_document_path) but ends in the checked type's extension.
    uploaded_file.name = name
    document = Document(
        candidate=candidate,
        kind=kind,
        file=uploaded_file,
        original_name=name,
        content_type=content_type,
        size=uploaded_file.size,
        uploaded_by=actor_or_none(actor),
    )
    document.save()
    _event(candidate, EventKind.DOCUMENT, actor, details={"document": document.pk, "kind": kind})
    audit_record(actor=actor, action=audit.CANDIDATE_DOCUMENT_ADDED, obj=candidate, organisation_id=candidate.region_id)
    return document
