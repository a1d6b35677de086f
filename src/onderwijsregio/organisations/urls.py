"""Pages of organisations, included at the site root (Dutch paths, no trailing slashes)."""

from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("regios", views.region_list, name="region_list"),
    path("regios/<slug:slug>", views.region_detail, name="region_detail"),
    path("regios/<slug:slug>/beheer", views.region_manage, name="region_manage"),
    path("besturen", views.board_list, name="board_list"),
    path("besturen/<int:pk>", views.board_detail, name="board_detail"),
    path("besturen/<int:pk>/bewerken", views.board_edit, name="board_edit"),
    path("besturen/<int:pk>/naam", views.board_name_edit, name="board_name_edit"),
    path("vestigingen", views.school_location_list, name="school_location_list"),
    path("vestigingen/<str:vestiging_code>", views.school_location_detail, name="school_location_detail"),
    path("gegevens/import", views.duo_import, name="import"),
]
