"""The candidate's own pages: login by emailed code, record, advice, consents, export and erasure."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from onderwijsregio.accounts.models import Membership, Role, User
from onderwijsregio.accounts.tests.factories import MembershipFactory, UserFactory
from onderwijsregio.core.models import AuditEvent
from onderwijsregio.loket import selectors, services
from onderwijsregio.loket.advice import advice_refresh
from onderwijsregio.loket.models import Candidate, CandidateStatistic, ConsentPurpose, EventKind, LoginCode, Stage
from onderwijsregio.organisations.models import Subject
from onderwijsregio.organisations.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db

INTAKE = {
    "first_name": "Fatima",
    "last_name": "El Amrani",
    "email": "fatima@example.nl",
    "postcode": "3811 AB",
    "target_group": "side_entrant",
    "education_level": "wo_master",
    "education_field": "Econometrie",
    "dutch_level": "C1",
    "target_sectors": ["VO"],
}


@pytest.fixture
def region():
    region = RegionFactory(name="Onderwijsregio Eemland", slug="eemland")
    MembershipFactory(organisation=region, role=Role.REGIONAL_TEAM)
    return region


@pytest.fixture
def maths():
    return Subject.objects.create(code="wi", name="wiskunde", in_vmbo=True, in_lower_havo_vwo=True)


@pytest.fixture
def candidate(region, maths):
    candidate = services.candidate_register(
        region=region,
        data=INTAKE,
        consents={ConsentPurpose.SHARE_BOARDS: True},
        related_subjects=[maths],
        target_subjects=[maths],
        send_email=False,
    )
    return advice_refresh(candidate=candidate, actor=None)


def logged_in(client, candidate):
    user = services.candidate_login_account(candidate=candidate)
    client.force_login(user)
    return user


def request_code(client, email, run_worker, capture) -> str | None:
    mail.outbox.clear()
    with capture(execute=True):
        response = client.post(reverse("loket:candidate_login"), {"email": email})
    assert response.status_code == 302
    assert response["Location"] == reverse("loket:candidate_login_code")
    run_worker()
    if not mail.outbox:
        return None
    return re.search(r"^\s+(\d{6})\s*$", mail.outbox[-1].body, re.MULTILINE).group(1)


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


# --- Login by code ------------------------------------------------------------------------------


def test_login_with_emailed_code_creates_a_candidate_account(
    client, candidate, run_worker, django_capture_on_commit_callbacks
):
    code = request_code(client, "Fatima@Example.nl", run_worker, django_capture_on_commit_callbacks)
    assert mail.outbox[-1].to == ["fatima@example.nl"]
    assert mail.outbox[-1].subject == "Uw inlogcode voor het onderwijsloket"
    assert "15 minuten" in mail.outbox[-1].body
    # Only a keyed hash is stored.
    assert code not in LoginCode.objects.get().code_hash

    response = client.post(reverse("loket:candidate_login_code"), {"code": code})
    assert response.status_code == 302 and response["Location"] == reverse("loket:my_record")
    candidate.refresh_from_db()
    user = candidate.user
    assert user is not None and user.email == "fatima@example.nl" and not user.has_usable_password()
    assert Membership.objects.filter(user=user, organisation=candidate.region, role=Role.CANDIDATE).exists()
    assert "Fatima El Amrani" in client.get(reverse("loket:my_record")).content.decode()
    # The code works once.
    client.logout()
    client.post(reverse("loket:candidate_login"), {"email": "fatima@example.nl"})
    assert client.post(reverse("loket:candidate_login_code"), {"code": code}).status_code == 400


def test_wrong_code_is_refused_counted_and_audited(client, candidate, run_worker, django_capture_on_commit_callbacks):
    code = request_code(client, "fatima@example.nl", run_worker, django_capture_on_commit_callbacks)
    response = client.post(reverse("loket:candidate_login_code"), {"code": other_code(code)})
    assert response.status_code == 400
    assert "Deze code klopt niet of is niet meer geldig" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert LoginCode.objects.get().attempts == 1
    assert AuditEvent.objects.filter(action="candidate.login_code_failed", object_id=str(candidate.pk)).count() == 1
    # A typo is not fatal: the right code still works.
    assert client.post(reverse("loket:candidate_login_code"), {"code": code}).status_code == 302


def test_code_is_not_six_digits(client, candidate):
    client.post(reverse("loket:candidate_login"), {"email": "fatima@example.nl"})
    response = client.post(reverse("loket:candidate_login_code"), {"code": "12ab"})
    assert response.status_code == 400
    assert "Een inlogcode bestaat uit 6 cijfers." in response.content.decode()


def test_expired_code_is_refused(client, candidate, run_worker, django_capture_on_commit_callbacks):
    code = request_code(client, "fatima@example.nl", run_worker, django_capture_on_commit_callbacks)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = client.post(reverse("loket:candidate_login_code"), {"code": code})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="candidate.login_code_failed").get().details["reason"] == "expired"


def test_after_five_wrong_attempts_even_the_right_code_fails(
    client, candidate, run_worker, django_capture_on_commit_callbacks
):
    code = request_code(client, "fatima@example.nl", run_worker, django_capture_on_commit_callbacks)
    for _attempt in range(services.LOGIN_CODE_MAX_ATTEMPTS):
        assert client.post(reverse("loket:candidate_login_code"), {"code": other_code(code)}).status_code == 400
    assert client.post(reverse("loket:candidate_login_code"), {"code": code}).status_code == 400
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="candidate.login_code_failed").count() == 6
    # A new code starts afresh.
    new_code = request_code(client, "fatima@example.nl", run_worker, django_capture_on_commit_callbacks)
    assert client.post(reverse("loket:candidate_login_code"), {"code": new_code}).status_code == 302


def test_unknown_email_gets_the_same_page_and_no_email(
    client, candidate, run_worker, django_capture_on_commit_callbacks
):
    assert request_code(client, "onbekend@example.nl", run_worker, django_capture_on_commit_callbacks) is None
    unknown_page = client.get(reverse("loket:candidate_login_code")).content.decode()
    assert request_code(client, "fatima@example.nl", run_worker, django_capture_on_commit_callbacks)
    known_page = client.get(reverse("loket:candidate_login_code")).content.decode()

    def strip(html, email):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html).replace(email, "EMAIL")

    assert strip(unknown_page, "onbekend@example.nl") == strip(known_page, "fatima@example.nl")
    assert LoginCode.objects.count() == 1


# --- The record ---------------------------------------------------------------------------------


def test_record_shows_data_every_route_and_only_the_candidates_timeline(client, candidate, region):
    team = Membership.objects.get(organisation=region, role=Role.REGIONAL_TEAM).user
    trajectory = candidate.trajectories.get()
    services.trajectory_move(trajectory=trajectory, to_stage=Stage.INTAKE_DONE, actor=team, note="Staf: twijfelt nog")
    services.note_add(candidate=candidate, text="Interne notitie over motivatie", actor=team)
    logged_in(client, candidate)
    html = client.get(reverse("loket:my_record")).content.decode()
    assert "fatima@example.nl" in html and "Econometrie" in html
    for item in candidate.advice["routes"]:
        assert item["name"] in html.replace("&#x27;", "'")
    assert "Past bij u" in html and "Past nu niet" in html
    assert "intake gedaan" in html
    assert "Interne notitie over motivatie" not in html
    assert "Staf: twijfelt nog" not in html
    assert 'aria-current="step"' in html


def test_anonymous_visitors_are_sent_to_the_code_login(client, candidate):
    response = client.get(reverse("loket:my_record"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("loket:candidate_login"))


def test_a_person_without_a_record_gets_404_and_a_candidate_sees_only_their_own(client, candidate, region, maths):
    staff = UserFactory()
    client.force_login(staff)
    for name in ("loket:my_record", "loket:my_record_edit", "loket:my_export", "loket:my_delete", "loket:my_consents"):
        assert client.get(reverse(name)).status_code == 404
    other = services.candidate_register(
        region=region, data={**INTAKE, "first_name": "Bram", "email": "bram@example.nl"}, consents={}, send_email=False
    )
    logged_in(client, other)
    html = client.get(reverse("loket:my_record")).content.decode()
    assert "Bram" in html and "Fatima" not in html
    assert json.loads(client.get(reverse("loket:my_export")).content)["candidate"]["email"] == "bram@example.nl"


def test_edit_saves_recomputes_advice_and_refuses_a_stale_version(client, candidate, maths):
    logged_in(client, candidate)
    page = client.get(reverse("loket:my_record_edit"))
    form = page.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name in ("related_subjects", "target_subjects"):
            value = [subject.pk for subject in value]
        if value is None:
            value = ""
        data[name] = value
    data["hours_available"] = "16"
    data["target_sectors"] = ["VO", "MBO"]
    advised_before = candidate.events.filter(kind=EventKind.ADVISED).count()

    response = client.post(reverse("loket:my_record_edit"), data)
    assert response.status_code == 302, response.context["form"].errors
    candidate.refresh_from_db()
    assert candidate.hours_available == 16 and candidate.target_sectors == ["VO", "MBO"]
    assert candidate.events.filter(kind=EventKind.ADVISED).count() == advised_before + 1
    assert candidate.advice["profile"]["target_sectors"] == ["MBO", "VO"]

    # The same (now old) version again: refused, nothing overwritten.
    stale = client.post(reverse("loket:my_record_edit"), {**data, "hours_available": "40"})
    assert stale.status_code == 400
    assert "Iemand anders heeft deze gegevens intussen gewijzigd" in stale.content.decode()
    candidate.refresh_from_db()
    assert candidate.hours_available == 16


def test_consent_can_be_withdrawn_and_given_with_history(client, candidate):
    logged_in(client, candidate)
    response = client.post(reverse("loket:my_consents"), {"purpose": "share_boards", "given": "nee"})
    assert response.status_code == 302
    assert selectors.current_consents(candidate=candidate)["share_boards"] is False
    client.post(reverse("loket:my_consents"), {"purpose": "retain_one_year", "given": "ja"})
    assert selectors.current_consents(candidate=candidate)["retain_one_year"] is True
    html = client.get(reverse("loket:my_consents")).content.decode()
    assert html.count('<tr class="utrecht-table__row">') == 1 + 4 + 2  # header, 4 at registration, 2 changes
    assert client.post(reverse("loket:my_consents"), {"purpose": "sell_my_data", "given": "ja"}).status_code == 400


def test_export_contains_all_their_data_including_notes(client, candidate, region):
    team = Membership.objects.get(organisation=region, role=Role.REGIONAL_TEAM).user
    services.note_add(candidate=candidate, text="Belde terug, wil in het vmbo", actor=team)
    user = logged_in(client, candidate)
    services.consent_record(candidate=candidate, purpose="share_boards", given=False, actor=user)
    response = client.get(reverse("loket:my_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["candidate"]["email"] == "fatima@example.nl"
    assert data["candidate"]["related_subjects"] == [{"code": "wi", "name": "wiskunde"}]
    assert [(c["purpose"], c["given"]) for c in data["consents"] if c["purpose"] == "share_boards"] == [
        ("share_boards", True),
        ("share_boards", False),
    ]
    assert all(c["question"] for c in data["consents"])
    assert "Belde terug, wil in het vmbo" in [event["text"] for event in data["events"]]
    assert data["trajectories"][0]["stage"] == "new"
    assert data["route_advice"]["ruleset_version"]
    assert AuditEvent.objects.filter(action="candidate.exported_own_data", personal_data_read=True).exists()


def test_delete_erases_record_and_account_keeps_statistics_and_logs_out(client, candidate):
    user = logged_in(client, candidate)
    assert client.get(reverse("loket:my_delete")).status_code == 200
    assert Candidate.objects.filter(pk=candidate.pk).exists()  # the confirm page changes nothing
    response = client.post(reverse("loket:my_delete"))
    assert response.status_code == 302
    assert "Uw gegevens zijn verwijderd" in client.get(response["Location"]).content.decode()
    assert not Candidate.objects.filter(pk=candidate.pk).exists()
    assert not User.objects.filter(pk=user.pk).exists()
    statistic = CandidateStatistic.objects.get()
    assert (statistic.region_id, statistic.target_group) == (candidate.region_id, "side_entrant")
    assert AuditEvent.objects.filter(action="candidate.erased", details__reason="request").exists()
    assert client.get(reverse("loket:my_record")).status_code == 302  # logged out
