"""Board A cannot read or change what belongs to board B and was not shared.

The test walks EVERY URL pattern of the platform (pages, API routes, admin), fills each URL's
parameters with board B's objects, and requests it as board A's HR: with GET (nothing of B's
private data may appear) and with POST/PUT/PATCH/DELETE (nothing of B may change). New routes are
covered automatically; a route with a parameter this test cannot fill makes it fail, so nobody
adds a route without deciding what board A may do with it.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from onderwijsregio.accounts.models import Membership, Role
from onderwijsregio.accounts.tests.factories import MembershipFactory, UserFactory
from onderwijsregio.core.models import AuditEvent, Job
from onderwijsregio.core.services import audit_record, job_create
from onderwijsregio.loket.models import Candidate, Document, Handover, Trajectory, TrajectoryEvent
from onderwijsregio.organisations.models import Organisation
from onderwijsregio.organisations.tests.factories import (
    BoardFactory,
    PupilCountFactory,
    RegionFactory,
    RegionMemberFactory,
    RegionSchoolLocationFactory,
    SchoolLocationFactory,
)

pytestmark = pytest.mark.django_db

SECRET = "GEHEIM-VAN-BESTUUR-B"
B_HR_EMAIL = "hr.geheim@bestuur-b.example.nl"
B_LEADER_EMAIL = "schoolleider.geheim@bestuur-b.example.nl"
CANDIDATE_EMAIL = "kandidaat.geheim@example.nl"

# Routes that are the login machinery of third parties: they hold no board data.
SKIP_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/media/")


def iter_patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from iter_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>|\(\?P<(?P<rname>[^>]+)>[^)]*\)")


@pytest.fixture
def world():
    region = RegionFactory(slug="regio-a-b")
    board_a = BoardFactory(name="Bestuur A")
    board_b = BoardFactory(name="Bestuur B")
    RegionMemberFactory(region=region, member=board_a)
    RegionMemberFactory(region=region, member=board_b)
    location_b = SchoolLocationFactory(board=board_b, vestiging_code="99ZZ00")
    RegionSchoolLocationFactory(region=region, school_location=location_b)
    PupilCountFactory(school_location=location_b, year=2025, count=812)

    hr_a = MembershipFactory(
        organisation=board_a, role=Role.BOARD_HR, user=UserFactory(email="hr@bestuur-a.example.nl")
    ).user
    hr_b_membership = MembershipFactory(organisation=board_b, role=Role.BOARD_HR, user=UserFactory(email=B_HR_EMAIL))
    leader_b = MembershipFactory(
        organisation=board_b,
        role=Role.SCHOOL_LEADER,
        user=UserFactory(email=B_LEADER_EMAIL),
        school_location=location_b,
    )
    job_b = job_create(kind="duo_import", label=SECRET, created_by=hr_b_membership.user, organisation_id=board_b.pk)

    # A candidate the desk handed to board B (and not to A), with a document and a note.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from onderwijsregio.loket import services as loket_services
    from onderwijsregio.loket.models import ConsentPurpose, SharedPart, Stage

    candidate_b = loket_services.candidate_register(
        region=region,
        data={
            "first_name": "Geheime",
            "last_name": SECRET,
            "email": CANDIDATE_EMAIL,
            "postcode": "3811 AB",
            "target_group": "side_entrant",
            "education_level": "wo_master",
            "dutch_level": "C1",
            "target_sectors": ["VO"],
        },
        consents={ConsentPurpose.SHARE_BOARDS: True},
        send_email=False,
    )
    trajectory_b = candidate_b.trajectories.get()
    handover_b = loket_services.handover_create(
        candidate=candidate_b,
        receiver=board_b,
        shared_parts=list(SharedPart.values),
        trajectory=trajectory_b,
        actor=None,
    )
    loket_services.handover_decide(handover=handover_b, accept=True, actor=hr_b_membership.user)
    document_b = loket_services.document_add(
        candidate=candidate_b,
        kind="cv",
        uploaded_file=SimpleUploadedFile("cv.pdf", b"%PDF-1.4 " + SECRET.encode(), content_type="application/pdf"),
        actor=None,
    )
    loket_services.note_add(candidate=candidate_b, text=SECRET, actor=None)
    loket_services.trajectory_move(trajectory=trajectory_b, to_stage=Stage.INTAKE_DONE, actor=None)
    audit_record(actor=hr_b_membership.user, action="secret.action", organisation_id=board_b.pk, details={"x": SECRET})
    pool_objects = _pool_world(region, board_a, board_b, location_b)
    workforce_objects = _workforce_world(board_b)
    return {
        **pool_objects,
        **workforce_objects,
        "region": region,
        "board_a": board_a,
        "board_b": board_b,
        "location_b": location_b,
        "hr_a": hr_a,
        "hr_b_membership": hr_b_membership,
        "leader_b": leader_b,
        "job_b": job_b,
        "candidate_b": candidate_b,
        "trajectory_b": trajectory_b,
        "handover_b": handover_b,
        "document_b": document_b,
    }


def _pool_world(region, board_a, board_b, location_b) -> dict:
    """A pool shared by A and B; B's member, request, offer, assignment and hours are B's private data."""
    from onderwijsregio.pool.models import Batch, MemberUnavailability, Offer, Proposal, SettlementRun
    from onderwijsregio.pool.tests.factories import (
        AssignmentFactory,
        HoursEntryFactory,
        PoolBoardFactory,
        PoolFactory,
        PoolMemberFactory,
        ReplacementRequestFactory,
    )

    pool = PoolFactory(region=region, slug="pool-a-b")
    PoolBoardFactory(pool=pool, board=board_a)
    participation_b = PoolBoardFactory(pool=pool, board=board_b)
    member_b = PoolMemberFactory(
        pool=pool, employer=board_b, full_name=f"Lid {SECRET}", email="lid.geheim@bestuur-b.example.nl"
    )
    period_b = MemberUnavailability.objects.create(
        member=member_b, start_date=date(2026, 12, 1), end_date=date(2026, 12, 5), note=SECRET
    )
    request_b = ReplacementRequestFactory(
        pool=pool, school_location=location_b, contact_name=SECRET, notes_for_substitute=SECRET
    )
    batch = Batch.objects.create(pool=pool, status=Batch.Status.PROPOSED)
    proposal_b = Proposal.objects.create(
        batch=batch, request=request_b, member=member_b, hours_per_week=8, travel_km=3.0, explanation=SECRET
    )
    offer_b = Offer.objects.create(
        request=request_b, member=member_b, proposal=proposal_b, hours_per_week=8, expires_at=timezone.now()
    )
    assignment_b = AssignmentFactory(request=request_b, member=member_b)
    entry_b = HoursEntryFactory(assignment=assignment_b)
    settlement = SettlementRun.objects.create(
        pool=pool,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        payroll_rate=58,
        agency_rate=113,
        contribution_key="per_pupil",
    )
    return {
        "pool": pool,
        "participation_b": participation_b,
        "member_b": member_b,
        "period_b": period_b,
        "request_b": request_b,
        "batch": batch,
        "proposal_b": proposal_b,
        "offer_b": offer_b,
        "assignment_b": assignment_b,
        "entry_b": entry_b,
        "settlement": settlement,
    }


def _workforce_world(board_b) -> dict:
    """B's staff snapshot (a pseudonymous row), scenario and forecast run."""
    from onderwijsregio.workforce.models import ForecastRun
    from onderwijsregio.workforce.tests.factories import ScenarioFactory, StaffRowFactory, StaffSnapshotFactory

    snapshot_b = StaffSnapshotFactory(board=board_b, note=SECRET)
    StaffRowFactory(snapshot=snapshot_b, pseudonym=SECRET)
    scenario_b = ScenarioFactory(owner=board_b, name=SECRET)
    run_b = ForecastRun.objects.create(
        subject_organisation=board_b, scenario=scenario_b, input_key="b" * 64, message=SECRET
    )
    return {"snapshot_b": snapshot_b, "scenario_b": scenario_b, "run_b": run_b}


