"""One use case, one result: a candidate registered or edited through a page and through the API ends up the same.

The registration page is the public intake form (the desk registers through the API); the edit is the
desk's edit page. Both entry points call the same services, so the record (its fields and route advice),
the timeline and the audit log's write actions must match. The pages also log their own reads
(candidate.viewed), which the comparison leaves out: they are reads, not the change.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from onderwijsregio.accounts.models import Role
from onderwijsregio.accounts.tests.factories import MembershipFactory
from onderwijsregio.core.models import AuditEvent
from onderwijsregio.loket import selectors, services
from onderwijsregio.loket.models import CANDIDATE_FIELDS, Candidate, ConsentPurpose
from onderwijsregio.organisations.models import Subject
from onderwijsregio.organisations.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db

# The same person as the form posts it and as the API takes it.
FORM = {
    "last_name": "El Amrani",
    "phone": "06 12345678",
    "postcode": "3811ab",
    "preferred_language": "nl",
    "target_group": "side_entrant",
    "education_level": "wo_master",
    "education_field": "Econometrie",
    "diplomas": "Master Econometrie, 2015",
    "foreign_diploma_country": "",
    "foreign_diploma_recognition": "",
    "dutch_level": "C1",
    "target_sectors": ["VO"],
    "current_qualification": "",
    "current_work": "Data-analist",
    "hours_available": "24",
    "has_job_offer": "nee",
    "enrolled_teacher_training_recently": "nee",
    "consent_share_boards": "ja",
    "consent_share_institutes": "nee",
    "consent_share_other_region": "nee",
    "consent_retain_one_year": "ja",
    "website": "",
}
API = {
    "lastName": "El Amrani",
    "phone": "06 12345678",
    "postcode": "3811ab",
    "preferredLanguage": "nl",
    "targetGroup": "side_entrant",
    "educationLevel": "wo_master",
    "educationField": "Econometrie",
    "diplomas": "Master Econometrie, 2015",
    "foreignDiplomaCountry": "",
    "foreignDiplomaRecognition": "",
    "dutchLevel": "C1",
    "targetSectors": ["VO"],
    "currentQualification": "",
    "currentWork": "Data-analist",
    "hoursAvailable": 24,
    "hasJobOffer": False,
    "enrolledTeacherTrainingRecently": False,
    "consents": {"shareBoards": True, "retainOneYear": True},
}
# Fields that differ on purpose between the two people compared.
OWN = {"first_name", "email"}


@pytest.fixture
def maths():
    return Subject.objects.create(code="wi", name="wiskunde", in_vmbo=True, in_lower_havo_vwo=True)


@pytest.fixture
def desk():
    region = RegionFactory(name="Onderwijsregio Eemland", slug="eemland")
    team = MembershipFactory(organisation=region, role=Role.REGIONAL_TEAM).user
    return region, team


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def record(candidate: Candidate) -> dict:
    candidate = Candidate.objects.get(pk=candidate.pk)
    fields = {name: getattr(candidate, name) for name in CANDIDATE_FIELDS if name not in OWN}
    return {
        **fields,
        "related_subjects": sorted(s.code for s in candidate.related_subjects.all()),
        "target_subjects": sorted(s.code for s in candidate.target_subjects.all()),
        "consents": selectors.current_consents(candidate=candidate),
        "stages": [t.stage for t in candidate.trajectories.order_by("pk")],
        "advice": candidate.advice,
    }


def timeline(candidate: Candidate, after: int = 0) -> list[tuple]:
    events = candidate.events.filter(pk__gt=after).order_by("created_at", "id")
    return [(event.kind, event.details) for event in events]


def write_actions(candidate: Candidate, after: int = 0) -> list[str]:
    events = AuditEvent.objects.filter(
        object_type="loket.candidate", object_id=str(candidate.pk), personal_data_read=False, pk__gt=after
    )
    return list(events.order_by("pk").values_list("action", flat=True))


def test_registering_through_the_page_and_the_api_leaves_the_same_record(client, desk, maths):
    region, team = desk
    page = client.post(
        reverse("loket:register") + f"?regio={region.slug}",
        {
            **FORM,
            "first_name": "Fatima",
            "email": "fatima@example.nl",
            "related_subjects": [maths.pk],
            "target_subjects": [maths.pk],
        },
    )
    assert page.status_code == 302
    by_page = Candidate.objects.get(email="fatima@example.nl")

    response = api_client(team).post(
        "/api/v1/candidates",
        {
            **API,
            "region": region.pk,
            "firstName": "Samira",
            "email": "samira@example.nl",
            "relatedSubjects": ["wi"],
            "targetSubjects": ["wi"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    by_api = Candidate.objects.get(pk=response.json()["id"])

    assert record(by_api) == record(by_page)
    assert by_page.advice["routes"]
    assert [kind for kind, _details in timeline(by_api)] == [kind for kind, _details in timeline(by_page)]
    assert write_actions(by_api) == write_actions(by_page) == ["candidate.registered"]


def register(region, first_name: str, maths) -> Candidate:
    return services.candidate_register(
        region=region,
        data={
            "first_name": first_name,
            "last_name": "El Amrani",
            "email": f"{first_name.lower()}@example.nl",
            "postcode": "3811 AB",
            "phone": "06 12345678",
            "target_group": "side_entrant",
            "education_level": "wo_master",
            "education_field": "Econometrie",
            "dutch_level": "C1",
            "target_sectors": ["VO"],
        },
        consents={ConsentPurpose.SHARE_BOARDS: True},
        target_subjects=[maths],
        send_email=False,
    )


def test_editing_through_the_page_and_the_api_leaves_the_same_record(client, desk, maths):
    region, team = desk
    first, second = register(region, "Fatima", maths), register(region, "Samira", maths)
    marks = {
        candidate.pk: (
            candidate.events.order_by("-pk").values_list("pk", flat=True).first(),
            AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first(),
        )
        for candidate in (first, second)
    }

    client.force_login(team)
    page = client.post(
        reverse("loket:candidate_edit", args=[first.pk]),
        {
            **{name: value for name, value in FORM.items() if not name.startswith("consent_") and name != "website"},
            "first_name": first.first_name,
            "email": first.email,
            "target_sectors": ["PO"],
            "current_work": "Onderwijsassistent",
            "hours_available": "32",
            "has_job_offer": "",
            "enrolled_teacher_training_recently": "",
            "target_subjects": [maths.pk],
            "version": first.version,
        },
    )
    assert page.status_code == 302, page.content.decode()[:2000]

    api = api_client(team)
    etag = api.get(f"/api/v1/candidates/{second.pk}")["ETag"]
    response = api.patch(
        f"/api/v1/candidates/{second.pk}",
        {
            **{name: value for name, value in API.items() if name != "consents"},
            "targetSectors": ["PO"],
            "currentWork": "Onderwijsassistent",
            "hoursAvailable": 32,
            "relatedSubjects": [],
            "targetSubjects": ["wi"],
        },
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200, response.content

    assert record(second) == record(first)
    assert record(first)["advice"]["profile"]["target_sectors"] == ["PO"]
    event_mark, audit_mark = marks[first.pk]
    second_event_mark, second_audit_mark = marks[second.pk]
    assert timeline(second, second_event_mark) == timeline(first, event_mark)
    assert [kind for kind, _details in timeline(first, event_mark)] == ["updated", "advised"]
    assert write_actions(second, second_audit_mark) == write_actions(first, audit_mark) == ["candidate.updated"]
