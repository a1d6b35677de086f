"""The pool's whole URL table: every page of the substitute pool, by page group."""

from django.urls import path, register_converter

from .views import batches, dashboard, hours, members, offers, requests, settlement, setup


class PoolSlugConverter:
    """A pool's slug, but never one of the fixed words under /invalpool/ (mijn-werk, aanbod)."""

    regex = r"(?!mijn-werk/|aanbod/)[-a-zA-Z0-9_]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PoolSlugConverter, "poolslug")

app_name = "pool"

urlpatterns = [
    # setup
    path("invalpool/", setup.pool_list, name="pool_list"),
    path("invalpool/<poolslug:slug>/", setup.pool_detail, name="pool_detail"),
    path("invalpool/<slug:slug>/beleid/", setup.pool_policy, name="pool_policy"),
    path("invalpool/<slug:slug>/besturen/", setup.pool_boards, name="pool_boards"),
    path("invalpool/<slug:slug>/besturen/<int:participation_pk>/", setup.pool_board_edit, name="pool_board_edit"),
    path(
        "invalpool/<slug:slug>/besturen/<int:participation_pk>/verwijderen/",
        setup.pool_board_remove,
        name="pool_board_remove",
    ),
    # members
    path("invalpool/<slug:slug>/leden/", members.member_list, name="member_list"),
    path("invalpool/<slug:slug>/leden/nieuw/", members.member_create, name="member_create"),
    path("invalpool/<slug:slug>/leden/<int:member_pk>/", members.member_detail, name="member_detail"),
    path("invalpool/<slug:slug>/leden/<int:member_pk>/wijzigen/", members.member_edit, name="member_edit"),
    path(
        "invalpool/<slug:slug>/leden/<int:member_pk>/afwezig/",
        members.member_unavailability_add,
        name="member_unavailability_add",
    ),
    path(
        "invalpool/<slug:slug>/leden/<int:member_pk>/afwezig/<int:period_pk>/verwijderen/",
        members.member_unavailability_remove,
        name="member_unavailability_remove",
    ),
    # requests
    path("invalpool/<slug:slug>/aanvragen/", requests.request_list, name="request_list"),
    path("invalpool/<slug:slug>/aanvragen/nieuw/", requests.request_create, name="request_create"),
    path("invalpool/<slug:slug>/aanvragen/<int:request_pk>/", requests.request_detail, name="request_detail"),
    path("invalpool/<slug:slug>/aanvragen/<int:request_pk>/wijzigen/", requests.request_edit, name="request_edit"),
    path("invalpool/<slug:slug>/aanvragen/<int:request_pk>/intrekken/", requests.request_cancel, name="request_cancel"),
    path(
        "invalpool/<slug:slug>/inzetten/<int:assignment_pk>/beeindigen/",
        requests.assignment_cancel,
        name="assignment_cancel",
    ),
    # batches
    path("invalpool/<slug:slug>/rondes/", batches.batch_list, name="batch_list"),
    path("invalpool/<slug:slug>/rondes/<int:batch_pk>/", batches.batch_detail, name="batch_detail"),
    path("invalpool/<slug:slug>/rondes/<int:batch_pk>/bevestigen/", batches.batch_confirm, name="batch_confirm"),
    path("invalpool/<slug:slug>/rondes/<int:batch_pk>/verwerpen/", batches.batch_discard, name="batch_discard"),
    path(
        "invalpool/<slug:slug>/rondes/<int:batch_pk>/voorstellen/<int:proposal_pk>/schrappen/",
        batches.proposal_remove,
        name="proposal_remove",
    ),
    path(
        "invalpool/<slug:slug>/rondes/<int:batch_pk>/voorstellen/<int:proposal_pk>/vervangen/",
        batches.proposal_replace,
        name="proposal_replace",
    ),
    # offers
    path("invalpool/mijn-werk/", offers.my_work, name="my_work"),
    path(
        "invalpool/mijn-werk/afwezig/<int:period_pk>/verwijderen/",
        offers.my_unavailability_remove,
        name="my_unavailability_remove",
    ),
    path("invalpool/aanbod/<str:token>/accepteren/", offers.offer_accept, name="offer_accept"),
    path("invalpool/aanbod/<str:token>/afwijzen/", offers.offer_decline, name="offer_decline"),
    # hours
    path("invalpool/<slug:slug>/uren/", hours.hours_list, name="hours_list"),
    path("invalpool/<slug:slug>/uren/inzet/<int:assignment_pk>/", hours.hours_assignment, name="hours_assignment"),
    path("invalpool/<slug:slug>/uren/<int:entry_pk>/bevestigen/", hours.hours_confirm, name="hours_confirm"),
    path("invalpool/<slug:slug>/uren/<int:entry_pk>/betwisten/", hours.hours_dispute, name="hours_dispute"),
    path("invalpool/<slug:slug>/uren/export.<str:file_format>", hours.hours_export, name="hours_export"),
    # settlement
    path("invalpool/<slug:slug>/afrekeningen/", settlement.settlement_list, name="settlement_list"),
    path("invalpool/<slug:slug>/afrekeningen/nieuw/", settlement.settlement_create, name="settlement_create"),
    path("invalpool/<slug:slug>/afrekeningen/<int:run_pk>/", settlement.settlement_detail, name="settlement_detail"),
    path(
        "invalpool/<slug:slug>/afrekeningen/<int:run_pk>/afrekening.<str:file_format>",
        settlement.settlement_download,
        name="settlement_download",
    ),
    # dashboard
    path("invalpool/<slug:slug>/monitor/", dashboard.dashboard, name="dashboard"),
    path(
        "invalpool/<slug:slug>/monitor/rapport.<str:file_format>", dashboard.dashboard_report, name="dashboard_report"
    ),
]