def candidate_values(world, name: str) -> list[str]:
    """Board B's objects for a URL parameter name."""
    b = world["board_b"]
    values = {
        "pk": [
            b.pk,
            world["hr_b_membership"].pk,
            world["leader_b"].pk,
            world["hr_b_membership"].user.pk,
            world["candidate_b"].pk,
            world["handover_b"].pk,
            world["request_b"].pk,
            world["offer_b"].pk,
            world["assignment_b"].pk,
        ],
        "trajectory_pk": [world["trajectory_b"].pk],
        "handover_pk": [world["handover_b"].pk],
        "document_pk": [world["document_b"].pk],
        "other_pk": [world["candidate_b"].pk],
        "route_id": ["zij-instroom-vo"],
        "id": [
            b.pk,
            world["hr_b_membership"].pk,
            world["hr_b_membership"].user.pk,
            world["candidate_b"].pk,
            world["trajectory_b"].pk,
            world["handover_b"].pk,
            world["request_b"].pk,
            world["offer_b"].pk,
            world["assignment_b"].pk,
        ],
        "organisation_pk": [b.pk],
        "organisation_id": [b.pk],
        "board_pk": [b.pk],
        "membership_pk": [world["hr_b_membership"].pk],
        "user_pk": [world["hr_b_membership"].user.pk],
        "slug": [world["region"].slug, b.slug, world["pool"].slug],
        # substitute pool
        "participation_pk": [world["participation_b"].pk],
        "member_pk": [world["member_b"].pk],
        "period_pk": [world["period_b"].pk],
        "request_pk": [world["request_b"].pk],
        "batch_pk": [world["batch"].pk],
        "proposal_pk": [world["proposal_b"].pk],
        "assignment_pk": [world["assignment_b"].pk],
        "entry_pk": [world["entry_b"].pk],
        "run_pk": [world["settlement"].pk],
        "file_format": ["csv", "xlsx", "docx", "pdf"],
        # An offer's token is the member's key (like a login link) and cannot be guessed; board A
        # does not have B's. A wrong token must reveal and change nothing.
        "token": ["geen-geldig-token-van-bestuur-b"],
        # personnel planning
        "board_id": [b.pk],
        "region_slug": [world["region"].slug],
        "owner_id": [b.pk],
        "scenario_id": [world["scenario_b"].pk],
        "snapshot_id": [world["snapshot_b"].pk],
        "run_id": [world["run_b"].pk],
        "fmt": ["csv", "xlsx", "docx", "pdf"],
        "vestiging_code": [world["location_b"].vestiging_code],
        "code": [world["location_b"].vestiging_code],
        "job_id": [world["job_b"].pk],
        "uuid": [world["job_b"].pk],
        "pc4": ["3811"],
        "cbsCode": [world["location_b"].municipality.cbs_code],
        "vestigingCode": [world["location_b"].vestiging_code],
        # Django admin's generic parameters
        "object_id": [b.pk, world["hr_b_membership"].pk, world["hr_b_membership"].user.pk],
        "app_label": ["accounts", "organisations", "core"],
        "model_name": ["membership", "organisation", "user", "auditevent", "job"],
        "content_type_id": ["1"],
        "format": ["json"],
        "uidb36": ["1"],
        "key": ["x"],
        "url": [""],
        "path": [""],
        "api_path": ["memberships", "jobs", "audit-events"],
        "provider": ["openid_connect"],
    }
    if name not in values:
        raise AssertionError(
            f"test_isolation does not know how to fill URL parameter {name!r}: add board B's object for it"
        )
    return [str(v) for v in values[name]]


