"""The whole URL table of strategic personnel planning; the pages live in `workforce.views`."""

from django.urls import path

from .views import forecasts, planning, pupils, scenarios

app_name = "workforce"

urlpatterns = [
    path("personeelsplanning/", planning.home, name="home"),
    path("personeelsplanning/sjabloon.<str:fmt>", planning.template_download, name="template"),
    path("personeelsplanning/bestuur/<int:board_id>/", planning.board, name="board"),
    path(
        "personeelsplanning/bestuur/<int:board_id>/bestanden/<int:snapshot_id>/",
        planning.snapshot_detail,
        name="snapshot_detail",
    ),
    path(
        "personeelsplanning/bestuur/<int:board_id>/bestanden/<int:snapshot_id>/medewerkers/",
        planning.snapshot_rows,
        name="snapshot_rows",
    ),
    path(
        "personeelsplanning/bestuur/<int:board_id>/bestanden/<int:snapshot_id>/verwijderen/",
        planning.snapshot_delete,
        name="snapshot_delete",
    ),
    path("personeelsplanning/bestuur/<int:board_id>/leerlingen/", pupils.board_pupils, name="board_pupils"),
    path("personeelsplanning/regio/<slug:region_slug>/leerlingen/", pupils.region_pupils, name="region_pupils"),
    path("personeelsplanning/regio/<slug:region_slug>/aannames/", scenarios.assumptions, name="assumptions"),
    path("personeelsplanning/scenarios/<int:owner_id>/", scenarios.scenario_list, name="scenario_list"),
    path("personeelsplanning/scenarios/<int:owner_id>/nieuw/", scenarios.scenario_create, name="scenario_create"),
    path("personeelsplanning/scenario/<int:scenario_id>/bewerken/", scenarios.scenario_edit, name="scenario_edit"),
    path(
        "personeelsplanning/scenario/<int:scenario_id>/verwijderen/", scenarios.scenario_delete, name="scenario_delete"
    ),
    path("personeelsplanning/bestuur/<int:board_id>/prognose/", forecasts.forecast_page, name="forecast_board"),
    path("personeelsplanning/regio/<slug:region_slug>/prognose/", forecasts.forecast_page, name="forecast_region"),
    path(
        "personeelsplanning/bestuur/<int:board_id>/prognose/vergelijken/",
        forecasts.forecast_compare,
        name="forecast_board_compare",
    ),
    path(
        "personeelsplanning/regio/<slug:region_slug>/prognose/vergelijken/",
        forecasts.forecast_compare,
        name="forecast_region_compare",
    ),
    path(
        "personeelsplanning/bestuur/<int:board_id>/prognose/download.<str:fmt>",
        forecasts.forecast_download,
        name="forecast_board_download",
    ),
    path(
        "personeelsplanning/regio/<slug:region_slug>/prognose/download.<str:fmt>",
        forecasts.forecast_download,
        name="forecast_region_download",
    ),
    path("personeelsplanning/prognose/<int:run_id>/voortgang/", forecasts.forecast_progress, name="forecast_progress"),
]
