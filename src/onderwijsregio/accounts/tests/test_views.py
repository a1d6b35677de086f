"""Accounts pages: who may see whose people, adding people (with invitation), the audit log."""

import pytest
from django.core import mail
from django.urls import reverse

from onderwijsregio.accounts.models import Membership, Role, User
from onderwijsregio.accounts.tests.factories import MembershipFactory, UserFactory
from onderwijsregio.core.models import AuditEvent
from onderwijsregio.core.services import audit_record
from onderwijsregio.organisations.tests.factories import (
    BoardFactory,
    RegionFactory,
    RegionMemberFactory,
    SchoolLocationFactory,
)

pytestmark = pytest.mark.django_db


def main_of(response) -> str:
    """The page's main region: the header shows the logged-in user's own name."""
    html = response.content.decode()
    return html.split('id="main"', 1)[1].split("</main>", 1)[0]


@pytest.fixture
def two_boards():
    board_a, board_b = BoardFactory(name="Bestuur A"), BoardFactory(name="Bestuur B")
    hr_a = MembershipFactory(organisation=board_a, role=Role.BOARD_HR, user=UserFactory(full_name="Hanna HR-A")).user
    staff_b = MembershipFactory(
        organisation=board_b, role=Role.SCHOOL_LEADER, user=UserFactory(full_name="Bram Bestuur-B")
    ).user
    return board_a, board_b, hr_a, staff_b


def test_board_hr_sees_own_people_page_and_it_is_audited(client, two_boards):
    board_a, _board_b, hr_a, _ = two_boards
    client.force_login(hr_a)
    # Only herself on the page: her own data, nothing to log.
    client.get(reverse("accounts:organisation_people", args=[board_a.pk]))
    assert not AuditEvent.objects.filter(action="people.viewed").exists()

    colleague = MembershipFactory(
        organisation=board_a, role=Role.SCHOOL_LEADER, user=UserFactory(full_name="Sara Leider")
    )
    response = client.get(reverse("accounts:organisation_people", args=[board_a.pk]))
    assert response.status_code == 200
    assert "Hanna HR-A" in response.content.decode() and "Sara Leider" in response.content.decode()
    event = AuditEvent.objects.get(action="people.viewed")
    assert event.details["user_ids"] == [colleague.user_id]
    assert event.personal_data_read is True
    assert event.organisation_id == board_a.pk
    assert event.actor == hr_a


