"""Documents: the type is checked from the content, the name follows the type, downloads never render (issue 10)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from onderwijsregio.loket import services
from onderwijsregio.loket.models import Document
from onderwijsregio.loket.tests.test_staff_views import PDF, World, page_text

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("shell.php", "<?php system($_GET['c']); ?>")
    return buffer.getvalue()


@pytest.fixture
def world():
    return World()


def add(world, name: str, content: bytes) -> Document:
    return services.document_add(
        candidate=world.register(), kind="cv", uploaded_file=SimpleUploadedFile(name, content), actor=world.team
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cv.html", PDF),
        ("shell.php", PDF),
        ("cv.pdf.html", PDF),
        ("foto.svg", PNG),
        ("cv.pdf", PNG),
        ("brief.docx", PDF),
        ("archief.docx", zip_bytes()),
        ("shell.php", zip_bytes()),
    ],
)
def test_a_name_or_content_that_is_not_the_allowed_type_is_refused(world, name, content):
    with pytest.raises(ValidationError) as refused:
        add(world, name, content)
    assert refused.value.error_dict["file"][0].code in ("document_extension_mismatch", "document_type_refused")
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "stored_as", "content_type"),
    [
        ("Mijn CV.PDF", PDF, "Mijn CV.pdf", "application/pdf"),
        ("diploma", PDF, "diploma.pdf", "application/pdf"),
        ("pasfoto.jpeg", JPEG, "pasfoto.jpeg", "image/jpeg"),
        ("pasfoto.JPG", JPEG, "pasfoto.jpg", "image/jpeg"),
        ("scan.png", PNG, "scan.png", "image/png"),
        (
            "brief.docx",
            docx_bytes(),
            "brief.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_an_allowed_document_is_stored_under_the_extension_of_its_type(world, name, content, stored_as, content_type):
    document = add(world, name, content)
    assert (document.original_name, document.content_type) == (stored_as, content_type)
    # The file on disk has a random name with the extension of the checked type, never the uploaded one.
    assert document.file.name.endswith("." + stored_as.rsplit(".", 1)[1].lower())
    assert name.split(".")[0] not in document.file.name


def test_the_refusal_is_a_clear_dutch_message_on_the_form(client, world):
    candidate = world.register()
    client.force_login(world.team)
    response = client.post(
        reverse("loket:document_add", args=[candidate.pk]),
        {"document-kind": "cv", "document-file": SimpleUploadedFile("cv.html", PDF)},
    )
    assert response.status_code == 200
    assert "De bestandsnaam eindigt op .html, maar het bestand is een PDF." in page_text(response)
    assert not Document.objects.exists()


def test_download_is_an_attachment_with_a_safe_name_and_nosniff(client, world):
    document = add(world, "Mijn CV.pdf", PDF)
    # A row stored before names followed the type still downloads under the extension of its type.
    Document.objects.filter(pk=document.pk).update(original_name='cv"\r\n<script>.html')
    client.force_login(world.team)
    response = client.get(reverse("loket:document_download", args=[document.candidate_id, document.pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert ".html" not in disposition and "<" not in disposition and "\n" not in disposition
    assert 'filename="cv_script.pdf"' in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
