"""The staff desk pages: working list, board, candidate page and its actions, inbox, merge."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from onderwijsregio.accounts.models import Role
from onderwijsregio.accounts.tests.factories import MembershipFactory
from onderwijsregio.core.models import AuditEvent
from onderwijsregio.loket import services
from onderwijsregio.loket.models import (
    Candidate,
    ConsentPurpose,
    Document,
    EventKind,
    ExitReason,
    Handover,
    SharedPart,
    Stage,
    Trajectory,
)
from onderwijsregio.organisations.models import PostcodeArea, SubRegion
from onderwijsregio.organisations.tests.factories import (
    BoardFactory,
    InstituteFactory,
    MunicipalityFactory,
    RegionFactory,
    RegionMemberFactory,
    SchoolLocationFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%fake but with the right magic bytes\n"
INTAKE = {
    "first_name": "Fatima",
    "last_name": "El Amrani",
    "email": "fatima@example.nl",
    "phone": "",
    "postcode": "3811 AB",
    "target_group": "side_entrant",
    "education_level": "wo_master",
    "education_field": "Econometrie",
    "dutch_level": "C1",
    "target_sectors": ["VO"],
}


class World:
    """A region with its desk, two member boards with HR, and an institute."""

    def __init__(self) -> None:
        self.region = RegionFactory()
        self.board = BoardFactory()
        self.other_board = BoardFactory()
        self.institute = InstituteFactory()
        for member in (self.board, self.other_board, self.institute):
            RegionMemberFactory(region=self.region, member=member)
        self.team = MembershipFactory(organisation=self.region, role=Role.REGIONAL_TEAM).user
        self.colleague = MembershipFactory(organisation=self.region, role=Role.REGIONAL_TEAM).user
        self.hr = MembershipFactory(organisation=self.board, role=Role.BOARD_HR).user
        self.other_hr = MembershipFactory(organisation=self.other_board, role=Role.BOARD_HR).user

    def register(self, consents=None, **overrides) -> Candidate:
        count = Candidate.objects.count()
        data = {**INTAKE, "email": f"kandidaat{count}@example.nl", "first_name": f"Kandidaat{count}", **overrides}
        return services.candidate_register(
            region=self.region,
            data=data,
            consents={ConsentPurpose.SHARE_BOARDS: True} if consents is None else consents,
            send_email=False,
        )

    def hand_over(self, candidate, parts, receiver=None) -> Handover:
        return services.handover_create(
            candidate=candidate,
            receiver=receiver or self.board,
            shared_parts=parts,
            trajectory=candidate.trajectories.get(),
            actor=self.team,
        )


@pytest.fixture
def world():
    return World()


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- Permissions -------------------------------------------------------------------------------


def test_board_hr_sees_nothing_of_a_candidate_not_handed_over(client, world):
    candidate = world.register(last_name="Geheim")
    events_before = candidate.events.count()
    client.force_login(world.hr)
    detail = reverse("loket:candidate_detail", args=[candidate.pk])
    assert client.get(detail).status_code == 404
    trajectory = candidate.trajectories.get()
    for url in (
        reverse("loket:note_add", args=[candidate.pk]),
        reverse("loket:trajectory_move", args=[candidate.pk, trajectory.pk]),
        reverse("loket:trajectory_advance", args=[candidate.pk, trajectory.pk]),
        reverse("loket:candidate_edit", args=[candidate.pk]),
    ):
        assert client.post(url, {"notitie-text": "x", "version": "1"}).status_code == 404
    assert Candidate.objects.get(pk=candidate.pk).events.count() == events_before
    # Board HR has an inbox (it can receive), so the list opens, empty of this candidate.
    assert "Geheim" not in page_text(client.get(reverse("loket:candidate_list")))
    # Someone who can neither work at a desk nor receive gets no list at all.
    client.force_login(MembershipFactory(organisation=world.board, role=Role.POOL_MEMBER).user)
    assert client.get(reverse("loket:candidate_list")).status_code == 403
    assert client.get(reverse("loket:inbox")).status_code == 403
    client.force_login(world.hr)

    world.hand_over(world.register(last_name="Gedeeld"), [SharedPart.CONTACT])
    for name in ("loket:candidate_list", "loket:board_view"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "Gedeeld" in page_text(response) and "Geheim" not in page_text(response)
    exported = client.get(reverse("loket:export"), {"format": "csv"})
    assert "Geheim" not in b"".join(exported.streaming_content).decode()


def test_receiver_sees_only_the_shared_parts_and_loses_access_after_declining(client, world):
    candidate = world.register(education_field="Sterrenkunde", phone="0612345678")
    handover = world.hand_over(candidate, [SharedPart.WISHES])
    client.force_login(world.hr)

    listing = page_text(client.get(reverse("loket:candidate_list")))
    assert candidate.full_name in listing
    # Nobody shared contact details with this board: no e-mail column at all.
    assert candidate.email not in listing and ">E-mailadres</th>" not in listing
    assert ">Sector</th>" in listing

    detail = page_text(client.get(reverse("loket:candidate_detail", args=[candidate.pk])))
    assert "Wensen" in detail
    for hidden in (candidate.email, "0612345678", "Sterrenkunde", 'id="tijdlijn"', "Gegevens wijzigen"):
        assert hidden not in detail
    # Pending: the receiver may look but not act yet.
    trajectory = candidate.trajectories.get()
    move = client.post(
        reverse("loket:trajectory_move", args=[candidate.pk, trajectory.pk]),
        {f"fase-{trajectory.pk}-to_stage": Stage.INTAKE_DONE, f"fase-{trajectory.pk}-version": trajectory.version},
    )
    assert move.status_code == 403

    inbox = page_text(client.get(reverse("loket:inbox")))
    assert candidate.full_name in inbox
    shown = page_text(client.get(reverse("loket:handover_detail", args=[handover.pk])))
    assert "Wensen" in shown and "Contactgegevens" not in shown and candidate.email not in shown

    response = client.post(
        reverse("loket:handover_detail", args=[handover.pk]), {"decision": "decline", "note": "Geen plek"}
    )
    assert response.status_code == 302
    handover.refresh_from_db()
    assert (handover.status, handover.response_note) == (Handover.Status.DECLINED, "Geen plek")
    assert candidate.events.filter(kind=EventKind.HANDOVER_DECIDED).exists()
    assert client.get(reverse("loket:candidate_detail", args=[candidate.pk])).status_code == 404
    assert candidate.full_name not in page_text(client.get(reverse("loket:candidate_list")))
    # The handover itself stays in the inbox, without the candidate's data.
    after = page_text(client.get(reverse("loket:handover_detail", args=[handover.pk])))
    assert "niet meer zichtbaar" in after and "Wensen" not in after


def test_handover_of_another_organisation_is_a_404_in_the_inbox(client, world):
    handover = world.hand_over(world.register(), [SharedPart.CONTACT])
    client.force_login(world.other_hr)
    assert client.get(reverse("loket:handover_detail", args=[handover.pk])).status_code == 404
    assert client.post(reverse("loket:handover_detail", args=[handover.pk]), {"decision": "accept"}).status_code == 404
    handover.refresh_from_db()
    assert handover.status == Handover.Status.PENDING


def test_accepted_receiver_moves_the_stage_and_adds_notes_but_cannot_manage(client, world):
    candidate = world.register()
    handover = world.hand_over(candidate, [SharedPart.CONTACT, SharedPart.TIMELINE])
    client.force_login(world.hr)
    response = client.post(reverse("loket:handover_detail", args=[handover.pk]), {"decision": "accept"})
    assert response.url == reverse("loket:candidate_detail", args=[candidate.pk])
    trajectory = candidate.trajectories.get()
    assert trajectory.board == world.board

    response = client.post(
        reverse("loket:trajectory_move", args=[candidate.pk, trajectory.pk]),
        {f"fase-{trajectory.pk}-to_stage": Stage.IN_CONVERSATION, f"fase-{trajectory.pk}-version": trajectory.version},
    )
    assert response.status_code == 302
    assert Trajectory.objects.get(pk=trajectory.pk).stage == Stage.IN_CONVERSATION
    client.post(reverse("loket:note_add", args=[candidate.pk]), {"notitie-text": "Gesprek op dinsdag"})
    assert candidate.events.filter(kind=EventKind.NOTE, text="Gesprek op dinsdag", actor=world.hr).exists()
    reason = ExitReason.objects.filter(is_active=True).first()
    end = client.post(
        reverse("loket:trajectory_end", args=[candidate.pk, trajectory.pk]),
        {f"einde-{trajectory.pk}-exit_reason": reason.pk, f"einde-{trajectory.pk}-version": 2},
    )
    assert end.status_code == 403
    assert client.get(reverse("loket:candidate_edit", args=[candidate.pk])).status_code == 403


# --- The working list --------------------------------------------------------------------------


def test_list_filters_keep_their_values_and_narrow_the_rows(client, world):
    overdue = world.register(last_name="Achterstallig", target_group="refugee_teacher")
    Trajectory.objects.filter(candidate=overdue).update(follow_up_on=timezone.localdate() - timedelta(days=2))
    advised = world.register(last_name="Geadviseerd")
    services.trajectory_move(trajectory=advised.trajectories.get(), to_stage=Stage.ADVISED, actor=world.team)
    services.coordinator_assign(candidate=advised, coordinator=world.team, actor=world.team)
    client.force_login(world.team)
    url = reverse("loket:candidate_list")

    def names(params):
        text = page_text(client.get(url, params))
        return {name for name in ("Achterstallig", "Geadviseerd") if name in text}, text

    assert names({})[0] == {"Achterstallig", "Geadviseerd"}
    found, text = names({"stage": Stage.ADVISED})
    assert found == {"Geadviseerd"}
    assert '<option value="advised" selected>' in text
    assert names({"overdue": "on"})[0] == {"Achterstallig"}
    assert "verlopen" in names({"overdue": "on"})[1]
    assert names({"target_group": "refugee_teacher"})[0] == {"Achterstallig"}
    assert names({"coordinator": "me"})[0] == {"Geadviseerd"}
    assert names({"coordinator": "none"})[0] == {"Achterstallig"}
    found, text = names({"q": "geadv"})
    assert found == {"Geadviseerd"} and 'value="geadv"' in text
    found, text = names({"stage": "bestaat-niet"})
    assert found == {"Achterstallig", "Geadviseerd"}
    assert "Selecteer een geldige keuze" in text or "Kies" in text


def test_list_filters_by_subregion_from_the_postcode(client, world):
    municipality = MunicipalityFactory()
    PostcodeArea.objects.create(pc4="3811", municipality=municipality, latitude=52.1, longitude=5.4)
    subregion = SubRegion.objects.create(region=world.region, name="Eemland")
    subregion.municipalities.add(municipality)
    world.register(last_name="Binnen", postcode="3811 AB")
    world.register(last_name="Buiten", postcode="9999 ZZ")
    client.force_login(world.team)
    text = page_text(client.get(reverse("loket:candidate_list"), {"subregion": subregion.pk}))
    assert "Binnen" in text and "Buiten" not in text
    assert "Eemland" in text


def test_list_query_count_does_not_grow_with_rows(client, world):
    client.force_login(world.team)

    def count_queries() -> tuple[int, int]:
        counts = []
        for name in ("loket:candidate_list", "loket:board_view"):
            with CaptureQueriesContext(connection) as context:
                assert client.get(reverse(name)).status_code == 200
            counts.append(len(context))
        return tuple(counts)

    for _ in range(2):
        world.register()
    few = count_queries()
    for index in range(8):
        candidate = world.register()
        services.coordinator_assign(candidate=candidate, coordinator=world.team, actor=world.team)
        if index % 2:
            world.hand_over(candidate, [SharedPart.CONTACT])
        services.trajectory_create(candidate=candidate, actor=world.team, board=world.board)
    assert count_queries() == few


def test_board_shows_stages_and_moves_a_card_to_the_next_stage(client, world):
    candidate = world.register(last_name="Kaart")
    trajectory = candidate.trajectories.get()
    client.force_login(world.team)
    board = page_text(client.get(reverse("loket:board_view")))
    assert "Kaart" in board and "Naar volgende fase" in board
    for stage in Stage:
        assert str(stage.label).capitalize() in board
    response = client.post(
        reverse("loket:trajectory_advance", args=[candidate.pk, trajectory.pk]),
        {"version": trajectory.version, "next": reverse("loket:board_view")},
    )
    assert response.url == reverse("loket:board_view")
    assert Trajectory.objects.get(pk=trajectory.pk).stage == Stage.INTAKE_DONE
    assert candidate.events.filter(kind=EventKind.STAGE_CHANGED, to_stage=Stage.INTAKE_DONE).exists()
    # A stale card (someone moved it meanwhile) is refused, and an outside `next` is ignored.
    response = client.post(
        reverse("loket:trajectory_advance", args=[candidate.pk, trajectory.pk]),
        {"version": trajectory.version, "next": "https://example.com/"},
    )
    assert response.url == reverse("loket:board_view")
    assert Trajectory.objects.get(pk=trajectory.pk).stage == Stage.INTAKE_DONE


# --- The candidate page and its actions --------------------------------------------------------


def test_detail_is_audited_and_shows_the_timeline(client, world):
    candidate = world.register()
    client.force_login(world.team)
    text = page_text(client.get(reverse("loket:candidate_detail", args=[candidate.pk])))
    assert candidate.email in text and "Tijdlijn" in text and "Aangemeld" in text
    assert AuditEvent.objects.filter(
        action="candidate.viewed", object_id=str(candidate.pk), personal_data_read=True, actor=world.team
    ).exists()


def test_each_action_writes_a_timeline_event(client, world):
    candidate = world.register()
    trajectory = candidate.trajectories.get()
    client.force_login(world.team)
    base = (candidate.pk, trajectory.pk)
    steps = [
        (
            reverse("loket:trajectory_move", args=base),
            {f"fase-{trajectory.pk}-to_stage": Stage.INTAKE_DONE, f"fase-{trajectory.pk}-version": 1},
            EventKind.STAGE_CHANGED,
        ),
        (
            reverse("loket:follow_up_set", args=base),
            {f"opvolgen-{trajectory.pk}-follow_up_on": (timezone.localdate() + timedelta(days=7)).isoformat()},
            EventKind.FOLLOW_UP,
        ),
        (reverse("loket:note_add", args=[candidate.pk]), {"notitie-text": "Belafspraak gemaakt"}, EventKind.NOTE),
        (
            reverse("loket:coordinator_assign", args=[candidate.pk]),
            {"regisseur-coordinator": world.colleague.pk},
            EventKind.ASSIGNED,
        ),
        (
            reverse("loket:document_add", args=[candidate.pk]),
            {"document-kind": "cv", "document-file": SimpleUploadedFile("cv.pdf", PDF, "application/pdf")},
            EventKind.DOCUMENT,
        ),
        (
            reverse("loket:trajectory_edit", args=base),
            {"board": world.board.pk, "version": 2},
            EventKind.UPDATED,
        ),
        (
            reverse("loket:trajectory_create", args=[candidate.pk]),
            {"institute": world.institute.pk},
            EventKind.STAGE_CHANGED,
        ),
        (
            reverse("loket:trajectory_end", args=base),
            {
                f"einde-{trajectory.pk}-exit_reason": ExitReason.objects.get(code="other-job").pk,
                f"einde-{trajectory.pk}-version": 3,
                f"einde-{trajectory.pk}-note": "Koos voor IT",
            },
            EventKind.ENDED,
        ),
    ]
    for url, data, kind in steps:
        before = candidate.events.filter(kind=kind).count()
        response = client.post(url, data)
        assert response.status_code == 302, (url, page_text(response)[-3000:])
        assert candidate.events.filter(kind=kind).count() == before + 1, url
    candidate.refresh_from_db()
    trajectory.refresh_from_db()
    assert candidate.coordinator == world.colleague
    assert trajectory.board == world.board and trajectory.exit_reason.code == "other-job"
    assert candidate.trajectories.filter(institute=world.institute, ended_at__isnull=True).exists()
    document = Document.objects.get(candidate=candidate)
    download = client.get(reverse("loket:document_download", args=[candidate.pk, document.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="candidate.document_downloaded", personal_data_read=True).exists()
    timeline = page_text(client.get(reverse("loket:candidate_detail", args=[candidate.pk])))
    assert "Belafspraak gemaakt" in timeline and "Koos voor IT" in timeline


def test_documents_only_for_those_who_may_see_them(client, world):
    candidate = world.register()
    document = services.document_add(
        candidate=candidate, kind="cv", uploaded_file=SimpleUploadedFile("cv.pdf", PDF), actor=world.team
    )
    world.hand_over(candidate, [SharedPart.CONTACT])
    client.force_login(world.hr)
    url = reverse("loket:document_download", args=[candidate.pk, document.pk])
    assert client.get(url).status_code == 404
    client.force_login(world.other_hr)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00 not a document", "Alleen PDF, Word (.docx), PNG of JPEG is toegestaan."),
        ("leeg.pdf", b"", "Het bestand is leeg."),
    ],
)
def test_document_type_checks_show_in_the_form(client, world, name, content, message):
    candidate = world.register()
    client.force_login(world.team)
    response = client.post(
        reverse("loket:document_add", args=[candidate.pk]),
        {"document-kind": "diploma", "document-file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert message in page_text(response)
    assert '<option value="diploma" selected>' in page_text(response)
    assert not Document.objects.exists()


def test_document_size_check(client, world, monkeypatch):
    monkeypatch.setattr(services.documents, "DOCUMENT_MAX_BYTES", len(PDF) - 1)
    candidate = world.register()
    client.force_login(world.team)
    response = client.post(
        reverse("loket:document_add", args=[candidate.pk]),
        {"document-kind": "cv", "document-file": SimpleUploadedFile("groot.pdf", PDF)},
    )
    assert "Het bestand is groter dan 10 MB." in page_text(response)
    assert not Document.objects.exists()


def test_forms_keep_input_and_show_dutch_errors(client, world):
    candidate = world.register()
    trajectory = candidate.trajectories.get()
    client.force_login(world.team)
    response = client.post(
        reverse("loket:trajectory_end", args=[candidate.pk, trajectory.pk]),
        {f"einde-{trajectory.pk}-note": "Verhuisd naar het buitenland", f"einde-{trajectory.pk}-version": 1},
    )
    text = page_text(response)
    assert "Kies een reden uit de lijst." in text and "Verhuisd naar het buitenland" in text
    response = client.post(
        reverse("loket:follow_up_set", args=[candidate.pk, trajectory.pk]),
        {f"opvolgen-{trajectory.pk}-follow_up_on": (timezone.localdate() - timedelta(days=1)).isoformat()},
    )
    assert "Kies een datum vanaf vandaag." in page_text(response)
    response = client.post(reverse("loket:note_add", args=[candidate.pk]), {"notitie-text": "   "})
    assert "Schrijf een notitie." in page_text(response)
    outsider = MembershipFactory(organisation=RegionFactory(), role=Role.REGIONAL_TEAM).user
    response = client.post(
        reverse("loket:coordinator_assign", args=[candidate.pk]), {"regisseur-coordinator": outsider.pk}
    )
    assert "Kies iemand van het regioteam." in page_text(response)
    school = SchoolLocationFactory(board=world.other_board)
    response = client.post(
        reverse("loket:trajectory_create", args=[candidate.pk]),
        {"board": world.board.pk, "school_location": school.pk},
    )
    # Not a school of the region: refused as an unknown choice, and the board stays selected.
    text = page_text(response)
    assert f'<option value="{world.board.pk}" selected>' in text
    assert candidate.trajectories.count() == 1


def test_trajectory_school_must_belong_to_the_board(client, world):
    from onderwijsregio.organisations.models import RegionSchoolLocation

    candidate = world.register()
    school = SchoolLocationFactory(board=world.other_board)
    RegionSchoolLocation.objects.create(region=world.region, school_location=school, started_on=timezone.localdate())
    client.force_login(world.team)
    response = client.post(
        reverse("loket:trajectory_create", args=[candidate.pk]),
        {"board": world.board.pk, "school_location": school.pk},
    )
    assert "Deze school hoort niet bij het gekozen bestuur." in page_text(response)
    assert candidate.trajectories.count() == 1


def test_stale_edit_is_refused_and_keeps_what_was_typed(client, world):
    candidate = world.register(last_name="Origineel")
    client.force_login(world.team)
    url = reverse("loket:candidate_edit", args=[candidate.pk])
    form = client.get(url)
    assert 'name="version" value="1"' in page_text(form)
    services.candidate_update(candidate=candidate, actor=world.colleague, expected_version=1, current_work="Docent")
    data = {
        **INTAKE,
        "first_name": candidate.first_name,
        "last_name": "Mijn nieuwe achternaam",
        "email": candidate.email,
        "preferred_language": "nl",
        "version": 1,
    }
    response = client.post(url, data)
    text = page_text(response)
    assert "Iemand anders heeft deze gegevens intussen gewijzigd" in text
    assert 'value="Mijn nieuwe achternaam"' in text
    candidate.refresh_from_db()
    assert candidate.last_name == "Origineel" and candidate.current_work == "Docent"

    data["version"] = 2
    data["current_work"] = "Docent"
    response = client.post(url, data)
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.last_name == "Mijn nieuwe achternaam" and candidate.version == 3


def test_edit_shows_field_errors_from_the_model(client, world):
    candidate = world.register()
    client.force_login(world.team)
    data = {**INTAKE, "postcode": "12", "email": "geen-adres", "preferred_language": "nl", "version": 1}
    text = page_text(client.post(reverse("loket:candidate_edit", args=[candidate.pk]), data))
    assert "Vul een geldig e-mailadres in." in text
    data["email"] = "goed@example.nl"
    text = page_text(client.post(reverse("loket:candidate_edit", args=[candidate.pk]), data))
    assert "Vul een postcode in als 1234 AB." in text and 'value="12"' in text


def test_handover_needs_consent_and_can_be_withdrawn(client, world):
    no_consent = world.register(consents={})
    client.force_login(world.team)
    data = {"receiver": world.board.pk, "shared_parts": [SharedPart.CONTACT], "message": "Past goed bij jullie"}
    response = client.post(reverse("loket:handover_create", args=[no_consent.pk]), data)
    text = page_text(response)
    assert "geen toestemming" in text and "Past goed bij jullie" in text
    assert not Handover.objects.exists()

    candidate = world.register()
    response = client.post(reverse("loket:handover_create", args=[candidate.pk]), {"receiver": world.board.pk})
    assert "Kies wat u deelt." in page_text(response)
    response = client.post(reverse("loket:handover_create", args=[candidate.pk]), data)
    assert response.status_code == 302
    handover = Handover.objects.get()
    assert handover.message == "Past goed bij jullie" and candidate.events.filter(kind=EventKind.HANDOVER).exists()
    response = client.post(reverse("loket:handover_withdraw", args=[candidate.pk, handover.pk]))
    handover.refresh_from_db()
    assert handover.status == Handover.Status.WITHDRAWN
    client.force_login(world.hr)
    assert client.get(reverse("loket:candidate_detail", args=[candidate.pk])).status_code == 404


def test_inbox_lists_pending_first(client, world):
    first = world.hand_over(world.register(last_name="Eerste"), [SharedPart.CONTACT])
    world.hand_over(world.register(last_name="Tweede"), [SharedPart.CONTACT])
    services.handover_decide(handover=first, accept=True, actor=world.hr)
    client.force_login(world.hr)
    text = page_text(client.get(reverse("loket:inbox")))
    assert text.index("Tweede") < text.index("Eerste")


def test_possible_duplicate_is_merged_after_confirmation(client, world):
    first = world.register(last_name="Dubbel", email="een@example.nl", first_name="Sam")
    second = world.register(last_name="Dubbel", email="twee@example.nl", first_name="Sam")
    client.force_login(world.team)
    detail = page_text(client.get(reverse("loket:candidate_detail", args=[second.pk])))
    merge_url = reverse("loket:merge", args=[second.pk, first.pk])
    assert merge_url in detail
    confirm = page_text(client.get(merge_url))
    assert "een@example.nl" in confirm and "twee@example.nl" in confirm
    assert "Kies welke aanmelding blijft bestaan." in page_text(client.post(merge_url, {}))
    response = client.post(merge_url, {"keep": first.pk})
    assert response.url == reverse("loket:candidate_detail", args=[first.pk])
    assert not Candidate.objects.filter(pk=second.pk).exists()
    assert first.trajectories.count() == 2 and first.events.filter(kind=EventKind.MERGED).exists()


def test_merge_is_for_the_desk_only(client, world):
    first, second = world.register(), world.register()
    world.hand_over(first, [SharedPart.CONTACT])
    world.hand_over(second, [SharedPart.CONTACT])
    client.force_login(world.hr)
    assert client.post(reverse("loket:merge", args=[first.pk, second.pk]), {"keep": first.pk}).status_code == 403
    assert Candidate.objects.count() == 2


# --- Admin -------------------------------------------------------------------------------------


def test_regional_team_keeps_exit_reasons_and_used_codes_stay(client, world):
    world.team.is_staff = True
    world.team.save()
    client.force_login(world.team)
    listing = client.get(reverse("admin:loket_exitreason_changelist"))
    assert listing.status_code == 200 and "other-job" in page_text(listing)
    response = client.post(
        reverse("admin:loket_exitreason_add"),
        {"label": "Studie afgebroken", "code": "study-stopped", "is_active": "on", "position": 9},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    moved = ExitReason.objects.get(code="study-stopped")
    assert AuditEvent.objects.filter(action="loket.exitreason.created_in_admin", object_id=str(moved.pk)).exists()

    candidate = world.register()
    services.trajectory_end(trajectory=candidate.trajectories.get(), reason=moved, actor=world.team)
    change = reverse("admin:loket_exitreason_change", args=[moved.pk])
    client.post(change, {"label": "Studie gestopt", "code": "renamed", "position": 9})
    moved.refresh_from_db()
    assert (moved.code, moved.label, moved.is_active) == ("study-stopped", "Studie gestopt", False)
    assert client.post(reverse("admin:loket_exitreason_delete", args=[moved.pk]), {"post": "yes"}).status_code == 403
    assert ExitReason.objects.filter(pk=moved.pk).exists()

    world.hr.is_staff = True
    world.hr.save()
    client.force_login(world.hr)
    assert client.get(reverse("admin:loket_exitreason_changelist")).status_code == 403


def test_candidate_admin_is_for_superusers_and_audited(client, world, django_user_model):
    candidate = world.register()
    world.team.is_staff = True
    world.team.save()
    client.force_login(world.team)
    assert client.get(reverse("admin:loket_candidate_changelist")).status_code == 403
    admin_user = django_user_model.objects.create_superuser("beheer@example.nl", "x")
    client.force_login(admin_user)
    assert candidate.email in page_text(client.get(reverse("admin:loket_candidate_change", args=[candidate.pk])))
    assert client.get(reverse("admin:loket_candidate_changelist")).status_code == 200
    assert AuditEvent.objects.filter(action="candidate.viewed", actor=admin_user, personal_data_read=True).exists()
    assert AuditEvent.objects.filter(action="candidate.list_viewed", actor=admin_user).exists()
    assert client.post(reverse("admin:loket_candidate_delete", args=[candidate.pk]), {"post": "yes"}).status_code == 403


def test_a_receiver_sees_and_moves_only_the_trajectory_handed_to_it(client):
    from onderwijsregio.accounts.models import Role
    from onderwijsregio.accounts.tests.factories import MembershipFactory
    from onderwijsregio.loket import services
    from onderwijsregio.loket.models import ConsentPurpose, ExitReason, SharedPart, Stage
    from onderwijsregio.organisations.tests.factories import BoardFactory, RegionFactory

    region, board_a, board_b = RegionFactory(), BoardFactory(), BoardFactory()
    team = MembershipFactory(organisation=region, role=Role.REGIONAL_TEAM).user
    hr_b = MembershipFactory(organisation=board_b, role=Role.BOARD_HR).user
    candidate = services.candidate_register(
        region=region,
        data={
            "first_name": "Twee",
            "last_name": "Trajecten",
            "email": "twee@example.nl",
            "postcode": "3811 AB",
            "target_group": "side_entrant",
            "education_level": "wo_master",
            "dutch_level": "C1",
            "target_sectors": ["VO"],
        },
        consents={ConsentPurpose.SHARE_BOARDS: True},
        send_email=False,
    )
    at_a = candidate.trajectories.get()
    services.trajectory_update(trajectory=at_a, board=board_a, actor=team)
    services.trajectory_end(
        trajectory=at_a, reason=ExitReason.objects.get(code="no-match"), actor=team, note="A-NOTITIE"
    )
    at_b = services.trajectory_create(candidate=candidate, actor=team)
    handover = services.handover_create(
        candidate=candidate, receiver=board_b, shared_parts=[SharedPart.CONTACT], trajectory=at_b, actor=team
    )
    services.handover_decide(handover=handover, accept=True, actor=hr_b)

    client.force_login(hr_b)
    page = client.get(f"/loket/kandidaten/{candidate.pk}").content.decode()
    assert f"/trajecten/{at_b.pk}/" in page
    assert f"/trajecten/{at_a.pk}/" not in page and "A-NOTITIE" not in page
    response = client.post(
        f"/loket/kandidaten/{candidate.pk}/trajecten/{at_a.pk}/fase", {f"fase-{at_a.pk}-stage": Stage.ADVISED}
    )
    assert response.status_code == 404


def test_desk_erases_a_candidate_on_request_after_confirmation(client):
    from onderwijsregio.accounts.models import Role
    from onderwijsregio.accounts.tests.factories import MembershipFactory
    from onderwijsregio.loket.models import Candidate, CandidateStatistic
    from onderwijsregio.loket.tests.factories import CandidateFactory, TrajectoryFactory

    candidate = TrajectoryFactory().candidate
    team = MembershipFactory(organisation=candidate.region, role=Role.REGIONAL_TEAM).user
    other_hr = MembershipFactory(role=Role.BOARD_HR).user
    url = f"/loket/kandidaten/{candidate.pk}/verwijderen"

    client.force_login(other_hr)
    assert client.post(url, {"reason": "x", "confirm": "on"}).status_code == 404

    client.force_login(team)
    response = client.post(url, {"reason": "mail van 3 maart"})
    assert (
        response.status_code == 200
        and "Bevestig dat de gegevens definitief worden verwijderd." in response.content.decode()
    )
    assert 'value="mail van 3 maart"' in response.content.decode()
    assert Candidate.objects.filter(pk=candidate.pk).exists()

    response = client.post(url, {"reason": "mail van 3 maart", "confirm": "on"})
    assert response.status_code == 302
    assert not Candidate.objects.filter(pk=candidate.pk).exists()
    assert CandidateStatistic.objects.count() == 1
    assert CandidateFactory._meta.model.objects.count() == 0
