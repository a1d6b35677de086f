"""Every page, in Dutch and English, opened in Chromium and checked with axe-core (WCAG 2.1 A+AA).

The walk is data: (name, how to build the URL from the test data, who is logged in). Pages of
apps that do not exist yet are skipped until their URL name resolves.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from .conftest import assert_accessible, log_in, switch_language

pytestmark = [pytest.mark.browser]

# (label, url builder taking the World, who logs in: None for anonymous)
PAGES = [
    ("home (anonymous)", lambda w: reverse("core:home"), None),
    ("about", lambda w: reverse("core:about"), None),
    ("accessibility statement", lambda w: reverse("core:accessibility"), None),
    ("login", lambda w: reverse("account_login"), None),
    ("password reset", lambda w: reverse("account_reset_password"), None),
    ("password reset done", lambda w: reverse("account_reset_password_done"), None),
    ("not found", lambda w: "/bestaat-niet", None),
    ("regions", lambda w: reverse("organisations:region_list"), None),
    ("region detail", lambda w: reverse("organisations:region_detail", args=[w.region.slug]), None),
    ("board detail", lambda w: reverse("organisations:board_detail", args=[w.board_a.pk]), None),
    (
        "school location detail",
        lambda w: reverse("organisations:school_location_detail", args=[w.school_location.vestiging_code]),
        None,
    ),
    ("home (dashboard)", lambda w: reverse("core:home"), "team"),
    ("people", lambda w: reverse("accounts:people"), "team"),
    ("organisation people", lambda w: reverse("accounts:organisation_people", args=[w.board_a.pk]), "team"),
    ("add person", lambda w: reverse("accounts:membership_add", args=[w.board_a.pk]), "hr_a"),
    ("end membership", lambda w: reverse("accounts:membership_end", args=[w.membership_a.pk]), "team"),
    ("audit log", lambda w: reverse("accounts:audit_log"), "team"),
    (
        "audit log with filter errors",
        lambda w: reverse("accounts:audit_log") + "?date_from=2025-02-01&date_to=2025-01-01&personal_data_only=on",
        "team",
    ),
    ("no access (403)", lambda w: reverse("accounts:audit_log"), "hr_a_no_audit"),
    ("my account", lambda w: reverse("accounts:my_account"), "hr_a"),
    ("job detail", lambda w: reverse("core:job_detail", args=[w.job.pk]), "team"),
    ("password change", lambda w: reverse("account_change_password"), "hr_a"),
    ("logout confirmation", lambda w: reverse("account_logout"), "hr_a"),
    ("admin index", lambda w: reverse("admin:index"), "team"),
    ("admin organisations", lambda w: reverse("admin:organisations_organisation_changelist"), "team"),
    ("admin audit log", lambda w: reverse("admin:core_auditevent_changelist"), "team"),
    # Route advice (public)
    ("routes explained", lambda w: reverse("routes:route_list"), None),
    ("route detail", lambda w: reverse("routes:route_detail", args=["zij-instroom-vo"]), None),
    ("route check form", lambda w: reverse("routes:check"), None),
    (
        "route check with advice",
        lambda w: (
            reverse("routes:check") + "?education_level=wo_master&target_sector=VO&target_subject=wisB&related=nee"
        ),
        None,
    ),
    (
        "route check with errors",
        lambda w: reverse("routes:check") + "?education_level=&target_sector=VO&related=ja&qualification_subject=wi",
        None,
    ),
    # Candidate desk: public, candidate, staff and receivers
    ("desk home", lambda w: reverse("loket:home"), None),
    ("registration form", lambda w: reverse("loket:register") + f"?regio={w.region.slug}", None),
    ("candidate login", lambda w: reverse("loket:candidate_login"), None),
    ("my record", lambda w: reverse("loket:my_record"), "candidate"),
    ("my record edit", lambda w: reverse("loket:my_record_edit"), "candidate"),
    ("my consents", lambda w: reverse("loket:my_consents"), "candidate"),
    ("delete my account (confirm)", lambda w: reverse("loket:my_delete"), "candidate"),
    ("working list", lambda w: reverse("loket:candidate_list"), "team"),
    ("stage board", lambda w: reverse("loket:board_view"), "team"),
    ("candidate page (desk)", lambda w: reverse("loket:candidate_detail", args=[w.candidate.pk]), "team"),
    ("candidate edit", lambda w: reverse("loket:candidate_edit", args=[w.candidate.pk]), "team"),
    ("erase on request (confirm)", lambda w: reverse("loket:candidate_erase", args=[w.candidate.pk]), "team"),
    ("handover form", lambda w: reverse("loket:handover_create", args=[w.candidate.pk]), "team"),
    ("new trajectory form", lambda w: reverse("loket:trajectory_create", args=[w.candidate.pk]), "team"),
    ("candidate page (board)", lambda w: reverse("loket:candidate_detail", args=[w.candidate.pk]), "hr_a"),
    ("inbox", lambda w: reverse("loket:inbox"), "hr_a"),
    ("funnel", lambda w: reverse("loket:funnel"), "team"),
    ("admin exit reasons", lambda w: reverse("admin:loket_exitreason_changelist"), "team"),
]


def _user_for(world, who):
    if who == "hr_a_no_audit":
        # A pool member has no audit permission: shows the house 403 page.
        from onderwijsregio.accounts.models import Role
        from onderwijsregio.accounts.tests.factories import MembershipFactory, UserFactory

        user = UserFactory(email="pool@example.nl")
        MembershipFactory(user=user, organisation=world.board_a, role=Role.POOL_MEMBER)
        return user
    return world.user(who) if who else None


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(("label", "url_for", "who"), PAGES, ids=[page[0] for page in PAGES])
def test_page_has_no_wcag_violations(new_page, world, label, url_for, who, language):
    url = url_for(world)
    page = new_page()
    user = _user_for(world, who)
    if user is not None:
        log_in(page, user.email)
    else:
        page.goto("/")
    switch_language(page, language)
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == language
    assert page.title(), f"{label} has no title"
    assert_accessible(page, f"{label} [{language}]")


def test_form_with_errors_is_accessible_and_keeps_input(new_page, world):
    page = new_page()
    log_in(page, world.hr_a.email)
    page.goto(reverse("accounts:membership_add", args=[world.board_a.pk]))
    page.fill("#id_email", "geen-email")
    page.fill("#id_full_name", "Getypte Naam")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.input_value("#id_full_name") == "Getypte Naam"
    assert page.get_attribute("#id_email", "aria-invalid") == "true"
    assert page.locator("#error-summary a[href='#id_email']").count() == 1
    assert_accessible(page, "add person with errors")


def test_narrow_screen_is_single_column_and_accessible(new_page, world):
    page = new_page(viewport={"width": 360, "height": 740})
    page.goto(reverse("core:about"))
    # No horizontal scrolling of the page itself at 360px (WCAG 1.4.10 reflow).
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert_accessible(page, "about on a narrow screen")


def test_skip_link_is_first_and_moves_focus_to_main(new_page, world):
    page = new_page()
    page.goto(reverse("core:about"))
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.tagName, document.activeElement.getAttribute('href')]")
    assert focused == ["A", "#main"]
    assert page.evaluate("document.activeElement.getBoundingClientRect().top >= 0"), "skip link not visible on focus"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_main_navigation_marks_the_current_page(new_page, world):
    page = new_page()
    log_in(page, world.team.email)
    page.goto(reverse("accounts:people"))
    current = page.locator("nav.or-nav [aria-current=page]")
    assert current.count() == 1
    assert current.get_attribute("href") == reverse("accounts:people")


def test_without_javascript_login_and_audit_log_filter_work(new_page, world):
    page = new_page(java_script_enabled=False)
    log_in(page, world.team.email)
    page.goto(reverse("accounts:audit_log"))
    page.check("#id_personal_data_only")
    page.click("form.or-filters button[type=submit]")
    page.wait_for_load_state()
    assert "personal_data_only=on" in page.url
    rows = page.locator("main table tbody tr")
    assert rows.count() >= 1
    for text in rows.all_inner_texts():
        assert "people.viewed" in text
    assert page.is_checked("#id_personal_data_only")
    switch_language(page, "en")
    assert page.locator("html").get_attribute("lang") == "en"


def test_running_job_refreshes_itself_with_htmx(new_page, world):
    from onderwijsregio.core.services import job_create, job_progress, job_start

    job = job_create(kind="duo_import", label="Lopende import", created_by=world.team)
    job_start(job_id=job.pk, total=10)
    page = new_page()
    log_in(page, world.team.email)
    page.goto(reverse("core:job_detail", args=[job.pk]))
    assert page.locator("progress").get_attribute("value") == "0"
    job_progress(job_id=job.pk, done=7)
    from playwright.sync_api import expect

    # htmx polls every second and swaps the fragment in; expect() waits for it without eval (CSP).
    expect(page.locator("progress")).to_have_attribute("value", "70")
    assert "70%" in page.locator(".or-progress").inner_text()