def urls_for(world) -> list[str]:
    urls = []
    for route, _pattern in iter_patterns(get_resolver()):
        route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\/", "/")
        if any(("/" + route).startswith(p) for p in SKIP_PREFIXES):
            continue
        names = [m.group("name") or m.group("rname") for m in PARAM.finditer(route)]
        filled = ["/" + route]
        for name in names:
            filled = [
                PARAM.sub(
                    lambda m, v=value, n=name: v if (m.group("name") or m.group("rname")) == n else m.group(0),
                    url,
                    count=1,
                )
                for url in filled
                for value in candidate_values(world, name)
            ]
        urls.extend(u for u in filled if "<" not in u and "(?P" not in u)
    return sorted(set(urls))


def assert_no_secret(url: str, response) -> None:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", errors="replace")
    for secret in (SECRET, B_HR_EMAIL, B_LEADER_EMAIL, CANDIDATE_EMAIL):
        assert secret not in text, f"{url} shows board B's private data ({secret})"


def test_board_a_reads_nothing_private_of_board_b(client, world):
    client.force_login(world["hr_a"])
    urls = urls_for(world)
    assert len(urls) > 20, urls  # the walk must really cover the platform
    for url in urls:
        client.force_login(world["hr_a"])
        response = client.get(url, HTTP_ACCEPT="text/html,application/json")
        assert response.status_code < 500, f"GET {url} -> {response.status_code}"
        assert_no_secret(url, response)


