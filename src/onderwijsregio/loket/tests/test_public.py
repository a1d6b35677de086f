"""The public desk pages: region choice, registration with intake, validation, spam protection."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from onderwijsregio.accounts.models import Role
from onderwijsregio.accounts.tests.factories import MembershipFactory
from onderwijsregio.loket import selectors, services
from onderwijsregio.loket.labels import CONSENT_TEXTS, consent_text
from onderwijsregio.loket.models import Candidate, ConsentPurpose, EventKind, Stage
from onderwijsregio.organisations.models import Subject
from onderwijsregio.organisations.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    region = RegionFactory(name="Onderwijsregio Eemland", slug="eemland")
    MembershipFactory(organisation=region, role=Role.REGIONAL_TEAM)
    return region


@pytest.fixture
def maths():
    return Subject.objects.create(code="wi", name="wiskunde", in_vmbo=True, in_lower_havo_vwo=True)


def intake(maths, **overrides) -> dict:
    data = {
        "first_name": "Fatima",
        "last_name": "El Amrani",
        "email": "fatima@example.nl",
        "phone": "",
        "postcode": "3811ab",
        "preferred_language": "nl",
        "target_group": "side_entrant",
        "education_level": "wo_master",
        "education_field": "Econometrie",
        "diplomas": "Master Econometrie, 2015",
        "related_subjects": [maths.pk],
        "foreign_diploma_country": "",
        "foreign_diploma_recognition": "",
        "dutch_level": "C1",
        "target_sectors": ["VO"],
        "target_subjects": [maths.pk],
        "current_qualification": "",
        "current_work": "Data-analist bij een verzekeraar",
        "hours_available": "24",
        "has_job_offer": "nee",
        "enrolled_teacher_training_recently": "nee",
        "consent_share_boards": "ja",
        "consent_share_institutes": "nee",
        "consent_share_other_region": "nee",
        "consent_retain_one_year": "ja",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def register_url(region) -> str:
    return reverse("loket:register") + f"?regio={region.slug}"


# --- Region choice and the home page ------------------------------------------------------------


def test_home_shows_the_only_desk_with_links_to_register_and_log_in(client, region):
    RegionFactory(name="Regio zonder loket")  # no regional team: no desk
    response = client.get(reverse("loket:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Onderwijsloket Onderwijsregio Eemland" in html
    assert register_url(region) in html
    assert reverse("loket:candidate_login") in html
    assert "Regio zonder loket" not in html


def test_home_lists_regions_when_there_are_several_and_404s_for_an_unknown_one(client, region):
    other = RegionFactory(name="Onderwijsregio Gelderse Vallei", slug="vallei")
    MembershipFactory(organisation=other, role=Role.REGIONAL_TEAM)
    html = client.get(reverse("loket:home")).content.decode()
    assert "Kies uw onderwijsregio" in html
    assert "?regio=eemland" in html and "?regio=vallei" in html
    assert (
        "Onderwijsloket Onderwijsregio Gelderse Vallei"
        in client.get(reverse("loket:home") + "?regio=vallei").content.decode()
    )
    assert client.get(reverse("loket:home") + "?regio=bestaat-niet").status_code == 404
    # Registering without a region asks which one.
    assert "Kies uw onderwijsregio" in client.get(reverse("loket:register")).content.decode()


# --- Registration -------------------------------------------------------------------------------


def test_registration_stores_candidate_consents_journey_and_advice_and_mails(
    client, region, maths, run_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(region), intake(maths))
    assert response.status_code == 302
    assert response["Location"] == reverse("loket:registered") + "?regio=eemland"

    candidate = Candidate.objects.get()
    assert (candidate.region, candidate.email, candidate.postcode) == (region, "fatima@example.nl", "3811 AB")
    assert list(candidate.related_subjects.all()) == [maths]
    assert candidate.target_sectors == ["VO"]
    assert candidate.hours_available == 24 and candidate.has_job_offer is False
    assert selectors.current_consents(candidate=candidate) == {
        "share_boards": True,
        "share_institutes": False,
        "share_other_region": False,
        "retain_one_year": True,
    }
    assert {c.text_version for c in candidate.consents.all()} == {services.CONSENT_TEXT_VERSION}
    assert candidate.trajectories.get().stage == Stage.NEW

    # The route advice is computed and stored, with the rules version and the profile it used.
    assert candidate.advice["ruleset_version"]
    statuses = {item["route"]: item["status"] for item in candidate.advice["routes"]}
    assert statuses["kopopleiding"] == "fits"  # related wo master, maths, VO
    assert candidate.advice["profile"]["related_subjects"] == ["wi"]
    assert candidate.events.filter(kind=EventKind.ADVISED).count() == 1

    page = client.get(response["Location"]).content.decode()
    assert "Bedankt voor uw aanmelding" in page
    assert "Kopopleiding" in page

    run_worker()
    assert [message.to for message in mail.outbox] == [["fatima@example.nl"]]
    assert mail.outbox[0].subject == "Uw aanmelding bij het onderwijsloket"
    assert "/loket/inloggen" in mail.outbox[0].body


REQUIRED = {
    "first_name": "Vul uw voornaam in.",
    "last_name": "Vul uw achternaam in.",
    "email": "Vul uw e-mailadres in.",
    "postcode": "Vul uw postcode in, bijvoorbeeld 3811 AB.",
    "preferred_language": "Kies de taal van onze e-mails.",
    "target_group": "Kies wat het best bij u past.",
    "education_level": "Kies uw hoogste afgeronde opleiding.",
    "dutch_level": "Kies uw niveau Nederlands.",
    "target_sectors": "Kies ten minste één sector.",
    "has_job_offer": "Geef aan of u een baan(aanbod) op een school heeft.",
    "enrolled_teacher_training_recently": "Geef aan of u de afgelopen 2 jaar bij een lerarenopleiding stond ingeschreven.",
    **{f"consent_{purpose}": "Geef antwoord op deze vraag over toestemming." for purpose in ConsentPurpose.values},
}


@pytest.mark.parametrize("field", sorted(REQUIRED))
def test_every_required_field_has_a_dutch_message_and_the_rest_is_kept(client, region, maths, field):
    data = intake(maths)
    del data[field]
    response = client.post(register_url(region), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [REQUIRED[field]]
    html = response.content.decode()
    assert REQUIRED[field] in html
    assert "Er is 1 fout in het formulier" in html
    # What was typed stays.
    assert 'value="Data-analist bij een verzekeraar"' in html
    assert "Master Econometrie, 2015" in html
    if field != "email":
        assert 'value="fatima@example.nl"' in html
    if field != "dutch_level":
        assert '<option value="C1" selected>' in html
    assert not Candidate.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"postcode": "38111AB"}, "postcode", "Vul een postcode in als 1234 AB."),
        ({"email": "fatima@"}, "email", "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
        ({"phone": "bel me"}, "phone", "Vul een geldig telefoonnummer in."),
        ({"hours_available": "70"}, "hours_available", "Vul een aantal uren van 0 tot en met 60 in."),
        ({"hours_available": "veel"}, "hours_available", "Vul een heel aantal uren in, bijvoorbeeld 24."),
        ({"target_group": "alien"}, "target_group", "Kies een van de mogelijkheden."),
        ({"target_sectors": ["HBO"]}, "target_sectors", "Kies een sector uit de lijst."),
        ({"has_job_offer": "misschien"}, "has_job_offer", "Kies ja of nee."),
        (
            {"foreign_diploma_recognition": "requested"},
            "foreign_diploma_country",
            "Vul het land in waar u uw diploma heeft gehaald.",
        ),
        (
            {"foreign_diploma_country": "Syrië"},
            "foreign_diploma_recognition",
            "Geef aan of u erkenning bij DUO heeft aangevraagd (of kies ‘niet van toepassing’).",
        ),
    ],
)
def test_wrong_answers_get_a_clear_dutch_message(client, region, maths, overrides, field, message):
    response = client.post(register_url(region), intake(maths, **overrides))
    assert response.status_code == 400
    assert message in response.context["form"].errors[field]
    assert not Candidate.objects.exists()


def test_foreign_diploma_with_recognition_is_stored(client, region, maths):
    data = intake(
        maths,
        target_group="refugee_teacher",
        foreign_diploma_country="Syrië",
        foreign_diploma_recognition="requested",
        dutch_level="B1",
    )
    assert client.post(register_url(region), data).status_code == 302
    candidate = Candidate.objects.get()
    assert (candidate.foreign_diploma_country, candidate.foreign_diploma_recognition) == ("Syrië", "requested")
    assert candidate.advice["profile"]["duo_recognition"] == "requested"
    assert candidate.advice["profile"]["foreign_teacher_qualification"] is True


def test_consent_questions_are_shown_exactly_in_the_current_version(client, region):
    assert services.CONSENT_TEXT_VERSION in CONSENT_TEXTS
    assert set(CONSENT_TEXTS[services.CONSENT_TEXT_VERSION]) == set(ConsentPurpose.values)
    html = client.get(register_url(region)).content.decode()
    for purpose in ConsentPurpose.values:
        assert consent_text(purpose) in html
    assert services.CONSENT_TEXT_VERSION in html


# --- Spam protection ----------------------------------------------------------------------------


def test_honeypot_is_hidden_from_people_and_screen_readers(client, region):
    html = client.get(register_url(region)).content.decode()
    start = html.index('<div class="or-visually-hidden" aria-hidden="true">')
    honeypot = html[start : html.index("</div>", html.index('name="website"', start))]
    assert 'tabindex="-1"' in honeypot
    assert "Laat dit veld leeg" in honeypot
    assert "style=" not in honeypot


def test_filled_honeypot_stores_nothing_but_looks_like_success(
    client, region, maths, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(register_url(region), intake(maths, website="https://spam.example"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("loket:registered"))
    assert not Candidate.objects.exists()
    assert callbacks == []  # no email queued


def test_more_than_five_registrations_an_hour_from_one_address_get_429(client, region, maths):
    for number in range(5):
        response = client.post(register_url(region), intake(maths, email=f"persoon{number}@example.nl"))
        assert response.status_code == 302
    response = client.post(register_url(region), intake(maths, email="zesde@example.nl"))
    assert response.status_code == 429
    assert "Probeer het over een uur opnieuw" in response.content.decode()
    assert Candidate.objects.count() == 5
    # Another address is not affected.
    other = client.post(register_url(region), intake(maths, email="ander@example.nl"), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302
