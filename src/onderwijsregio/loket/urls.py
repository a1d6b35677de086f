"""The whole URL table of the candidate desk (public pages, the candidate's own pages, the staff desk, the funnel)."""

from django.urls import path

from .views import candidate, candidate_actions, candidate_page, funnel, inbox, public, worklist

app_name = "loket"

urlpatterns = [
    # public
    path("loket", public.home, name="home"),
    path("loket/aanmelden", public.register, name="register"),
    path("loket/aangemeld", public.registered, name="registered"),
    # the candidate's own pages
    path("loket/inloggen", candidate.candidate_login, name="candidate_login"),
    path("loket/inloggen/code", candidate.candidate_login_code, name="candidate_login_code"),
    path("loket/mijn-gegevens", candidate.my_record, name="my_record"),
    path("loket/mijn-gegevens/wijzigen", candidate.my_record_edit, name="my_record_edit"),
    path("loket/mijn-gegevens/toestemming", candidate.my_consents, name="my_consents"),
    path("loket/mijn-gegevens/download", candidate.my_export, name="my_export"),
    path("loket/mijn-gegevens/verwijderen", candidate.my_delete, name="my_delete"),
    path("loket/mijn-gegevens/verwijderd", candidate.my_deleted, name="my_deleted"),
    # the staff desk
    path("loket/kandidaten/<int:pk>/verwijderen", candidate_actions.candidate_erase, name="candidate_erase"),
    path("loket/kandidaten", worklist.candidate_list, name="candidate_list"),
    path("loket/kandidaten/fasen", worklist.board_view, name="board_view"),
    path("loket/kandidaten/export", worklist.export, name="export"),
    path("loket/kandidaten/<int:pk>", candidate_page.candidate_detail, name="candidate_detail"),
    path("loket/kandidaten/<int:pk>/bewerken", candidate_actions.candidate_edit, name="candidate_edit"),
    path("loket/kandidaten/<int:pk>/ketenregisseur", candidate_page.coordinator_assign, name="coordinator_assign"),
    path("loket/kandidaten/<int:pk>/notities", candidate_page.note_add, name="note_add"),
    path("loket/kandidaten/<int:pk>/documenten", candidate_page.document_add, name="document_add"),
    path(
        "loket/kandidaten/<int:pk>/documenten/<int:document_pk>",
        candidate_page.document_download,
        name="document_download",
    ),
    path("loket/kandidaten/<int:pk>/trajecten/nieuw", candidate_actions.trajectory_create, name="trajectory_create"),
    path(
        "loket/kandidaten/<int:pk>/trajecten/<int:trajectory_pk>/bewerken",
        candidate_actions.trajectory_edit,
        name="trajectory_edit",
    ),
    path(
        "loket/kandidaten/<int:pk>/trajecten/<int:trajectory_pk>/fase",
        candidate_page.trajectory_move,
        name="trajectory_move",
    ),
    path(
        "loket/kandidaten/<int:pk>/trajecten/<int:trajectory_pk>/volgende-fase",
        worklist.trajectory_advance,
        name="trajectory_advance",
    ),
    path(
        "loket/kandidaten/<int:pk>/trajecten/<int:trajectory_pk>/beeindigen",
        candidate_page.trajectory_end,
        name="trajectory_end",
    ),
    path(
        "loket/kandidaten/<int:pk>/trajecten/<int:trajectory_pk>/opvolgen",
        candidate_page.follow_up_set,
        name="follow_up_set",
    ),
    path("loket/kandidaten/<int:pk>/overdragen", candidate_actions.handover_create, name="handover_create"),
    path(
        "loket/kandidaten/<int:pk>/overdrachten/<int:handover_pk>/intrekken",
        candidate_actions.handover_withdraw,
        name="handover_withdraw",
    ),
    path("loket/kandidaten/<int:pk>/samenvoegen/<int:other_pk>", candidate_actions.merge, name="merge"),
    path("loket/inbox", inbox.inbox, name="inbox"),
    path("loket/inbox/<int:pk>", inbox.handover_detail, name="handover_detail"),
    # the funnel
    path("loket/trechter", funnel.funnel_page, name="funnel"),
    path("loket/trechter/export.csv", funnel.funnel_export, name="funnel_export"),
]
