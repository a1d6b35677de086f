"""Browser test harness: Debian's Chromium driven by Playwright against pytest-django's live server.

Never downloads a browser: it uses /usr/bin/chromium (scripts/ensure-system-packages.sh installs it).
axe-core (vendored in tests/e2e/vendor, MPL-2.0) checks each page against WCAG 2.1 A and AA.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls that factories make
# in that same thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_PATH = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "correct-horse-battery-staple"  # accounts.tests.factories.TEST_PASSWORD


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-system-packages.sh (installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh browser contexts (own cookies), closed after the test."""
    contexts = []

    def make(*, java_script_enabled: bool = True, viewport=None):
        context = browser.new_context(
            base_url=live_server.url,
            java_script_enabled=java_script_enabled,
            viewport=viewport or {"width": 1280, "height": 900},
            locale="nl-NL",
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


def log_in(page, email: str, password: str = PASSWORD) -> None:
    """Log in through the real login form, as a person would."""
    page.goto("/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"login failed for {email}"


def switch_language(page, code: str) -> None:
    """Use the language switch in the header (a plain form POST, no JavaScript needed)."""
    if page.locator("html").get_attribute("lang") == code:
        return
    page.click(f"header form button[name=language][value={code}]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == code


_AXE_SOURCE: str | None = None


def axe_violations(page) -> list[dict]:
    # page.add_script_tag inserts an inline <script>, which our content security policy blocks (as
    # it should). Evaluating the source through the DevTools protocol is not subject to the page's
    # CSP, so the policy stays on during the checks instead of being bypassed.
    global _AXE_SOURCE
    if _AXE_SOURCE is None:
        _AXE_SOURCE = AXE_PATH.read_text(encoding="utf-8")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_AXE_SOURCE)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        raise AssertionError("axe-core was not loaded into the page")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return result["violations"]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node.get('failureSummary', '').strip()}")
            lines.append(f"       {node['html'][:200]}")
    return "\n".join(lines)


def assert_accessible(page, label: str = "") -> None:
    violations = axe_violations(page)
    assert not violations, f"axe-core found WCAG 2.1 A/AA violations on {label or page.url}:\n" + format_violations(
        violations
    )


@dataclass
class World:
    """The data of the browser tests, made with the factories."""

    region: object
    board_a: object
    board_b: object
    school_location: object
    team: object
    hr_a: object
    membership_a: object
    job: object
    candidate: object = None
    candidate_user: object = None

    def user(self, who: str):
        return {"team": self.team, "hr_a": self.hr_a, "candidate": self.candidate_user}[who]


@pytest.fixture
def world(transactional_db):
    from onderwijsregio.accounts.models import Role
    from onderwijsregio.accounts.tests.factories import MembershipFactory, UserFactory
    from onderwijsregio.core.services import audit_record, job_create, job_fail, job_start
    from onderwijsregio.organisations.tests.factories import (
        BoardFactory,
        PupilCountFactory,
        RegionFactory,
        RegionMemberFactory,
        RegionSchoolLocationFactory,
        SchoolLocationFactory,
    )

    region = RegionFactory(name="Onderwijsregio Eemland (demo)", slug="eemland-demo")
    board_a = BoardFactory(name="Stichting Voorbeeld A")
    board_b = BoardFactory(name="Stichting Voorbeeld B")
    for board in (board_a, board_b):
        RegionMemberFactory(region=region, member=board)
    location = SchoolLocationFactory(board=board_a, name="Voorbeeldcollege Eemland")
    RegionSchoolLocationFactory(region=region, school_location=location)
    PupilCountFactory(school_location=location, year=2024, count=480)
    PupilCountFactory(school_location=location, year=2025, count=512)

    team = UserFactory(email="team@example.nl", full_name="Rita Regioteam", is_staff=True)
    MembershipFactory(user=team, organisation=region, role=Role.REGIONAL_TEAM)
    hr_a = UserFactory(email="hr-a@example.nl", full_name="Hanna HR")
    membership_a = MembershipFactory(user=hr_a, organisation=board_a, role=Role.BOARD_HR)
    MembershipFactory(organisation=board_a, role=Role.SCHOOL_LEADER, school_location=location)
    MembershipFactory(organisation=board_b, role=Role.BOARD_HR)

    job = job_create(kind="duo_import", label="DUO-import vestigingen", created_by=team, organisation_id=region.pk)
    job_start(job_id=job.pk, total=120)
    job_fail(
        job_id=job.pk,
        message="2 regels afgekeurd; er is niets opgeslagen.",
        result={"errors": [{"line": 14, "reason": "Onbekende gemeentecode 9999"}, {"line": 52, "reason": "Leeg BRIN"}]},
    )
    audit_record(actor=team, action="organisation.updated", obj=board_a, organisation_id=board_a.pk)
    audit_record(
        actor=team, action="people.viewed", organisation_id=board_a.pk, personal_data_read=True, object_repr="x"
    )
    # A candidate the desk handed to board A, who also logs in to see their own record.
    from onderwijsregio.loket import services as loket_services
    from onderwijsregio.loket.models import ConsentPurpose, SharedPart, Stage

    candidate = loket_services.candidate_register(
        region=region,
        data={
            "first_name": "Karin",
            "last_name": "Kandidaat (fictief)",
            "email": "karin@example.nl",
            "postcode": "3811 AB",
            "target_group": "side_entrant",
            "education_level": "wo_master",
            "education_field": "Wiskunde",
            "dutch_level": "native",
            "target_sectors": ["VO"],
        },
        consents={ConsentPurpose.SHARE_BOARDS: True},
        send_email=False,
    )
    trajectory = candidate.trajectories.get()
    loket_services.trajectory_move(trajectory=trajectory, to_stage=Stage.INTAKE_DONE, actor=team)
    handover = loket_services.handover_create(
        candidate=candidate, receiver=board_a, shared_parts=list(SharedPart.values), trajectory=trajectory, actor=team
    )
    loket_services.handover_decide(handover=handover, accept=True, actor=hr_a)
    candidate_user = loket_services.candidate_login_account(candidate=candidate)
    candidate_user.set_password(PASSWORD)
    candidate_user.save()
    # The root conftest lets pytest-django empty the append-only audit log after this test.
    return World(region, board_a, board_b, location, team, hr_a, membership_a, job, candidate, candidate_user)
