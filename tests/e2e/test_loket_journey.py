"""The candidate journey end to end, in a real browser: public registration, intake and advice,
warm handover to a school, acceptance, start of training and induction, and a trajectory that
ends with a reason; the funnel shows both. Every page visited is checked with axe-core.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


def _register(page, region_slug: str, subject_pk: int, *, first_name: str, email: str) -> None:
    page.goto(f"/loket?regio={region_slug}")
    assert_accessible(page, "loket home")
    page.click("text=Aanmelden bij het onderwijsloket")
    page.wait_for_load_state()
    assert_accessible(page, "registration form")

    # An empty form first: the error summary and the messages must be accessible too.
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#error-summary").is_visible()
    assert "Vul uw voornaam in." in page.locator("#error-summary").inner_text()
    assert_accessible(page, "registration form with errors")

    page.fill("#id_first_name", first_name)
    page.fill("#id_last_name", "Journey")
    page.fill("#id_email", email)
    page.fill("#id_postcode", "3811 ab")
    page.check("input[name=target_group][value=side_entrant]")
    page.select_option("#id_education_level", "wo_master")
    page.fill("#id_education_field", "Technische wiskunde")
    page.click("summary:has-text('Schoolvakken kiezen waaraan')")
    page.check(f"input[name=related_subjects][value='{subject_pk}']")
    page.select_option("#id_dutch_level", "native")
    page.check("input[name=target_sectors][value=VO]")
    page.click("summary:has-text('Vakken kiezen die u wilt geven')")
    page.check(f"input[name=target_subjects][value='{subject_pk}']")
    page.fill("#id_hours_available", "32")
    page.check("input[name=has_job_offer][value=ja]")
    page.check("input[name=enrolled_teacher_training_recently][value=nee]")
    page.check("input[name=consent_share_boards][value=ja]")
    page.check("input[name=consent_share_institutes][value=nee]")
    page.check("input[name=consent_share_other_region][value=nee]")
    page.check("input[name=consent_retain_one_year][value=ja]")
    # The honeypot is there for bots, but a person cannot see it: its wrapper is clipped to 1 pixel.
    honeypot_box = page.locator("div[aria-hidden=true]:has(#id_website)").bounding_box()
    assert honeypot_box["width"] <= 1 and honeypot_box["height"] <= 1
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "Bedankt voor uw aanmelding" in page.locator("h1").inner_text()
    assert "Kopopleiding" in page.locator("main").inner_text()
    assert_accessible(page, "registered")


def _move(page, stage: str) -> None:
    page.select_option("select[name$='-to_stage']", stage)
    page.click("button:has-text('Fase opslaan')")
    page.wait_for_load_state()
    assert_accessible(page, f"candidate after moving to {stage}")


def test_candidate_journey_from_public_form_to_induction_and_the_funnel(world, new_page, run_worker):
    from onderwijsregio.loket.models import Candidate, ExitReason, Handover, Stage
    from onderwijsregio.organisations.models import Subject

    maths = Subject.objects.create(code="wi", name="wiskunde", in_vmbo=True, in_lower_havo_vwo=True)
    # Transactional tests empty the tables migrations filled; the managed list is needed here.
    reason, _created = ExitReason.objects.get_or_create(
        code="other-job", defaults={"label": "Andere baan buiten het onderwijs gekozen"}
    )

    # (a) A candidate registers through the public form.
    candidate_page = new_page()
    _register(candidate_page, world.region.slug, maths.pk, first_name="Sanne", email="sanne@example.nl")
    candidate = Candidate.objects.get(email="sanne@example.nl")
    trajectory = candidate.trajectories.get()
    assert candidate.advice["routes"]
    run_worker()
    assert any(message.to == ["sanne@example.nl"] for message in mail.outbox)

    # The coordinator opens the record, marks intake done and advised, and hands over to a school.
    team = new_page()
    log_in(team, world.team.email)
    team.goto("/loket/kandidaten")
    assert_accessible(team, "working list")
    team.click(f"a:has-text('{candidate.full_name}')")
    team.wait_for_load_state()
    assert "Sanne Journey" in team.locator("h1").inner_text()
    assert_accessible(team, "candidate detail")
    _move(team, Stage.INTAKE_DONE)
    _move(team, Stage.ADVISED)

    team.goto(f"/loket/kandidaten/{candidate.pk}/overdragen")
    assert_accessible(team, "handover form")
    team.select_option("select[name=receiver]", str(world.board_a.pk))
    team.select_option("select[name=school_location]", str(world.school_location.pk))
    team.select_option("select[name=trajectory]", str(trajectory.pk))
    for part in ("contact", "background", "wishes", "advice"):
        team.check(f"input[name=shared_parts][value={part}]")
    team.fill("textarea[name=message]", "Sterke kandidaat voor wiskunde in de onderbouw.")
    team.click("main button:has-text('Overdragen')")
    team.wait_for_load_state()
    assert_accessible(team, "candidate after handover")
    handover = Handover.objects.get(candidate=candidate)
    assert handover.status == Handover.Status.PENDING

    # Board HR accepts in the inbox.
    hr = new_page()
    log_in(hr, world.hr_a.email)
    hr.goto("/loket/inbox")
    assert_accessible(hr, "inbox")
    hr.click(f"a:has-text('{candidate.full_name}')")
    hr.wait_for_load_state()
    assert "Sterke kandidaat voor wiskunde" in hr.locator("main").inner_text()
    assert_accessible(hr, "handover detail")
    hr.click("button[name=decision][value=accept]")
    hr.wait_for_load_state()
    assert_accessible(hr, "after accepting")
    handover.refresh_from_db()
    trajectory.refresh_from_db()
    assert handover.status == Handover.Status.ACCEPTED
    assert (trajectory.board, trajectory.school_location) == (world.board_a, world.school_location)

    # The coordinator moves the journey to started and induction.
    team.goto(f"/loket/kandidaten/{candidate.pk}")
    _move(team, Stage.STARTED)
    _move(team, Stage.INDUCTION)
    trajectory.refresh_from_db()
    assert trajectory.stage == Stage.INDUCTION

    # The candidate logs in with an emailed code and sees where they stand.
    candidate_page.goto("/loket/inloggen")
    assert_accessible(candidate_page, "candidate login")
    candidate_page.fill("#id_email", "sanne@example.nl")
    candidate_page.click("main button[type=submit]")
    candidate_page.wait_for_load_state()
    assert_accessible(candidate_page, "candidate login code")
    run_worker()
    code = re.search(r"^\s+(\d{6})\s*$", mail.outbox[-1].body, re.MULTILINE).group(1)
    candidate_page.fill("#id_code", code)
    candidate_page.click("main button[type=submit]")
    candidate_page.wait_for_load_state()
    record = candidate_page.locator("main").inner_text()
    assert "Inductie" in record and "Stichting Voorbeeld A" in record
    assert_accessible(candidate_page, "my record")

    # (b) Another trajectory ends with a reason.
    _register(new_page(), world.region.slug, maths.pk, first_name="Ruben", email="ruben@example.nl")
    other = Candidate.objects.get(email="ruben@example.nl")
    team.goto(f"/loket/kandidaten/{other.pk}")
    team.select_option("select[name$='-exit_reason']", str(reason.pk))
    team.fill("textarea[name^='einde-'][name$='-note']", "Koos voor een baan bij een ingenieursbureau.")
    team.click("button:has-text('Traject beëindigen')")
    team.wait_for_load_state()
    assert_accessible(team, "candidate after ending")
    assert other.trajectories.get().exit_reason == reason

    # The funnel shows both: one trajectory at induction, one exit reason.
    team.goto("/loket/trechter")
    assert_accessible(team, "funnel")
    funnel = team.locator("table:has(#tabel-trechter)")
    induction_row = funnel.locator("tr:has(th:text-is('Inductie'))")
    assert induction_row.locator("td").first.inner_text().strip() == "1"
    reasons = team.locator("table:has(#tabel-redenen)")
    reason_row = reasons.locator("tr:has(th:text-is('Andere baan buiten het onderwijs gekozen'))")
    assert reason_row.locator("td").first.inner_text().strip() == "1"
