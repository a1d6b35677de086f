"""Pages of the kernel: home, about, accessibility, job progress and its permission, error pages."""

import re

import pytest
from django.urls import reverse

from onderwijsregio.accounts.tests.factories import MembershipFactory, UserFactory
from onderwijsregio.core.models import Job
from onderwijsregio.core.services import job_create, job_fail, job_progress, job_start

pytestmark = pytest.mark.django_db


def test_home_for_anonymous_links_to_login(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert reverse("account_login") in response.content.decode()


def test_home_for_logged_in_user_lists_active_memberships_only(client):
    membership = MembershipFactory()
    ended = MembershipFactory(user=membership.user)
    ended.ended_at = ended.created_at
    ended.save()
    client.force_login(membership.user)
    html = client.get(reverse("core:home")).content.decode()
    assert membership.organisation.name in html
    assert ended.organisation.name not in html


def test_base_layout_has_skip_link_landmarks_and_language(client):
    html = client.get(reverse("core:about")).content.decode()
    assert '<html lang="nl">' in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert "<nav" in html and "<footer" in html and "<header" in html
    assert reverse("core:accessibility") in html


def test_templates_have_no_inline_scripts_or_styles(client):
    """The content security policy allows neither, so none may appear."""
    user = MembershipFactory().user
    client.force_login(user)
    for name in ["core:home", "core:about", "core:accessibility", "accounts:my_account", "accounts:people"]:
        html = client.get(reverse(name)).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), name
        assert " style=" not in html and "<style" not in html, name


def test_language_switch_renders_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("core:about")})
    assert response.status_code == 302
    html = client.get(reverse("core:about")).content.decode()
    assert '<html lang="en">' in html


def test_about_page_credits_geonames_as_required():
    from django.test import Client

    html = Client().get(reverse("core:about")).content.decode()
    assert "Postcode centroids © GeoNames (geonames.org), CC BY 4.0" in html
    assert "EUPL-1.2" in html and "CC0" in html


def _failed_job(user):
    job = job_create(kind="duo_import", label="DUO-import", created_by=user)
    job_start(job_id=job.pk, total=10)
    job_progress(job_id=job.pk, done=4)
    job_fail(
        job_id=job.pk,
        message="2 regels afgekeurd",
        result={"errors": [{"line": 3, "reason": "Onbekende gemeente"}, {"line": 7, "reason": "Geen BRIN"}]},
    )
    return Job.objects.get(pk=job.pk)


def test_job_detail_lists_rejected_rows_for_its_starter(client):
    user = UserFactory()
    job = _failed_job(user)
    client.force_login(user)
    html = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert "Onbekende gemeente" in html and "Geen BRIN" in html
    # A finished job stops polling.
    assert "hx-trigger" not in html


def test_job_of_someone_else_is_not_found(client):
    job = _failed_job(UserFactory())
    client.force_login(UserFactory())
    assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("core:job_progress", args=[job.pk])).status_code == 404


def test_running_job_fragment_polls_and_offers_refresh_without_js(client):
    user = UserFactory()
    job = job_create(kind="duo_import", label="DUO-import", created_by=user)
    job_start(job_id=job.pk, total=200)
    job_progress(job_id=job.pk, done=50)
    client.force_login(user)
    html = client.get(reverse("core:job_progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert reverse("core:job_progress", args=[job.pk]) in html
    assert 'value="25"' in html and "25%" in html
    assert reverse("core:job_detail", args=[job.pk]) in html  # the "Vernieuwen" link


def test_finished_job_makes_htmx_reload_the_whole_page(client):
    user = UserFactory()
    job = job_create(kind="duo_import", label="DUO-import", created_by=user)
    job_start(job_id=job.pk, total=10)
    client.force_login(user)
    url = reverse("core:job_progress", args=[job.pk])
    assert "HX-Refresh" not in client.get(url, HTTP_HX_REQUEST="true").headers
    job_fail(job_id=job.pk, message="1 regel afgekeurd", result={"errors": [{"line": 2, "reason": "x"}]})
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.headers["HX-Refresh"] == "true"
    assert 'hx-trigger="every 1s"' not in response.content.decode()


def test_unknown_page_uses_house_404(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()
