"""The substitute pool's full cycle in a real browser, every page checked with axe-core.

A school leader files a request; the coordinator runs a batch (a background job, run by the real
worker) and confirms it; the member opens the accept link from the offer email and accepts; the
school enters the worked hours and the member confirms them; the coordinator draws up the
settlement and downloads the settlement report and the monitoring report as DOCX and PDF, which
open and hold the figures.
"""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def pool_world(transactional_db):
    from onderwijsregio.pool.tests.workflow_setup import build_world

    # Board A asks, board B supplies; Anna and Bram (board B) teach maths near the school.
    return build_world()


def _download(page, link_text: str) -> bytes:
    with page.expect_download() as info:
        page.click(f"a:has-text('{link_text}')")
    path = info.value.path()
    with open(path, "rb") as handle:
        return handle.read()


def test_request_batch_offer_accept_hours_settlement_report(pool_world, new_page, run_worker):
    from onderwijsregio.core.documents import docx_text, pdf_text
    from onderwijsregio.pool.models import Assignment, Batch, HoursEntry, Offer, SettlementRun

    w = pool_world
    slug = w.pool.slug
    start = w.start  # a Monday two weeks ahead
    end = start + timedelta(days=18)

    # (1) The school leader files a request.
    school = new_page()
    log_in(school, w.leader_a1.email)
    school.goto(f"/invalpool/{slug}/aanvragen/nieuw/")
    assert_accessible(school, "request form")
    school.select_option("#id_subject", str(w.wi.pk))
    school.check("input[name=levels][value=havo_vwo_lower]")
    school.fill("#id_start_date", start.isoformat())
    school.fill("#id_end_date", end.isoformat())
    school.fill("#id_hours_per_week", "8")
    school.check("input[name=day_parts][value='0-0']")
    school.check("input[name=day_parts][value='2-0']")
    school.select_option("#id_reason", "illness")
    school.fill("#id_contact_name", "Jet de Vries")
    school.fill("#id_contact_email", "jet@eemcollege.example.nl")
    school.click("main button[type=submit]")
    school.wait_for_load_state()
    assert re.search(r"/aanvragen/\d+/$", school.url), school.url
    assert "Status: open" in school.locator("main").inner_text()
    assert_accessible(school, "request detail")

    # (2) The coordinator runs a batch; the worker computes it; the coordinator confirms.
    coordinator = new_page()
    log_in(coordinator, w.coordinator.email)
    coordinator.goto(f"/invalpool/{slug}/rondes/")
    assert_accessible(coordinator, "batch list")
    coordinator.click("button:has-text('Nieuwe ronde starten')")
    coordinator.wait_for_load_state()
    run_worker()
    batch = Batch.objects.get()
    assert batch.status == Batch.Status.PROPOSED, batch.notes
    coordinator.reload()
    assert_accessible(coordinator, "batch with proposals")
    mail.outbox.clear()
    coordinator.click("button:has-text('Bevestigen en aanbiedingen versturen')")
    coordinator.wait_for_load_state()
    assert Batch.objects.get().status == Batch.Status.CONFIRMED

    # (3) The worker sends the offer; the member opens the accept link from the email and accepts.
    run_worker()
    offer = Offer.objects.get()
    offer_mail = next(message for message in mail.outbox if offer.member.email in message.to)
    accept_url = re.search(r"https?://\S+/accepteren/", offer_mail.body).group(0)
    member_user = offer.member.user
    member = new_page()
    log_in(member, member_user.email)
    # The email links to the configured site; the browser test runs on its own live server.
    member.goto(urlsplit(accept_url).path)
    assert_accessible(member, "offer accept page")
    member.click("button:has-text('Ja, ik accepteer dit aanbod')")
    member.wait_for_load_state()
    assert "U bent ingezet" in member.locator("body").inner_text()
    assignment = Assignment.objects.get()
    assert assignment.member == offer.member

    # (4) The school enters the hours of the first week; the member confirms them.
    school.goto(f"/invalpool/{slug}/uren/")
    assert_accessible(school, "hours list (school)")
    school.click(f"a[href='/invalpool/{slug}/uren/inzet/{assignment.pk}/']")
    school.wait_for_load_state()
    assert_accessible(school, "hours of the assignment")
    school.select_option("#id_week", start.isoformat())
    school.fill("#id_hours", "13")  # more than 1.5 times 8: a clear error, input kept
    school.click("button:has-text('Uren opslaan')")
    school.wait_for_load_state()
    assert "anderhalf" in school.locator("#error-summary").inner_text()
    assert school.input_value("#id_hours") == "13"
    assert_accessible(school, "hours form with errors")
    school.fill("#id_hours", "7,5")
    school.click("button:has-text('Uren opslaan')")
    school.wait_for_load_state()
    entry = HoursEntry.objects.get()
    assert (str(entry.hours), entry.status) == ("7.50", "entered")

    member.goto(f"/invalpool/{slug}/uren/")
    assert_accessible(member, "hours awaiting the member")
    member.click("button:has-text('Bevestig week')")
    member.wait_for_load_state()
    entry.refresh_from_db()
    assert entry.status == HoursEntry.Status.CONFIRMED

    # (5) The coordinator draws up the settlement and downloads the reports.
    coordinator.goto(f"/invalpool/{slug}/afrekeningen/nieuw/")
    assert_accessible(coordinator, "settlement form")
    coordinator.fill("#id_period_start", start.isoformat())
    coordinator.fill("#id_period_end", (start + timedelta(days=27)).isoformat())
    coordinator.click("button:has-text('Afrekening opstellen')")
    coordinator.wait_for_load_state()
    run = SettlementRun.objects.get()
    assert coordinator.url.endswith(f"/afrekeningen/{run.pk}/")
    assert_accessible(coordinator, "settlement detail")
    # 7.5 hours at € 58 = € 435, split equally (no pupil counts in this world) between the two boards.
    assert "€ 435,00" in coordinator.locator("main").inner_text()
    docx = docx_text(_download(coordinator, "Afrekening als Word (DOCX)"))
    assert "Afrekening invalpool" in docx and "Stichting Vraagt | 7,50 | 0,00 | € 435,00" in docx
    pdf = pdf_text(_download(coordinator, "Afrekening als PDF"))
    assert "Afrekening invalpool" in pdf and "435,00" in pdf

    coordinator.goto(
        f"/invalpool/{slug}/monitor/?van={start.isoformat()}&tot={(start + timedelta(days=27)).isoformat()}"
    )
    assert_accessible(coordinator, "monitoring dashboard")
    report_docx = docx_text(_download(coordinator, "Download het monitorrapport (Word)"))
    assert "Vraag naar vervanging" in report_docx and "wiskunde | 1" in report_docx
    report_pdf = pdf_text(_download(coordinator, "Download het monitorrapport (PDF)"))
    assert "Monitor invalpool" in report_pdf and "Besparing" in report_pdf