def snapshot(world) -> dict:
    b = Organisation.objects.get(pk=world["board_b"].pk)
    return {
        "board": (b.name, b.website, b.description, b.duo_number),
        "memberships": sorted(
            Membership.objects.filter(organisation=b).values_list(
                "pk", "user_id", "role", "ended_at", "school_location_id"
            )
        ),
        "users": sorted(
            Membership.objects.filter(organisation=b).values_list("user__email", "user__is_active", "user__full_name")
        ),
        "job": Job.objects.filter(pk=world["job_b"].pk).values_list("status", "label").first(),
        "audit": AuditEvent.objects.filter(organisation_id=b.pk, action="secret.action").count(),
        "candidate": tuple(
            Candidate.objects.filter(pk=world["candidate_b"].pk)
            .values_list("first_name", "last_name", "email", "version")
            .first()
            or ()
        ),
        "trajectories": sorted(
            Trajectory.objects.filter(candidate_id=world["candidate_b"].pk).values_list(
                "pk", "stage", "ended_at", "board_id"
            )
        ),
        "handovers": sorted(
            Handover.objects.filter(candidate_id=world["candidate_b"].pk).values_list("pk", "status", "receiver_id")
        ),
        "events": TrajectoryEvent.objects.filter(candidate_id=world["candidate_b"].pk).count(),
        "documents": Document.objects.filter(candidate_id=world["candidate_b"].pk).count(),
        "pool_member": tuple(
            type(world["member_b"])
            .objects.filter(pk=world["member_b"].pk)
            .values_list("full_name", "email", "pool_hours", "day_parts", "is_active", "version")
            .first()
        ),
        "pool_periods": world["member_b"].unavailable_periods.count(),
        "pool_participation": tuple(
            type(world["participation_b"])
            .objects.filter(pk=world["participation_b"].pk)
            .values_list("chain_max_contracts", "requests_substitutes", "supplies_members")
            .first()
            or ()
        ),
        "pool_request": tuple(
            type(world["request_b"])
            .objects.filter(pk=world["request_b"].pk)
            .values_list("status", "notes_for_substitute", "hours_per_week", "version")
            .first()
        ),
        "pool_offers": sorted(world["request_b"].offers.values_list("pk", "status")),
        "pool_assignments": sorted(world["request_b"].assignments.values_list("pk", "status", "hours_per_week")),
        "pool_slots": world["member_b"].booked_slots.count(),
        "pool_hours": sorted(
            type(world["entry_b"])
            .objects.filter(assignment__member=world["member_b"])
            .values_list("pk", "hours", "status")
        ),
        "pool_proposals": sorted(world["batch"].proposals.values_list("pk", "status", "member_id")),
        "staff_snapshots": sorted(
            type(world["snapshot_b"]).objects.filter(board=b).values_list("pk", "version", "row_count")
        ),
        "staff_rows": type(world["snapshot_b"]).objects.get(pk=world["snapshot_b"].pk).rows.count(),
        "scenarios": sorted(type(world["scenario_b"]).objects.filter(owner=b).values_list("pk", "name", "levers")),
        "location": tuple(
            type(world["location_b"])
            .objects.filter(pk=world["location_b"].pk)
            .values_list("name", "website", "board_id")
            .first()
        ),
    }


HOSTILE_FORM = {
    "name": "Overgenomen door A",
    "website": "https://a.example.nl",
    "description": "A was hier",
    "email": "indringer@bestuur-a.example.nl",
    "full_name": "Indringer",
    "role": Role.BOARD_HR,
    "organisation": "",
    "confirm": "1",
    "action": "delete",
}


def test_board_a_changes_nothing_of_board_b(client, world):
    client.force_login(world["hr_a"])
    before = snapshot(world)
    form = dict(HOSTILE_FORM, organisation=str(world["board_b"].pk))
    body = json.dumps(
        {
            "name": "Overgenomen door A",
            "organisation": world["board_b"].pk,
            "role": Role.BOARD_HR,
            "user": world["hr_a"].pk,
            "email": "indringer@bestuur-a.example.nl",
        }
    )
    for url in urls_for(world):
        # Log in again for every URL: one of them may be a logout.
        client.force_login(world["hr_a"])
        client.post(url, form)
        for method in (client.put, client.patch):
            method(url, body, content_type="application/json", HTTP_IF_MATCH="*")
        client.post(url, body, content_type="application/json")
        client.delete(url)
    assert snapshot(world) == before
    # Board A did not make itself (or anyone) a member of board B either. (Requests with a numeric id
    # may hit board A's own objects when ids of different tables coincide; changing its own is allowed.)
    assert (
        not Membership.objects.filter(organisation=world["board_b"])
        .exclude(pk__in=[world["hr_b_membership"].pk, world["leader_b"].pk])
        .exists()
    )


def test_walk_covers_pages_and_api(world):
    urls = urls_for(world)
    assert any(u.startswith("/api/v1/") for u in urls)
    assert any(u.startswith("/beheer/") for u in urls)
    assert any("99ZZ00" in u for u in urls)
    assert uuid.UUID(str(world["job_b"].pk))
