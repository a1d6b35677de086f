"""What limits the size of an upload, and that the operator guide says so (issue 10).

The guide said Django refuses request bodies over 20 MB (DATA_UPLOAD_MAX_MEMORY_SIZE). It does not:
that setting leaves uploaded files out, so Django reads (and spools to a temporary file) a file of
any size, even for an anonymous POST, whose CSRF check parses the body first. The forms refuse a
file that is too large only after it has arrived; the reverse proxy's body limit is the only cap.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from onderwijsregio.accounts.models import Role
from onderwijsregio.accounts.tests.factories import MembershipFactory
from onderwijsregio.loket.services import DOCUMENT_MAX_BYTES
from onderwijsregio.organisations.forms import MAX_UPLOAD_BYTES as DUO_MAX_BYTES
from onderwijsregio.organisations.tests.factories import RegionFactory
from onderwijsregio.workforce.importers import MAX_BYTES as SNAPSHOT_MAX_BYTES

pytestmark = pytest.mark.django_db
GUIDE = Path(__file__).resolve().parents[1] / "docs" / "operator-guide.md"
MB = 1024 * 1024


def test_django_reads_an_uploaded_file_larger_than_data_upload_max_memory_size(client):
    """The form, not Django, refuses the file: so the body was read whole, past the 20 MB setting."""
    team = MembershipFactory(organisation=RegionFactory(), role=Role.REGIONAL_TEAM).user
    client.force_login(team)
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + MB
    big = SimpleUploadedFile("duo.csv", b"a;b\n" * (size // 4), content_type="text/csv")

    response = client.post(reverse("organisations:import"), {"files": [big]})

    assert response.status_code == 200
    assert "groter dan 20 MB" in response.content.decode()


def _upload_section() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index("### Upload limits")
    return text[start : text.index("\n#", start + 1)]


def test_the_operator_guide_names_the_limits_that_exist():
    section = _upload_section()
    # No claim that Django caps uploads: it does not.
    assert not re.search(r"Django refuses bodies", section)
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE" in section and "not counted" in section
    assert f"FILE_UPLOAD_MAX_MEMORY_SIZE` ({settings.FILE_UPLOAD_MAX_MEMORY_SIZE // MB} MB)" in section
    for label, limit in (("DUO", DUO_MAX_BYTES), ("snapshot", SNAPSHOT_MAX_BYTES), ("document", DOCUMENT_MAX_BYTES)):
        line = next(line for line in section.splitlines() if label in line and " MB" in line)
        assert f"{limit // MB} MB" in line, (label, line)
    # The proxy's limit is the only cap on a request, and must let the largest single file through with
    # the multipart overhead around it.
    proxy = int(re.search(r"client_max_body_size (\d+)m", section).group(1))
    assert proxy * MB > max(DUO_MAX_BYTES, SNAPSHOT_MAX_BYTES, DOCUMENT_MAX_BYTES)