def test_board_hr_of_a_gets_404_on_people_of_b(client, two_boards):
    _board_a, board_b, hr_a, _ = two_boards
    client.force_login(hr_a)
    for url in [
        reverse("accounts:organisation_people", args=[board_b.pk]),
        reverse("accounts:membership_add", args=[board_b.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    other = Membership.objects.get(organisation=board_b)
    assert client.get(reverse("accounts:membership_end", args=[other.pk])).status_code == 404
    assert client.post(reverse("accounts:membership_end", args=[other.pk])).status_code == 404
    assert Membership.objects.get(pk=other.pk).ended_at is None
    assert not AuditEvent.objects.filter(action="people.viewed").exists()


def test_people_list_shows_only_administered_organisations_and_filters(client, two_boards):
    board_a, board_b, hr_a, _ = two_boards
    MembershipFactory(organisation=board_a, role=Role.SCHOOL_LEADER, user=UserFactory(full_name="Sara School-A"))
    client.force_login(hr_a)
    html = main_of(client.get(reverse("accounts:people")))
    assert "Hanna HR-A" in html and "Sara School-A" in html
    assert "Bram Bestuur-B" not in html
    html = main_of(client.get(reverse("accounts:people"), {"role": Role.SCHOOL_LEADER}))
    assert "Sara School-A" in html and "Hanna HR-A" not in html
    # The filter cannot be used to peek at another organisation.
    response = client.get(reverse("accounts:people"), {"organisation": board_b.pk})
    assert "Bram Bestuur-B" not in response.content.decode()
    events = AuditEvent.objects.filter(action="people.viewed", personal_data_read=True)
    assert set(events.values_list("organisation_id", flat=True)) == {board_a.pk}


def test_regional_team_sees_people_of_member_boards(client, two_boards):
    board_a, board_b, _, _ = two_boards
    region = RegionFactory()
    RegionMemberFactory(region=region, member=board_b)
    team = MembershipFactory(organisation=region, role=Role.REGIONAL_TEAM).user
    client.force_login(team)
    assert client.get(reverse("accounts:organisation_people", args=[board_b.pk])).status_code == 200
    assert client.get(reverse("accounts:organisation_people", args=[board_a.pk])).status_code == 404


def test_add_new_person_creates_account_membership_and_sends_invitation(
    client, two_boards, django_capture_on_commit_callbacks, run_worker
):
    board_a, _, hr_a, _ = two_boards
    client.force_login(hr_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:membership_add", args=[board_a.pk]),
            {"email": "Nieuw.Persoon@Example.nl", "full_name": "Nieuw Persoon", "role": Role.BOARD_HR},
        )
    assert response.status_code == 302
    user = User.objects.get(email="nieuw.persoon@example.nl")
    assert not user.has_usable_password()
    assert Membership.objects.filter(user=user, organisation=board_a, role=Role.BOARD_HR).exists()
    run_worker()  # the invitation is sent by the background worker
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nieuw.persoon@example.nl"]
    assert "/accounts/password/reset/key/" in message.body
    assert board_a.name in message.body


def test_invitation_link_lets_the_new_person_choose_a_password(
    client, two_boards, django_capture_on_commit_callbacks, run_worker
):
    board_a, _, hr_a, _ = two_boards
    client.force_login(hr_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:membership_add", args=[board_a.pk]),
            {"email": "kies@example.nl", "full_name": "Kies Wachtwoord", "role": Role.BOARD_HR},
        )
    run_worker()  # the invitation is sent by the background worker
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/key/" in line)
    client.logout()
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"password1": "een-lang-wachtwoord-42", "password2": "een-lang-wachtwoord-42"})
    assert response.status_code == 302
    assert User.objects.get(email="kies@example.nl").check_password("een-lang-wachtwoord-42")


def test_adding_existing_person_sends_no_email(client, two_boards, django_capture_on_commit_callbacks, run_worker):
    board_a, _, hr_a, staff_b = two_boards
    client.force_login(hr_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:membership_add", args=[board_a.pk]),
            {"email": staff_b.email.upper(), "role": Role.BOARD_HR},
        )
    assert response.status_code == 302
    assert Membership.objects.filter(user=staff_b, organisation=board_a).exists()
    run_worker()  # the invitation is sent by the background worker
    assert mail.outbox == []


def test_add_form_keeps_input_and_explains_errors(client, two_boards, django_capture_on_commit_callbacks, run_worker):
    board_a, _, hr_a, _ = two_boards
    location_elsewhere = SchoolLocationFactory()
    client.force_login(hr_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:membership_add", args=[board_a.pk]),
            {
                "email": "typed@example.nl",
                "full_name": "Getypte Naam",
                "role": "",
                "school_location": location_elsewhere.pk,
            },
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="typed@example.nl"' in html and 'value="Getypte Naam"' in html
    assert 'aria-invalid="true"' in html
    assert 'href="#id_role"' in html  # error summary links to the field
    assert not User.objects.filter(email="typed@example.nl").exists()
    run_worker()  # the invitation is sent by the background worker
    assert mail.outbox == []


def test_duplicate_role_is_refused_and_nothing_is_created(client, two_boards, django_capture_on_commit_callbacks):
    board_a, _, hr_a, _ = two_boards
    client.force_login(hr_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:membership_add", args=[board_a.pk]), {"email": hr_a.email, "role": Role.BOARD_HR}
        )
    assert response.status_code == 200
    assert "heeft deze rol al" in response.content.decode()
    assert Membership.objects.filter(user=hr_a, organisation=board_a).count() == 1


def test_role_that_does_not_fit_rolls_back_the_new_account(client, django_capture_on_commit_callbacks, run_worker):
    """A failing membership must not leave a half-made account (or send its email)."""
    region = RegionFactory()
    team = MembershipFactory(organisation=region, role=Role.REGIONAL_TEAM).user
    client.force_login(team)
    form_html = client.get(reverse("accounts:membership_add", args=[region.pk])).content.decode()
    assert Role.BOARD_HR.value not in form_html  # only roles that fit a region are offered
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:membership_add", args=[region.pk]),
            {"email": "rollback@example.nl", "full_name": "Terug Gedraaid", "role": Role.BOARD_HR},
        )
    assert not User.objects.filter(email="rollback@example.nl").exists()
    run_worker()  # the invitation is sent by the background worker
    assert mail.outbox == []


def test_end_membership_asks_first_then_ends(client, two_boards):
    board_a, _, hr_a, _ = two_boards
    leader = MembershipFactory(organisation=board_a, role=Role.SCHOOL_LEADER)
    client.force_login(hr_a)
    url = reverse("accounts:membership_end", args=[leader.pk])
    assert "Weet u zeker" in client.get(url).content.decode()
    assert Membership.objects.get(pk=leader.pk).ended_at is None
    assert client.post(url).status_code == 302
    assert Membership.objects.get(pk=leader.pk).ended_at is not None
    assert AuditEvent.objects.filter(action="membership.ended", organisation_id=board_a.pk).exists()


def test_audit_log_shows_only_allowed_events(client, two_boards):
    board_a, board_b, hr_a, _ = two_boards
    audit_record(actor=None, action="test.own", organisation_id=board_a.pk, object_repr="zichtbaar-object")
    audit_record(actor=None, action="test.other", organisation_id=board_b.pk, object_repr="geheim-object")
    client.force_login(hr_a)
    html = client.get(reverse("accounts:audit_log")).content.decode()
    assert "zichtbaar-object" in html
    assert "geheim-object" not in html
    assert "test.other" not in html  # not even as a filter choice


def test_audit_log_filters_keep_their_values(client, two_boards):
    board_a, _, hr_a, _ = two_boards
    audit_record(actor=hr_a, action="people.viewed", organisation_id=board_a.pk, personal_data_read=True)
    audit_record(actor=hr_a, action="organisation.updated", organisation_id=board_a.pk, object_repr="profiel-gewijzigd")
    client.force_login(hr_a)
    response = client.get(
        reverse("accounts:audit_log"),
        {"personal_data_only": "on", "actor_email": hr_a.email, "date_from": "2000-01-01"},
    )
    html = response.content.decode()
    assert "people.viewed" in html and "profiel-gewijzigd" not in html
    assert f'value="{hr_a.email}"' in html
    assert 'value="2000-01-01"' in html
    assert "checked" in html


def test_audit_log_refuses_people_without_the_permission(client):
    pool_member = MembershipFactory(role=Role.POOL_MEMBER).user
    client.force_login(pool_member)
    assert client.get(reverse("accounts:audit_log")).status_code == 403


def test_audit_log_is_paginated_by_50(client, two_boards):
    board_a, _, hr_a, _ = two_boards
    for number in range(51):
        audit_record(actor=None, action="test.bulk", organisation_id=board_a.pk, object_repr=f"rij-{number:02d}")
    client.force_login(hr_a)
    first = client.get(reverse("accounts:audit_log"), {"action": "test.bulk"}).content.decode()
    assert first.count("rij-") == 50
    second = client.get(reverse("accounts:audit_log"), {"action": "test.bulk", "page": 2}).content.decode()
    assert second.count("rij-") == 1


def test_api_token_is_shown_once_and_can_be_revoked(client):
    from rest_framework.authtoken.models import Token

    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:token_create"))
    token = Token.objects.get(user=user)
    assert token.key in response.content.decode()
    assert token.key not in client.get(reverse("accounts:my_account")).content.decode()
    client.post(reverse("accounts:token_revoke"))
    assert not Token.objects.filter(user=user).exists()


def test_preferred_language_is_saved_and_applied(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("accounts:preferred_language"), {"preferred_language": "en"})
    user.refresh_from_db()
    assert user.preferred_language == "en"
    assert '<html lang="en">' in client.get(reverse("accounts:my_account")).content.decode()


def test_login_page_is_ours_and_has_no_signup_link(client):
    html = client.get(reverse("account_login")).content.decode()
    assert 'class="utrecht-document onderwijsregio-theme"' in html
    assert "/accounts/signup/" not in html
    assert "SURFconext" not in html  # no OIDC provider configured in tests


def test_login_with_wrong_password_keeps_email_and_shows_summary(client):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": "fout"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{user.email}"' in html
    assert 'id="error-summary"' in html


def test_login_continues_in_the_users_preferred_language(client):
    from django.conf import settings as django_settings

    user = UserFactory(email="english@example.nl", preferred_language="en")
    response = client.post("/accounts/login/", {"login": user.email, "password": "correct-horse-battery-staple"})
    assert response.status_code == 302
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/mijn-account")
    assert page.headers["Content-Language"] == "en"


def test_admin_reads_of_people_are_audited(client):
    from onderwijsregio.organisations.tests.factories import RegionFactory, RegionMemberFactory

    region = RegionFactory()
    board = RegionMemberFactory(region=region).member
    team = MembershipFactory(organisation=region, role=Role.REGIONAL_TEAM).user
    team.is_staff = True
    team.save()
    other = MembershipFactory(organisation=board, role=Role.BOARD_HR)
    client.force_login(team)
    assert client.get("/beheer/accounts/membership/").status_code == 200
    assert client.get(f"/beheer/accounts/user/{other.user_id}/change/").status_code == 200
    events = AuditEvent.objects.filter(action="people.viewed", organisation_id=board.pk)
    assert [e.details["via"] for e in events] == ["admin", "admin"]
    assert all(e.personal_data_read and e.details["user_ids"] == [other.user_id] for e in events)


def test_ending_ones_own_last_membership_on_the_page_is_refused_with_a_message(client, two_boards):
    board_a, _, hr_a, _ = two_boards
    own = Membership.objects.get(user=hr_a, organisation=board_a)
    client.force_login(hr_a)
    response = client.post(reverse("accounts:membership_end", args=[own.pk]), follow=True)
    assert "laatste rol" in response.content.decode()
    assert Membership.objects.get(pk=own.pk).ended_at is None
